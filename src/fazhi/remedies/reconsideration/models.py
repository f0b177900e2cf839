"""行政复议 cases (工作方案 五(一)6): the district government is the 复议机关, the office (法制办) its 复议机构; the
respondent (被申请人) is one of the district's units — the case's `unit`, the scoping field. The case runs on the
procedure `reconsideration` (受理审查 → 发送副本 → 被申请人答复 → 听证 → 复议决定); its clocks are stored
clocks (deadlines) driven by services.py; `status` is written by the services only (rules.STATUS_LABELS)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from fazhi.core.models import AppendOnlyModel, VersionedModel, history
from fazhi.core.scoping import ScopedQuerySet

__all__ = ["Reconsideration", "ReconsiderationAct"]

# Status, written only by the services (the page, the list filter, the API and the ledger read this field).
REVIEWING, CORRECTING, HEARING, SUSPENDED, DECIDED, REJECTED, WITHDRAWN, TERMINATED = (
    "reviewing", "correcting", "hearing", "suspended", "decided", "rejected", "withdrawn", "terminated")
STATUSES = [(REVIEWING, "审查中"), (CORRECTING, "补正中"), (HEARING, "审理中"), (SUSPENDED, "中止"),
            (DECIDED, "已决定"), (REJECTED, "不予受理"), (WITHDRAWN, "视为撤回"), (TERMINATED, "终止")]
ENDED = (DECIDED, REJECTED, WITHDRAWN, TERMINATED)

NORMAL, SIMPLE = "normal", "simple"
PROCEDURE_KINDS = [(NORMAL, "普通程序"), (SIMPLE, "简易程序")]

# 复议决定 (行政复议法 2023 第63条至第73条) and 终止 (第41条), which is not a decision.
MAINTAIN, VARY, REVOKE, CONFIRM_ILLEGAL, ORDER_PERFORM, CONFIRM_VOID, DISMISS, MEDIATE = (
    "maintain", "vary", "revoke", "confirm_illegal", "order_perform", "confirm_void", "dismiss", "mediate")
DECISION_OUTCOMES = [(MAINTAIN, "维持"), (VARY, "变更"), (REVOKE, "撤销"), (CONFIRM_ILLEGAL, "确认违法"),
                     (ORDER_PERFORM, "责令履行"), (CONFIRM_VOID, "确认无效"), (DISMISS, "驳回复议请求"),
                     (MEDIATE, "调解")]
TERMINATE = "terminate"
OUTCOMES = [*DECISION_OUTCOMES, (TERMINATE, "终止")]
# The outcomes that correct the respondent's act (纠错率's numerator).
CORRECTING_OUTCOMES = (VARY, REVOKE, CONFIRM_ILLEGAL, ORDER_PERFORM, CONFIRM_VOID)

APPLICANT_KINDS = [("person", "自然人"), ("legal", "法人"), ("other", "其他组织")]


class ReconsiderationQuerySet(ScopedQuerySet):
    def decided(self):
        return self.filter(status=DECIDED)


def _parties_text(rows) -> str:
    kinds = dict(APPLICANT_KINDS)
    return "、".join(f"{p.get('name', '')}({kinds.get(p.get('kind'), p.get('kind', ''))})" for p in rows or []) or "—"


class Reconsideration(VersionedModel):
    unit = models.ForeignKey("org.Unit", verbose_name="被申请人", on_delete=models.PROTECT, related_name="+")
    number_year = models.PositiveSmallIntegerField("案号年份")
    number_seq = models.PositiveIntegerField("案号序号")
    number = models.CharField("案号", max_length=60)
    applicants = models.JSONField("申请人", default=list, help_text="每人:name 姓名或名称、kind 类型、contact 联系方式")
    third_parties = models.JSONField("第三人", default=list, blank=True)
    act_name = models.CharField("被申请复议的行政行为", max_length=200)
    act_number = models.CharField("行政行为文书号", max_length=100, blank=True)
    act_date = models.DateField("行政行为作出日期", null=True, blank=True)
    known_on = models.DateField("申请人知道该行政行为之日", null=True, blank=True)
    apply_due = models.DateField("申请期限届满日", null=True, blank=True,
                                 help_text="知道行政行为之日起的复议申请期限(未填知道日期则无)")
    applied_on = models.DateField("申请日期")
    received_on = models.DateField("收到申请日期")
    request = models.TextField("申请请求")
    grounds = models.TextField("事实和理由")
    status = models.CharField("状态", max_length=12, choices=STATUSES, default=REVIEWING)
    procedure_kind = models.CharField("审理程序", max_length=8, choices=PROCEDURE_KINDS, blank=True)
    correction_notice_on = models.DateField("补正通知日期", null=True, blank=True)
    correction_notice_late = models.BooleanField("补正通知逾期", null=True, blank=True)
    correction_received_on = models.DateField("收到补正材料日期", null=True, blank=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    copy_sent_on = models.DateField("发送副本日期", null=True, blank=True)
    copy_received_on = models.DateField("被申请人收到副本日期", null=True, blank=True)
    reply_on = models.DateField("被申请人答复日期", null=True, blank=True)
    hearing_on = models.DateField("听证日期", null=True, blank=True)
    hearing_place = models.CharField("听证地点", max_length=200, blank=True)
    hearing_planned_on = models.DateField("拟听证日期", null=True, blank=True)
    hearing_notice_on = models.DateField("听证通知日期", null=True, blank=True)
    hearing_notice_due = models.DateField("最迟通知日", null=True, blank=True)
    hearing_notice_late = models.BooleanField("听证通知逾期", null=True, blank=True)
    leader_attended = models.BooleanField("被申请人负责人参加听证", null=True, blank=True)
    leader_name = models.CharField("参加听证的负责人", max_length=60, blank=True)
    leader_post = models.CharField("负责人职务", max_length=60, blank=True)
    leader_absence_reason = models.CharField("负责人未参加的原因", max_length=500, blank=True)
    outcome = models.CharField("结果", max_length=16, choices=OUTCOMES, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    facts = models.TextField("查明事实", blank=True)
    reasoning = models.TextField("决定理由", blank=True)
    decision_late = models.BooleanField("超过审理期限", null=True, blank=True)
    ended_on = models.DateField("结案日期", null=True, blank=True)
    end_reason = models.CharField("结案原因", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    history = history()
    objects = ReconsiderationQuerySet.as_manager()
    # The history page names the parties as people read them (陈某某(自然人)), not as stored rows.
    history_formatters = {
        "applicants": lambda rows: _parties_text(rows),
        "third_parties": lambda rows: _parties_text(rows),
    }

    class Meta:
        verbose_name = "行政复议案件"
        verbose_name_plural = "行政复议案件"
        ordering = ["-received_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["number_year", "number_seq"], name="reconsideration_number_once"),
                       models.CheckConstraint(condition=Q(received_on__gte=models.F("applied_on")),
                                              name="reconsideration_received_after_applied")]
        indexes = [models.Index(fields=["unit", "received_on"], name="reconsideration_unit_received"),
                   models.Index(fields=["status", "received_on"], name="reconsideration_status"),
                   models.Index(fields=["decided_on"], name="reconsideration_decided")]

    def __str__(self) -> str:
        return f"{self.number} {self.applicant_names} 诉 {self.unit.name if self.unit_id else ''}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("reconsideration-detail", args=[self.pk])

    @property
    def applicant_names(self) -> str:
        return "、".join(a.get("name", "") for a in self.applicants or [])

    @property
    def title(self) -> str:
        return f"{self.number} {self.applicant_names}"


# Case acts outside the step chain (append-only: a correction is a new act).
CORRECTION_RECEIVED, WITHDRAW, SUSPEND, RESUME, EXTEND, TERMINATE_ACT = (
    "correction_received", "withdraw", "suspend", "resume", "extend", "terminate")
SCHEDULE_HEARING, HEARING_NOTICE_SENT = "schedule_hearing", "hearing_notice"
ACT_KINDS = [(CORRECTION_RECEIVED, "收到补正材料"), (WITHDRAW, "视为撤回"), (SUSPEND, "中止"), (RESUME, "恢复审理"),
             (EXTEND, "延长审理期限"), (TERMINATE_ACT, "终止"),
             (SCHEDULE_HEARING, "安排听证"), (HEARING_NOTICE_SENT, "送达听证通知")]


class ReconsiderationAct(AppendOnlyModel):
    case = models.ForeignKey(Reconsideration, verbose_name="案件", on_delete=models.PROTECT, related_name="acts")
    unit = models.ForeignKey("org.Unit", verbose_name="被申请人", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("事项", max_length=24, choices=ACT_KINDS)
    on = models.DateField("日期")
    reason = models.CharField("法定事由", max_length=24, blank=True)
    note = models.TextField("说明", blank=True)
    data = models.JSONField("内容", default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT,
                              related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "行政复议案件事项"
        verbose_name_plural = "行政复议案件事项"
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"

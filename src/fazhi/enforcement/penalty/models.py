"""行政处罚 cases (工作方案 五(一)3–4; 行政处罚法 2021): a case of one unit (the unit of its enforcement subject —
the scoping field), on the procedure `penalty` (普通程序: 立案 → 调查取证 → 告知 → 听证 → 法制审核 → 决定 → 送达 →
执行 → 结案) or `penalty_simple` (当场处罚, 第51条). Its clocks are stored clocks driven by services.py; `status`,
`certified`, `hearing_notified`, `major` and the payments' surcharge are written by the services from rules.py
only."""

from django.conf import settings
from django.db import models

from fazhi.core.models import AppendOnlyModel, VersionedModel, VoidableModel, history
from fazhi.core.scoping import ScopedQuerySet
from fazhi.enforcement.review import LegalReviewFields

__all__ = ["PenaltyCase", "PenaltyOfficer", "PenaltyPayment", "PenaltyAct"]

# 行政处罚法 第9条: the kinds of penalty — THE codes (S's major-decision catalogue offers them from here).
PENALTY_MEASURES = [
    ("warning", "警告"), ("fine", "罚款"), ("confiscate_income", "没收违法所得"),
    ("confiscate_property", "没收非法财物"), ("suspend_licence", "暂扣许可证件"),
    ("lower_qualification", "降低资质等级"), ("revoke_licence", "吊销许可证件"),
    ("limit_production", "限制开展生产经营活动"), ("order_stop", "责令停产停业"), ("order_close", "责令关闭"),
    ("limit_practice", "限制从业"), ("detention", "行政拘留"), ("other", "法律、行政法规规定的其他行政处罚"),
]
MEASURE_LABELS = dict(PENALTY_MEASURES)

GENERAL, SIMPLE = "general", "simple"
PROCEDURE_KINDS = [(GENERAL, "普通程序"), (SIMPLE, "简易程序(当场处罚)")]

PERSON, LEGAL, OTHER_ORG = "person", "legal", "other"
PARTY_KINDS = [(PERSON, "自然人"), (LEGAL, "法人"), (OTHER_ORG, "非法人组织")]

SOURCES = [("inspection", "检查发现"), ("complaint", "投诉举报"), ("assigned", "上级交办"), ("transfer", "部门移送"),
           ("other", "其他")]

# Status, written only by the services (list, filter, API and ledger read this field).
INVESTIGATING, INVESTIGATED, NOTIFIED, HEARING, DECIDED, SERVED, EXECUTED, CLOSED = (
    "investigating", "investigated", "notified", "hearing", "decided", "served", "executed", "closed")
STATUSES = [(INVESTIGATING, "调查取证中"), (INVESTIGATED, "待告知"), (NOTIFIED, "已告知"), (HEARING, "听证程序中"),
            (DECIDED, "已决定待送达"), (SERVED, "已送达执行中"), (EXECUTED, "执行完毕待结案"), (CLOSED, "已结案")]
STATUS_LABELS = dict(STATUSES)

# 结案: how the execution ended (罚款 paid, or otherwise ended as the law allows).
PERFORMED, ENFORCEMENT, EXEMPTED, TERMINATED = "performed", "enforcement", "exempted", "terminated"
UNDONE_CLOSE = "revoked"
CLOSE_OUTCOMES = [(PERFORMED, "履行完毕"), (ENFORCEMENT, "申请人民法院强制执行(第72条第1款第4项)"),
                  (EXEMPTED, "依法减免罚款(第66条、第72条第2款)"),
                  (TERMINATED, "终结执行(当事人死亡无遗产、终止无承受人等)"),
                  (UNDONE_CLOSE, "决定已撤销(或被确认无效),不再执行")]

# 决定被撤销/变更/确认违法 (行政处罚法 第75条; 行政复议法 第63–66条; 行政诉讼法 第70条、第74条、第77条).
# 确认无效 (第48条第2款; 行政诉讼法 第75条): void from the start, so — like a revoked one — no longer executed.
REVOKED, CHANGED, CONFIRMED_ILLEGAL, CONFIRMED_VOID = "revoked", "changed", "confirmed_illegal", "confirmed_void"
UNDONE_KINDS = [(REVOKED, "决定被撤销"), (CHANGED, "决定被变更"), (CONFIRMED_ILLEGAL, "决定被确认违法"),
                (CONFIRMED_VOID, "决定被确认无效")]
UNDONE_ENDS = frozenset({REVOKED, CONFIRMED_VOID})

LEAD, ASSIST = "lead", "assist"
OFFICER_ROLES = [(LEAD, "主办"), (ASSIST, "协办")]


def _mask(value: str) -> str:
    from fazhi.core.masking import mask_text

    return mask_text(value or "")


class PenaltyCaseQuerySet(ScopedQuerySet):
    def decided(self):
        return self.filter(decided_on__isnull=False)


class PenaltyCase(LegalReviewFields, VersionedModel):
    unit = models.ForeignKey("org.Unit", verbose_name="办案单位", on_delete=models.PROTECT, related_name="+")
    procedure_kind = models.CharField("程序", max_length=8, choices=PROCEDURE_KINDS, default=GENERAL)
    subject = models.ForeignKey("enforcement.EnforcementSubject", verbose_name="执法主体", on_delete=models.PROTECT,
                                related_name="+")
    key_area = models.ForeignKey("org.KeyArea", verbose_name="执法领域", on_delete=models.PROTECT, related_name="+")
    number_year = models.PositiveSmallIntegerField("案号年份")
    number_seq = models.PositiveIntegerField("案号序号")
    number = models.CharField("案号", max_length=120)  # the organ's name may stand in for its 代字 (gongwen)
    source = models.CharField("案件来源", max_length=12, choices=SOURCES, default="inspection")
    party_name = models.CharField("当事人", max_length=100)
    party_kind = models.CharField("当事人类型", max_length=8, choices=PARTY_KINDS, default=PERSON)
    party_id_number = models.CharField("身份证件号码或统一社会信用代码", max_length=40, blank=True)
    party_address = models.CharField("住所或地址", max_length=200, blank=True)
    party_phone = models.CharField("联系电话", max_length=40, blank=True)
    cause = models.CharField("案由", max_length=200)
    found_on = models.DateField("发现日期")
    filed_on = models.DateField("立案日期")
    facts = models.TextField("违法事实", blank=True)
    evidence = models.TextField("证据摘要", blank=True)
    basis_violation = models.TextField("违法依据", blank=True)
    basis_penalty = models.TextField("处罚依据", blank=True)
    # The penalty: proposed at 告知, confirmed (never heavier) at 决定.
    measures = models.JSONField("处罚种类", default=list, blank=True)
    fine_amount = models.DecimalField("罚款金额(元)", max_digits=14, decimal_places=2, null=True, blank=True)
    confiscation_amount = models.DecimalField("没收金额(元)", max_digits=14, decimal_places=2, null=True, blank=True)
    status = models.CharField("状态", max_length=14, choices=STATUSES, default=INVESTIGATING)
    investigated_on = models.DateField("调查终结日期", null=True, blank=True)
    notified_on = models.DateField("告知日期", null=True, blank=True)
    hearing_qualifies = models.BooleanField("拟处罚适用听证", null=True, blank=True)
    hearing_notified = models.BooleanField("告知书载明听证权利", null=True, blank=True)
    hearing_requested_on = models.DateField("当事人要求听证日期", null=True, blank=True)
    hearing_planned_on = models.DateField("拟听证日期", null=True, blank=True)
    hearing_place = models.CharField("听证地点", max_length=200, blank=True)
    hearing_notice_on = models.DateField("听证通知日期", null=True, blank=True)
    hearing_notice_due = models.DateField("听证通知最迟日", null=True, blank=True)
    hearing_on = models.DateField("听证日期", null=True, blank=True)
    hearing_host = models.ForeignKey("enforcement.Officer", verbose_name="听证主持人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    seized_on = models.DateField("查封扣押日期(首次)", null=True, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decision_year = models.PositiveSmallIntegerField("决定书年份", null=True, blank=True)
    decision_seq = models.PositiveIntegerField("决定书序号", null=True, blank=True)
    decision_number = models.CharField("决定书文号", max_length=120, blank=True)
    decision_late = models.BooleanField("超过办案期限", null=True, blank=True)
    late_reason = models.CharField("超期作出决定的理由", max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="决定录入人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    remedy_notice = models.TextField("救济途径告知", blank=True)
    served_on = models.DateField("送达日期", null=True, blank=True)
    executed_on = models.DateField("执行完毕日期", null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    decision_undone_on = models.DateField("决定被撤销/变更/确认违法日期", null=True, blank=True)
    decision_undone_kind = models.CharField("决定被撤销/变更/确认违法", max_length=20, choices=UNDONE_KINDS, blank=True)
    decision_undone_basis = models.CharField("撤销/变更/确认违法的文书", max_length=200, blank=True)
    refund_amount = models.DecimalField("应退还罚款(元)", max_digits=14, decimal_places=2, null=True, blank=True)
    seizure_count = models.PositiveSmallIntegerField("查封扣押次数", default=0)
    enforced_count = models.PositiveSmallIntegerField("行政机关强制执行次数", default=0)
    close_outcome = models.CharField("结案情形", max_length=12, choices=CLOSE_OUTCOMES, blank=True)
    close_note = models.CharField("结案说明", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    history = history()
    objects = PenaltyCaseQuerySet.as_manager()
    # The history shows personal data masked, whoever reads it (the case page shows it to those who act).
    history_formatters = {"party_id_number": lambda v: _mask(v), "party_phone": lambda v: _mask(v),
                          "party_address": lambda v: (v[:6] + "****") if v else ""}

    class Meta:
        verbose_name = "行政处罚案件"
        verbose_name_plural = "行政处罚案件"
        ordering = ["-filed_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["unit", "number_year", "number_seq"], name="penalty_number_once")]
        indexes = [models.Index(fields=["unit", "filed_on"], name="penalty_unit_filed"),
                   models.Index(fields=["status", "filed_on"], name="penalty_status"),
                   models.Index(fields=["key_area", "filed_on"], name="penalty_key_area"),
                   models.Index(fields=["subject", "filed_on"], name="penalty_subject"),
                   models.Index(fields=["decided_on"], name="penalty_decided"),
                   # The list's order and the overview's groups, flat at 1M cases (bench/bench_enforcement.py).
                   models.Index(fields=["-filed_on", "-id"], name="penalty_newest"),
                   models.Index(fields=["unit", "status"], name="penalty_unit_status"),
                   models.Index(fields=["key_area", "status"], name="penalty_key_area_status")]

    def __str__(self) -> str:
        return f"{self.number} {self.party_name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("penalty-detail", args=[self.pk])

    @property
    def title(self) -> str:
        return f"{self.number} {self.cause}"

    @property
    def measures_text(self) -> str:
        return "、".join(MEASURE_LABELS.get(m, m) for m in self.measures or []) or "—"


class PenaltyOfficer(VersionedModel):
    """An officer on a case (承办人员). `certified`: held a valid certificate on the case's filing date — written
    by the service from subjects.rules (the officer.certified rate reads it)."""

    case = models.ForeignKey(PenaltyCase, verbose_name="案件", on_delete=models.PROTECT, related_name="officers")
    unit = models.ForeignKey("org.Unit", verbose_name="办案单位", on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey("enforcement.Officer", verbose_name="执法人员", on_delete=models.PROTECT,
                                related_name="+")
    role = models.CharField("分工", max_length=8, choices=OFFICER_ROLES, default=ASSIST)
    added_on = models.DateField("承办日期")
    certified = models.BooleanField("立案日持有效执法证件")
    certificate_number = models.CharField("执法证号", max_length=40, blank=True)
    removed_on = models.DateField("调离日期", null=True, blank=True)
    removed_reason = models.CharField("调离原因", max_length=300, blank=True)

    history = history()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "行政处罚承办人员"
        verbose_name_plural = "行政处罚承办人员"
        ordering = ["case", "role", "id"]
        indexes = [models.Index(fields=["unit", "case"], name="penalty_officer_unit")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.officer_id}"


BANK, ELECTRONIC, ON_THE_SPOT = "bank", "electronic", "on_the_spot"
CHANNELS = [(BANK, "指定银行"), (ELECTRONIC, "电子支付"), (ON_THE_SPOT, "当场收缴")]


class PenaltyPayment(VersionedModel, VoidableModel):
    """A payment of the fine (罚缴分离, 第67条): recorded from the designated bank's or the electronic payment's
    receipt, or — only for the reasons of 第68条/第69条 — collected on the spot and handed over within
    `penalty.hand_over_cash`. `surcharge` (加处罚款, 第72条) is written by the service from rules.surcharge."""

    case = models.ForeignKey(PenaltyCase, verbose_name="案件", on_delete=models.PROTECT, related_name="payments")
    unit = models.ForeignKey("org.Unit", verbose_name="办案单位", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField("缴纳罚款(元)", max_digits=14, decimal_places=2)
    surcharge = models.DecimalField("加处罚款(元)", max_digits=14, decimal_places=2, default=0)
    paid_on = models.DateField("缴款日期")
    channel = models.CharField("缴款渠道", max_length=12, choices=CHANNELS)
    receipt_number = models.CharField("缴款凭证号", max_length=60, blank=True)
    payee = models.CharField("收款银行或支付平台", max_length=100, blank=True)
    spot_reason = models.CharField("当场收缴事由", max_length=20, blank=True)
    handed_over_on = models.DateField("上缴日期", null=True, blank=True)
    handover_receipt = models.CharField("上缴银行回单号", max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    history = history()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "罚款缴纳记录"
        verbose_name_plural = "罚款缴纳记录"
        ordering = ["case", "paid_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.amount} {self.paid_on}"


# Case acts outside the step chain (append-only).
OFFICER_ADDED, OFFICER_REMOVED, HEARING_REQUESTED, HEARING_SCHEDULED, HEARING_NOTICE_SENT, PAYMENT, HANDOVER = (
    "officer_added", "officer_removed", "hearing_request", "hearing_schedule", "hearing_notice", "payment",
    "handover")
PAYMENT_VOIDED, SEIZURE, DECISION_UNDONE = "payment_void", "seizure", "decision_undone"
SEIZURE_END, ENFORCED = "seizure_end", "enforce"
ACT_KINDS = [(OFFICER_ADDED, "增加承办人员"), (OFFICER_REMOVED, "调离承办人员"), (HEARING_REQUESTED, "当事人要求听证"),
             (HEARING_SCHEDULED, "安排听证"), (HEARING_NOTICE_SENT, "送达听证通知"), (PAYMENT, "登记缴款"),
             (HANDOVER, "当场收缴罚款上缴"), (PAYMENT_VOIDED, "作废缴款记录"), (SEIZURE, "查封扣押"),
             (DECISION_UNDONE, "决定被撤销/变更/确认违法"), (SEIZURE_END, "解除查封扣押或作出处理决定"),
             (ENFORCED, "行政机关强制执行")]


class PenaltyAct(AppendOnlyModel):
    case = models.ForeignKey(PenaltyCase, verbose_name="案件", on_delete=models.PROTECT, related_name="acts")
    unit = models.ForeignKey("org.Unit", verbose_name="办案单位", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("事项", max_length=20, choices=ACT_KINDS)
    on = models.DateField("日期")
    note = models.TextField("说明", blank=True)
    # The act's own facts: 查封扣押 {"place", "items"}; 决定被撤销等 {"kind", "document"}.
    detail = models.JSONField("事项内容", default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT,
                              related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "行政处罚案件事项"
        verbose_name_plural = "行政处罚案件事项"
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"

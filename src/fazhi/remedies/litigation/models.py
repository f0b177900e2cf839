"""行政应诉 (plan 五(一)7; 行政诉讼法): a case in which a district unit is the defendant (被告), on the
procedure `litigation` (答辩举证 → 裁判 → 上诉 → 二审裁判 → 生效), its hearings (庭审, several per case:
who appeared for the unit), the judgments or rulings of each instance, and the accountability record
opened when a case is lost because the unit did not answer on time or did not appear.

`unit` (the defendant) is the scoping field of every model here. The facts a rate or list needs (answered,
on time, lost, appeared) are written by the services only, each from the one rule in rules.py."""

from django.conf import settings
from django.db import models

from fazhi.core.models import VersionedModel, history
from fazhi.core.scoping import ScopedQuerySet

__all__ = ["Litigation", "Hearing", "Judgment", "LitigationAccountability"]

FIRST, SECOND, RETRIAL = "first", "second", "retrial"
INSTANCES = [(FIRST, "一审"), (SECOND, "二审"), (RETRIAL, "再审")]
INSTANCE_LABELS = dict(INSTANCES)

PERSON, LEGAL_PERSON, ORGANISATION = "person", "legal_person", "organisation"
PARTY_KINDS = [(PERSON, "自然人"), (LEGAL_PERSON, "法人"), (ORGANISATION, "非法人组织")]
PARTY_KIND_LABELS = dict(PARTY_KINDS)

# A case's status, kept by the services after every act (rules.status_of decides it).
ANSWERING, TRIAL, JUDGED, APPEAL, EFFECTIVE = "answering", "trial", "judged", "appeal", "effective"
STATUSES = [(ANSWERING, "待答辩举证"), (TRIAL, "审理中"), (JUDGED, "已裁判待生效"), (APPEAL, "二审中"),
            (EFFECTIVE, "已生效")]
STATUS_LABELS = dict(STATUSES)

JUDGMENT, RULING, MEDIATION_DOC = "judgment", "ruling", "mediation"
JUDGMENT_KINDS = [(JUDGMENT, "判决"), (RULING, "裁定"), (MEDIATION_DOC, "调解书")]

# Results of a judgment or ruling (行政诉讼法 第69–78条, 第89条). Which are lost: rules.lost_of.
DISMISS_CLAIMS, REVOKE, PARTLY_REVOKE, CONFIRM_ILLEGAL, CONFIRM_VOID, ORDER_PERFORM, MODIFY, COMPENSATE = (
    "dismiss_claims", "revoke", "partly_revoke", "confirm_illegal", "confirm_void", "order_perform", "modify",
    "compensate")
WITHDRAWN, DISMISS_SUIT, MEDIATED, UPHELD = "withdrawn", "dismiss_suit", "mediated", "upheld"
RESULTS = [
    (DISMISS_CLAIMS, "驳回诉讼请求"), (REVOKE, "撤销(含责令重作)"), (PARTLY_REVOKE, "部分撤销"),
    (CONFIRM_ILLEGAL, "确认违法"), (CONFIRM_VOID, "确认无效"), (ORDER_PERFORM, "责令履行"), (MODIFY, "变更"),
    (COMPENSATE, "判决赔偿或补偿"), (WITHDRAWN, "准予撤诉"), (DISMISS_SUIT, "驳回起诉"), (MEDIATED, "调解结案"),
    (UPHELD, "驳回上诉、维持原裁判(二审)"),
]
RESULT_LABELS = dict(RESULTS)

# 败诉原因 (a lost case records at least one).
NO_ANSWER, NO_APPEARANCE = "no_answer", "no_appearance"
LOSS_CAUSES = [
    (NO_ANSWER, "未按期答辩举证"), (NO_APPEARANCE, "未出庭应诉"), ("facts", "事实不清、证据不足"),
    ("law", "适用法律、法规错误"), ("procedure", "违反法定程序"), ("authority", "超越职权或滥用职权"),
    ("unreasonable", "明显不当"), ("duty", "不履行或拖延履行法定职责"), ("other", "其他"),
]
LOSS_CAUSE_LABELS = dict(LOSS_CAUSES)

APPELLANTS = [("unit", "本单位"), ("plaintiff", "原告"), ("both", "双方"), ("third_party", "第三人")]
APPELLANT_LABELS = dict(APPELLANTS)


class LitigationQuerySet(ScopedQuerySet):
    pass


class Litigation(VersionedModel):
    """One administrative lawsuit against a district unit (the defendant: `unit`)."""

    unit = models.ForeignKey("org.Unit", verbose_name="被告单位", on_delete=models.PROTECT, related_name="+")
    court = models.CharField("受理法院", max_length=100)
    case_number = models.CharField("案号", max_length=60)
    cause = models.CharField("案由", max_length=200)
    court_level = models.CharField("审级", max_length=8, choices=INSTANCES, default=FIRST)
    plaintiffs = models.JSONField("原告", default=list)  # [{"name", "kind"}]
    third_parties = models.JSONField("第三人", default=list, blank=True)  # [{"name", "kind"}]
    act_name = models.CharField("被诉行政行为", max_length=200)
    act_number = models.CharField("行政行为文书号", max_length=100, blank=True)
    act_date = models.DateField("行政行为作出日期", null=True, blank=True)
    after_reconsideration = models.BooleanField("经行政复议后起诉", default=False)
    reconsideration_number = models.CharField("行政复议案号", max_length=100, blank=True)
    received_on = models.DateField("收到起诉状副本和应诉通知书日期")
    note = models.TextField("备注", blank=True)
    status = models.CharField("状态", max_length=12, choices=STATUSES, default=ANSWERING)
    # Kept from the step acts (the step records hold the same facts; these are for lists, rates and exports).
    answered_on = models.DateField("答辩举证日期", null=True, blank=True)
    answer_on_time = models.BooleanField("按期答辩举证", null=True, blank=True)  # as the clock decided
    appealed_by = models.CharField("上诉人", max_length=12, choices=APPELLANTS, blank=True)
    appealed_on = models.DateField("上诉日期", null=True, blank=True)
    appeal_court = models.CharField("二审法院", max_length=100, blank=True)
    appeal_number = models.CharField("二审案号", max_length=60, blank=True)
    result = models.CharField("生效裁判结果", max_length=16, choices=RESULTS, blank=True)
    lost = models.BooleanField("败诉", null=True, blank=True)  # rules.lost_of, never typed
    loss_causes = models.JSONField("败诉原因", default=list, blank=True)
    loss_note = models.TextField("败诉原因说明", blank=True)
    effective_on = models.DateField("裁判生效日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    history = history()
    objects = LitigationQuerySet.as_manager()
    history_formatters = {
        "plaintiffs": lambda rows: "、".join(p.get("name", "") for p in rows or []) or "—",
        "third_parties": lambda rows: "、".join(p.get("name", "") for p in rows or []) or "—",
        "loss_causes": lambda codes: "、".join(LOSS_CAUSE_LABELS.get(c, c) for c in codes or []) or "—",
    }

    class Meta:
        verbose_name = "行政应诉案件"
        verbose_name_plural = "行政应诉案件"
        ordering = ["-received_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["court", "case_number"], name="litigation_number_once")]
        indexes = [models.Index(fields=["unit", "received_on"], name="litigation_unit_received"),
                   models.Index(fields=["received_on", "id"], name="litigation_received"),
                   models.Index(fields=["status", "received_on"], name="litigation_status")]

    def __str__(self) -> str:
        return f"{self.case_number} {self.cause}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("litigation-detail", args=[self.pk])

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def plaintiff_names(self) -> str:
        return "、".join(p.get("name", "") for p in self.plaintiffs)

    @property
    def third_party_names(self) -> str:
        return "、".join(p.get("name", "") for p in self.third_parties)

    @property
    def loss_cause_labels(self) -> str:
        return "、".join(LOSS_CAUSE_LABELS.get(c, c) for c in self.loss_causes)

    @property
    def answer_label(self) -> str:
        from fazhi.remedies.litigation import rules

        return rules.ANSWER_LABELS[rules.answer_state(self)]


TRIAL_HEARING, PRE_TRIAL, INQUIRY, MEDIATION_SESSION, OTHER_SESSION = (
    "trial", "pre_trial", "inquiry", "mediation", "other")
HEARING_KINDS = [(TRIAL_HEARING, "开庭审理"), (PRE_TRIAL, "庭前会议"), (INQUIRY, "调查询问"),
                 (MEDIATION_SESSION, "调解"), (OTHER_SESSION, "其他")]

HEAD, DEPUTY = "head", "deputy"
LEADER_POSTS = [(HEAD, "正职负责人"), (DEPUTY, "副职负责人")]
LEADER_POST_LABELS = dict(LEADER_POSTS)

# 负责人不能出庭的正当理由 (最高人民法院关于行政机关负责人出庭应诉若干问题的规定 第8条).
ABSENCE_REASONS = [
    ("force_majeure", "不可抗力"), ("accident", "意外事件"), ("official_duty", "需要履行他人不能代替的公务"),
    ("other", "其他无法出庭的正当事由"),
]
ABSENCE_REASON_LABELS = dict(ABSENCE_REASONS)


class Hearing(VersionedModel):
    """One court session of a case (庭审) and who appeared for the defendant unit. `appeared` and
    `leader_appeared` are written by the services from rules.appearance (one rule), for the rates."""

    litigation = models.ForeignKey(Litigation, verbose_name="案件", on_delete=models.PROTECT, related_name="hearings")
    unit = models.ForeignKey("org.Unit", verbose_name="被告单位", on_delete=models.PROTECT, related_name="+")
    court_level = models.CharField("审级", max_length=8, choices=INSTANCES, default=FIRST)
    held_on = models.DateField("庭审日期")
    kind = models.CharField("庭审类型", max_length=12, choices=HEARING_KINDS, default=TRIAL_HEARING)
    notice_received = models.BooleanField("收到出庭通知书", default=False)
    notice_on = models.DateField("出庭通知书收到日期", null=True, blank=True)
    leader_name = models.CharField("出庭负责人", max_length=40, blank=True)
    leader_post = models.CharField("负责人职务", max_length=8, choices=LEADER_POSTS, blank=True)
    leader_title = models.CharField("负责人职务名称", max_length=60, blank=True)  # e.g. 副局长
    staff = models.JSONField("出庭工作人员", default=list, blank=True)  # names
    lawyers = models.JSONField("出庭律师", default=list, blank=True)  # names
    absence_reason = models.CharField("负责人未出庭理由", max_length=16, choices=ABSENCE_REASONS, blank=True)
    absence_note = models.TextField("负责人未出庭情况说明", blank=True)
    appeared = models.BooleanField("本单位出庭", default=False)
    leader_appeared = models.BooleanField("负责人出庭", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    history = history()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "庭审"
        verbose_name_plural = "庭审"
        ordering = ["held_on", "id"]
        indexes = [models.Index(fields=["unit", "held_on"], name="lit_hearing_unit_held"),
                   models.Index(fields=["litigation", "held_on"], name="lit_hearing_case")]

    def __str__(self) -> str:
        return f"{self.litigation.case_number} {self.get_kind_display()} {self.held_on}"

    def get_absolute_url(self) -> str:
        return self.litigation.get_absolute_url() + f"#hearing-{self.pk}"

    @property
    def leader_label(self) -> str:
        if not self.leader_name:
            return ""
        return f"{self.leader_name}({self.leader_title or LEADER_POST_LABELS.get(self.leader_post, '')})"


class Judgment(models.Model):
    """A judgment or ruling of one instance, entered through the `judgment` / `appeal_judgment` step
    (its document is the step record's attachment). `lost` from rules.lost_of, never typed."""

    litigation = models.ForeignKey(Litigation, verbose_name="案件", on_delete=models.PROTECT, related_name="judgments")
    unit = models.ForeignKey("org.Unit", verbose_name="被告单位", on_delete=models.PROTECT, related_name="+")
    court_level = models.CharField("审级", max_length=8, choices=INSTANCES)
    kind = models.CharField("裁判类型", max_length=12, choices=JUDGMENT_KINDS)
    decided_on = models.DateField("裁判日期")
    result = models.CharField("裁判结果", max_length=16, choices=RESULTS)
    lost = models.BooleanField("败诉")
    loss_causes = models.JSONField("败诉原因", default=list, blank=True)
    loss_note = models.TextField("败诉原因说明", blank=True)
    step_record = models.ForeignKey("procedures.StepRecord", verbose_name="办理记录", on_delete=models.PROTECT,
                                    related_name="+")
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "裁判"
        verbose_name_plural = "裁判"
        ordering = ["decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_court_level_display()}{self.get_kind_display()}:{self.get_result_display()}"

    @property
    def loss_cause_labels(self) -> str:
        return "、".join(LOSS_CAUSE_LABELS.get(c, c) for c in self.loss_causes)


ACC_OPEN, ACC_CLOSED = "open", "closed"
ACC_STATUSES = [(ACC_OPEN, "追究中"), (ACC_CLOSED, "已办结")]


class LitigationAccountability(VersionedModel):
    """败诉责任追究: opened by the service in the same transaction as the 生效 of a case lost because the unit
    did not answer on time or did not appear; the leaders responsible (name, post) are named by the unit or
    the office before the office alone closes it with the result."""

    litigation = models.OneToOneField(Litigation, verbose_name="案件", on_delete=models.PROTECT,
                                      related_name="accountability")
    unit = models.ForeignKey("org.Unit", verbose_name="被告单位", on_delete=models.PROTECT, related_name="+")
    grounds = models.JSONField("情形", default=list)  # codes of NO_ANSWER / NO_APPEARANCE
    facts = models.TextField("事实")
    people = models.JSONField("责任领导", default=list, blank=True)  # [{"name", "post"}]
    status = models.CharField("状态", max_length=8, choices=ACC_STATUSES, default=ACC_OPEN)
    opened_on = models.DateField("启动日期")
    result = models.TextField("处理结果", blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办结人", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    history = history()
    objects = ScopedQuerySet.as_manager()
    history_formatters = {
        "people": lambda rows: "、".join(f"{p.get('name', '')}({p.get('post', '')})" for p in rows or []) or "—",
        "grounds": lambda codes: "、".join(LOSS_CAUSE_LABELS.get(c, c) for c in codes or []) or "—",
    }

    class Meta:
        verbose_name = "败诉责任追究"
        verbose_name_plural = "败诉责任追究"
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["status", "opened_on"], name="lit_acc_status")]

    def __str__(self) -> str:
        return f"{self.litigation.case_number} 败诉责任追究"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("litigation-accountability", args=[self.pk])

    @property
    def grounds_label(self) -> str:
        return "、".join(LOSS_CAUSE_LABELS.get(g, g) for g in self.grounds)

    @property
    def people_label(self) -> str:
        return "、".join(f"{p['name']}({p['post']})" for p in self.people)

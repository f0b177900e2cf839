"""执法主体 and 执法人员 (工作方案 五(一)3: 严格执法主体资格, 持证上岗、亮证执法): who may enforce, on which
legal basis and powers, after the office's qualification review and a public announcement; the officers and
their certificates (a certificate per issue, so a past case is judged by the certificate valid on its date);
the acts found done without a legal basis, kept until corrected; and each unit's catalogue of major
enforcement decisions (重大执法决定法制审核目录).

`unit` is the scoping field of every model here. Whether a subject may act and whether an officer holds a
valid certificate on a date are rules.py's, once."""

from django.conf import settings
from django.db import models

from fazhi.core.models import VersionedModel, history
from fazhi.core.scoping import ScopedQuerySet

__all__ = ["EnforcementSubject", "Power", "Officer", "Certificate", "BasislessAct", "MajorDecisionEntry"]

# 执法主体的类别 (行政处罚法 第17–21条; 行政许可法 第22–24条).
STATUTORY, AUTHORISED, ENTRUSTED = "statutory", "authorised", "entrusted"
SUBJECT_KINDS = [(STATUTORY, "法定行政机关"), (AUTHORISED, "法律法规授权的组织"), (ENTRUSTED, "受委托组织")]
SUBJECT_KIND_LABELS = dict(SUBJECT_KINDS)

# 主体资格审查 (by the office).
PENDING, QUALIFIED, UNQUALIFIED, TO_CORRECT = "pending", "qualified", "unqualified", "to_correct"
REVIEW_STATES = [(PENDING, "待审查"), (QUALIFIED, "合格"), (UNQUALIFIED, "不合格"), (TO_CORRECT, "需纠正")]
REVIEW_STATE_LABELS = dict(REVIEW_STATES)

# 职权类别 (权责清单).
PENALTY, LICENCE, INSPECTION, COERCION, COLLECTION, OTHER = (
    "penalty", "licence", "inspection", "coercion", "collection", "other")
POWER_KINDS = [(PENALTY, "行政处罚"), (LICENCE, "行政许可"), (INSPECTION, "行政检查"), (COERCION, "行政强制"),
               (COLLECTION, "行政征收"), (OTHER, "其他行政权力")]
POWER_KIND_LABELS = dict(POWER_KINDS)


class EnforcementSubject(VersionedModel):
    """A body that enforces the law in its own name (or, entrusted, in the entrusting unit's name)."""

    unit = models.ForeignKey("org.Unit", verbose_name="所属单位", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("主体名称", max_length=100)
    kind = models.CharField("主体类别", max_length=12, choices=SUBJECT_KINDS, default=STATUTORY)
    basis = models.TextField("设定依据")  # the law or regulation granting the power (name and article)
    entrusted_by = models.ForeignKey("org.Unit", verbose_name="委托机关", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    entrustment_document = models.CharField("委托书文号", max_length=100, blank=True)
    entrustment_until = models.DateField("委托期限至", null=True, blank=True)
    key_areas = models.ManyToManyField("org.KeyArea", verbose_name="执法领域", blank=True, related_name="+")
    review_status = models.CharField("主体资格审查", max_length=12, choices=REVIEW_STATES, default=PENDING)
    reviewed_on = models.DateField("审查日期", null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审查人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    review_note = models.TextField("审查意见", blank=True)
    announced_on = models.DateField("公告日期", null=True, blank=True)
    announcement_ref = models.CharField("公告文号或网址", max_length=200, blank=True)
    revoked_on = models.DateField("撤销日期", null=True, blank=True)
    revoke_reason = models.TextField("撤销原因", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    history = history()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "执法主体"
        verbose_name_plural = "执法主体"
        ordering = ["unit__sort_order", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="enf_subject_name_once")]
        indexes = [models.Index(fields=["unit", "review_status"], name="enf_subject_unit")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("subject-detail", args=[self.pk])


class Power(VersionedModel):
    """One entry of a subject's 职权清单: a power and the provision that grants it."""

    subject = models.ForeignKey(EnforcementSubject, verbose_name="执法主体", on_delete=models.PROTECT,
                                related_name="powers")
    unit = models.ForeignKey("org.Unit", verbose_name="所属单位", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("职权类别", max_length=12, choices=POWER_KINDS)
    name = models.CharField("职权名称", max_length=200)
    basis = models.TextField("实施依据")
    active = models.BooleanField("有效", default=True)
    deactivated_on = models.DateField("停用日期", null=True, blank=True)
    deactivate_reason = models.TextField("停用原因", blank=True)

    history = history()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "执法职权"
        verbose_name_plural = "执法职权"
        ordering = ["subject", "kind", "id"]

    def __str__(self) -> str:
        return self.name


# 执法证件 status beyond its dates.
CERT_VALID, CERT_SUSPENDED, CERT_REVOKED = "valid", "suspended", "revoked"
CERT_STATUSES = [(CERT_VALID, "有效"), (CERT_SUSPENDED, "暂扣"), (CERT_REVOKED, "注销/吊销")]
CERT_KINDS = [("enforcement", "行政执法证"), ("supervision", "行政执法监督证"), ("sector", "部门执法证件")]
CERT_KIND_LABELS = dict(CERT_KINDS)


class Officer(VersionedModel):
    """A person who enforces for a unit (执法人员). Certificates are kept per issue (Certificate)."""

    unit = models.ForeignKey("org.Unit", verbose_name="所属单位", on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(EnforcementSubject, verbose_name="执法主体", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="officers")
    name = models.CharField("姓名", max_length=40)
    staff_number = models.CharField("工号/编号", max_length=40, blank=True)
    post = models.CharField("职务", max_length=60, blank=True)
    active = models.BooleanField("在岗", default=True)
    left_on = models.DateField("离岗日期", null=True, blank=True)  # the first day no longer on duty
    leave_reason = models.TextField("离岗原因", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    history = history()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "执法人员"
        verbose_name_plural = "执法人员"
        ordering = ["unit__sort_order", "name", "id"]
        indexes = [models.Index(fields=["unit", "name"], name="enf_officer_unit")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("officer-detail", args=[self.pk])


class Certificate(VersionedModel):
    """One issue of an officer's certificate (执法证): valid from `issued_on` to `expires_on` inclusive, unless
    suspended or revoked from `status_since`; reviewed yearly (年审: `reviewed_year` is the last year passed)."""

    officer = models.ForeignKey(Officer, verbose_name="执法人员", on_delete=models.PROTECT,
                                related_name="certificates")
    unit = models.ForeignKey("org.Unit", verbose_name="所属单位", on_delete=models.PROTECT, related_name="+")
    number = models.CharField("证件编号", max_length=40, unique=True)
    kind = models.CharField("证件类型", max_length=12, choices=CERT_KINDS, default="enforcement")
    issued_by = models.CharField("发证机关", max_length=100, blank=True)
    issued_on = models.DateField("发证日期")
    expires_on = models.DateField("有效期至")
    reviewed_year = models.PositiveSmallIntegerField("年审通过年度", null=True, blank=True)
    status = models.CharField("证件状态", max_length=12, choices=CERT_STATUSES, default=CERT_VALID)
    status_since = models.DateField("状态变更日期", null=True, blank=True)
    status_reason = models.TextField("状态变更原因", blank=True)

    history = history()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "执法证件"
        verbose_name_plural = "执法证件"
        ordering = ["officer", "-issued_on", "id"]
        indexes = [models.Index(fields=["officer", "issued_on", "expires_on"], name="enf_cert_officer"),
                   models.Index(fields=["unit", "expires_on"], name="enf_cert_expiry")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return self.officer.get_absolute_url() + f"#cert-{self.pk}"


# The unit records its correction; the office accepts it (closed) or returns it (open again, with the reason).
ACT_OPEN, ACT_CORRECTED, ACT_ACCEPTED = "open", "corrected", "accepted"
ACT_STATES = [(ACT_OPEN, "待纠正"), (ACT_CORRECTED, "已纠正待确认"), (ACT_ACCEPTED, "已确认纠正")]
ACT_STATE_LABELS = dict(ACT_STATES)


class BasislessAct(VersionedModel):
    """An enforcement act found done without a legal basis (没有合法依据而行使行政执法权), kept on the list until
    the unit records its correction and the office accepts it."""

    unit = models.ForeignKey("org.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(EnforcementSubject, verbose_name="执法主体", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    acting_body = models.CharField("实施机构", max_length=100)  # may be a body that is no subject at all
    act = models.TextField("执法行为")
    found_on = models.DateField("发现日期")
    found_by = models.CharField("发现途径", max_length=100, blank=True)
    status = models.CharField("纠正状态", max_length=12, choices=ACT_STATES, default=ACT_OPEN)
    corrected_on = models.DateField("纠正日期", null=True, blank=True)
    correction = models.TextField("纠正情况", blank=True)
    accepted_on = models.DateField("确认日期", null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    return_reason = models.TextField("退回理由", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    history = history()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "无合法依据执法行为"
        verbose_name_plural = "无合法依据执法行为"
        ordering = ["status", "-found_on", "-id"]
        indexes = [models.Index(fields=["unit", "status"], name="enf_basisless_unit")]

    def __str__(self) -> str:
        return f"{self.acting_body} {self.found_on}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("subject-basisless-detail", args=[self.pk])


# What makes a decision major (重大执法决定): a measure, or a fine from an amount, per unit's catalogue.
DECISION_KINDS = [(PENALTY, "行政处罚"), (LICENCE, "行政许可"), (COERCION, "行政强制"), (OTHER, "其他")]
DECISION_KIND_LABELS = dict(DECISION_KINDS)


class MajorDecisionEntry(VersionedModel):
    """One line of a unit's catalogue of major enforcement decisions that need the legal review
    (重大执法决定法制审核目录, 国办发〔2018〕118号). A decision is major when it applies one of `measures`
    (codes of the penalty or licence measures) or, for a fine, when the amount reaches `amount_from`."""

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    decision_kind = models.CharField("决定类别", max_length=12, choices=DECISION_KINDS, default=PENALTY)
    title = models.CharField("事项", max_length=200)
    measures = models.JSONField("处理措施", default=list, blank=True)
    amount_from = models.DecimalField("罚没款金额起点(元)", max_digits=14, decimal_places=2, null=True,
                                      blank=True)
    basis = models.TextField("依据", blank=True)
    active = models.BooleanField("有效", default=True)

    history = history()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "重大执法决定目录"
        verbose_name_plural = "重大执法决定目录"
        ordering = ["unit__sort_order", "decision_kind", "id"]

    def __str__(self) -> str:
        return self.title

"""行政许可 (工作方案 五(一)4: 严格依照法定条件和程序实施行政许可): the register of licensing items (许可事项, each set
by a law, administrative regulation or local regulation — 许可法定, 行政许可法 第4条、第14–17条 — and published:
许可公示, 第30条) and the licence cases, each on the procedure `licence` (收件 → 受理 → 审查 → 决定 → 发证 → 办结)
with its clocks kept by services.py. `unit` is the scoping field; `status` is written by the services only."""

import uuid

from django.conf import settings
from django.db import models

from fazhi.core.models import AppendOnlyModel, VersionedModel, history
from fazhi.core.scoping import ScopedQuerySet
from fazhi.enforcement.review import LegalReviewFields

__all__ = ["LicenceItem", "LicenceCase", "LicenceCaseAct"]

# 行政许可法 第14–17条: who may set a licence. 部门规章 and 规范性文件 may not (第17条).
LAW, ADMIN_REGULATION, LOCAL_REGULATION, PROVINCIAL_RULE = "law", "admin_regulation", "local_regulation", "provincial_rule"
BASIS_KINDS = [(LAW, "法律"), (ADMIN_REGULATION, "行政法规(含国务院决定)"), (LOCAL_REGULATION, "地方性法规"),
               (PROVINCIAL_RULE, "省级政府规章(临时性行政许可)")]

ITEM_DRAFT, ITEM_PUBLISHED, ITEM_WITHDRAWN = "draft", "published", "withdrawn"
ITEM_STATUSES = [(ITEM_DRAFT, "草稿"), (ITEM_PUBLISHED, "已公布"), (ITEM_WITHDRAWN, "已停止实施")]


def _public_key() -> str:
    return uuid.uuid4().hex


class LicenceItem(VersionedModel):
    """One 许可事项 of a unit's licensing list, as published (行政许可法 第30条: 依据、条件、数量、程序、期限、材料目录、
    收费). The statutory period is the catalogue's `licence.decide` (shown, never typed); `promised_days` is the
    unit's shorter 承诺时限."""

    unit = models.ForeignKey("org.Unit", verbose_name="实施单位", on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey("enforcement.EnforcementSubject", verbose_name="实施主体", on_delete=models.PROTECT,
                                related_name="licence_items")
    code = models.CharField("事项编码", max_length=40)
    name = models.CharField("事项名称", max_length=200)
    basis_kind = models.CharField("设定依据类别", max_length=20, choices=BASIS_KINDS)
    basis = models.TextField("设定依据", help_text="法律、法规名称及条款,如《中华人民共和国食品安全法》第三十五条")
    conditions = models.TextField("许可条件")
    quantity_limit = models.CharField("数量限制", max_length=300, blank=True, help_text="无数量限制的留空")
    procedure = models.TextField("办理程序")
    promised_days = models.PositiveSmallIntegerField("承诺办理时限(工作日)", null=True, blank=True)
    materials = models.TextField("申请材料目录", help_text="每行一项")
    fee_charged = models.BooleanField("收费", default=False)
    fee_amount = models.CharField("收费标准", max_length=300, blank=True)
    fee_basis = models.CharField("收费依据", max_length=300, blank=True)
    status = models.CharField("状态", max_length=12, choices=ITEM_STATUSES, default=ITEM_DRAFT)
    published_on = models.DateField("公布日期", null=True, blank=True)
    withdrawn_on = models.DateField("停止实施日期", null=True, blank=True)
    withdraw_reason = models.TextField("停止实施原因", blank=True)
    public_key = models.CharField(max_length=32, unique=True, default=_public_key, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    history = history()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "行政许可事项"
        verbose_name_plural = "行政许可事项"
        ordering = ["unit__sort_order", "code", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="licence_item_code_once")]
        indexes = [models.Index(fields=["status", "unit"], name="licence_item_status")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("licence-item-detail", args=[self.pk])

    @property
    def materials_list(self) -> list[str]:
        return [line.strip() for line in self.materials.splitlines() if line.strip()]


# Case status, written only by the services.
RECEIVED, CORRECTING, REVIEWING, DECIDED, NOT_ACCEPTED, CLOSED, WITHDRAWN = (
    "received", "correcting", "reviewing", "decided", "not_accepted", "closed", "withdrawn")
STATUSES = [(RECEIVED, "待受理"), (CORRECTING, "补正中"), (REVIEWING, "审查中"), (DECIDED, "已决定"),
            (NOT_ACCEPTED, "不予受理"), (CLOSED, "已办结"), (WITHDRAWN, "申请人撤回")]
ENDED = (NOT_ACCEPTED, CLOSED, WITHDRAWN)

# 听证 (行政许可法 第46–48条): why the case is heard.
HEARING_STATUTORY, HEARING_PUBLIC, HEARING_REQUESTED = "statutory", "public_interest", "requested"
HEARING_KINDS = [(HEARING_STATUTORY, "法律、法规、规章规定应当听证(第46条)"),
                 (HEARING_PUBLIC, "涉及公共利益的重大许可事项,本机关认为需要听证(第46条)"),
                 (HEARING_REQUESTED, "直接涉及申请人与他人之间重大利益关系,申请人、利害关系人申请听证(第47条)")]

GRANT, DENY = "grant", "deny"
OUTCOMES = [(GRANT, "准予许可"), (DENY, "不予许可")]
# The same codes as the publication of decisions (publication.models.PARTY_KINDS), for masking.
APPLICANT_KINDS = [("person", "自然人(含个体工商户)"), ("legal_person", "法人"), ("organisation", "非法人组织")]


def _mask(value: str) -> str:
    from fazhi.core.masking import mask_text

    return mask_text(value or "")


class LicenceCase(LegalReviewFields, VersionedModel):
    unit = models.ForeignKey("org.Unit", verbose_name="实施单位", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(LicenceItem, verbose_name="许可事项", on_delete=models.PROTECT, related_name="cases")
    subject = models.ForeignKey("enforcement.EnforcementSubject", verbose_name="实施主体", on_delete=models.PROTECT,
                                related_name="licence_cases")
    number_year = models.PositiveSmallIntegerField("编号年份")
    number_seq = models.PositiveIntegerField("编号序号")
    number = models.CharField("申请编号", max_length=120)  # 机关代字 (up to a unit's full name) + 许申〔年〕N号
    applicant_name = models.CharField("申请人", max_length=100)
    applicant_kind = models.CharField("申请人类型", max_length=16, choices=APPLICANT_KINDS, default="legal_person")
    applicant_code = models.CharField("证件号码或统一社会信用代码", max_length=40, blank=True)
    applicant_contact = models.CharField("联系方式", max_length=100, blank=True)
    matter = models.TextField("申请事项")
    received_on = models.DateField("收到申请材料日期")
    status = models.CharField("状态", max_length=14, choices=STATUSES, default=RECEIVED)
    correction_notice_on = models.DateField("补正告知日期", null=True, blank=True)
    correction_materials = models.TextField("需补正的全部内容", blank=True)
    correction_notice_late = models.BooleanField("补正告知逾期", null=True, blank=True)
    correction_received_on = models.DateField("收到补正材料日期", null=True, blank=True)
    deemed_accepted = models.BooleanField("视为受理(第32条)", default=False)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    not_accepted_reason = models.TextField("不予受理理由", blank=True)
    reviewed_on = models.DateField("审查完成日期", null=True, blank=True)
    inspected = models.BooleanField("现场核查", default=False)
    inspection_on = models.DateField("核查日期", null=True, blank=True)
    inspection_place = models.CharField("核查地点", max_length=200, blank=True)
    inspection_officers = models.CharField("核查人员", max_length=200, blank=True)
    # Who inspected, as picked (Officer ids of the case's unit) with the certificate valid that day: [{id, name,
    # certificate}] — kept as they were, so the record shows who even after an officer leaves or a renewal.
    inspection_officer_data = models.JSONField("核查人员(编号、姓名、执法证号)", default=list, blank=True)
    hearing_kind = models.CharField("听证事由", max_length=16, choices=HEARING_KINDS, blank=True)
    hearing_right_on = models.DateField("告知听证权利日期", null=True, blank=True)
    hearing_requested_on = models.DateField("申请听证日期", null=True, blank=True)
    hearing_requested_by = models.CharField("听证申请人", max_length=200, blank=True)
    hearing_notice_on = models.DateField("听证通知日期", null=True, blank=True)
    hearing_on = models.DateField("听证日期", null=True, blank=True)
    hearing_place = models.CharField("听证地点", max_length=200, blank=True)
    hearing_host = models.ForeignKey("enforcement.Officer", verbose_name="听证主持人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    hearing_host_name = models.CharField("听证主持人姓名", max_length=60, blank=True)
    hearing_held_on = models.DateField("举行听证日期", null=True, blank=True)
    hearing_record = models.TextField("听证笔录要点", blank=True)
    extended = models.BooleanField("已延长决定期限", default=False)
    outcome = models.CharField("决定", max_length=8, choices=OUTCOMES, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decision_number = models.CharField("决定书文号", max_length=120, blank=True)
    decision_reason = models.TextField("决定理由", blank=True)
    remedy_notice = models.TextField("救济途径告知", blank=True)
    decision_late = models.BooleanField("超过决定期限", null=True, blank=True)
    late_reason = models.CharField("超期作出决定的理由", max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="决定录入人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    certificate_number = models.CharField("许可证件编号", max_length=60, blank=True)
    certificate_issued_on = models.DateField("颁发送达日期", null=True, blank=True)
    certificate_valid_from = models.DateField("有效期自", null=True, blank=True)
    certificate_valid_until = models.DateField("有效期至", null=True, blank=True)
    certificate_late = models.BooleanField("发证逾期", null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    withdrawn_on = models.DateField("撤回申请日期", null=True, blank=True)
    withdraw_reason = models.TextField("撤回申请理由", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    history = history()
    objects = ScopedQuerySet.as_manager()
    # The change history is read by every role that sees the case: personal data in it is always masked.
    history_formatters = {"applicant_code": lambda v: _mask(v), "applicant_contact": lambda v: _mask(v)}

    class Meta:
        verbose_name = "行政许可案件"
        verbose_name_plural = "行政许可案件"
        ordering = ["-received_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["unit", "number_year", "number_seq"], name="licence_case_number_once")]
        indexes = [models.Index(fields=["unit", "received_on"], name="licence_case_unit_received"),
                   models.Index(fields=["status", "received_on"], name="licence_case_status"),
                   models.Index(fields=["item", "received_on"], name="licence_case_item"),
                   models.Index(fields=["decided_on"], name="licence_case_decided"),
                   models.Index(fields=["correction_notice_on"], name="licence_case_notice"),
                   # The list's order and the overview's groups, flat at 1M cases (bench/bench_enforcement.py).
                   models.Index(fields=["-received_on", "-id"], name="licence_case_newest"),
                   models.Index(fields=["unit", "status"], name="licence_case_unit_status")]

    def __str__(self) -> str:
        return f"{self.number} {self.applicant_name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("licence-detail", args=[self.pk])

    @property
    def title(self) -> str:
        return f"{self.number} {self.applicant_name}"


# Case acts outside the step chain (append-only).
MATERIALS_RECEIVED, EXTEND, WITHDRAW = "materials_received", "extend", "withdraw"
HEARING_RIGHT, HEARING_REQUEST, HEARING_NOTICE, HEARING_HELD = (
    "hearing_right", "hearing_request", "hearing_notice", "hearing_held")
ACT_KINDS = [(MATERIALS_RECEIVED, "收到补正材料"), (EXTEND, "延长决定期限"), (WITHDRAW, "申请人撤回申请"),
             (HEARING_RIGHT, "告知听证权利"), (HEARING_REQUEST, "收到听证申请"), (HEARING_NOTICE, "通知听证"),
             (HEARING_HELD, "举行听证")]


class LicenceCaseAct(AppendOnlyModel):
    case = models.ForeignKey(LicenceCase, verbose_name="案件", on_delete=models.PROTECT, related_name="acts")
    unit = models.ForeignKey("org.Unit", verbose_name="实施单位", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("事项", max_length=24, choices=ACT_KINDS)
    on = models.DateField("日期")
    note = models.TextField("说明", blank=True)
    data = models.JSONField("内容", default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT,
                              related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "行政许可案件事项"
        verbose_name_plural = "行政许可案件事项"
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"

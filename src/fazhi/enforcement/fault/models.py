"""行政执法过错责任追究和赔偿 (工作方案 五(一)3–4; 国家赔偿法): a record linking a penalty or licence case and its
officers to the fault found, each officer's responsibility type, the sanction decided and any state compensation
paid (with its document). The later assessment counts these: unit, year (found_on), responsibility type,
sanction and compensation are plain, indexed fields.

`unit` (the case's unit) is the scoping field. `status`, the sanction and the compensation are written by
services.py only."""

from django.conf import settings
from django.db import models

from fazhi.core.models import VersionedModel, VoidableModel, VoidableQuerySet, history

__all__ = ["FaultRecord"]

# How the fault came to light.
SOURCES = [("inspection", "执法监督检查"), ("complaint", "投诉举报"), ("reconsideration", "行政复议"),
           ("litigation", "行政诉讼"), ("assessment", "评议考核"), ("other", "其他")]
SOURCE_LABELS = dict(SOURCES)

# 过错情形 (行政执法过错: 行政处罚法 第76条、行政许可法 第72–74条 name the acts; local 过错责任追究办法 group them).
FAULT_KINDS = [("no_basis", "无法定依据或超越职权"), ("facts", "认定事实不清、证据不足"), ("law", "适用依据错误"),
               ("procedure", "违反法定程序"), ("improper", "处理明显不当或滥用职权"),
               ("inaction", "不履行或拖延履行法定职责"), ("collection", "违反罚缴分离或私分、截留罚没款"),
               ("other", "其他执法过错")]
FAULT_KIND_LABELS = dict(FAULT_KINDS)

DIRECT, LEADERSHIP, JOINT = "direct", "leadership", "joint"
RESPONSIBILITIES = [(DIRECT, "直接责任"), (LEADERSHIP, "领导责任"), (JOINT, "共同责任")]
RESPONSIBILITY_LABELS = dict(RESPONSIBILITIES)

# 追究方式 (公务员法 第62条 处分; 行政机关公务员处分条例 第6条; 组织处理 and 执法证件处理 as local rules provide).
SANCTIONS = [("none", "免予追究"), ("criticism", "批评教育"), ("self_check", "责令书面检查"), ("admonish", "诫勉"),
             ("suspend_certificate", "暂扣执法证件"), ("revoke_certificate", "收回执法证件、调离执法岗位"),
             ("warning", "警告"), ("demerit", "记过"), ("major_demerit", "记大过"), ("demotion", "降级"),
             ("removal", "撤职"), ("expulsion", "开除"), ("judicial", "移送司法机关")]
SANCTION_LABELS = dict(SANCTIONS)

OPEN, DECIDED = "open", "decided"
STATUSES = [(OPEN, "追究中"), (DECIDED, "已作出处理")]
STATUS_LABELS = dict(STATUSES)


class FaultRecord(VersionedModel, VoidableModel):
    """One finding of fault in one case, against its officers. Never deleted: voided with a reason."""

    unit = models.ForeignKey("org.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    penalty_case = models.ForeignKey("enforcement.PenaltyCase", verbose_name="行政处罚案件", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="faults")
    licence_case = models.ForeignKey("enforcement.LicenceCase", verbose_name="行政许可案件", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="faults")
    officers = models.ManyToManyField("enforcement.Officer", verbose_name="责任人员", related_name="faults")
    found_on = models.DateField("认定日期")
    source = models.CharField("发现途径", max_length=16, choices=SOURCES, default="inspection")
    fault_kind = models.CharField("过错情形", max_length=16, choices=FAULT_KINDS)
    fault = models.TextField("过错事实")
    responsibility = models.CharField("责任类型", max_length=12, choices=RESPONSIBILITIES)
    status = models.CharField("状态", max_length=8, choices=STATUSES, default=OPEN)
    sanction = models.CharField("追究方式", max_length=20, choices=SANCTIONS, blank=True)
    sanction_on = models.DateField("处理决定日期", null=True, blank=True)
    sanction_ref = models.CharField("处理决定文号", max_length=100, blank=True)
    sanction_note = models.TextField("处理情况说明", blank=True)
    compensation_paid = models.DecimalField("国家赔偿金额(元)", max_digits=14, decimal_places=2, null=True,
                                            blank=True)
    compensation_on = models.DateField("赔偿支付日期", null=True, blank=True)
    compensation_ref = models.CharField("赔偿决定书文号", max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    history = history()
    objects = VoidableQuerySet.as_manager()

    class Meta:
        verbose_name = "执法过错责任追究"
        verbose_name_plural = "执法过错责任追究"
        ordering = ["-found_on", "-id"]
        constraints = [models.CheckConstraint(
            condition=models.Q(penalty_case__isnull=False, licence_case__isnull=True)
            | models.Q(penalty_case__isnull=True, licence_case__isnull=False), name="fault_one_case")]
        indexes = [models.Index(fields=["unit", "found_on"], name="fault_unit_found"),
                   models.Index(fields=["found_on", "id"], name="fault_found"),
                   models.Index(fields=["responsibility", "found_on"], name="fault_responsibility"),
                   models.Index(fields=["sanction", "found_on"], name="fault_sanction")]

    def __str__(self) -> str:
        return f"{self.case_number} {self.get_fault_kind_display()}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("fault-detail", args=[self.pk])

    @property
    def case(self):
        return self.penalty_case or self.licence_case

    @property
    def case_kind_label(self) -> str:
        return "行政处罚" if self.penalty_case_id else "行政许可"

    @property
    def case_number(self) -> str:
        case = self.case
        return case.number if case is not None else ""

    @property
    def status_label(self) -> str:
        return "已作废" if self.is_voided else STATUS_LABELS.get(self.status, self.status)

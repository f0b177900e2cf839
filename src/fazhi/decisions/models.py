"""Major administrative decisions (重大行政决策, plan 五(一)1; 重大行政决策程序暂行条例): the yearly catalogue
and its adjustments, each decision with its lead unit and decision-maker (谁决策，谁负责) running on the
procedure `decision`, and the accountability records opened when a decision went beyond authority or
against procedure and caused loss."""

from django.conf import settings
from django.db import models

from fazhi.core.models import AppendOnlyModel, AppendOnlyQuerySetMixin, VersionedModel, history
from fazhi.core.scoping import ReferenceQuerySet, ScopedQuerySet

CATALOGUE_DRAFT, CATALOGUE_PUBLISHED = "draft", "published"
CATALOGUE_STATUSES = [(CATALOGUE_DRAFT, "编制中"), (CATALOGUE_PUBLISHED, "已公布")]


class Catalogue(VersionedModel):
    """年度重大行政决策事项目录: one per year, drawn up and published by the office (条例 第10条)."""

    year = models.PositiveIntegerField("年度", unique=True)
    title = models.CharField("目录名称", max_length=200)
    status = models.CharField("状态", max_length=12, choices=CATALOGUE_STATUSES, default=CATALOGUE_DRAFT)
    published_on = models.DateField("公布日期", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="公布人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    note = models.TextField("说明", blank=True)

    history = history()
    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = "年度重大行政决策事项目录"
        verbose_name_plural = "年度重大行政决策事项目录"
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title

    @property
    def published(self) -> bool:
        return self.status == CATALOGUE_PUBLISHED


# A decision's status, kept by the services after every act (rules.status_of decides it).
CATALOGUED, CONSULTING, REVIEWING, TO_DECIDE, DECIDED, REJECTED, PUBLISHED, IMPLEMENTING, EVALUATED, REMOVED = (
    "catalogued", "consulting", "reviewing", "to_decide", "decided", "rejected", "published", "implementing",
    "evaluated", "removed")
STATUSES = [
    (CATALOGUED, "已列入目录"), (CONSULTING, "公众参与、论证评估"), (REVIEWING, "合法性审查"),
    (TO_DECIDE, "待集体讨论决定"), (DECIDED, "已作出决定"), (REJECTED, "决定不予通过"), (PUBLISHED, "已公布"),
    (IMPLEMENTING, "执行中"), (EVALUATED, "已后评估"), (REMOVED, "已调出目录"),
]
STATUS_LABELS = dict(STATUSES)


class DecisionQuerySet(ScopedQuerySet):
    def listed(self):
        """Items of the catalogue (not adjusted out)."""
        return self.exclude(status=REMOVED)


class Decision(VersionedModel):
    """One item of a year's catalogue and the decision made on it. `unit` is the lead unit (决策承办单位):
    the scoping, and the unit that runs the procedure."""

    catalogue = models.ForeignKey(Catalogue, verbose_name="目录", on_delete=models.PROTECT, related_name="decisions")
    seq = models.PositiveIntegerField("序号")
    title = models.CharField("决策事项", max_length=300)
    summary = models.TextField("事项概要", blank=True)
    unit = models.ForeignKey("org.Unit", verbose_name="承办单位", on_delete=models.PROTECT, related_name="+")
    maker = models.CharField("决策机关", max_length=100)
    maker_head = models.CharField("决策机关负责人", max_length=100)
    planned = models.DateField("计划决策时间")
    professional = models.BooleanField("专业性、技术性较强(须专家论证)", default=False)
    stability = models.BooleanField("涉及社会稳定(须风险评估)", default=False)
    hearing = models.BooleanField("拟举行听证", default=False)
    status = models.CharField("状态", max_length=16, choices=STATUSES, default=CATALOGUED)
    # Kept from the step acts (the step records hold the same facts; these are for lists and the public page).
    legality_sent_on = models.DateField("送请合法性审查日期", null=True, blank=True)
    legality_reply_by = models.DateField("要求反馈合法性审查意见日期", null=True, blank=True)
    hearing_on = models.DateField("听证日期", null=True, blank=True)
    hearing_materials_on = models.DateField("听证材料公布日期", null=True, blank=True)
    meeting = models.CharField("决策会议", max_length=200, blank=True)
    meeting_on = models.DateField("会议日期", null=True, blank=True)
    conclusion = models.TextField("决策机关负责人的决定", blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)
    publication_channel = models.CharField("公布途径", max_length=200, blank=True)
    publication_text = models.TextField("公布内容", blank=True)

    history = history()
    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = "重大行政决策"
        verbose_name_plural = "重大行政决策"
        ordering = ["catalogue", "seq"]
        constraints = [models.UniqueConstraint(fields=["catalogue", "seq"], name="decision_seq_once")]
        indexes = [models.Index(fields=["unit", "catalogue", "seq"], name="decision_unit_seq"),
                   models.Index(fields=["catalogue", "status", "seq"], name="decision_status_seq")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("decision-detail", args=[self.pk])

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


ADD, REMOVE, CHANGE = "add", "remove", "change"
CHANGE_KINDS = [(ADD, "调入"), (REMOVE, "调出"), (CHANGE, "变更")]


class AdjustmentQuerySet(AppendOnlyQuerySetMixin, ScopedQuerySet):
    unit_path_lookup = "decision__unit__path"


class Adjustment(AppendOnlyModel):
    """One change of the catalogue (调入 / 调出 / 变更) with its reason; never edited."""

    append_only_message = "目录调整记录只能追加,不能修改或删除"

    decision = models.ForeignKey(Decision, verbose_name="决策事项", on_delete=models.PROTECT, related_name="adjustments")
    kind = models.CharField("调整类型", max_length=8, choices=CHANGE_KINDS)
    reason = models.TextField("调整理由")
    changes = models.JSONField("变更内容", default=dict, blank=True)  # field label -> [before, after]
    after_publication = models.BooleanField("目录公布后调整", default=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="调整人", on_delete=models.PROTECT, related_name="+")
    on = models.DateField("调整日期")
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = AdjustmentQuerySet.as_manager()

    class Meta:
        verbose_name = "目录调整"
        verbose_name_plural = "目录调整"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decision}"


BEYOND_AUTHORITY, AGAINST_PROCEDURE = "beyond_authority", "against_procedure"
GROUNDS = [(BEYOND_AUTHORITY, "超越权限"), (AGAINST_PROCEDURE, "违反程序")]
GROUND_LABELS = dict(GROUNDS)
ACC_OPEN, ACC_CLOSED = "open", "closed"
ACC_STATUSES = [(ACC_OPEN, "追究中"), (ACC_CLOSED, "已办结")]


class Accountability(VersionedModel):
    """谁决策，谁负责: a decision made beyond authority or against procedure that caused loss, and those
    responsible (people and units). Opened by the office or an inspector, closed by the office with the
    result. Scoped by the decision's lead unit."""

    decision = models.ForeignKey(Decision, verbose_name="决策事项", on_delete=models.PROTECT,
                                 related_name="accountabilities")
    unit = models.ForeignKey("org.Unit", verbose_name="承办单位", on_delete=models.PROTECT, related_name="+")
    grounds = models.JSONField("情形", default=list)  # codes of GROUNDS
    facts = models.TextField("事实")
    loss = models.TextField("造成的损失")
    people = models.JSONField("责任人员", default=list)  # [{"name", "post"}]
    units = models.ManyToManyField("org.Unit", verbose_name="责任单位", related_name="+", blank=True)
    status = models.CharField("状态", max_length=8, choices=ACC_STATUSES, default=ACC_OPEN)
    opened_on = models.DateField("立案日期")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="立案人", on_delete=models.PROTECT,
                                  related_name="+")
    result = models.TextField("处理结果", blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办结人", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    history = history()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "决策责任追究"
        verbose_name_plural = "决策责任追究"
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.decision} 责任追究"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("accountability-detail", args=[self.pk])

    @property
    def grounds_label(self) -> str:
        return "、".join(GROUND_LABELS.get(g, g) for g in self.grounds)

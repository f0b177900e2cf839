"""Normative documents (规范性文件, plan 五(一)2): the document on the procedure `normdoc`, its filing
(报备) and filing review (备案审查) on `normdoc.filing`, cleanup campaigns (清理) on `normdoc.cleanup`
and implementation evaluations (实施情况评估). Statuses are written by the services only; what a page
shows is `rules.display_status` (a document past its validity reads 失效 even before `fazhi remind`)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from fazhi.core.models import VersionedModel, history
from fazhi.core.scoping import ScopedQuerySet

# Stored statuses of a document.
DRAFTING, IN_FORCE, AMENDED, REPEALED, EXPIRED, SUSPENDED = (
    "drafting", "in_force", "amended", "repealed", "expired", "suspended")
STATUSES = [(DRAFTING, "起草中"), (IN_FORCE, "有效"), (AMENDED, "已修改"), (REPEALED, "已废止"), (EXPIRED, "失效"),
            (SUSPENDED, "停止执行")]
PUBLISHED_STATUSES = (IN_FORCE, AMENDED, REPEALED, EXPIRED, SUSPENDED)

# The filing's state as the document carries it (for the rates and lists: one table, no join).
FILING_NONE, FILING_PENDING, FILING_RETURNED, FILING_LAWFUL, FILING_PROBLEM, FILING_CORRECTED = (
    "", "pending", "returned", "lawful", "problem", "corrected")
FILING_STATES = [(FILING_NONE, "未报备"), (FILING_PENDING, "已报备待审查"), (FILING_RETURNED, "退回补正"),
                 (FILING_LAWFUL, "审查合法"), (FILING_PROBLEM, "存在问题(纠正中)"), (FILING_CORRECTED, "已纠正")]
ACCEPTED_FILING_STATES = (FILING_LAWFUL, FILING_PROBLEM, FILING_CORRECTED)


def _public_key() -> str:
    return uuid.uuid4().hex


class DocumentQuerySet(ScopedQuerySet):
    def published(self):
        return self.filter(published_on__isnull=False)


class NormativeDocument(VersionedModel):
    unit = models.ForeignKey("org.Unit", verbose_name="起草单位", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("文件名称", max_length=200)
    summary = models.TextField("起草说明", blank=True)
    text = models.TextField("文件内容(草案)", blank=True)
    public_interest = models.BooleanField("涉及公众利益或社会影响面广", default=False,
                                          help_text="勾选后必须公开征求意见(工作方案 五(一)2)")
    business_related = models.BooleanField("与市场主体生产经营密切相关", default=False,
                                           help_text="公开征求意见期不少于30日")
    status = models.CharField("状态", max_length=12, choices=STATUSES, default=DRAFTING)
    stage = models.CharField("当前环节", max_length=40, blank=True)
    number_year = models.PositiveSmallIntegerField("文号年份", null=True, blank=True)
    number_seq = models.PositiveIntegerField("文号序号", null=True, blank=True)
    number = models.CharField("文号", max_length=60, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)
    channel = models.CharField("公布渠道", max_length=100, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True)
    filing_due = models.DateField("报备期限", null=True, blank=True)
    filed_on = models.DateField("报备日期", null=True, blank=True)
    filing_state = models.CharField("备案情况", max_length=12, choices=FILING_STATES, default=FILING_NONE, blank=True)
    filing_returned = models.BooleanField("曾退回补正", default=False)
    public_key = models.CharField(max_length=32, unique=True, default=_public_key, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="起草人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    history = history()
    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "规范性文件"
        verbose_name_plural = "规范性文件"
        ordering = ["-published_on", "-id"]
        constraints = [
            # One 文号 per issuing unit and year (the allocator guarantees it; the database too).
            models.UniqueConstraint(fields=["unit", "number_year", "number_seq"], name="normdoc_number_once",
                                    condition=Q(number_seq__isnull=False)),
        ]
        indexes = [models.Index(fields=["published_on", "id"], name="normdoc_published"),
                   models.Index(fields=["unit", "published_on"], name="normdoc_unit_published")]

    def __str__(self) -> str:
        return f"{self.title}({self.number})" if self.number else self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("normdoc-detail", args=[self.pk])

    @property
    def filed(self) -> bool:
        return self.filed_on is not None

    @property
    def legal_effect(self) -> bool:
        from fazhi.normdocs.rules import legal_effect

        return legal_effect(self)


# Filing review outcomes and problem kinds (有错必纠).
PROBLEM_KINDS = [("ultra_vires", "超越权限"), ("superior_law", "违反上位法"), ("procedure", "程序违法"),
                 ("content", "内容不当"), ("other", "其他")]
CORRECTIONS = [("amend", "修改"), ("repeal", "废止"), ("suspend", "停止执行")]
MATERIALS = [("report", "备案报告"), ("text", "正式文本"), ("explanation", "起草说明"), ("legality", "合法性审查意见")]


class Filing(VersionedModel):
    """The filing (报备) of one published document with the filing body, and its review (备案审查)."""

    document = models.OneToOneField(NormativeDocument, verbose_name="规范性文件", on_delete=models.PROTECT,
                                    related_name="filing")
    unit = models.ForeignKey("org.Unit", verbose_name="报备单位", on_delete=models.PROTECT, related_name="+")
    filed_on = models.DateField("报备日期")
    refiled_on = models.DateField("补正后重新报送日期", null=True, blank=True)
    state = models.CharField("备案审查", max_length=12, choices=FILING_STATES, default=FILING_PENDING)
    returned_count = models.PositiveSmallIntegerField("退回补正次数", default=0)
    review_note = models.TextField("审查意见", blank=True)
    problem_kinds = models.JSONField("问题类型", default=list, blank=True)
    suggestion = models.TextField("处理意见(向区政府提出的书面处理建议)", blank=True)
    suggestion_on = models.DateField("处理意见日期", null=True, blank=True)
    correction = models.CharField("纠正方式", max_length=12, choices=CORRECTIONS, blank=True)
    correction_due = models.DateField("纠正期限", null=True, blank=True)
    corrected_on = models.DateField("纠正日期", null=True, blank=True)
    correction_note = models.TextField("纠正情况", blank=True)

    history = history()
    objects = ScopedQuerySet.as_manager()
    # The history page names problem kinds as people do (超越权限、违反上位法), not by code.
    history_formatters = {"problem_kinds": lambda kinds: "、".join(dict(PROBLEM_KINDS).get(k, k) for k in kinds) or "—"}

    class Meta:
        verbose_name = "规范性文件备案"
        verbose_name_plural = "规范性文件备案"
        ordering = ["-filed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.document.title} 备案"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("filing-detail", args=[self.pk])

    @property
    def problem_labels(self) -> str:
        labels = dict(PROBLEM_KINDS)
        return "、".join(labels.get(k, k) for k in self.problem_kinds)


class FilingMaterial(models.Model):
    """Which of the four required materials an attachment of the filing is (typed attachments)."""

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="materials")
    kind = models.CharField("材料", max_length=12, choices=MATERIALS)
    attachment = models.ForeignKey("core.Attachment", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    unit_path_lookup = "filing__unit__path"

    class Meta:
        verbose_name = "备案材料"
        verbose_name_plural = "备案材料"
        ordering = ["filing", "kind", "-id"]


OPEN, CLOSED = "open", "closed"
CAMPAIGN_STATUSES = [(OPEN, "清理中"), (CLOSED, "已完成并公布")]


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A campaign covers every unit's documents: every role reads it (its items are scoped)."""
        from fazhi.core.scoping import scope_for

        return self if scope_for(user).has_any_role else self.none()


class CleanupCampaign(VersionedModel):
    """A cleanup (清理) of every document in force on `as_of` (每五年一次, or on demand)."""

    title = models.CharField("名称", max_length=200)
    as_of = models.DateField("清理基准日")
    status = models.CharField("状态", max_length=8, choices=CAMPAIGN_STATUSES, default=OPEN)
    closed_on = models.DateField("完成日期", null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT,
                                   related_name="+")
    public_key = models.CharField(max_length=32, unique=True, default=_public_key, editable=False)

    history = history()
    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = "规范性文件清理"
        verbose_name_plural = "规范性文件清理"
        ordering = ["-as_of", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cleanup-detail", args=[self.pk])


KEEP, AMEND, REPEAL, DECLARE_VOID = "keep", "amend", "repeal", "void"
CLEANUP_DECISIONS = [(KEEP, "继续有效"), (AMEND, "修改"), (REPEAL, "废止"), (DECLARE_VOID, "宣布失效")]


class CleanupItem(VersionedModel):
    campaign = models.ForeignKey(CleanupCampaign, on_delete=models.PROTECT, related_name="items")
    document = models.ForeignKey(NormativeDocument, verbose_name="规范性文件", on_delete=models.PROTECT,
                                 related_name="cleanup_items")
    unit = models.ForeignKey("org.Unit", verbose_name="起草单位", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField("清理意见", max_length=8, choices=CLEANUP_DECISIONS, blank=True)
    reason = models.TextField("理由", blank=True)
    reviewer = models.CharField("审查人", max_length=40, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    history = history()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "清理事项"
        verbose_name_plural = "清理事项"
        ordering = ["campaign", "document__unit__sort_order", "document_id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "document"], name="cleanup_item_once")]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.document.title}"


EVALUATION_CONCLUSIONS = [("continue", "继续实施"), ("amend", "建议修改"), ("repeal", "建议废止")]


class Evaluation(VersionedModel):
    """实施情况评估 of a published document."""

    document = models.ForeignKey(NormativeDocument, verbose_name="规范性文件", on_delete=models.PROTECT,
                                 related_name="evaluations")
    unit = models.ForeignKey("org.Unit", verbose_name="评估单位", on_delete=models.PROTECT, related_name="+")
    evaluated_on = models.DateField("评估日期")
    evaluator = models.CharField("评估人(机构)", max_length=100)
    findings = models.TextField("实施情况")
    conclusion = models.CharField("评估结论", max_length=12, choices=EVALUATION_CONCLUSIONS)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT,
                                   related_name="+")

    history = history()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "实施情况评估"
        verbose_name_plural = "实施情况评估"
        ordering = ["-evaluated_on", "-id"]

    def __str__(self) -> str:
        return f"{self.document.title} 实施情况评估({self.evaluated_on})"

"""行政执法决定公示 (国办发〔2018〕118号; 行政处罚法 第48条): one Publication per decision to be published, linked
to its case (penalty, licence, … — a generic link, so every register uses the same one), with the clock of its
rule on this record (so it is on the unit's work list), what the public page shows (masked once, when the case
asks for publication: the real party stays on the case), and its withdrawal.

`unit` (the case's unit) is the scoping field. `state`, `published_late` and the dates are written by
services.py only."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from fazhi.core.models import VersionedModel, history
from fazhi.core.scoping import ScopedQuerySet

__all__ = ["Publication"]

# The rules a publication runs on (deadlines/catalogue.py) and the kind of decision each publishes.
RULE_KINDS = {"penalty.publicize": "penalty", "licence.publicize": "licence", "enforcement.publicize": "other"}
KINDS = [("penalty", "行政处罚决定"), ("licence", "行政许可决定"), ("other", "其他行政执法决定")]
KIND_LABELS = dict(KINDS)
# Withdrawal has a statutory period only for penalty decisions (行政处罚法 第48条第2款); other decisions are
# withdrawn without a clock (none is set by law), but still listed as 待撤回 until done.
WITHDRAW_RULES = {"penalty.publicize": "penalty.withdraw_publication"}

PERSON, LEGAL_PERSON, ORGANISATION = "person", "legal_person", "organisation"
PARTY_KINDS = [(PERSON, "自然人(含个体工商户)"), (LEGAL_PERSON, "法人"), (ORGANISATION, "非法人组织")]
PARTY_KIND_LABELS = dict(PARTY_KINDS)

DUE, PUBLISHED, WITHDRAWING, WITHDRAWN, CANCELLED = "due", "published", "withdrawing", "withdrawn", "cancelled"
STATES = [(DUE, "待公开"), (PUBLISHED, "已公开"), (WITHDRAWING, "待撤回"), (WITHDRAWN, "已撤回"),
          (CANCELLED, "无需公开")]
STATE_LABELS = dict(STATES)
LIVE_STATES = (DUE, PUBLISHED, WITHDRAWING)
# At most one CURRENT publication per case: a changed decision is published again (第48条第1款) while the original
# is still being withdrawn (第48条第2款), so a withdrawing row may stand beside the new one.
CURRENT_STATES = (DUE, PUBLISHED)
# Shown on the public page. A decision changed, revoked or found illegal leaves it at once (WITHDRAWING): the
# portal is ours, and showing a revoked decision harms the party; the withdraw clock then measures the unit's
# taking it down from its other channels (政府网站、公示平台).
PUBLIC_STATES = (PUBLISHED,)

# Clock purposes on the Publication record.
PUBLISH_CLOCK, WITHDRAW_CLOCK = "publish", "withdraw"


def new_public_code() -> str:
    return "p" + secrets.token_hex(7)  # never all digits: public pages carry no number that looks like an id


class PublicationQuerySet(ScopedQuerySet):
    def for_case(self, case):
        return self.filter(content_type=ContentType.objects.get_for_model(case), object_id=str(case.pk))

    def public(self):
        """What the public page lists: published and not withdrawn."""
        return self.filter(state__in=PUBLIC_STATES)


class Publication(VersionedModel):
    """One decision's publication: due from the decision (its rule's clock), published, and withdrawn when the
    decision is changed, revoked, confirmed illegal or void."""

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    case = GenericForeignKey("content_type", "object_id")
    rule = models.CharField("公开期限规则", max_length=64)
    kind = models.CharField("决定类别", max_length=8, choices=KINDS)
    title = models.CharField("标题", max_length=200)
    document_number = models.CharField("决定书文号", max_length=100)
    party_kind = models.CharField("当事人类别", max_length=16, choices=PARTY_KINDS)
    party_masked = models.CharField("当事人(公开)", max_length=200)
    summary_masked = models.TextField("主要内容(公开)")
    decided_on = models.DateField("决定日期", db_index=True)
    state = models.CharField("状态", max_length=12, choices=STATES, default=DUE)
    published_on = models.DateField("公开日期", null=True, blank=True)
    published_late = models.BooleanField("逾期公开", null=True, blank=True)  # as the clock decided
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="公开人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    withdraw_from = models.DateField("应撤回事由发生日期", null=True, blank=True)
    withdraw_reason = models.TextField("撤回原因", blank=True)
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)
    withdrawn_late = models.BooleanField("逾期撤回", null=True, blank=True)
    public_code = models.CharField("公开编号", max_length=16, unique=True, default=new_public_code, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    history = history()
    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = "执法决定公开"
        verbose_name_plural = "执法决定公开"
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"],
                                    condition=models.Q(state__in=CURRENT_STATES), name="publication_one_current_per_case"),
        ]
        indexes = [models.Index(fields=["unit", "decided_on"], name="publication_unit_decided"),
                   # Only partial indexes lead with the state: SQLite (no ANALYZE) would take any index with an equality on
                   # `state` for the public page and sort 870,000 rows instead of reading the one below in order.
                   models.Index(fields=["decided_on"], condition=models.Q(state=DUE), name="publication_due"),
                   models.Index(fields=["content_type", "object_id"], name="publication_case"),
                   # The public page: published (or withdrawing) newest first, read in index order at 1M.
                   models.Index(fields=["-published_on", "-id"], condition=models.Q(state__in=PUBLIC_STATES),
                                name="publication_public_newest")]

    def __str__(self) -> str:
        return f"{self.document_number} {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("publication-detail", args=[self.pk])

    def get_public_url(self) -> str:
        from django.urls import reverse

        return reverse("public-enforcement-decision", args=[self.public_code])

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def withdraw_rule(self) -> str | None:
        return WITHDRAW_RULES.get(self.rule)

"""Reads of normative documents, all through the scoping (`visible_to`), and the public site's (published
documents only, whatever the id guessed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from fazhi.core.errors import InvalidInput
from fazhi.core.filters import FilterError, clean_text, clean_unit_code, in_unit_subtree, query_year
from fazhi.normdocs import rules
from fazhi.normdocs.models import (
    STATUSES, CleanupCampaign, CleanupItem, Filing, FilingMaterial, NormativeDocument, CLOSED,
)


@dataclass
class DocumentFilters:
    q: str = ""
    unit: str = ""
    status: str = ""
    year: int | None = None

    @classmethod
    def parse(cls, query, *, user=None, public_statuses: bool = False) -> DocumentFilters:
        """The list's filters; a value not understood is InvalidInput naming the filter (400), never a 500."""
        try:
            q = clean_text(query.get("q", ""), max_length=100)
        except FilterError as e:
            raise InvalidInput(f"「文件名称或文号」{e}", field="q") from None
        try:  # the public site searches the issuing unit by name (or code); staff pages take a code
            unit = (clean_text(query.get("unit", ""), max_length=32).strip() if public_statuses
                    else clean_unit_code(query.get("unit", "")))
        except FilterError as e:
            raise InvalidInput(f"「单位」{e}", field="unit") from None
        status = (query.get("status") or "").strip()
        allowed = rules.PUBLIC_STATUSES if public_statuses else dict(STATUSES)
        if status and status not in allowed:
            raise InvalidInput(f"「状态」{status[:20]} 无效,可选:{'、'.join(allowed.values())}", field="status")
        year = query_year(query, "year", "年份")
        return cls(q=q, unit=unit, status=status, year=year)

    def apply(self, qs, *, user=None, public: bool = False, today: date | None = None):
        if self.q:
            qs = qs.filter(Q(title__icontains=self.q) | Q(number__icontains=self.q))
        if self.unit:
            if public:
                qs = qs.filter(Q(unit__code=self.unit.upper()) | Q(unit__name__icontains=self.unit)
                               | Q(unit__short_name__icontains=self.unit))
            else:
                qs = in_unit_subtree(qs, user, self.unit, "单位")
        if self.year:
            qs = qs.filter(published_on__year=self.year)
        if self.status:
            qs = qs.filter(rules.public_status_q(self.status, today or rules.today()) if public
                           else Q(status=self.status))
        return qs


def documents(*, user, filters: DocumentFilters):
    qs = NormativeDocument.objects.visible_to(user).select_related("unit")
    return filters.apply(qs, user=user).order_by("-published_on", "-id")


def document_get(*, user, pk: int) -> NormativeDocument | None:
    return NormativeDocument.objects.visible_to(user).select_related("unit", "created_by").filter(pk=pk).first()


def filing_of(doc) -> Filing | None:
    return Filing.objects.filter(document=doc).first()


def filings(*, user, state: str = ""):
    qs = Filing.objects.visible_to(user).select_related("unit", "document")
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-filed_on", "-id")


def filing_get(*, user, pk: int) -> Filing | None:
    return Filing.objects.visible_to(user).select_related("unit", "document", "document__unit").filter(pk=pk).first()


def materials(filing: Filing) -> list[FilingMaterial]:
    return list(FilingMaterial.objects.filter(filing=filing, attachment__voided_at__isnull=True)
                .select_related("attachment").order_by("kind", "-id"))


def campaigns(*, user):
    return CleanupCampaign.objects.visible_to(user).order_by("-as_of", "-id")


def campaign_get(*, user, pk: int) -> CleanupCampaign | None:
    return CleanupCampaign.objects.visible_to(user).filter(pk=pk).first()


def campaign_items(*, user, campaign):
    return (CleanupItem.objects.visible_to(user).filter(campaign=campaign)
            .select_related("document", "unit").order_by("unit__sort_order", "document_id"))


# ---------------------------------------------------------------- the public site


def public_documents(*, filters: DocumentFilters, today: date | None = None):
    """Published documents only (a draft is never listed, whatever the filter)."""
    qs = NormativeDocument.objects.published().select_related("unit")
    return filters.apply(qs, public=True, today=today).order_by("-published_on", "-id")


def public_document(key: str) -> NormativeDocument | None:
    if not (isinstance(key, str) and len(key) == 32 and key.isascii() and key.isalnum()):
        return None
    return NormativeDocument.objects.published().select_related("unit").filter(public_key=key).first()


def public_campaigns():
    return CleanupCampaign.objects.filter(status=CLOSED).order_by("-closed_on", "-id")


def public_campaign(key: str) -> CleanupCampaign | None:
    if not (isinstance(key, str) and len(key) == 32 and key.isascii() and key.isalnum()):
        return None
    return CleanupCampaign.objects.filter(status=CLOSED, public_key=key).first()


def public_campaign_items(campaign):
    return (CleanupItem.objects.filter(campaign=campaign).select_related("document", "document__unit")
            .order_by("document__unit__sort_order", "document_id"))

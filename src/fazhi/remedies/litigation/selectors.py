"""Reads of 行政应诉, every one through the scoping (a defendant unit sees its own cases; office, leaders and
inspectors all), in a constant number of queries per page."""

from __future__ import annotations

from dataclasses import dataclass

from fazhi.core.filters import in_unit_subtree, query_bool, query_choice, query_unit, query_year
from fazhi.remedies.litigation import models as m


@dataclass
class CaseFilters:
    status: str = ""
    unit: str = ""
    year: int | None = None
    lost: bool | None = None

    @classmethod
    def parse(cls, query) -> CaseFilters:
        """The list's (and the ledger's and the API's) filters; a value not understood is InvalidInput naming
        the filter (400), never a 500."""
        return cls(status=query_choice(query, "status", m.STATUSES, "状态"), unit=query_unit(query, "unit", "被告单位"),
                   year=query_year(query, "year", "收案年份"), lost=query_bool(query, "lost", "败诉"))

    def apply(self, qs, *, user):
        qs = in_unit_subtree(qs, user, self.unit, "被告单位")
        if self.status:
            qs = qs.filter(status=self.status)
        if self.year:
            qs = qs.filter(received_on__year=self.year)
        if self.lost is not None:
            qs = qs.filter(lost=True) if self.lost else qs.exclude(lost=True)
        return qs

    def describe(self) -> str:
        parts = []
        if self.unit:
            parts.append(f"被告单位 {self.unit}(含下级)")
        if self.year:
            parts.append(f"{self.year} 年收案")
        if self.status:
            parts.append(f"状态 {m.STATUS_LABELS[self.status]}")
        if self.lost is not None:
            parts.append("败诉" if self.lost else "未败诉")
        return "、".join(parts)


def cases(*, user, filters: CaseFilters | None = None):
    qs = m.Litigation.objects.visible_to(user).select_related("unit")
    if filters is not None:
        qs = filters.apply(qs, user=user)
    return qs.order_by("-received_on", "-id")


def case_get(*, user, pk: int) -> m.Litigation | None:
    return m.Litigation.objects.visible_to(user).select_related("unit", "created_by").filter(pk=pk).first()


def hearings(case) -> list[m.Hearing]:
    return list(case.hearings.order_by("held_on", "id"))


def judgments(case) -> list[m.Judgment]:
    return list(case.judgments.order_by("decided_on", "id"))


def attachments_of(objs) -> dict:
    """Attachments of several records of one model, by pk (one query)."""
    from django.contrib.contenttypes.models import ContentType

    from fazhi.core.models import Attachment

    objs = list(objs)
    if not objs:
        return {}
    found: dict = {o.pk: [] for o in objs}
    for a in (Attachment.objects.active().filter(content_type=ContentType.objects.get_for_model(objs[0]),
                                                   object_id__in=[str(o.pk) for o in objs]).order_by("id")):
        found[int(a.object_id)].append(a)
    return found


def accountabilities(*, user, status: str = ""):
    qs = m.LitigationAccountability.objects.visible_to(user).select_related("litigation", "unit", "closed_by")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-opened_on", "-id")


def accountability_get(*, user, pk: int):
    return accountabilities(user=user).filter(pk=pk).first()


def clocks(obj) -> list:
    from fazhi.deadlines.selectors import record_clocks

    return record_clocks(obj)

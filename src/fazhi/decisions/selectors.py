"""Reads of major decisions, every one through the scoping (a lead unit sees its own; office, leaders and
inspectors all), in a constant number of queries per page."""

from __future__ import annotations


from fazhi.decisions import models as m
from fazhi.decisions import rules

PAGE_SIZE = 50


def catalogues(*, user):
    return m.Catalogue.objects.visible_to(user).order_by("-year")


def catalogue_of_year(*, user, year: int | None):
    """The catalogue of `year`, or the latest when no year is asked."""
    qs = catalogues(user=user)
    return qs.filter(year=year).first() if year else qs.first()


def decisions(*, user, catalogue=None, unit_path: str = "", status: str = ""):
    qs = m.Decision.objects.visible_to(user).select_related("unit", "catalogue")
    if catalogue is not None:
        qs = qs.filter(catalogue=catalogue)
    if unit_path:
        qs = qs.in_subtree(unit_path)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("catalogue__year", "seq", "id")


def decision_get(*, user, pk: int):
    return m.Decision.objects.visible_to(user).select_related("unit", "catalogue").filter(pk=pk).first()


def adjustments(*, user, catalogue=None, decision=None):
    qs = m.Adjustment.objects.visible_to(user).select_related("decision", "actor")
    if catalogue is not None:
        qs = qs.filter(decision__catalogue=catalogue)
    if decision is not None:
        qs = qs.filter(decision=decision)
    return qs.order_by("-id")


def accountabilities(*, user, decision=None):
    qs = m.Accountability.objects.visible_to(user).select_related("decision", "unit", "opened_by", "closed_by")
    if decision is not None:
        qs = qs.filter(decision=decision)
    return qs.prefetch_related("units").order_by("-opened_on", "-id")


def accountability_get(*, user, pk: int):
    return accountabilities(user=user).filter(pk=pk).first()


def clocks(obj) -> list:
    from fazhi.deadlines.selectors import record_clocks

    return record_clocks(obj)


# ---------------------------------------------------------------- the public site


def public_catalogues():
    return m.Catalogue.objects.filter(status=m.CATALOGUE_PUBLISHED).order_by("-year")


def public_catalogue(year: int | None):
    qs = public_catalogues()
    return qs.filter(year=year).first() if year else qs.first()


def public_items(catalogue) -> list[dict]:
    """A published catalogue's items as the public sees them: listed ones with their public status (the
    decision's text once published), no internal fields, no ids."""
    rows = []
    for d in catalogue.decisions.listed().select_related("unit").order_by("seq"):
        published = rules.publicly_published(d)
        rows.append({"seq": d.seq, "title": d.title, "summary": d.summary, "unit": d.unit.name, "maker": d.maker,
                     "planned": d.planned, "status": rules.public_status(d),
                     "flags": [label for flag, label in rules.FLAG_LABELS.items() if getattr(d, flag)],
                     "published_on": d.published_on if published else None,
                     "channel": d.publication_channel if published else "",
                     "text": d.publication_text if published else ""})
    return rows


def public_adjustments(catalogue) -> list[m.Adjustment]:
    """Adjustments made after the catalogue was published (each with its reason)."""
    return list(m.Adjustment.objects.filter(decision__catalogue=catalogue, after_publication=True)
                .select_related("decision").order_by("on", "id"))

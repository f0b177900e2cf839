"""The enforcement overview (执法总览): penalty and licence cases by unit, key area, status and overdue state,
certificates expiring or expired, subjects not yet reviewed or announced. Every figure is a grouped count in the
database through the scoping, so the page costs the same number of queries at 10k or 1M cases; "overdue" is a
case with an open, running clock past its due date (deadlines' stored clocks, the work list's rule)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Q

from fazhi.enforcement.subjects import models as m
from fazhi.enforcement.subjects import rules


def _counts(qs, field: str) -> dict:
    """{(field, status): cases}: one GROUP BY, answered from the index (field, status) without reading the rows."""
    return {(r[field], r["status"]): r["n"] for r in qs.values(field, "status").annotate(n=Count("id")).order_by()}


def _late(qs, fields: list[str], today: date) -> list[dict]:
    """The visible cases with an overdue clock, counted by `fields` + status. Read from the clocks' side
    (deadlines.selectors.overdue_records): the cost follows the overdue clocks, not every case."""
    from fazhi.deadlines.selectors import overdue_records

    return list(qs.filter(pk__in=overdue_records(qs.model, today)).values(*fields, "status")
                .annotate(n=Count("id")).order_by())


def _rows(counts: dict, late: list[dict], field: str, closed: tuple) -> dict:
    """{key: {"total", "open", "late"}}; late counts cases not closed (a closed case's clocks are closed too)."""
    rows: dict = {}
    for (key, status), n in counts.items():
        row = rows.setdefault(key, {"total": 0, "open": 0, "late": 0})
        row["total"] += n
        if status not in closed:
            row["open"] += n
    for r in late:
        if r["status"] not in closed and r[field] in rows:
            rows[r[field]]["late"] += r["n"]
    return rows


def _statuses(counts: dict, late: list[dict], choices, closed: tuple) -> list[tuple]:
    total, overdue = {}, {}
    for (_, status), n in counts.items():
        total[status] = total.get(status, 0) + n
    for r in late:
        if r["status"] not in closed:
            overdue[r["status"]] = overdue.get(r["status"], 0) + r["n"]
    return [(label, total[code], overdue.get(code, 0)) for code, label in choices if code in total]


def cases(user, today: date) -> dict:
    """Cases by unit, by key area (penalty) and by status, with the overdue ones: five grouped queries whatever
    the number of cases (three over the indexes (unit, status) and (key_area, status), two over the overdue
    clocks), instead of a pass over every case per figure."""
    from fazhi.enforcement.licence import models as lm
    from fazhi.enforcement.penalty import models as pm
    from fazhi.org.models import KeyArea, Unit

    penalty = pm.PenaltyCase.objects.visible_to(user)
    licence = lm.LicenceCase.objects.visible_to(user)
    p_closed, l_closed = (pm.CLOSED,), tuple(lm.ENDED)
    p_units, l_units = _counts(penalty, "unit_id"), _counts(licence, "unit_id")
    p_areas = _counts(penalty, "key_area_id")
    p_late, l_late = _late(penalty, ["unit_id", "key_area_id"], today), _late(licence, ["unit_id"], today)

    by_unit = {"penalty": _rows(p_units, p_late, "unit_id", p_closed),
               "licence": _rows(l_units, l_late, "unit_id", l_closed)}
    ids = set(by_unit["penalty"]) | set(by_unit["licence"])
    units = Unit.objects.filter(pk__in=ids).values("id", "code", "name", "sort_order") if ids else []
    unit_rows = [{"code": u["code"], "name": u["name"], "order": u["sort_order"],
                  "penalty": by_unit["penalty"].get(u["id"]), "licence": by_unit["licence"].get(u["id"])}
                 for u in units]
    areas = _rows(p_areas, p_late, "key_area_id", p_closed)
    area_rows = [{"key_area__sort_order": a.sort_order, "key_area__code": a.code, "key_area__name": a.name, **areas[a.pk]}
                 for a in KeyArea.objects.filter(pk__in=list(areas))] if areas else []
    by_status = {"penalty": _statuses(p_units, p_late, pm.STATUSES, p_closed),
                 "licence": _statuses(l_units, l_late, lm.STATUSES, l_closed)}
    return {"by_unit": sorted(unit_rows, key=lambda r: (r["order"], r["code"])),
            "by_area": sorted(area_rows, key=lambda r: (r["key_area__sort_order"], r["key_area__code"])),
            "by_status": by_status,
            "totals": {k: sum(r[1] for r in v) for k, v in by_status.items()},
            "late": {k: sum(r[2] for r in v) for k, v in by_status.items()}}


CERT_LIMIT = 20


def certificates(user, today: date) -> dict:
    """Officers on duty whose certificates are expiring (within rules.EXPIRING_DAYS) or expired/invalid."""
    officers = m.Officer.objects.visible_to(user).filter(active=True)
    out = {}
    for state in (rules.EXPIRING, rules.EXPIRED):
        qs = officers.filter(rules.officer_state_q(state, today))
        out[state] = {"count": qs.count(), "rows": list(
            qs.select_related("unit").prefetch_related("certificates").order_by("unit__sort_order", "name", "id")
            [:CERT_LIMIT])}
        for o in out[state]["rows"]:
            certs = list(o.certificates.all())
            o.cert = rules.valid_certificate(certs, today) or max(certs, key=lambda c: c.expires_on, default=None)
    out["until"] = today + timedelta(days=rules.EXPIRING_DAYS)
    return out


def subjects(user, today: date) -> dict:
    live = m.EnforcementSubject.objects.visible_to(user).filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=today))
    not_reviewed = live.exclude(review_status=m.QUALIFIED)
    not_announced = live.filter(review_status=m.QUALIFIED, announced_on__isnull=True)
    return {"not_reviewed": {"count": not_reviewed.count(),
                             "rows": list(not_reviewed.select_related("unit").order_by("unit__sort_order", "name")[:20])},
            "not_announced": {"count": not_announced.count(),
                              "rows": list(not_announced.select_related("unit").order_by("unit__sort_order",
                                                                                          "name")[:20])},
            "basisless_open": m.BasislessAct.objects.visible_to(user).exclude(status=m.ACT_ACCEPTED).count()}

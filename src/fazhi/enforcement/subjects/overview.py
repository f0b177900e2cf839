"""The enforcement overview (执法总览): penalty and licence cases by unit, key area, status and overdue state,
certificates expiring or expired, subjects not yet reviewed or announced. Every figure is a grouped count in the
database through the scoping, so the page costs the same number of queries at 10k or 1M cases; "overdue" is a
case with an open, running clock past its due date (deadlines' stored clocks, the work list's rule)."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, OuterRef, Q
from django.db.models.functions import Cast

from fazhi.enforcement.subjects import models as m
from fazhi.enforcement.subjects import rules


def _overdue(model, today: date):
    from fazhi.deadlines.models import Deadline

    return Exists(Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=Cast(OuterRef("pk"), output_field=CharField()),
        status=Deadline.OPEN, paused_since__isnull=True, due__lt=today))


def _grouped(qs, fields: list[str], closed: tuple, today: date) -> list[dict]:
    return list(qs.annotate(overdue=_overdue(qs.model, today)).values(*fields).annotate(
        total=Count("id"), open=Count("id", filter=~Q(status__in=closed)),
        late=Count("id", filter=Q(overdue=True) & ~Q(status__in=closed))).order_by(*fields))


def cases(user, today: date) -> dict:
    from fazhi.enforcement.licence import models as lm
    from fazhi.enforcement.penalty import models as pm

    penalty = pm.PenaltyCase.objects.visible_to(user)
    licence = lm.LicenceCase.objects.visible_to(user)
    p_closed, l_closed = (pm.CLOSED,), tuple(lm.ENDED)
    units = {}
    for key, rows in (("penalty", _grouped(penalty, ["unit__sort_order", "unit__code", "unit__name"], p_closed, today)),
                      ("licence", _grouped(licence, ["unit__sort_order", "unit__code", "unit__name"], l_closed,
                                           today))):
        for r in rows:
            row = units.setdefault(r["unit__code"], {"code": r["unit__code"], "name": r["unit__name"],
                                                     "order": r["unit__sort_order"], "penalty": None, "licence": None})
            row[key] = r
    def statuses(qs, choices, closed):
        rows = {r["status"]: r for r in _grouped(qs, ["status"], closed, today)}
        return [(label, rows[code]["total"], rows[code]["late"]) for code, label in choices if code in rows]

    by_status = {"penalty": statuses(penalty, pm.STATUSES, p_closed), "licence": statuses(licence, lm.STATUSES, l_closed)}
    return {"by_unit": sorted(units.values(), key=lambda r: (r["order"], r["code"])),
            "by_area": _grouped(penalty, ["key_area__sort_order", "key_area__code", "key_area__name"], p_closed, today),
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

"""The demo: items of several units (one draft), cases in every state with live clocks, non-trivial rates; running
it twice adds nothing."""

import pytest

from fazhi.core import rates
from fazhi.deadlines.models import Deadline
from fazhi.enforcement.licence import demo, rules, services
from fazhi.enforcement.licence.models import LicenceCase, LicenceItem

pytestmark = pytest.mark.django_db


def test_demo_every_state_and_idempotent(world):
    from fazhi.enforcement.subjects import demo as subjects_demo

    subjects_demo.load()
    made = demo.load()
    assert made and len(demo.load()) == len(made) == LicenceCase.objects.count()
    assert set(LicenceCase.objects.values_list("status", flat=True)) == set(rules.STATUS_LABELS)
    assert {"published", "draft"} == set(LicenceItem.objects.values_list("status", flat=True))
    assert LicenceItem.objects.filter(status="published").values("unit").distinct().count() >= 3
    today = rules.today()
    cases = list(LicenceCase.objects.all())
    assert any(c.deemed_accepted for c in cases) and any(c.extended for c in cases)
    assert any(e.kind == "restart" for c in cases for e in services.clock(c, rules.NOTIFY).events.all())
    overdue = [services.clock(c, rules.DECIDE) for c in cases if c.status == "reviewing"]
    assert any(d.status == Deadline.OPEN and d.due < today for d in overdue if d)
    assert {c.outcome for c in cases if c.outcome} == {"grant", "deny"}
    assert any(c.certificate_number for c in cases) and any(c.outcome == "grant" and not c.certificate_number for c in cases)
    office = world.user("fzb")
    on_time = rates.compute(rates.get("licence.on_time"), office)
    notified = rates.compute(rates.get("licence.notified_once"), office)
    assert (on_time["numerator"], on_time["denominator"]) == (6, 7)
    late = next(c for c in cases if c.decision_late)
    assert late.late_reason and services.clock(late, rules.DECIDE).events.last().reason == late.late_reason
    assert any(c.status == "withdrawn" for c in cases) and any(c.hearing_held_on for c in cases)
    major = next(c for c in cases if c.major)
    assert major.legal_review_on < major.decided_on and major.legal_reviewed_by != major.decided_by
    assert all(c.inspection_officer_data and len(c.inspection_officer_data) == 2 for c in cases if c.inspected)
    reviewed = rates.compute(rates.get("licence.legal_review"), office)
    assert (reviewed["numerator"], reviewed["denominator"]) == (1, 1)
    assert (notified["numerator"], notified["denominator"]) == (2, 3)

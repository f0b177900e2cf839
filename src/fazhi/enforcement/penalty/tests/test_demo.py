"""The demo: every unit with a qualified subject has a case, every state, non-trivial rates; idempotent."""

import pytest

from fazhi.core import rates
from fazhi.enforcement.penalty import demo
from fazhi.enforcement.penalty.models import STATUS_LABELS, PenaltyCase
from fazhi.enforcement.subjects import demo as subjects_demo

pytestmark = pytest.mark.django_db


def test_demo_every_state_and_idempotent(world):
    subjects_demo.load()
    made = demo.load()
    assert len(demo.load()) == len(made) == PenaltyCase.objects.count()
    assert set(PenaltyCase.objects.values_list("status", flat=True)) == set(STATUS_LABELS) - {"investigated"}
    assert PenaltyCase.objects.values("key_area").distinct().count() >= 8
    assert PenaltyCase.objects.filter(procedure_kind="simple", status="served").exists()
    assert any(p.surcharge > 0 for c in PenaltyCase.objects.all() for p in c.payments.all())
    office = world.user("fzb")
    found = {code: rates.compute(rates.get(code), office) for code in
             ("penalty.on_time", "penalty.hearing_notified", "penalty.legal_review", "officer.certified")}
    print({k: (v["numerator"], v["denominator"]) for k, v in found.items()})
    assert found["penalty.on_time"]["numerator"] < found["penalty.on_time"]["denominator"]
    # the catalogue's major case and the heard one (第58条第1款第2项), each reviewed by the office
    assert (found["penalty.legal_review"]["numerator"], found["penalty.legal_review"]["denominator"]) == (2, 2)
    assert (found["penalty.hearing_notified"]["numerator"], found["penalty.hearing_notified"]["denominator"]) == (2, 2)
    assert found["officer.certified"]["value"] == 1.0

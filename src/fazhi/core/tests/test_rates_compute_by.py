"""core.rates.compute_by: a rate grouped by any field of its records, one query, scoped like compute."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.core import rates
from fazhi.remedies.reconsideration.scripted import decide, register, through_reply

pytestmark = pytest.mark.django_db


def test_compute_by_groups_like_compute_by_unit(world):
    office, d01 = world.user("fzb"), world.user("d01")
    for code, outcome in (("D01", "vary"), ("D01", "maintain"), ("D02", "revoke")):
        case = through_reply(register(office, code, received=date(2026, 3, 2)), office, world.user(code.lower()),
                             accepted=date(2026, 3, 3))
        decide(case, office, date(2026, 4, 1), outcome=outcome)
    rate = rates.get("reconsideration.correction")
    with CaptureQueriesContext(connection) as queries:
        by_unit = rates.compute_by(rate, office, field="unit__code")
    assert len(queries) == 1
    assert {k: (v["numerator"], v["denominator"]) for k, v in by_unit.items()} == {"D01": (1, 2), "D02": (1, 1)}
    assert by_unit["D01"]["value"] == 0.5
    assert set(rates.compute_by(rate, d01, field="unit__code")) == {"D01"}  # scoped
    assert rates.compute_by(rate, office, field="unit__code", start=date(2026, 5, 1)) == {}

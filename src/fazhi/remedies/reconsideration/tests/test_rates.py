"""The two rates against hand-counted fixtures: per respondent unit, overall and for a period (by decision date);
终止 and 不予受理 are not decisions."""

from datetime import date

import pytest
from django.urls import reverse

from fazhi.core import rates
from fazhi.remedies.reconsideration import services
from fazhi.remedies.reconsideration.scripted import act, decide, register, through_reply

D = date.fromisoformat
pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(world):
    office = world.user("fzb")
    users = {"D01": world.user("d01"), "D02": world.user("d02")}

    def case(unit, outcome, on, kind="normal"):
        c = through_reply(register(office, unit, received=D("2026-03-02")), office, users[unit],
                          accepted=D("2026-03-03"), kind=kind)
        return decide(c, office, on, outcome)

    case("D01", "vary", D("2026-04-01"))                   # corrected, on time
    case("D01", "maintain", D("2026-04-02"))               # on time
    case("D01", "revoke", D("2026-04-10"), kind="simple")  # corrected, late (simple: due 4/2)
    case("D02", "dismiss", D("2026-05-05"))                # on time
    case("D02", "confirm_illegal", D("2026-05-06"))        # corrected, on time
    ended = through_reply(register(office, "D02", received=D("2026-03-02")), office, users["D02"], accepted=D("2026-03-03"))
    services.terminate(case=ended, actor=office, on=D("2026-04-01"), reason="withdrawn")
    rejected = register(office, "D01", received=D("2026-03-02"))
    act(rejected, office, "accept", on=D("2026-03-03"), outcome="reject", note="不属于行政复议范围")
    return office


def _rate(code, user, **kw):
    return rates.compute(rates.get(code), user, **kw)


def test_overall_and_per_unit(world, decided):
    office = decided
    assert _rate("reconsideration.correction", office) == {"numerator": 3, "denominator": 5, "value": 0.6}
    assert _rate("reconsideration.on_time", office) == {"numerator": 4, "denominator": 5, "value": 0.8}
    d01, d02 = world.unit("D01"), world.unit("D02")
    by_unit = rates.compute_by_unit(rates.get("reconsideration.correction"), office)
    assert (by_unit[d01.pk]["numerator"], by_unit[d01.pk]["denominator"]) == (2, 3)
    assert (by_unit[d02.pk]["numerator"], by_unit[d02.pk]["denominator"]) == (1, 2)
    on_time = rates.compute_by_unit(rates.get("reconsideration.on_time"), office)
    assert (on_time[d01.pk]["numerator"], on_time[d02.pk]["numerator"]) == (2, 2)
    # A respondent unit sees its own figure only.
    assert _rate("reconsideration.on_time", world.user("d02")) == {"numerator": 2, "denominator": 2, "value": 1.0}


def test_period_by_decision_date(world, decided):
    may = {"start": D("2026-05-01"), "end": D("2026-05-31")}
    assert _rate("reconsideration.correction", decided, **may) == {"numerator": 1, "denominator": 2, "value": 0.5}
    april = {"start": D("2026-04-01"), "end": D("2026-04-30")}
    assert _rate("reconsideration.on_time", decided, **april) == {"numerator": 2, "denominator": 3, "value": 2 / 3}


def test_records_pages(world, decided):
    client = world.client("fzb")
    for code in ("reconsideration.correction", "reconsideration.on_time"):
        response = client.get(reverse("rate-records", args=[code]) + "?part=numerator")
        assert response.status_code == 200
        assert "区政复〔2026〕" in response.content.decode()
    body = client.get(reverse("api:rate-detail", args=["reconsideration.correction"]) + "?unit=D01").json()
    assert (body["numerator"], body["denominator"]) == (2, 3)

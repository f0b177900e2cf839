"""The two rates against hand-counted fixtures: per unit, overall and for a period."""

import pytest
from django.urls import reverse

from fazhi.core import rates
from fazhi.enforcement.licence.tests.conftest import D, accept, act, decide, item, register, review

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(world):
    d01, d02 = world.user("d01"), world.user("d02")
    i1, i2 = item(world, "D01"), item(world, "D02")

    def decided(it, user, on, **kw):
        return decide(review(accept(register(world, it), user), user, on=D("2026-03-04")), user, on=on, **kw)

    decided(i1, d01, D("2026-03-20"))                          # on time
    decided(i1, d01, D("2026-03-25"), outcome="deny", reason="不符合条件")  # on time (due 3/31)
    decided(i1, d01, D("2026-05-06"), late_reason="经批准延期")  # late
    decided(i2, d02, D("2026-04-20"), late_reason="经批准延期")  # on time in April? no: late (due 3/31)
    decided(i2, d02, D("2026-03-10"))                          # on time
    accept(register(world, i2), d02)                           # not decided: not counted
    # Notices: D01 one on time, one late; D02 one on time.
    act(register(world, i1), d01, "accept", on=D("2026-03-04"), outcome="correction", note="缺材料")
    act(register(world, i1), d01, "accept", on=D("2026-03-20"), outcome="correction", note="缺材料")
    act(register(world, i2), d02, "accept", on=D("2026-03-05"), outcome="correction", note="缺材料")
    return world.user("fzb")


def _rate(code, user, **kw):
    return rates.compute(rates.get(code), user, **kw)


def test_overall_per_unit_and_period(world, counted):
    office = counted
    assert _rate("licence.on_time", office) == {"numerator": 3, "denominator": 5, "value": 0.6}
    assert _rate("licence.notified_once", office) == {"numerator": 2, "denominator": 3, "value": 2 / 3}
    d01, d02 = world.unit("D01"), world.unit("D02")
    by_unit = rates.compute_by_unit(rates.get("licence.on_time"), office)
    assert (by_unit[d01.pk]["numerator"], by_unit[d01.pk]["denominator"]) == (2, 3)
    assert (by_unit[d02.pk]["numerator"], by_unit[d02.pk]["denominator"]) == (1, 2)
    notified = rates.compute_by_unit(rates.get("licence.notified_once"), office)
    assert (notified[d01.pk]["numerator"], notified[d01.pk]["denominator"]) == (1, 2)
    assert _rate("licence.on_time", world.user("d02")) == {"numerator": 1, "denominator": 2, "value": 0.5}
    march = {"start": D("2026-03-01"), "end": D("2026-03-31")}
    assert _rate("licence.on_time", office, **march) == {"numerator": 3, "denominator": 3, "value": 1.0}


def test_records_pages(world, counted):
    client = world.client("fzb")
    for code in ("licence.on_time", "licence.notified_once"):
        response = client.get(reverse("rate-records", args=[code]) + "?part=denominator")
        assert response.status_code == 200 and "城管局许申〔2026〕" in response.content.decode()
    body = client.get(reverse("api:rate-detail", args=["licence.on_time"]) + "?unit=D01").json()
    assert (body["numerator"], body["denominator"]) == (2, 3)

"""Rates computed from records (fazhi.core.rates) with the programme as first user: hand-counted
fixtures incl. 0/0, per unit and overall, periods, scoping, query counts, and the API."""

from datetime import date

import pytest
from django.db.models import Q
from django.utils import timezone

from fazhi.core import rates
from fazhi.core.scoping import scope_for
from fazhi.core.testing.scoping import ScopedCases
from fazhi.org.models import PLAN_UNIT_KINDS, Unit
from fazhi.programme import demo, rules, selectors, services
from fazhi.programme.demo import programme_dates
from fazhi.programme.models import DONE, Assignment, Task, WorkPlanFiling

JUNE, MARCH = date(2026, 6, 30), date(2026, 3, 31)


@pytest.fixture
def counted(world):
    """D01: 4 assignments, 3 done (one of them due in March); D02: 2, none done; D03: none (0/0)."""
    start, end, phases = programme_dates(timezone.localdate())
    p = services.programme_create(name="比率测试", start=start, end=end, phases=phases, actor=world.user("fzb"))
    rows = [("D01", DONE, JUNE), ("D01", DONE, JUNE), ("D01", "not_started", JUNE), ("D01", DONE, MARCH),
            ("D02", "in_progress", JUNE), ("D02", "not_started", JUNE)]
    for i, (code, status, due) in enumerate(rows):
        task = Task.objects.create(programme=p, code=f"9.{i}", category="测试", title=f"任务{i}", due_kind="date")
        Assignment.objects.create(task=task, unit=world.unit(code), programme=p, category="测试",
                                  status=status, due=due)
    return p


COMPLETION = "programme.completion"


def _compute(world, username, **kw):
    return rates.compute(rates.get(COMPLETION), world.user(username), **kw)


def test_overall_per_unit_and_no_data(counted, world):
    assert _compute(world, "fzb") == {"numerator": 3, "denominator": 6, "value": 0.5}
    by_unit = rates.compute_by_unit(rates.get(COMPLETION), world.user("fzb"))
    assert by_unit == {world.unit("D01").pk: {"numerator": 3, "denominator": 4, "value": 0.75},
                       world.unit("D02").pk: {"numerator": 0, "denominator": 2, "value": 0.0}}
    assert _compute(world, "fzb", unit_path=world.unit("D03").path) == {"numerator": 0, "denominator": 0, "value": None}
    assert rates.display(None) == "—" and rates.display(0.0) == "0.0%" and rates.display(0.75) == "75.0%"


def test_one_programmes_records(counted, world):
    """A second cycle's records count only where the caller asks for them (the 通报 asks per programme)."""
    start, end, phases = programme_dates(timezone.localdate())
    other = services.programme_create(name="第二周期", start=start, end=end, phases=phases, actor=world.user("fzb"))
    task = Task.objects.create(programme=other, code="8.1", category="测试", title="另一周期", due_kind="date")
    Assignment.objects.create(task=task, unit=world.unit("D02"), programme=other, category="测试", status=DONE, due=JUNE)
    assert _compute(world, "fzb", where=Q(programme=counted)) == {"numerator": 3, "denominator": 6, "value": 0.5}
    assert _compute(world, "fzb", where=Q(programme=other)) == {"numerator": 1, "denominator": 1, "value": 1.0}
    rows = selectors.bulletin_by_unit(user=world.user("fzb"), programme=counted, start=date(2026, 1, 1),
                                      end=date(2027, 12, 31))
    assert {r["code"]: (r["done"], r["total"]) for r in rows} == {"D01": (3, 4), "D02": (0, 2)}


def test_period_on_the_due_date(counted, world):
    assert _compute(world, "fzb", start=date(2026, 4, 1)) == {"numerator": 2, "denominator": 5, "value": 0.4}
    assert _compute(world, "fzb", end=MARCH) == {"numerator": 1, "denominator": 1, "value": 1.0}
    assert _compute(world, "fzb", start=MARCH, end=MARCH)["denominator"] == 1  # both ends included
    assert _compute(world, "fzb", end=date(2026, 1, 1))["value"] is None
    by_unit = rates.compute_by_unit(rates.get(COMPLETION), world.user("fzb"), start=date(2026, 4, 1))
    assert by_unit[world.unit("D01").pk]["value"] == pytest.approx(2 / 3)


def test_unit_user_counts_only_its_own(counted, world):
    assert _compute(world, "d01") == {"numerator": 3, "denominator": 4, "value": 0.75}
    assert set(rates.compute_by_unit(rates.get(COMPLETION), world.user("d01"))) == {world.unit("D01").pk}


def test_per_unit_is_one_grouped_query(counted, world, django_assert_num_queries):
    user = world.user("fzb")
    scope_for(user)  # the caller's scope is computed once per request, before any rate
    with django_assert_num_queries(1):
        rates.compute_by_unit(rates.get(COMPLETION), user)
    with django_assert_num_queries(1):
        rates.compute(rates.get(COMPLETION), user, start=date(2026, 4, 1))


def test_tallies_agree_with_the_rate(world):
    """The overview counts from the tallies, a cache of the rule `programme.completion`."""
    p = demo.load()
    user = world.user("fzb")
    today = timezone.localdate()
    totals = selectors.overview_totals(user=user, programme=p, today=today)
    overall = rates.compute(rates.get(COMPLETION), user)
    assert overall["denominator"] > 0 and 0 < overall["numerator"] < overall["denominator"]
    assert (totals["done"], totals["total"]) == (overall["numerator"], overall["denominator"])
    assert totals["rate"] == round(100 * overall["value"], 1)
    by_unit = rates.compute_by_unit(rates.get(COMPLETION), user)
    units = list(selectors.units_with_assignments(user=user, programme=p))
    for unit, row in selectors.overview_by_unit(user=user, programme=p, today=today, units=units):
        assert (row["done"], row["total"]) == (by_unit[unit.pk]["numerator"], by_unit[unit.pk]["denominator"])
    assert len(units) == len(by_unit)


def test_workplan_on_time(world):
    """The demo files every plan unit's work plan except T14 and T15; T10–T12 file 9 days late."""
    p = demo.load()
    must_file = Unit.objects.filter(kind__in=PLAN_UNIT_KINDS, active=True).count()
    result = rates.compute(rates.get("programme.workplan_on_time"), world.user("fzb"))
    assert result == {"numerator": must_file - 5, "denominator": must_file, "value": (must_file - 5) / must_file}
    # The query rule and the per-record rule agree on every filing.
    on_time = set(WorkPlanFiling.objects.filter(rules.filed_on_time_q()).values_list("pk", flat=True))
    for filing in WorkPlanFiling.objects.filter(programme=p):
        assert (filing.pk in on_time) is not rules.filed_late(filing)
    assert rates.compute(rates.get("programme.workplan_on_time"), world.user("fzb"),
                         unit_path=world.unit("T14").path)["value"] == 0.0


# The API

def test_api_list(world):
    body = world.client("d01").get("/api/v1/rates/").json()
    codes = {r["code"]: r for r in body}
    assert set(codes) >= {COMPLETION, "programme.workplan_on_time"}
    assert codes[COMPLETION]["formula"].startswith("完成率 =") and codes[COMPLETION]["basis"]


def test_api_detail(counted, world):
    c = world.client("fzb")
    body = c.get(f"/api/v1/rates/{COMPLETION}/").json()
    assert (body["numerator"], body["denominator"], body["value"]) == (3, 6, 0.5)
    assert body["programme"] == counted.pk  # the current programme by default
    records = f"/rates/{COMPLETION}/records/"
    assert body["numerator_url"] == f"{records}?part=numerator&programme={counted.pk}"
    assert body["denominator_url"] == f"{records}?part=denominator&programme={counted.pk}"
    body = c.get(f"/api/v1/rates/{COMPLETION}/?unit=D01&from=2026-04-01&to=2026-12-31").json()
    assert (body["numerator"], body["denominator"]) == (2, 3)
    assert body["numerator_url"] == (f"{records}?part=numerator&unit=D01&from=2026-04-01&to=2026-12-31"
                                     f"&programme={counted.pk}")
    body = c.get(f"/api/v1/rates/{COMPLETION}/?unit=D03").json()
    assert (body["numerator"], body["denominator"], body["value"]) == (0, 0, None)
    # a unit user: own unit by default; another unit's rate and an unknown unit are the same 404
    d01 = world.client("d01")
    assert d01.get(f"/api/v1/rates/{COMPLETION}/").json()["denominator"] == 4
    other, unknown = (d01.get(f"/api/v1/rates/{COMPLETION}/?unit={code}") for code in ("D02", "NOPE99"))
    assert other.status_code == unknown.status_code == 404
    assert other.json() == unknown.json()  # nothing tells the caller that D02 exists
    assert c.get(f"/api/v1/rates/{COMPLETION}/?unit=NOPE99").status_code == 404  # the office too: one rule


@pytest.mark.parametrize("query, field", [
    ("unit=%E5%8D%95", "unit"), ("unit=A%01", "unit"), ("from=2026-13-01", "from"), ("to=yesterday", "to"),
    ("from=2026-5-1", "from"), ("programme=x1", "programme"), ("programme=999999", "programme"),
])
def test_api_bad_input_is_400_naming_the_field(world, query, field):
    response = world.client("fzb").get(f"/api/v1/rates/{COMPLETION}/?{query}")
    assert response.status_code == 400
    assert field in response.json()["errors"] and response.json()["detail"]


def test_api_period_applies_only_to_rates_with_dates(counted, world):
    c = world.client("fzb")
    body = c.get("/api/v1/rates/programme.workplan_on_time/?from=2026-01-01").json()
    assert body["from"] is None and body["to"] is None  # said, not silently applied
    body = c.get(f"/api/v1/rates/{COMPLETION}/?from=2026-05-01&to=2026-04-01").json()
    assert (body["from"], body["to"], body["denominator"], body["value"]) == ("2026-05-01", "2026-04-01", 0, None)


def test_api_unknown_rate_is_404(world):
    assert world.client("fzb").get("/api/v1/rates/nope/").status_code == 404


class TestRateListApi(ScopedCases):
    url_name = "api:rate-list"
    api = True
    shared = True  # the definitions are the same for every unit

    def url(self, world, unit):
        return "/api/v1/rates/"

    def marker(self, world, unit):
        return COMPLETION


class TestRateDetailApi(ScopedCases):
    url_name = "api:rate-detail"
    api = True

    def url(self, world, unit):
        return f"/api/v1/rates/{COMPLETION}/?unit={unit.code}"

    def marker(self, world, unit):
        return f'"unit":"{unit.code}"'

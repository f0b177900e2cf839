"""The records behind every rate number (core/rates_views.py), rates counted within one programme,
and the overview reading the registry. Hand-counted fixtures, incl. 0/0."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from fazhi.core import rates
from fazhi.core.testing.scoping import ScopedCases
from fazhi.programme import services
from fazhi.programme.demo import programme_dates
from fazhi.programme.models import DONE, Assignment, Task, WorkPlanFiling

JUNE, MARCH = date(2026, 6, 30), date(2026, 3, 31)
COMPLETION, ON_TIME = "programme.completion", "programme.workplan_on_time"
CST = ZoneInfo("Asia/Shanghai")


def _programme(world, name):
    start, end, phases = programme_dates(timezone.localdate())
    return services.programme_create(name=name, start=start, end=end, phases=phases, actor=world.user("fzb"))


def _assign(p, rows, prefix="9"):
    for i, (code, status, due) in enumerate(rows):
        from fazhi.org.models import Unit

        task = Task.objects.create(programme=p, code=f"{prefix}.{i}", category="测试", title=f"任务{prefix}{i}",
                                   due_kind="date")
        Assignment.objects.create(task=task, unit=Unit.objects.get(code=code), programme=p, category="测试",
                                  status=status, due=due)


def _file(world, p, code, filed: date, due: date = date(2026, 4, 30)):
    return WorkPlanFiling.objects.create(
        programme=p, unit=world.unit(code), head_name="甲", head_phone="1", deputy_name="乙", deputy_phone="2",
        due=due, filed_at=datetime.combine(filed, time(23, 30), tzinfo=CST), filed_by=world.user("fzb"))


@pytest.fixture
def two(world):
    """Cycle 1 (old): D01 2 assignments, 1 done; D01 filed late, D02 on time.
    Cycle 2 (current): D01 4 (3 done, one due in March), D02 2 (none done), D03 none (0/0);
    D01 filed on time (23:30 on the due day), D02 late, nobody else."""
    old = _programme(world, "第一周期")
    _assign(old, [("D01", DONE, JUNE), ("D01", "not_started", JUNE)], prefix="1")
    _file(world, old, "D01", date(2026, 5, 3))
    _file(world, old, "D02", date(2026, 4, 1))
    cur = _programme(world, "第二周期")
    _assign(cur, [("D01", DONE, JUNE), ("D01", DONE, JUNE), ("D01", "not_started", JUNE), ("D01", DONE, MARCH),
                  ("D02", "in_progress", JUNE), ("D02", "not_started", JUNE)])
    _file(world, cur, "D01", date(2026, 4, 30))
    _file(world, cur, "D02", date(2026, 5, 1))
    return old, cur


def _api(client, code, query=""):
    r = client.get(f"/api/v1/rates/{code}/?{query}")
    assert r.status_code == 200, r.content
    body = r.json()
    return body["numerator"], body["denominator"], body["value"]


def test_api_counts_the_chosen_programme_only(two, world):
    old, cur = two
    c = world.client("fzb")
    assert _api(c, COMPLETION) == (3, 6, 0.5)  # the current programme by default, not 4/8
    assert _api(c, COMPLETION, f"programme={old.pk}") == (1, 2, 0.5)
    assert _api(c, COMPLETION, f"programme={old.pk}&unit=D02") == (0, 0, None)  # 0/0: no data
    must_file = rates.compute(rates.get(ON_TIME), world.user("fzb"))["denominator"]
    assert must_file > 2
    assert _api(c, ON_TIME) == (1, must_file, 1 / must_file)  # D01 only (D02 filed late in this cycle)
    assert _api(c, ON_TIME, f"programme={old.pk}") == (1, must_file, 1 / must_file)  # D02 only
    assert _api(c, ON_TIME, f"programme={old.pk}&unit=D01")[:2] == (0, 1)
    assert _api(c, ON_TIME, f"programme={cur.pk}&unit=D01") == (1, 1, 1.0)


def test_rates_within_a_programme_core(two, world):
    old, cur = two
    user = world.user("fzb")
    assert rates.compute(rates.get(COMPLETION), user, cycle=cur)["denominator"] == 6
    assert rates.compute(rates.get(COMPLETION), user)["denominator"] == 8  # no cycle: every programme
    by_unit = rates.compute_by_unit(rates.get(ON_TIME), user, cycle=old)
    assert by_unit[world.unit("D02").pk] == {"numerator": 1, "denominator": 1, "value": 1.0}
    assert by_unit[world.unit("D01").pk]["value"] == 0.0


def _page(client, code, query):
    return client.get(f"/rates/{code}/records/?{query}")


def _rows(response) -> list[str]:
    import re

    html = response.content.decode()
    body = html.split('data-testid="records"', 1)[1].split("</table>", 1)[0].split("<tbody>", 1)[1]
    return [re.sub(r"<[^>]+>", " ", tr).split() for tr in body.split("</tr>") if "<td" in tr and "class=\"empty\"" not in tr]


def test_records_behind_the_numbers(two, world):
    old, cur = two
    c = world.client("fzb")
    num = _page(c, COMPLETION, f"part=numerator&programme={cur.pk}")
    assert num.status_code == 200
    rows = _rows(num)
    assert len(rows) == 3 and all(r[-1] == "已完成" for r in rows)
    assert "3 ÷ 6 = 50.0%" in num.content.decode()
    assert f'/programme/assignments/{Assignment.objects.filter(programme=cur).order_by("due", "id")[0].pk}/' \
        in num.content.decode()  # each row opens its record
    den = _page(c, COMPLETION, f"part=denominator&programme={cur.pk}&unit=D01&from=2026-04-01")
    assert len(_rows(den)) == 3 and "2 ÷ 3 = 66.7%" in den.content.decode()
    empty = _page(c, COMPLETION, f"part=denominator&programme={cur.pk}&unit=D03")
    assert _rows(empty) == [] and "0 ÷ 0 = —" in empty.content.decode()
    # the unit rate: units that filed on time in the chosen programme
    on_time = _page(c, ON_TIME, f"part=numerator&programme={old.pk}")
    assert [r[0] for r in _rows(on_time)] == [world.unit("D02").display_name]
    assert "按时" in _rows(on_time)[0][-1] and "/programme/workplans/D02/" in on_time.content.decode()
    late = _page(c, ON_TIME, f"part=denominator&programme={cur.pk}&unit=D02")
    assert _rows(late)[0][-1].endswith("(逾期)")


def test_every_api_link_opens_its_records(two, world):
    c = world.client("fzb")
    for code in (COMPLETION, ON_TIME):
        body = c.get(f"/api/v1/rates/{code}/?unit=D01").json()
        for part in ("numerator", "denominator"):
            page = c.get(body[f"{part}_url"])
            assert page.status_code == 200 and len(_rows(page)) == body[part]


def test_records_are_scoped(two, world):
    d01 = world.client("d01")
    mine = _page(d01, COMPLETION, "part=denominator")
    assert len(_rows(mine)) == 4  # D01's only
    other, unknown = _page(d01, COMPLETION, "unit=D02"), _page(d01, COMPLETION, "unit=NOPE99")
    assert other.status_code == unknown.status_code == 404
    assert "D02" not in other.content.decode()


@pytest.mark.parametrize("query, says", [
    ("part=all", "「part」只能是"), ("from=2026-02-30", "起日"), ("to=soon", "止日"), ("unit=%E5%8D%95", "单位"),
    ("programme=abc", "创建周期"), ("programme=987654", "创建周期"),
])
def test_records_bad_input_is_400_in_chinese(two, world, query, says):
    r = _page(world.client("fzb"), COMPLETION, query)
    assert r.status_code == 400 and says in r.content.decode()


def test_unknown_rate_is_404(world):
    assert world.client("fzb").get("/rates/nope/records/").status_code == 404


@pytest.mark.parametrize("code", [COMPLETION, ON_TIME])
def test_records_page_costs_the_same_at_any_size(world, code):
    """One row or many: the same number of queries (no query per row)."""
    p = _programme(world, "计数")
    _assign(p, [("D01", DONE, JUNE)])
    _file(world, p, "D01", date(2026, 4, 1))
    client = world.client("fzb")

    def queries(query):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/rates/{code}/records/?{query}").status_code == 200
        return len(ctx.captured_queries)

    one = queries("part=numerator")
    _assign(p, [(u, DONE, JUNE) for u in ("D01", "D02", "D03", "D04", "D05", "T01", "T02")] * 4, prefix="7")
    for u in ("D02", "D03", "D04", "D05", "T01", "T02"):
        _file(world, p, u, date(2026, 4, 2))
    many = queries("part=numerator")
    assert many == one


def test_overview_reads_the_registry(two, world):
    old, cur = two
    c = world.client("fzb")
    page = c.get("/programme/overview/").content.decode()
    section = page.split('data-testid="rates-section"', 1)[1]
    for code in rates.load():  # every registered rate, not a hand-written list
        assert f'data-rate="{code}"' in section
    assert f"/rates/{COMPLETION}/records/?part=numerator&amp;programme={cur.pk}" in section
    assert "50.0%" in section
    # another programme, chosen on the page; its 0/0 unit rate is —
    page = c.get(f"/programme/overview/?programme={old.pk}").content.decode()
    assert f"programme={old.pk}" in page.split('data-testid="rates-section"', 1)[1]
    assert c.get("/programme/overview/?programme=99999").status_code == 404


def test_no_data_is_a_dash_on_the_overview(world):
    _programme(world, "空周期")  # no assignments at all: 0/0
    page = world.client("fzb").get("/programme/overview/").content.decode()
    assert 'data-testid="total-rate">—<' in page
    rates_section = page.split('data-testid="rates-section"', 1)[1]
    assert f'data-rate="{COMPLETION}"' in rates_section and "None" not in rates_section
    assert 'data-testid="rate-value">—<' in rates_section


class TestRateRecordsPage(ScopedCases):
    """A unit's records behind a rate: its own unit's user sees them, another unit's gets 404."""

    url_name = "rate-records"

    def url(self, world, unit):
        return f"/rates/{ON_TIME}/records/?part=denominator&unit={unit.code}"

    def marker(self, world, unit):
        return f"/programme/workplans/{unit.code}/"


def test_unit_page_shows_its_rates_with_links(two, world):
    old, cur = two
    page = world.client("d01").get("/units/D01/").content.decode()
    section = page.split('data-testid="rates-section"', 1)[1].split("</section>", 1)[0]
    for code in rates.load():
        assert f'data-rate="{code}"' in section
    assert f"/rates/{COMPLETION}/records/?part=numerator&amp;unit=D01&amp;programme={cur.pk}" in section
    assert ">75.0%<" in section  # D01 in the current programme: 3 of 4
    d03 = world.client("fzb").get("/units/D03/").content.decode().split('data-testid="rates-section"', 1)[1]
    assert 'data-testid="rate-value">—<' in d03  # 0/0

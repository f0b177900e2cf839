"""The three filing rates against hand-counted documents: late, incomplete (returned), unfiled, not yet
reviewed, a draft, and a period boundary (publication on the period's last day is in it, the day after not)."""

from datetime import date

import pytest

from fazhi.core import rates
from fazhi.normdocs.models import Filing
from fazhi.normdocs.tests.factories import act, draft, materials, walk

pytestmark = pytest.mark.django_db
D = date.fromisoformat


@pytest.fixture
def fixtures(world):
    d01, d02, office = world.user("d01"), world.user("d02"), world.user("fzb")
    u1, u2 = world.unit("D01"), world.unit("D02")

    def make(unit, user, title, published, filed=None, review=None):
        doc = walk(draft(unit, user, title=title), user, office, upto="file" if filed else "publish", on=D(published),
                   filed_on=D(filed) if filed else None)
        if review:
            filing = Filing.objects.get(document=doc)
            for outcome in review:
                if outcome == "refile":
                    act(filing, user, "submit", files=materials(["explanation"]))
                else:
                    act(filing, office, "review", outcome=outcome, note="材料不全" if outcome == "return" else "")
        return doc

    make(u1, d01, "a 按时合法", "2026-01-05", "2026-01-20", ["lawful"])
    make(u1, d01, "b 逾期合法", "2026-01-10", "2026-03-01", ["lawful"])  # due 2026-02-09
    make(u1, d01, "c 退回补正", "2026-02-01", "2026-02-10", ["return", "refile", "lawful"])
    make(u1, d01, "d 未报备", "2026-02-15")
    make(u1, d01, "e 期后公布", "2026-04-01", "2026-04-02", ["lawful"])
    make(u2, d02, "f 边界日公布待审查", "2026-03-31", "2026-04-05")
    draft(u2, d02, title="g 起草中")
    return world


def _rate(code, user, **kw):
    r = rates.compute(rates.get(code), user, **kw)
    return r["numerator"], r["denominator"]


def test_rates_overall_and_per_unit_for_a_period(fixtures):
    fzb = fixtures.user("fzb")
    period = {"start": D("2026-01-01"), "end": D("2026-03-31")}
    assert _rate("normdoc.filing", fzb, **period) == (4, 5)
    assert _rate("normdoc.filing_on_time", fzb, **period) == (3, 4)
    assert _rate("normdoc.filing_complete", fzb, **period) == (2, 4)
    by_unit = {code: rates.compute_by_unit(rates.get(code), fzb, **period) for code in
               ("normdoc.filing", "normdoc.filing_on_time", "normdoc.filing_complete")}
    u1, u2 = fixtures.unit("D01").pk, fixtures.unit("D02").pk
    assert [(by_unit[c][u1]["numerator"], by_unit[c][u1]["denominator"]) for c in by_unit] == [(3, 4), (2, 3), (2, 3)]
    assert [(by_unit[c][u2]["numerator"], by_unit[c][u2]["denominator"]) for c in by_unit] == [(1, 1), (1, 1), (0, 1)]


def test_rates_without_period_and_the_boundary(fixtures):
    fzb = fixtures.user("fzb")
    assert _rate("normdoc.filing", fzb) == (5, 6)
    assert _rate("normdoc.filing_on_time", fzb) == (4, 5)
    assert _rate("normdoc.filing_complete", fzb) == (3, 5)
    assert _rate("normdoc.filing", fzb, start=D("2026-03-31"), end=D("2026-03-31")) == (1, 1)
    assert _rate("normdoc.filing", fzb, start=D("2026-04-01"), end=D("2026-04-01")) == (1, 1)


def test_a_unit_sees_its_own_rate_and_the_numbers_link_to_the_documents(fixtures):
    client = fixtures.client("d01")
    body = client.get("/api/v1/rates/normdoc.filing/?from=2026-01-01&to=2026-03-31").json()
    assert (body["numerator"], body["denominator"]) == (3, 4)
    page = client.get(body["denominator_url"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "d 未报备" in html and "f 边界日公布待审查" not in html and "逾期" in html
    numerator = client.get(body["numerator_url"]).content.decode()
    assert "d 未报备" not in numerator and "a 按时合法" in numerator


BY_UNIT = "/rates/by-unit/?rate=normdoc.filing&rate=normdoc.filing_on_time&rate=normdoc.filing_complete"


def _cells(html: str, code: str) -> list[str]:
    import re

    row = re.search(rf'<tr data-unit="{code}"[^>]*>(.*?)</tr>', html, re.S)
    if row is None:
        return []
    return [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]


def test_the_three_rates_side_by_side_per_unit_and_overall(fixtures, django_assert_max_num_queries):
    client = fixtures.client("fzb")
    with django_assert_max_num_queries(20):
        page = client.get(BY_UNIT + "&from=2026-01-01&to=2026-03-31")
    assert page.status_code == 200
    html = page.content.decode()
    assert _cells(html, "D01") == ["3 ÷ 4 = 75.0%", "2 ÷ 3 = 66.7%", "2 ÷ 3 = 66.7%"]
    assert _cells(html, "D02") == ["1 ÷ 1 = 100.0%", "1 ÷ 1 = 100.0%", "0 ÷ 1 = 0.0%"]
    assert _cells(html, "") == ["4 ÷ 5 = 80.0%", "3 ÷ 4 = 75.0%", "2 ÷ 4 = 50.0%"]  # overall
    link = "/rates/normdoc.filing/records/?part=numerator&amp;unit=D01&amp;from=2026-01-01&amp;to=2026-03-31"
    assert link in html
    records = client.get(link.replace("&amp;", "&")).content.decode()
    assert "a 按时合法" in records and "d 未报备" not in records
    # A unit sees its own row and its own total only.
    mine = fixtures.client("d02").get(BY_UNIT).content.decode()
    assert _cells(mine, "D01") == [] and _cells(mine, "D02")


def test_rates_by_unit_refuses_bad_input_by_name(fixtures):
    client = fixtures.client("fzb")
    bad = client.get("/rates/by-unit/?rate=normdoc.nope")
    assert bad.status_code == 400 and "normdoc.nope" in bad.content.decode()
    assert client.get("/rates/by-unit/").status_code == 400
    dated = client.get(BY_UNIT + "&from=2026-13-01")
    assert dated.status_code == 400 and "起日" in dated.content.decode()

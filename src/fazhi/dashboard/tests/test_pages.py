"""Every main page: a short tab title, one h1, the favicon; the legal calendar speaks the rules'
Chinese names and its form keeps the input and puts the message at the field (issue #6 §2, §3)."""

import pytest
from django.urls import reverse

from fazhi.core.testing.html import Page
from fazhi.deadlines.catalogue import RULES
from fazhi.deadlines.models import CalendarYear


@pytest.fixture
def pages(world, programme):
    """The main pages of each role, with a report waiting in the queue and one returned."""
    from fazhi.programme import services
    from fazhi.programme.tests.conftest import pdf

    a, b = (programme.tasks.get(code=code).assignments.get(unit__code="D01") for code in ("1.1", "2.1"))
    for x in (a, b):
        services.report_submit(assignment=x, actor=world.user("d01"), text="进展", files=[pdf()],
                               expected_version=x.version)
    services.report_review(report=b.reports.get(), actor=world.user("fzb"), accept=False, reason="请补充材料")
    task = a.task_id
    common = ["/", "/programme/", "/programme/mine/", "/programme/overview/", "/programme/reviews/",
              "/programme/workplans/", "/programme/workplans/D01/", "/programme/phases/", "/calendar/",
              "/calendar/?rule=penalty.decide&start=2026-03-02", "/units/D01/", f"/programme/assignments/{a.pk}/",
              f"/programme/tasks/{task}/", f"/history/programme.assignment/{a.pk}/"]
    return {"fzb": common + ["/programme/import/", "/programme/new/", "/units/D01/edit/"],
            "d01": common + [f"/programme/assignments/{a.pk}/report/"],
            "leader": common}


def test_every_main_page_has_a_short_title_one_h1_and_the_favicon(world, pages):
    login = Page(world.client().get("/login/").content)
    assert login.title == "登录 · 法治 Fazhi" and len(login.find_all("h1")) == 1
    for username, urls in pages.items():
        client = world.client(username)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (username, url, response.status_code)
            page = Page(response.content)
            title = page.title
            assert "<" not in title and len(title) < 60, (url, title)
            assert title.endswith(" · 法治 Fazhi") and len(title) > len(" · 法治 Fazhi"), (url, title)
            assert len(page.find_all("h1")) == 1, (username, url)
            assert page.find("link", rel="icon")["href"] == "/static/fazhi/favicon.svg"


def test_calendar_and_phases_close_their_title_blocks(world, pages):
    for url in ("/calendar/", "/programme/phases/"):
        html = world.client("fzb").get(url).content.decode()
        head = html.split("</head>")[0]
        assert "<form" not in head and "csrfmiddlewaretoken" not in head and "<a " not in head, url


def test_favicon_is_served_locally(world, client):
    from django.contrib.staticfiles import finders

    assert finders.find("fazhi/favicon.svg")


def test_navigation_marks_the_current_page(world):
    page = Page(world.client("fzb").get("/calendar/").content)
    current = page.find_all(aria_current="page")
    assert [c.text for c in current] == ["法定期限"]
    assert "active" in current[0]["class"]
    home = Page(world.client("fzb").get("/").content)
    assert [c.text for c in home.find_all(aria_current="page")] == ["工作台"]


def test_calendar_shows_rule_names_and_keeps_the_code_for_the_api(world):
    client = world.client("d01")
    page = Page(client.get("/calendar/?rule=penalty.decide&start=2026-03-02").content)
    option = page.find("option", value="penalty.decide")
    assert option.text.startswith("行政处罚决定") and "penalty" not in option.text
    result = page.find(data_testid="result").text
    assert "行政处罚决定" in result and "penalty.decide" not in result
    rules_table = page.find("table", data_testid="rules")
    assert "行政处罚决定" in rules_table.text
    api = client.get("/api/v1/deadlines/compute", {"rule": "penalty.decide", "start": "2026-03-02"}).json()
    assert api["rule"] == "penalty.decide" and api["rule_name"] == "行政处罚决定"
    assert "行政处罚决定" in api["explanation"][0] and "penalty.decide" not in api["explanation"][0]
    listed = {r["id"]: r["name"] for r in client.get("/api/v1/deadlines/rules/").json()}
    assert listed == {r.id: r.name for r in RULES.values()}


def test_calculator_error_sits_at_its_field(world):
    response = world.client("d01").get("/calendar/?rule=penalty.decide&start=2026-02-30")
    assert response.status_code == 400
    start = Page(response.content).by_id("start")
    assert "is-invalid" in start["class"] and start["aria-describedby"] == "calc-error"


def test_failed_arrangement_keeps_the_input_and_says_where(world):
    client = world.client("fzb")
    posted = {"year": "2031", "source": "国务院办公厅关于2031年部分节假日安排的通知",
              "days": "2031-01-01 放假 元旦\n2031-13-01 放假"}
    response = client.post(reverse("calendar"), posted)
    assert response.status_code == 400
    page = Page(response.content)
    assert page.by_id("id_year")["value"] == "2031"
    assert page.by_id("id_source")["value"] == posted["source"]
    assert page.by_id("id_days").text.strip() == posted["days"]
    days = page.by_id("id_days")
    assert "is-invalid" in days["class"]
    assert days["aria-describedby"].split() == ["id_days_help", "id_days_error"]
    assert "「放假安排」第 2 行日期无效" in page.by_id("id_days_error").text
    assert not CalendarYear.objects.exists()

    # the service's refusal lands on its field too
    response = client.post(reverse("calendar"), {**posted, "days": "2030-01-01 放假 元旦"})
    assert "不在 2031 年内" in Page(response.content).by_id("id_days_error").text
    response = client.post(reverse("calendar"), {**posted, "year": "1999"})
    assert "「年度」年度应在 2000 至 2100 之间" in Page(response.content).by_id("id_year_error").text

    ok = client.post(reverse("calendar"), {**posted, "days": "2031-01-01 放假 元旦"})
    assert ok.status_code == 302
    assert CalendarYear.objects.get().year == 2031

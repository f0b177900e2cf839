"""The main pages in a real browser (issue #6 §2, §3): axe-core (vendored, static/vendor/axe) finds
no serious or critical violation at 1366 and 390 px wide; at 390 px tables scroll inside their
wrapper instead of squeezing cells and the filters fold; every tab title is short text. The office
enters a holiday arrangement from the calendar page, first with a mistake.

One browser for the module and one login per role: axe runs on each page at both widths by resizing
the same page, which keeps this the fast part of the browser tests.
"""

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from fazhi.core.testing.browser import login
from fazhi.deadlines.models import CalendarYear
from fazhi.programme import services
from fazhi.programme.demo import DEMO_PDF
from fazhi.programme.testing import demo_programme

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe" / "axe.min.js"
WIDTHS = (1366, 390)
SERIOUS = ("serious", "critical")


@pytest.fixture
def site(transactional_db, live_server, settings, tmp_path):
    """The demo organisation, a programme with the plan's table, reports waiting and one returned,
    committed so the live server sees them. Returns (base URL, ids of pages to visit)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fazhi.org.models import User

    p = demo_programme(settings, tmp_path)
    fzb, d01 = User.objects.get(username="fzb"), User.objects.get(username="d01")
    reports = {}
    for code in ("1.1", "2.1"):
        a = p.tasks.get(code=code).assignments.get(unit__code="D01")
        reports[code] = services.report_submit(
            assignment=a, actor=d01, text="已按要求推进,材料见附件。", expected_version=a.version,
            files=[SimpleUploadedFile("会议纪要.pdf", DEMO_PDF, content_type="application/pdf")])
    services.report_review(report=reports["2.1"], actor=fzb, accept=False, reason="佐证材料缺少会议纪要")
    from fazhi.decisions import demo as decisions_demo

    decision = decisions_demo.load().decisions.get(unit__code="D01")
    from fazhi.portal.demo import consultations_load

    closed, running = consultations_load(p)  # public consultation: one round closed (adoption table), one open
    return live_server.url, {"assignment": reports["1.1"].assignment_id, "decision": decision.pk,
                             "consultation": closed.pk,
                             "public_consultations": [closed.get_public_url(), running.get_public_url()]}


def run_axe(page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    violations = page.evaluate("axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)")
    return [{"rule": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"][:3]]} for v in violations if v["impact"] in SERIOUS]


def check_page(page, problems: list, where: str, suffix: str = "法治 Fazhi") -> None:
    title = page.title()
    if "<" in title or len(title) >= 60 or not title.endswith(suffix):
        problems.append((where, "title", title))
    if page.locator("h1").count() != 1:
        problems.append((where, "h1", page.locator("h1").count()))
    if violations := run_axe(page):
        problems.append((where, "axe", violations))
    width = page.viewport_size["width"]
    if width < 600:
        # tables scroll inside their wrapper, the page itself does not scroll sideways
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 1:
            problems.append((where, "page wider than the screen by px", overflow))
        squeezed = page.evaluate("""Array.from(document.querySelectorAll('main td, main th'))
            .filter(c => c.innerText.trim().length > 2 && c.getBoundingClientRect().width < 40)
            .map(c => c.innerText.trim().slice(0, 20))""")
        if squeezed:
            problems.append((where, "cells narrower than 40px (one character a line)", squeezed[:5]))


def test_main_pages_pass_axe_fit_a_phone_and_have_short_titles(new_page, site):
    url, ids = site
    assignment = f"/programme/assignments/{ids['assignment']}/"
    pages = {
        "fzb": ["/", "/programme/", "/programme/overview/", "/programme/reviews/", assignment, "/programme/workplans/",
                "/calendar/?rule=penalty.decide&start=2026-03-02", "/units/D01/", "/programme/phases/",
                "/procedures/", "/procedures/programme.workplan_filing/", "/procedures/programme.workplan_filing/new-version/",
                "/worklist/", "/submissions/", "/rates/programme.completion/records/?part=numerator",
                "/gongwen/templates/", "/decisions/", f"/decisions/{ids['decision']}/", "/consultations/",
                f"/consultations/{ids['consultation']}/"],
        "d01": ["/", "/programme/mine/", "/programme/", assignment, "/programme/workplans/D01/",
                f"{assignment}report/", "/worklist/?state=due_soon", "/submissions/", "/decisions/",
                f"/decisions/{ids['decision']}/", "/consultations/"],
    }
    public = ["/public/", "/public/suggestions/new/", "/public/track/", "/public/progress/", "/public/decisions/",
              "/public/consultations/", *ids["public_consultations"]]
    problems: list = []
    page = new_page()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{url}/login/")
        check_page(page, problems, f"anonymous {width} /login/")
        for path in public:  # the public site has its own layout and title
            page.goto(f"{url}{path}")
            check_page(page, problems, f"anonymous {width} {path}", suffix="公众服务")
    for username, paths in pages.items():
        page = new_page()  # its own context: one session per user
        login(page, url, username)
        assert urlsplit(page.url).path == "/", f"{username} could not log in"
        for path in paths:
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                response = page.goto(f"{url}{path}")
                assert response.status == 200, (username, path, response.status)
                check_page(page, problems, f"{username} {width} {path}")
    assert not problems, "\n".join(map(str, problems))


def test_filters_fold_behind_a_button_on_a_phone(new_page, site):
    url, _ = site
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, url, "fzb")
    page.goto(f"{url}/programme/")
    filters = page.locator("#filters")
    assert not filters.is_visible(), "the filters do not fill the first screen"
    table_top = page.locator("[data-testid=table]").bounding_box()["y"]
    assert table_top < 844, "the table starts on the first screen"
    page.get_by_role("button", name="筛选").first.click()
    # Bootstrap adds `show` when the opening animation has ended; clicking during it can miss the button.
    page.locator("#filters.collapse.show").wait_for(state="visible")
    page.select_option("#id_unit", "D01")
    with page.expect_navigation():
        filters.get_by_role("button", name="筛选").click()
    assert page.locator("#filters").is_visible(), "set filters stay open"
    assert page.locator("#id_unit").input_value() == "D01"
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{url}/programme/")
    assert page.locator("#filters").is_visible(), "wide screens show the filters"


def test_office_enters_a_holiday_arrangement_from_the_calendar_page(new_page, site):
    url, _ = site
    page = new_page()
    login(page, url, "fzb")
    page.goto(f"{url}/calendar/")
    assert page.title() == "法定期限 · 法治 Fazhi"
    page.fill("#id_year", "2031")
    page.fill("#id_source", "国务院办公厅关于2031年部分节假日安排的通知")
    days = "2031-01-01 放假 元旦\n2031-02-30 放假 春节\n2031-02-09 上班 春节调休"
    page.fill("#id_days", days)
    with page.expect_navigation():
        page.get_by_role("button", name="录入并重新计算期限").click()

    # the mistake: input kept, message at the field, focus there and on screen
    assert page.locator("#id_year").input_value() == "2031"
    assert page.locator("#id_days").input_value() == days
    assert page.evaluate("document.activeElement.id") == "id_days"
    error = page.locator("#id_days_error")
    assert "「放假安排」第 2 行日期无效" in error.inner_text()
    box = error.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= 900, f"the message is off screen: {box}"
    assert page.locator("#id_days").get_attribute("aria-describedby") == "id_days_help id_days_error"
    assert not run_axe(page)

    page.fill("#id_days", "2031-01-01 放假 元旦\n2031-02-09 上班 春节调休")
    with page.expect_navigation():
        page.get_by_role("button", name="录入并重新计算期限").click()
    assert urlsplit(page.url).path == "/calendar/"
    assert "已录入 2031 年放假安排" in page.locator(".alert-success").inner_text()
    assert "2031 年:国务院办公厅关于2031年部分节假日安排的通知" in page.locator("[data-testid=arrangements]").inner_text()
    arrangement = CalendarYear.objects.get(year=2031)
    assert arrangement.entered_by.username == "fzb"
    assert sorted((d.date.isoformat(), d.kind) for d in arrangement.days.all()) == [
        ("2031-01-01", "holiday"), ("2031-02-09", "workday")]

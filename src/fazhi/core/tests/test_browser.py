"""Real-browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

The live server runs in another thread and only sees committed data, so these tests use
`transactional_db` and load the demo themselves (the `world` fixture works inside a transaction).
Playwright's browsers are never downloaded: the tests skip if /usr/bin/chromium is missing.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from fazhi.org import demo
from fazhi.org.models import Unit

from fazhi.core.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOT = Path("/tmp/fazhi-home.png")
NOT_FOUND_TEXT = "未找到该页面或记录,或您无权查看"


@pytest.fixture
def site(transactional_db, live_server):
    """The demo, committed so the live server thread sees it. Returns the server's base URL."""
    demo.load()
    return live_server.url


@pytest.fixture
def page(new_page, site):
    return new_page()


def unit_codes(page) -> list[str]:
    """The 代码 column of the home page's units table."""
    return [c.strip() for c in page.locator("[data-testid=units] tbody tr td:first-child").all_inner_texts()]


def test_office_logs_in_and_walks_home_unit_and_history(page, site):
    page.goto(f"{site}/")
    assert urlsplit(page.url).path == "/login/", "an anonymous visitor is sent to the login page"
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.title().startswith("登录")
    assert page.locator("h1").inner_text() == "登录"
    assert page.locator("label[for=id_username]").inner_text() == "用户名"
    assert page.locator("label[for=id_password]").inner_text() == "密码"

    login(page, site, "fzb", "wrong-password")
    assert urlsplit(page.url).path == "/login/"
    error = page.locator(".alert-danger").inner_text()
    assert re.search(r"[\u4e00-\u9fff]", error), f"the login error is not in Chinese: {error!r}"
    assert "请输入一个正确的" in error and "密码" in error, error  # Django's zh-hans message

    login(page, site, "fzb")
    assert urlsplit(page.url).path == "/"
    assert page.locator("#worklist-h").inner_text() == "我的待办"
    assert "暂无待办事项" in page.locator("[data-testid=worklist]").inner_text()
    assert "王主任" in page.locator("[data-testid=whoami]").inner_text()
    codes = unit_codes(page)
    assert "D01" in codes and "LGO" in codes and len(codes) == 30, codes  # first page of all units
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    page.get_by_role("link", name="区城市管理局", exact=True).click()
    page.wait_for_url(f"{site}/units/D01/")
    assert page.locator("h1").inner_text().startswith("区城市管理局")
    assert "城管执法大队" in page.locator("main").inner_text()  # its sections are listed

    page.get_by_role("link", name="变更历史").click()
    page.wait_for_url(re.compile(r"/history/org\.unit/\d+/$"))
    assert page.locator("h1").inner_text().startswith("变更历史")
    assert "区城市管理局" in page.locator("h1").inner_text()
    assert page.locator("[data-testid=history] tbody tr").count() >= 1


def test_office_renames_a_unit_and_the_history_shows_before_and_after(page, site):
    new_name = "区卫生健康局"
    login(page, site, "fzb")
    page.goto(f"{site}/units/D05/")
    assert page.locator("h1").inner_text().startswith("区卫生局")
    page.get_by_role("link", name="修改").click()
    page.wait_for_url(f"{site}/units/D05/edit/")

    page.fill("#id_name", new_name)
    page.fill("#id_reason", "机构改革更名")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    assert urlsplit(page.url).path == "/units/D05/"
    assert "单位信息已保存" in page.locator(".alert-success").inner_text()
    assert page.locator("h1").inner_text().startswith(new_name)
    assert Unit.objects.get(code="D05").name == new_name

    page.get_by_role("link", name="变更历史").click()
    page.wait_for_url(re.compile(r"/history/org\.unit/\d+/$"))
    history = page.locator("[data-testid=history]").inner_text()
    assert f"区卫生局 → {new_name}" in history
    assert "机构改革更名" in history
    assert "王主任" in history


def test_unit_admin_sees_only_their_unit_and_gets_404_for_another(page, site):
    login(page, site, "d01")
    assert urlsplit(page.url).path == "/"
    assert sorted(unit_codes(page)) == ["D01", "D01-FZ", "D01-ZD"]

    response = page.goto(f"{site}/units/D02/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == f"404 {NOT_FOUND_TEXT}"
    # The refusal keeps the staff layout: the navbar leads back to the user's work.
    assert page.get_by_role("navigation", name="主导航").is_visible()

    response = page.goto(f"{site}/units/D01/")
    assert response.status == 200


def test_pages_load_only_local_assets(page, site):
    server = urlsplit(site)
    requests, responses = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("response", lambda response: responses.append((response.url, response.status)))

    page.goto(f"{site}/login/")
    login(page, site, "fzb")
    for path in ["/", "/units/D01/", "/units/D01/edit/", "/calendar/", "/api/v1/docs"]:
        page.goto(f"{site}{path}", wait_until="networkidle")
    page.goto(f"{site}/units/D01/")
    page.get_by_role("link", name="变更历史").click()
    page.wait_for_load_state("networkidle")

    foreign = [url for url in requests
               if urlsplit(url).scheme not in ("data", "blob", "about")
               and (urlsplit(url).hostname, urlsplit(url).port) != (server.hostname, server.port)]
    assert not foreign, f"requests left the live server {site}: {foreign}"
    assert all(urlsplit(url).hostname in ("127.0.0.1", "localhost") for url in requests if "://" in url)

    css = [(url, status) for url, status in responses if url.endswith("/static/vendor/bootstrap/bootstrap.min.css")]
    assert css, f"bootstrap CSS was never requested; requests: {requests}"
    assert all(status in (200, 304) for _, status in css), css
    assert any(status == 200 for _, status in css), css
    # and it is applied: bootstrap makes the navbar a flex container
    page.goto(f"{site}/")
    assert page.locator("nav.navbar").evaluate("e => getComputedStyle(e).display") == "flex"

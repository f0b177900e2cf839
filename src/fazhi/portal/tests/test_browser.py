"""A public suggestion from submission to reply, in a real browser: a person on a 390 px phone submits
(CAPTCHA answered from the store), the office assigns it to a unit, the unit replies and publishes, and the
person's query page shows the reply, masked. Debian's chromium via Playwright against the live server."""

import re

import pytest
from captcha.models import CaptchaStore

from fazhi.core.testing.browser import TIMEOUT_MS
from fazhi.core.testing.browser import login as browser_login
from fazhi.portal.models import REPLIED, Submission
from fazhi.programme.testing import demo_programme

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def site(transactional_db, live_server, settings, tmp_path):
    demo_programme(settings, tmp_path)
    return live_server.url


def phone_page(browser):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_public_suggestion_from_submission_to_reply(browser, new_page, site):
    person_ctx, person = phone_page(browser)
    try:
        person.goto(f"{site}/public/")
        assert fits_the_screen(person)
        person.get_by_role("link", name="我要提意见建议").click()
        person.get_by_label("主题").fill("建议公布执法投诉电话")
        person.get_by_label("意见建议").fill("请在办事大厅公布投诉电话。我的电话 13912345678。")
        person.get_by_label("姓名").fill("张明")
        person.get_by_label("联系电话").fill("13912345678")
        key = person.locator("input[name=captcha_0]").input_value()
        person.locator("input[name=captcha_1]").fill(CaptchaStore.objects.get(hashkey=key).response)
        assert fits_the_screen(person)
        person.screenshot(path="/tmp/portal-suggest-390.png", full_page=True)
        with person.expect_navigation():
            person.get_by_role("button", name="提交").click()
        tracking_no = person.get_by_test_id("tracking-no").inner_text().strip()
        code = person.get_by_test_id("query-code").inner_text().strip()
        assert re.fullmatch(r"\d{8}-[2-9A-Z]{8}", tracking_no) and len(code) == 8
        assert fits_the_screen(person)

        # The office assigns it to 城管局.
        office = new_page()
        browser_login(office, site, "fzb")
        office.goto(f"{site}/submissions/")
        office.get_by_role("link", name=tracking_no).click()
        assert "13912345678" in office.get_by_test_id("contact").inner_text()
        office.get_by_label("承办单位").select_option(value="D01")
        with office.expect_navigation():
            office.get_by_role("button", name="交办").click()
        assert office.get_by_test_id("status").inner_text() == "办理中"

        # The unit replies and publishes the reply.
        unit = new_page()
        browser_login(unit, site, "d01")
        unit.goto(f"{site}/submissions/")
        unit.get_by_role("link", name=tracking_no).click()
        unit.locator("#id_reply").fill("张明同志:投诉电话 0915-3212345 已在大厅公布。")
        unit.get_by_label(re.compile("在公众查询页公开答复")).check()
        with unit.expect_navigation():
            unit.get_by_role("button", name="提交答复").click()
        assert unit.get_by_test_id("status").inner_text() == "已答复"
        assert Submission.objects.get(tracking_no=tracking_no).status == REPLIED

        # The person follows it with the tracking number and the query code.
        person.get_by_role("link", name="查询办理情况").click()
        person.get_by_label("受理编号").fill(tracking_no)
        person.get_by_label("查询码").fill(code.lower())
        with person.expect_navigation():
            person.get_by_role("button", name="查询").click()
        assert person.get_by_test_id("status-label").inner_text() == "已答复"
        assert person.get_by_test_id("reply").inner_text() == "张**同志:投诉电话 0915-****45 已在大厅公布。"
        body = person.locator("body").inner_text()
        assert "13912345678" not in body and "张明" not in body
        assert fits_the_screen(person)
        person.screenshot(path="/tmp/portal-track-390.png", full_page=True)
    finally:
        person_ctx.close()

"""The office in a real browser: registers a 行政复议 application, requests 补正, receives the material, and sees
the acceptance review's new due date (counted anew from the material's arrival) on the case page."""

import re
from datetime import timedelta

import pytest

from fazhi.core.testing.browser import login
from fazhi.deadlines.services import deadline_compute
from fazhi.org import demo as org_demo
from fazhi.remedies.reconsideration import rules
from fazhi.remedies.reconsideration.models import Reconsideration

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def site(transactional_db, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    org_demo.load()
    return live_server.url


def test_register_correction_and_restart(new_page, site):
    today = rules.today()
    received, notice, material = today - timedelta(days=12), today - timedelta(days=11), today - timedelta(days=3)
    page = new_page()
    login(page, site, "fzb")
    page.goto(f"{site}/remedies/reconsiderations/new/")
    page.get_by_label("被申请人").select_option("D01")
    page.get_by_label("申请人1 姓名或名称").fill("浏览器申请人")
    page.get_by_label("被申请复议的行政行为").fill("行政处罚决定")
    page.locator("[name=applied_on]").fill(received.isoformat())
    page.locator("[name=received_on]").fill(received.isoformat())
    page.locator("[name=request]").fill("撤销行政处罚决定")
    page.get_by_label("事实和理由").fill("认定事实不清")
    with page.expect_navigation():
        page.get_by_role("button", name="登记").click()
    case = Reconsideration.objects.get()
    assert case.number in page.locator("h1").inner_text()
    first_due = deadline_compute("reconsideration.accept", received).due
    assert first_due.isoformat() in page.get_by_test_id("clock-due").first.inner_text()

    form = page.locator("[data-testid=step-actions] form[data-step=accept]")
    form.locator("[name=date]").fill(notice.isoformat())
    form.locator("[name=outcome]").select_option("correction")
    form.locator("[name=note]").fill("请补充提交身份证明")
    form.locator("[name=notice_received_on]").fill(notice.isoformat())
    with page.expect_navigation():
        form.get_by_role("button", name=re.compile("^办理")).click()
    assert "补正中" in page.get_by_test_id("case-status").inner_text()

    act = page.locator("form[data-act=correction_received]")
    act.get_by_label("收到补正材料日期").fill(material.isoformat())
    with page.expect_navigation():
        act.get_by_role("button").click()
    assert "审查中" in page.get_by_test_id("case-status").inner_text()
    new_due = deadline_compute("reconsideration.accept", material).due
    accept_clock = page.locator("[data-testid=clock]", has_text="复议申请受理审查")
    assert new_due.isoformat() in accept_clock.get_by_test_id("clock-due").inner_text()
    assert "重新起算" in accept_clock.inner_text()

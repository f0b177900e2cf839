"""A unit user in a real browser takes a penalty case from 立案 to 结案 with a hearing (the issue's Playwright test):
立案 with two certified officers, 调查取证, 告知 (吊销许可证件: the hearing right, and a major decision in D01's
catalogue), the party's request, 安排听证, 送达听证通知, 听证 (hosted by an officer not on the case), 法制审核 by the
office's reviewer in their own browser with the 法制审核意见书, 决定, 送达, 执行, the required whole-process records
attached through the records panel, 结案."""

import re
from datetime import timedelta

import pytest

from fazhi.conftest import World
from fazhi.enforcement.penalty import rules
from fazhi.enforcement.penalty.models import PenaltyCase
from fazhi.enforcement.penalty.tests.conftest import units_setup
from fazhi.core.testing.browser import login
from fazhi.org import demo as org_demo

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64


@pytest.fixture
def site(transactional_db, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    org_demo.load()
    return live_server.url


def _step(page, code: str, **fields):
    form = page.locator(f"[data-testid=step-actions] form[data-step={code}]")
    for name, value in fields.items():
        if name == "measures":
            form.locator(f"[name=measures][value={value}]").check()
        elif name in ("outcome", "host"):
            form.locator(f"[name={name}]").select_option(value)
        elif name == "files":
            form.locator("[name=files]").set_input_files({"name": "法制审核意见书.pdf", "mimeType": "application/pdf",
                                                          "buffer": PDF})
        else:
            form.locator(f"[name={name}]").fill(value)
    with page.expect_navigation():
        form.get_by_role("button", name=re.compile("^办理")).click()


def _act(page, kind: str, **fields):
    form = page.locator(f"form[data-act={kind}]")
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    with page.expect_navigation():
        form.get_by_role("button").click()


def _record(page, step: str, kind: str, when: str, officer: int):
    page.locator("[data-testid=records-panel] summary", has_text="登记记录").click()
    form = page.get_by_test_id("record-form")
    form.get_by_label("环节").select_option(step)
    form.get_by_label("记录形式").select_option(kind)
    name, content, mime = ("记录.mp4", MP4, "video/mp4") if kind == "av" else ("记录.pdf", PDF, "application/pdf")
    form.locator("[name=file]").set_input_files({"name": name, "mimeType": mime, "buffer": content})
    form.locator("[name=recorded_at]").fill(when)
    form.get_by_label("记录地点").fill("执法现场")
    form.locator("[name=officer]").select_option(str(officer))
    with page.expect_navigation():
        form.get_by_role("button", name="登记记录").click()


def test_penalty_from_filing_to_closing_with_hearing(new_page, site):
    u = units_setup(World())["D01"]
    today = rules.today()
    day = lambda n: (today - timedelta(days=n)).isoformat()  # noqa: E731
    page = new_page()
    login(page, site, "d01")
    page.goto(f"{site}/enforcement/penalties/new/")
    page.get_by_label("执法主体").select_option(str(u.subject.pk))
    page.get_by_label("执法领域").select_option("urban_management")
    page.locator("[name=cause]").fill("违规处置建筑垃圾")
    page.locator("[name=found_on]").fill(day(61))
    page.locator("[name=filed_on]").fill(day(60))
    page.locator("[name=party_name]").fill("浏览器当事人")
    page.locator("[name=party_kind]").select_option("legal")
    page.locator("[name=officers]").select_option([str(u.officers[0].pk), str(u.officers[1].pk)])
    with page.expect_navigation():
        page.get_by_role("button", name="立案").click()
    case = PenaltyCase.objects.get()
    assert case.number in page.locator("h1").inner_text()
    assert "调查取证中" in page.get_by_test_id("case-status").inner_text()

    _step(page, "investigate", date=day(50), facts="当事人将建筑垃圾倾倒于河道旁", evidence="现场检查笔录、照片",
          basis_violation="《城市建筑垃圾管理规定》第十五条")
    _step(page, "notify", date=day(40), measures="revoke_licence", basis_penalty="《城市建筑垃圾管理规定》第二十六条")
    assert page.get_by_test_id("major").count() == 1  # D01's catalogue: 吊销许可证件
    assert "已告知听证权利" in page.get_by_test_id("notice").inner_text()
    assert "当事人尚未要求听证" in page.locator("[data-step=hearing][data-blocked=true]").inner_text()
    _act(page, "hearing_request", on=day(39))
    assert "须举行听证后" in page.locator("[data-step=decide][data-blocked=true]").inner_text()
    _act(page, "hearing_schedule", on=day(25), place="区城管局听证室")
    _act(page, "hearing_notice", on=day(38))
    _step(page, "hearing", date=day(25), host=str(u.officers[2].pk))
    assert day(25) in page.get_by_test_id("hearing").inner_text() and u.officers[2].name in page.get_by_test_id(
        "hearing").inner_text()
    assert "法制审核" in page.locator("[data-step=decide][data-blocked=true]").inner_text()
    assert not page.locator("[data-testid=step-actions] form[data-step=legal_review]").count()  # the office's step

    office = new_page()  # the office's reviewer, in their own browser
    login(office, site, "fzb")
    office.goto(f"{site}/enforcement/penalties/{case.pk}/")
    _step(office, "legal_review", date=day(22), outcome="pass", opinion="事实清楚,证据确凿,程序合法,同意",
          files="意见书")
    assert day(22) in office.get_by_test_id("legal-review").inner_text()

    page.reload()
    _step(page, "decide", date=day(20))
    assert "城管局罚决〔" in page.get_by_test_id("decision").inner_text()
    _step(page, "serve", date=day(19))
    _step(page, "execute", date=day(18))

    # 结案 waits for the whole-process records; attach them through the records panel.
    _step(page, "close", date=day(1), outcome="performed")
    assert "全过程记录" in page.locator(".alert, [role=alert]").first.inner_text()
    when = f"{day(2)}T09:30"
    for step, kind in (("investigate", "written"), ("investigate", "av"), ("notify", "written"),
                       ("hearing", "written"), ("hearing", "av"), ("serve", "written"), ("serve", "av")):
        _record(page, step, kind, when, u.officers[0].pk)
    assert not page.get_by_test_id("records-missing").count()
    _step(page, "close", date=day(1), outcome="performed")
    assert "已结案" in page.get_by_test_id("case-status").inner_text()
    case.refresh_from_db()
    assert case.status == "closed" and case.hearing_on == today - timedelta(days=25)

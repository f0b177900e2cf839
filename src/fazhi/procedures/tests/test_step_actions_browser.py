"""The generic step forms in a real browser at 390 px (a phone): a refused act comes back with its message
at the field, axe-core finds no serious or critical violation, nothing is wider than the screen; then the
unit asks 不适用 for a conditional step and the office approves it from the same page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fazhi.core.testing.browser import login
from fazhi.core.tests.test_accessibility import check_page

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.urls("fazhi.procedures.tests.step_urls")]


@pytest.fixture
def site(transactional_db, live_server):
    from fazhi.org import demo
    from fazhi.org.models import Unit, User
    from fazhi.procedures import services
    from fazhi.procedures.tests.test_services import DECISION

    demo.load()
    services.definition_publish(data=DECISION, actor=User.objects.get(username="fzb"))
    unit = Unit.objects.get(code="D01")
    services.run_start(obj=unit, unit=unit, code="test.decision")
    return live_server.url, f"{live_server.url}/test-steps/{unit.pk}/"


def test_step_forms_on_a_phone(new_page, site):
    url, record = site
    problems: list = []
    unit = new_page()
    unit.set_viewport_size({"width": 390, "height": 900})
    login(unit, url, "d01")
    unit.goto(record)
    draft = unit.locator("form[data-step=draft]")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    draft.get_by_label("办理日期").fill(tomorrow)
    draft.get_by_label("说明").fill("初稿已完成")
    with unit.expect_navigation():
        draft.get_by_role("button", name="办理「起草决策草案」").click()
    assert "晚于今天" in unit.locator(".alert-danger").first.inner_text()
    date = unit.locator("#id_act_draft_date")
    assert "is-invalid" in date.get_attribute("class")
    assert "晚于今天" in unit.locator(f"#{date.get_attribute('aria-describedby').split()[-1]}").inner_text()
    assert unit.locator("#id_act_draft_note").input_value() == "初稿已完成"
    check_page(unit, problems, "d01 390 refused")
    unit.locator("#id_act_draft_date").fill("")
    with unit.expect_navigation():
        unit.get_by_role("button", name="办理「起草决策草案」").click()
    assert "已办理「起草决策草案」" in unit.locator(".alert-success").inner_text()
    part = unit.locator("form[data-step=participation]")
    part.get_by_label("本步骤不适用(须法制办批准)").check()
    part.get_by_label("不适用理由").fill("仅涉及内部管理")
    with unit.expect_navigation():
        part.get_by_role("button", name="办理「公众参与」").click()
    assert "待法制办批准" in unit.locator(".alert-success").inner_text()
    check_page(unit, problems, "d01 390 asked")

    office = new_page()
    office.set_viewport_size({"width": 390, "height": 900})
    login(office, url, "fzb")
    office.goto(record)
    decide = office.locator("form[data-decide]")
    assert "仅涉及内部管理" in decide.inner_text()
    check_page(office, problems, "fzb 390 decide")
    with office.expect_navigation():
        decide.get_by_role("button", name="批准不适用").click()
    assert "已批准「公众参与」不适用申请" in office.locator(".alert-success").inner_text()
    assert "不适用(已批准)" in office.locator("tr[data-step=participation]").inner_text()
    assert problems == []

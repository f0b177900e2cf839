"""The generic step-act page pieces (procedures.views.StepActView, procedures/_step_actions.html) on a
throwaway record (a unit running the test procedure, test-only URLs in step_urls.py): the forms a user may
fill, a done act (303 and its message), a refusal (303, its message with data-error-code, and the form again
with the message at its field, linked by aria-describedby), 403 for a role that may not act, 404 for
another unit's record, multipart files, and the office's decision on a 不适用 request."""

import pytest
from django.urls import reverse

from fazhi.core.testing.html import Page
from fazhi.procedures import services
from fazhi.procedures.models import StepRecord
from fazhi.procedures.tests.test_services import DECISION, pdf

pytestmark = pytest.mark.urls("fazhi.procedures.tests.step_urls")


@pytest.fixture
def run(world):
    services.definition_publish(data=DECISION, actor=world.user("fzb"))
    unit = world.unit("D01")
    return services.run_start(obj=unit, unit=unit, code="test.decision")


def page_url(run):
    return reverse("test-step-page", args=[run.object_id])


def act_url(run):
    return reverse("test-step-act", args=[run.object_id])


def test_the_page_offers_the_open_steps_with_labelled_fields(world, run):
    html = world.client("d01").get(page_url(run)).content.decode()
    page = Page(html)
    form = page.find("form", data_step="draft")
    assert form is not None and form["action"] == act_url(run)
    assert page.find("form", data_step="legality_review") is None  # the office's step
    for name in ("date", "note"):
        field = page.find(id=f"id_act_draft_{name}")
        assert field is not None and page.find("label", **{"for": f"id_act_draft_{name}"}) is not None
    assert page.find(id="id_act_draft_date")["aria-describedby"] == "id_act_draft_date_help"
    assert "办理「起草决策草案」" in page.find("form", data_step="draft").text
    assert world.client("leader").get(page_url(run)).content.decode().count("data-step=\"draft\"") == 1  # the table only


def test_a_done_act_redirects_with_its_message(world, run):
    client = world.client("d01")
    response = client.post(act_url(run), {"step": "draft", "note": "初稿"})
    assert response.status_code == 303 and response["Location"] == page_url(run)
    page = Page(client.get(page_url(run)).content)
    assert "已办理「起草决策草案」" in page.find(class_="alert-success").text
    assert "已完成" in page.find("tr", data_step="draft").text
    assert page.find("form", data_step="participation") is not None


def test_a_refusal_comes_back_at_its_field(world, run):
    client = world.client("d01")
    response = client.post(act_url(run), {"step": "draft", "date": "2026-02-30", "note": "保留的说明"})
    assert response.status_code == 303
    page = Page(client.get(page_url(run)).content)
    alert = page.find(role="alert", class_="alert-danger")
    assert "「办理日期」2026-02-30 不是有效的日期" in alert.text
    field = page.find(id="id_act_draft_date")
    assert "is-invalid" in field["class"] and "id_act_draft_date_error" in field["aria-describedby"].split()
    assert page.by_id("id_act_draft_date_error").text.strip() == "「办理日期」2026-02-30 不是有效的日期,请检查月份和日"
    assert page.find(id="id_act_draft_note").text.strip() == "保留的说明"  # what was typed is kept
    again = Page(client.get(page_url(run)).content)  # shown once
    assert "is-invalid" not in again.find(id="id_act_draft_date")["class"]
    assert not StepRecord.objects.filter(run=run).exists()


def test_the_gate_refusal_carries_its_code(world, run):
    client = world.client("fzb")
    response = client.post(act_url(run), {"step": "legality_review"}, follow=True)
    alert = Page(response.content).find(data_error_code="procedure.step_missing")
    assert alert is not None and "未完成起草决策草案(《重大行政决策程序暂行条例》第十三条)" in alert.text


@pytest.mark.parametrize("username, step, status", [
    ("d01", "legality_review", 403), ("leader", "draft", 403), ("d02", "draft", 404), ("nobody", "draft", 403)])
def test_roles(world, run, username, step, status):
    assert world.client(username).post(act_url(run), {"step": step}).status_code == status
    assert not StepRecord.objects.filter(run=run).exists()


def test_files_and_the_not_applicable_flow_through_the_forms(world, run):
    d01, fzb = world.client("d01"), world.client("fzb")
    d01.post(act_url(run), {"step": "draft"})
    fzb.post(act_url(run), {"step": "legality_review"})
    page = Page(d01.get(page_url(run)).content)
    assert page.find(id="id_act_participation_not_applicable") is not None
    assert "涉及社会公众切身利益" in page.by_id("id_act_participation_reason_help").text
    d01.post(act_url(run), {"step": "participation", "not_applicable": "on", "reason": "仅涉及内部管理"})
    mark = StepRecord.objects.get(run=run, kind="not_applicable")
    page = Page(fzb.get(page_url(run)).content)
    decide = page.find("form", data_decide=str(mark.pk))
    assert decide is not None and "仅涉及内部管理" in decide.text
    response = fzb.post(act_url(run), {"step": "participation", "decide": mark.pk, "approve": "false"})
    assert response.status_code == 303
    page = Page(fzb.get(page_url(run)).content)
    assert "驳回不适用申请须说明理由" in page.by_id(f"id_decide_{mark.pk}_reason_error").text
    fzb.post(act_url(run), {"step": "participation", "decide": mark.pk, "approve": "true"})
    assert "已批准「公众参与」不适用申请" in Page(fzb.get(page_url(run)).content).find(class_="alert-success").text
    page = Page(d01.get(page_url(run)).content)
    form = page.find("form", data_step="collective")
    assert form["enctype"] == "multipart/form-data" and page.find(id="id_act_collective_files") is not None
    response = d01.post(act_url(run), {"step": "collective", "outcome": "adopt", "files": [pdf()]})
    assert response.status_code == 303
    page = Page(d01.get(page_url(run)).content)
    assert page.find("section", data_testid="step-actions") is None and page.find(data_testid="procedure-closed")

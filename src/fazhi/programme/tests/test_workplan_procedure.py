"""The work-plan filing runs on the procedure `programme.workplan_filing`: each act is a step record, the
gate refuses a review of a filing that does not count (409, procedure.step_missing, with the basis) on the
service, the API and the page, and a filing keeps the definition version it started with."""

import pytest
from django.urls import reverse

from fazhi.core.errors import Conflict, InvalidInput
from fazhi.core.testing.html import Page
from fazhi.procedures import selectors as procedures
from fazhi.procedures import services as procedure_services
from fazhi.procedures.models import StepRecord
from fazhi.programme import selectors, services
from fazhi.programme.models import WorkPlanFiling
from fazhi.programme.tests.conftest import pdf
from fazhi.programme.tests.test_permissions import ProgrammeCases, file_workplan

MISSING = "未完成报备工作机构和工作方案(工作方案 五(四)(工作机构和工作方案4月底前报领导小组办公室备案))"


@pytest.fixture
def returned(world, programme):
    filing = file_workplan(world, world.unit("D01"))
    return services.workplan_review(filing=filing, actor=world.user("fzb"), archive=False, reason="缺少签字页")


DATA = {"head_name": "张", "head_phone": "1", "deputy_name": "李", "deputy_phone": "2", "staff": [{"name": "王", "phone": "3"}]}


def refile(world, filing, files=()):
    return services.workplan_file(programme=filing.programme, unit=filing.unit, actor=world.user(filing.unit.code.lower()),
                                  files=list(files), data=DATA, expected_version=filing.version)


def steps(filing):
    view = selectors.workplan_procedure(filing)
    return [(s.spec.code, s.state) for s in view.steps]


def test_each_act_is_a_step_record_and_the_status_follows(world, programme, returned):
    run = procedures.run_for(returned, "programme.workplan_filing")
    assert [(r.step.code, r.outcome, r.actor.username) for r in procedures.run_records(run)] == [
        ("file", "", "d01"), ("review", "return", "fzb")]
    assert returned.status == "returned" and steps(returned) == [("file", "open"), ("review", "open")]
    again = refile(world, returned, files=[pdf("方案.pdf")])
    assert again.status == "filed" and steps(again) == [("file", "done"), ("review", "open")]
    archived = services.workplan_review(filing=again, actor=world.user("fzb"), archive=True)
    assert archived.status == "archived" and steps(archived) == [("file", "done"), ("review", "done")]
    assert selectors.workplan_procedure(archived).closed_by is not None
    # The plan uploaded with the filing is evidence of the step `file`.
    files = selectors.workplan_files(user=world.user("d01"), filing=archived, procedure=selectors.workplan_procedure(archived))
    assert [f.original_name for f in files] == ["方案.pdf", "方案.pdf"]


def test_reviewing_a_returned_filing_is_refused_by_the_gate_with_the_basis(world, returned):
    with pytest.raises(Conflict) as e:
        services.workplan_review(filing=returned, actor=world.user("fzb"), archive=True)
    assert e.value.code == "procedure.step_missing" and MISSING in e.value.message
    assert WorkPlanFiling.objects.get(pk=returned.pk).status == "returned"


def test_the_api_answers_409_with_the_code_and_the_basis(world, returned):
    response = world.client("fzb").post(reverse("api:workplan-review", args=[returned.pk]), {"decision": "accept"},
                                        content_type="application/json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "procedure.step_missing" and MISSING in body["detail"] and body["errors"] == {}


def test_the_page_shows_the_refusal_with_its_code_and_the_steps(world, returned):
    client = world.client("fzb")
    response = client.post(reverse("workplan-review", args=[returned.pk]), {"decision": "accept"}, follow=True)
    page = Page(response.content)
    alert = page.find(data_error_code="procedure.step_missing")
    assert alert is not None and MISSING in alert.text
    table = page.find(data_testid="procedure-steps")
    assert table is not None and "须先完成:报备工作机构和工作方案" in page.find("tr", data_step="review").text
    assert "未完成" in page.find("tr", data_step="file").text


def test_a_filing_keeps_its_version_and_new_filings_take_the_new_one(world, programme, returned):
    current = procedures.definition_current("programme.workplan_filing")
    data = procedures.definition_as_dict(current)
    data["steps"][0]["attachments_required"] = False
    v2 = procedure_services.definition_publish(data=data, actor=world.user("fzb"))
    # D01's filing started on version 1: filing again still needs the plan's evidence as version 1 says.
    run = procedures.run_for(returned, "programme.workplan_filing")
    assert run.definition.version == 1
    refile(world, returned)  # the plan lodged with the first filing is still its evidence
    d02 = services.workplan_file(programme=programme, unit=world.unit("D02"), actor=world.user("d02"), files=[],
                                 data=DATA)  # version 2 no longer requires evidence
    assert procedures.run_for(d02, "programme.workplan_filing").definition == v2


def test_a_first_filing_without_the_plan_is_refused_and_leaves_nothing(world, programme):
    with pytest.raises(InvalidInput) as e:
        services.workplan_file(programme=programme, unit=world.unit("D01"), actor=world.user("d01"), files=[], data=DATA)
    assert e.value.field == "files" and "须附材料" in e.value.message
    assert not WorkPlanFiling.objects.exists() and not StepRecord.objects.exists()


def test_the_unit_sees_its_steps_on_the_filing_page(world, programme):
    file_workplan(world, world.unit("D01"))
    html = world.client("d01").get(reverse("workplan-file", args=["D01"])).content.decode()
    page = Page(html)
    assert "已完成" in page.find("tr", data_step="file").text
    review = page.find("tr", data_step="review").text
    assert "未完成" in review and "工作方案 五(四)(领导小组办公室收集整理归档)" in review


class TestWorkPlanReviewApi(ProgrammeCases):
    url_name = "api:workplan-review"
    api = True
    method = "post"

    def url(self, world, unit):
        self.filing = file_workplan(world, unit)
        return reverse("api:workplan-review", args=[self.filing.pk])

    def data(self, world, unit):
        return {"decision": "accept"}

    def test_same_unit(self, world):
        assert self.get(world, "d01")[0].status_code == 403
        assert WorkPlanFiling.objects.get(pk=self.filing.pk).status == "filed"

    def test_office_archives(self, world):
        response, unit = self.get(world, "fzb")
        assert response.status_code == 200 and response.json()["status"] == "archived"

    def test_leader_may_not(self, world):
        assert self.get(world, "leader")[0].status_code == 403


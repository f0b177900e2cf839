"""The four cases (anonymous, no role, same unit, other unit) for every page and endpoint of
the programme, plus the role rules: leaders read only, only the office reviews."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.core.models import Attachment
from fazhi.core.testing.scoping import ScopedCases
from fazhi.programme import services
from fazhi.programme.models import ProgressReport, WorkPlanFiling
from fazhi.programme.tests.conftest import pdf


class ProgrammeCases(ScopedCases):
    @pytest.fixture(autouse=True)
    def _programme(self, programme):
        self.programme = programme

    def assignment_of(self, unit, code="1.1"):
        return self.programme.tasks.get(code=code).assignments.get(unit=unit)

    def report_of(self, world, unit):
        a = self.assignment_of(unit)
        user = world.user(unit.code.lower())
        return services.report_submit(assignment=a, actor=user, text=f"{unit.name} 的进展", files=[pdf()],
                                      expected_version=a.version)


# ---------------------------------------------------------------- pages


class TestTablePage(ProgrammeCases):
    url_name = "programme-table"
    is_list = True

    def url(self, world, unit):
        return reverse("programme-table") + "?page_size=500&unit=" + unit.code

    def marker(self, world, unit):
        return unit.display_name + "</td>"


class TestWorkListPage(TestTablePage):
    url_name = "programme-worklist"

    def url(self, world, unit):
        return reverse("programme-worklist")


class TestOverviewPage(TestTablePage):
    url_name = "programme-overview"

    def url(self, world, unit):
        return reverse("programme-overview")

    def marker(self, world, unit):
        return f"<td>{unit.display_name}</td>"


class TestReviewQueuePage(ProgrammeCases):
    url_name = "programme-reviews"
    is_list = True

    def url(self, world, unit):
        self.report_of(world, unit)
        return reverse("programme-reviews")

    def marker(self, world, unit):
        return f"<td>{unit.display_name}</td>"


class TestTaskPage(ProgrammeCases):
    url_name = "task-detail"
    is_list = True  # a task is shared; its assignment rows are scoped

    def url(self, world, unit):
        return reverse("task-detail", args=[self.programme.tasks.get(code="1.1").pk])

    def marker(self, world, unit):
        return f">{unit.name}</a>"


class TestAssignmentPage(ProgrammeCases):
    url_name = "assignment-detail"

    def url(self, world, unit):
        return reverse("assignment-detail", args=[self.assignment_of(unit).pk])


class TestReportFormPage(TestAssignmentPage):
    url_name = "assignment-report"

    def url(self, world, unit):
        return reverse("assignment-report", args=[self.assignment_of(unit).pk])


class TestStartAction(TestAssignmentPage):
    url_name = "assignment-start"
    method = "post"

    def url(self, world, unit):
        return reverse("assignment-start", args=[self.assignment_of(unit).pk])

    def data(self, world, unit):
        return {"version": self.assignment_of(unit).version}

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 302
        assert self.assignment_of(unit).status == "in_progress"


class TestReviewAction(ProgrammeCases):
    url_name = "report-review"
    method = "post"

    def url(self, world, unit):
        self.report = self.report_of(world, unit)
        return reverse("report-review", args=[self.report.pk])

    def data(self, world, unit):
        return {"decision": "return", "reason": "缺材料"}

    def test_same_unit(self, world):
        # The unit sees its report but may not review it: only the office reviews.
        response, _ = self.get(world, "d01")
        assert response.status_code == 403
        assert ProgressReport.objects.get(pk=self.report.pk).status == "submitted"

    def test_office_returns(self, world):
        response, _ = self.get(world, "fzb")
        assert response.status_code == 302
        assert ProgressReport.objects.get(pk=self.report.pk).status == "returned"


class TestWithdrawAction(TestReviewAction):
    url_name = "report-withdraw"

    def url(self, world, unit):
        self.report = self.report_of(world, unit)
        return reverse("report-withdraw", args=[self.report.pk])

    def data(self, world, unit):
        return {"reason": "报错了任务"}

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 302
        assert ProgressReport.objects.get(pk=self.report.pk).status == "withdrawn"

    def test_office_returns(self, world):
        pass  # not an office act


class TestImportPage(ProgrammeCases):
    url_name = "programme-import"
    shared = False

    def url(self, world, unit):
        return reverse("programme-import")

    def test_same_unit(self, world):
        assert self.get(world, "d01")[0].status_code == 403

    def test_office(self, world):
        assert world.client("fzb").get(reverse("programme-import")).status_code == 200


class TestExport(ProgrammeCases):
    url_name = "programme-export"
    is_list = True

    def url(self, world, unit):
        return reverse("programme-export", args=["table"])

    def rows(self, response):
        wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        return [r for r in wb.worksheets[0].iter_rows(values_only=True)][1:]

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 200
        units = {r[3] for r in self.rows(response)}
        assert units == {"D01"}

    def test_other_unit(self, world):
        response, unit = self.get(world, "d02")
        assert response.status_code == 200
        assert "D01" not in {r[3] for r in self.rows(response)}


class TestWorkPlanListPage(ProgrammeCases):
    url_name = "workplan-list"
    is_list = True

    def url(self, world, unit):
        return reverse("workplan-list")

    def marker(self, world, unit):
        return f">{unit.name}</a>"


class TestWorkPlanPage(ProgrammeCases):
    url_name = "workplan-file"

    def url(self, world, unit):
        return reverse("workplan-file", args=[unit.code])


def file_workplan(world, unit, user=None):
    return services.workplan_file(
        programme=world_programme(), unit=unit, actor=user or world.user(unit.code.lower()), files=[pdf("方案.pdf")],
        data={"head_name": "张局长", "head_phone": "0915-1", "deputy_name": "李副局长", "deputy_phone": "0915-2",
              "staff": [{"name": "王专人", "phone": "138"}]})


def world_programme():
    from fazhi.programme.models import Programme

    return Programme.objects.current()


class TestWorkPlanReviewAction(ProgrammeCases):
    url_name = "workplan-review"
    method = "post"

    def url(self, world, unit):
        self.filing = file_workplan(world, unit)
        return reverse("workplan-review", args=[self.filing.pk])

    def data(self, world, unit):
        return {"decision": "accept"}

    def test_same_unit(self, world):
        assert self.get(world, "d01")[0].status_code == 403
        assert WorkPlanFiling.objects.get(pk=self.filing.pk).status == "filed"

    def test_office_archives(self, world):
        assert self.get(world, "fzb")[0].status_code == 302
        assert WorkPlanFiling.objects.get(pk=self.filing.pk).status == "archived"


class TestAttachmentDownload(ProgrammeCases):
    url_name = "attachment-download"

    def url(self, world, unit):
        report = self.report_of(world, unit)
        return reverse("attachment-download", args=[Attachment.objects.for_object(report).get().pk])

    def get(self, world, username):
        response, unit = super().get(world, username)
        if getattr(response, "streaming", False):
            response.body = b"".join(response.streaming_content)
        return response, unit

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 200
        assert response.body.startswith(b"%PDF")
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]


# ---------------------------------------------------------------- API


class TestTaskListApi(ProgrammeCases):
    url_name = "api:task-list"
    api = True
    shared = True

    def url(self, world, unit):
        return reverse("api:task-list")

    def marker(self, world, unit):
        return '"code":"1.1"'


class TestTaskDetailApi(TestTaskListApi):
    url_name = "api:task-detail"

    def url(self, world, unit):
        return reverse("api:task-detail", args=[self.programme.tasks.get(code="1.1").pk])


class TestAssignmentListApi(ProgrammeCases):
    url_name = "api:assignment-list"
    api = True
    is_list = True

    def url(self, world, unit):
        return reverse("api:assignment-list") + "?page_size=200"

    def marker(self, world, unit):
        return f'"unit":"{unit.code}"'


class TestAssignmentDetailApi(ProgrammeCases):
    url_name = "api:assignment-detail"
    api = True

    def url(self, world, unit):
        return reverse("api:assignment-detail", args=[self.assignment_of(unit).pk])

    def marker(self, world, unit):
        return f'"unit":"{unit.code}"'


class TestAssignmentReportsApi(TestAssignmentDetailApi):
    url_name = "api:assignment-reports"

    def url(self, world, unit):
        self.report_of(world, unit)
        return reverse("api:assignment-reports", args=[self.assignment_of(unit).pk])


class TestReportListApi(TestAssignmentListApi):
    url_name = "api:report-list"

    def url(self, world, unit):
        self.report_of(world, unit)
        return reverse("api:report-list") + "?status=submitted"


class TestReportDetailApi(TestAssignmentDetailApi):
    url_name = "api:report-detail"

    def url(self, world, unit):
        return reverse("api:report-detail", args=[self.report_of(world, unit).pk])


class TestReportReviewApi(ProgrammeCases):
    url_name = "api:report-review"
    api = True
    method = "post"

    def url(self, world, unit):
        self.report = self.report_of(world, unit)
        return reverse("api:report-review", args=[self.report.pk])

    def data(self, world, unit):
        return {"decision": "accept"}

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 403
        assert "法制办" in response.json()["detail"]


class TestReportBulkReviewApi(ProgrammeCases):
    url_name = "api:report-review-bulk"
    api = True
    method = "post"
    is_list = True

    def url(self, world, unit):
        self.report = self.report_of(world, unit)
        return reverse("api:report-review-bulk")

    def get(self, world, username):
        unit = world.unit("D01")
        url = self.url(world, unit)
        response = world.client(username).post(url, {"reports": [self.report.pk], "decision": "accept"},
                                               content_type="application/json")
        return response, unit

    def test_same_unit(self, world):
        assert self.get(world, "d01")[0].status_code == 403

    def test_other_unit(self, world):
        assert self.get(world, "d02")[0].status_code in (400, 403)
        assert ProgressReport.objects.get(pk=self.report.pk).status == "submitted"

    def test_no_role(self, world):
        assert self.get(world, "nobody")[0].status_code == 403


class TestWorkPlanListApi(ProgrammeCases):
    url_name = "api:workplan-list"
    api = True
    is_list = True

    def url(self, world, unit):
        file_workplan(world, unit)
        return reverse("api:workplan-list")

    def marker(self, world, unit):
        return f'"unit":"{unit.code}"'


class TestWorkPlanDetailApi(TestWorkPlanListApi):
    url_name = "api:workplan-detail"
    is_list = False

    def url(self, world, unit):
        return reverse("api:workplan-detail", args=[file_workplan(world, unit).pk])


# ---------------------------------------------------------------- roles


def test_leader_reads_everything_and_writes_nothing(world, programme, assignment):
    client = world.client("leader")
    assert client.get(reverse("programme-table")).status_code == 200
    assert client.get(reverse("assignment-detail", args=[assignment.pk])).status_code == 200
    response = client.post(reverse("assignment-report", args=[assignment.pk]),
                           {"text": "x", "files": [pdf()], "version": assignment.version})
    assert response.status_code == 403
    api = client.post(reverse("api:assignment-reports", args=[assignment.pk]),
                      {"text": "x", "files": [pdf()], "version": assignment.version})
    assert api.status_code == 403
    assert not ProgressReport.objects.exists()


def test_section_staff_cannot_report_for_the_parent_unit(world, programme, assignment):
    response = world.client("d01-zd").get(reverse("assignment-detail", args=[assignment.pk]))
    assert response.status_code == 404


class TestPhasesPage(ProgrammeCases):
    url_name = "programme-phases"
    shared = True

    def url(self, world, unit):
        return reverse("programme-phases")

    def marker(self, world, unit):
        return "组织实施"


def test_office_moves_a_phase_and_open_assignments_follow(world, programme, assignment):
    phase = programme.phases.get(key="implementation")
    new_end = phase.end + __import__("datetime").timedelta(days=10)
    client = world.client("fzb")
    response = client.post(reverse("programme-phases"), {"phase": phase.pk, "version": phase.version,
                                                         "start": phase.start.isoformat(), "end": new_end.isoformat(),
                                                         "reason": "区政府常务会议调整"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.due == new_end
    assert assignment.history.first().history_change_reason == "区政府常务会议调整"
    stale = client.post(reverse("programme-phases"), {"phase": phase.pk, "version": phase.version,
                                                      "start": phase.start.isoformat(), "end": phase.end.isoformat()})
    assert stale.status_code == 409
    assert world.client("d01").post(reverse("programme-phases"), {"phase": phase.pk}).status_code == 403
    from fazhi.programme.models import Tally

    def tallies():
        return sorted(Tally.objects.filter(count__gt=0).values_list("unit_id", "category", "phase", "status", "due",
                                                                    "count"))

    kept = tallies()  # the tallies moved with the assignments in the same transaction
    services.tallies_rebuild(programme)
    assert tallies() == kept


class TestProgrammeCreatePage(ProgrammeCases):
    url_name = "programme-create"

    def url(self, world, unit):
        return reverse("programme-create")

    def test_same_unit(self, world):
        assert self.get(world, "d01")[0].status_code == 403

    def test_office_sees_the_form(self, world):
        response = world.client("fzb").get(reverse("programme-create"))
        assert response.status_code == 200 and "建立创建周期" in response.content.decode()


def test_office_opens_a_new_cycle(world, programme):
    from fazhi.programme.models import Programme

    form = {"name": "依法行政示范区创建 2028–2029", "start": "2028-01-01", "end": "2029-12-31",
            "mobilization_start": "2028-01-01", "mobilization_end": "2028-02-29",
            "implementation_start": "2028-03-01", "implementation_end": "2029-04-30",
            "self_check_start": "2029-05-01", "self_check_end": "2029-08-31",
            "acceptance_start": "2029-09-01", "acceptance_end": "2029-12-31"}
    client = world.client("fzb")
    bad = client.post(reverse("programme-create"), {**form, "acceptance_end": "2030-06-30"})
    assert bad.status_code == 400 and "考核验收" in bad.content.decode()
    assert Programme.objects.count() == 1
    bad_date = client.post(reverse("programme-create"), {**form, "self_check_start": "2029-02-30"})
    assert bad_date.status_code == 400 and "「自查整改开始日期」" in bad_date.content.decode()
    ok = client.post(reverse("programme-create"), form)
    assert ok.status_code == 302
    current = Programme.objects.current()
    assert current.name == form["name"] and current.phases.count() == 4
    programme.refresh_from_db()
    assert not programme.is_current and programme.history.count() == 2


def test_home_work_list_is_for_units_the_office_gets_its_queue(world, programme, submitted):
    unit_home = world.client("d01").get("/").content.decode()
    # what the unit owes, from the one work list (1.1 is submitted: it waits for the office)
    assert 'data-testid="owed-table"' in unit_home and "/programme/assignments/" in unit_home
    office_home = world.client("fzb").get("/").content.decode()
    assert "待审核报送 1" in office_home and "查看创建进度" in office_home
    assert 'data-testid="worklist-table"' not in office_home and 'data-testid="owed-table"' not in office_home

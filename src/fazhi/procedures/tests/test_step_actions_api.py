"""POST …/{id}/steps/ (procedures.api.StepActionsMixin) on its first user, the work-plan filing
(/api/v1/workplans/{id}/steps/): JSON and multipart, every refusal in the one error format (400 naming the
field, 403 role, 404 another unit, 409 procedure.step_missing with the basis), `steps` on every record, the
list's steps in a constant number of queries, and the operation in the OpenAPI schema."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.procedures import selectors
from fazhi.procedures.models import StepRecord
from fazhi.programme.models import WorkPlanFiling
from fazhi.programme.tests.conftest import pdf, programme  # noqa: F401 — the fixture
from fazhi.programme.tests.test_permissions import ProgrammeCases, file_workplan

FILE_BASIS = "未完成报备工作机构和工作方案(工作方案 五(四)(工作机构和工作方案4月底前报领导小组办公室备案))"


def url(filing) -> str:
    return reverse("api:workplan-steps", args=[filing.pk])


def post(world, username, filing, body, multipart=False):
    client = world.client(username)
    if multipart:
        return client.post(url(filing), body)
    return client.post(url(filing), body, content_type="application/json")


@pytest.fixture
def filing(world, programme):  # noqa: F811
    return file_workplan(world, world.unit("D01"))


def states(body):
    return [(s["code"], s["state"], s["missing"]) for s in body["steps"]]


def test_return_then_file_again_with_files_then_archive(world, filing):
    response = post(world, "fzb", filing, {"step": "review", "outcome": "return", "note": "缺少签字页"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "returned" and body["review_reason"] == "缺少签字页"
    assert states(body) == [("file", "pending", []), ("review", "pending", ["file"])]
    # The filing step needs its material: multipart with files (the plan of the first filing still counts).
    response = post(world, "d01", filing, {"step": "file", "files": [pdf("补正.pdf")], "date": "2026-01-05"},
                    multipart=True)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "filed"
    run = selectors.run_for(filing, "programme.workplan_filing")
    latest = StepRecord.objects.filter(run=run, step__code="file").order_by("-id").first()
    names = [a.original_name for a in selectors.run_attachments(user=world.user("d01"), run=run)]
    assert names == ["方案.pdf", "补正.pdf"] and latest.act_date.isoformat() == "2026-01-05"
    response = post(world, "fzb", filing, {"step": "review", "outcome": "archive"})
    body = response.json()
    assert response.status_code == 200 and body["status"] == "archived"
    assert states(body) == [("file", "done", []), ("review", "done", [])]
    response = post(world, "d01", filing, {"step": "file"})
    assert response.status_code == 400 and response.json()["errors"] == {"status": ["方案已归档,如需修改请联系法制办"]}


def test_the_gate_answers_409_with_the_code_and_the_basis(world, filing):
    post(world, "fzb", filing, {"step": "review", "outcome": "return", "note": "缺页"})
    response = post(world, "fzb", filing, {"step": "review", "outcome": "archive"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "procedure.step_missing" and FILE_BASIS in body["detail"] and body["errors"] == {}
    assert WorkPlanFiling.objects.get(pk=filing.pk).status == "returned"


@pytest.mark.parametrize("body, field, text", [
    ({"step": "review", "outcome": "keep"}, "outcome", "请选择「法制办审核归档」的结果(归档、退回补正)"),
    ({"step": "review", "outcome": "archive", "date": "2026-13-01"}, "date", "「办理日期」2026-13-01 不是有效的日期"),
    ({"step": "nope"}, "step", "「步骤」nope 不是「创建工作机构和工作方案备案」的步骤"),
    ({"step": "review", "outcome": "return"}, "note", "选择「退回补正」须在「说明」中写明理由"),
    ({"step": "review", "not_applicable": True, "reason": "无"}, "step", "是必经步骤,不能标记不适用"),
    (["review"], None, "请求体应为 JSON 对象"),
])
def test_bad_input_is_a_400_naming_the_field(world, filing, body, field, text):
    response = post(world, "fzb", filing, body)
    assert response.status_code == 400
    answer = response.json()
    assert text in answer["detail"]
    assert answer["errors"] == ({field: [answer["detail"]]} if field else {})


def test_broken_json_and_files_in_json_are_refused(world, filing):
    response = world.client("fzb").post(url(filing), "{", content_type="application/json")
    assert response.status_code == 400 and "不是有效的 JSON" in response.json()["detail"]
    response = post(world, "d01", filing, {"step": "file", "files": ["方案.pdf"]})
    assert response.status_code == 400 and "multipart/form-data" in response.json()["errors"]["files"][0]


@pytest.mark.parametrize("username, body, status", [
    ("d01", {"step": "review", "outcome": "archive"}, 403),  # the unit's admin on the office's step
    ("d01-staff", {"step": "review", "outcome": "archive"}, 403),  # the unit's staff on the office's step
    ("d01-zd", {"step": "file"}, 404),  # a sub-unit's staff does not see its parent's record
    ("leader", {"step": "review", "outcome": "archive"}, 403),
    ("leader", {"step": "file"}, 403),
    ("inspector", {"step": "file"}, 403),
    ("d02", {"step": "file"}, 404),  # another unit's record
    ("nobody", {"step": "file"}, 403),
])
def test_roles_are_refused(world, filing, username, body, status):
    if username == "d01-staff":
        from fazhi.core.scoping import UNIT_STAFF
        from fazhi.org.models import User
        from fazhi.org.services import role_grant

        role_grant(user=User.objects.create(username=username), unit=world.unit("D01"), role=UNIT_STAFF,
                   granted_by=world.user("admin"))
    response = post(world, username, filing, body)
    assert response.status_code == status, response.content
    assert response.json()["detail"]
    assert StepRecord.objects.filter(run__object_id=str(filing.pk)).count() == 1


def test_records_and_lists_carry_their_steps_in_a_constant_number_of_queries(world, programme):  # noqa: F811
    client = world.client("fzb")

    def listed():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/api/v1/workplans/?page_size=100")
        assert response.status_code == 200
        return response.json()["results"], len(ctx)

    first = file_workplan(world, world.unit("D01"))
    file_workplan(world, world.unit("D02"))
    few, few_queries = listed()
    for code in ("D03", "D04", "D05", "D06", "D07", "D08"):
        file_workplan(world, world.unit(code))
    post(world, "fzb", first, {"step": "review", "outcome": "archive"})
    many, many_queries = listed()
    assert len(few) == 2 and len(many) == 8 and few_queries == many_queries
    by_unit = {r["unit"]: states(r) for r in many}
    assert by_unit["D01"] == [("file", "done", []), ("review", "done", [])]
    assert by_unit["D05"] == [("file", "done", []), ("review", "pending", [])]
    detail = client.get(f"/api/v1/workplans/{first.pk}/").json()
    assert detail["steps"] == next(r for r in many if r["unit"] == "D01")["steps"]
    assert detail["steps"][1] == {"code": "review", "name": "法制办审核归档", "state": "done", "state_label": "已完成",
                                  "missing": [], "mandatory": True, "role": "office"}


def test_the_operation_is_in_the_openapi_schema(db):
    from fazhi.core.tests.test_api_fuzz import _generated_schema

    schema = _generated_schema()
    operation = schema["paths"]["/api/v1/workplans/{id}/steps/"]["post"]
    content = operation["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(content)
    assert set(operation["responses"]) >= {"200", "400", "403", "404", "409"}
    assert "procedure.step_missing" in operation["description"]
    steps = schema["components"]["schemas"]["WorkPlan"]["properties"]["steps"]
    assert steps["type"] == "array" and steps["readOnly"] is True


class TestWorkPlanStepsApi(ProgrammeCases):
    url_name = "api:workplan-steps"
    api = True
    method = "post"

    def url(self, world, unit):
        self.filing = file_workplan(world, unit)
        return url(self.filing)

    def data(self, world, unit):
        return {"step": "file"}

    def marker(self, world, unit):
        return unit.code

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")  # files again (the plan lodged first still counts)
        assert response.status_code == 200 and response.json()["unit"] == unit.code
        assert StepRecord.objects.filter(run__object_id=str(self.filing.pk), step__code="file").count() == 2


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False)
                           | st.text(max_size=30) | st.sampled_from(["file", "review", "archive", "return", "2026-01-05",
                                                                     "true", "1", ""]),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                          max_size=3), max_leaves=5)
FIELDS = ["step", "date", "outcome", "note", "files", "not_applicable", "reason", "decide", "approve"]


@given(body=st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, max_size=6) | JSON_VALUES,
       username=st.sampled_from(["fzb", "d01"]))
@settings(max_examples=60, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_any_json_body_on_a_real_record_is_answered_never_a_500(world, filing, body, username):
    response = world.client(username).post(url(filing), body, content_type="application/json")
    assert response.status_code in (200, 400, 403, 409), response.content
    answer = response.json()
    if response.status_code != 200:
        assert answer["detail"] and set(answer) <= {"detail", "errors", "code"}

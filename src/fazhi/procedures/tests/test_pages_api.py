"""The four cases for every procedures page and endpoint (definitions are reference data: every role reads
them, only the office changes them), the API's shape, the office's form and import with their messages."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi.core.testing.html import Page
from fazhi.core.testing.scoping import ScopedCases
from fazhi.procedures import selectors, services
from fazhi.procedures.models import ProcedureDefinition

CODE = "programme.workplan_filing"
NAME = "创建工作机构和工作方案备案"


class DefinitionCases(ScopedCases):
    shared = True

    def marker(self, world, unit):
        return NAME


class TestListPage(DefinitionCases):
    url_name = "procedure-list"

    def url(self, world, unit):
        return reverse("procedure-list")


class TestDetailPage(DefinitionCases):
    url_name = "procedure-detail"

    def url(self, world, unit):
        return reverse("procedure-detail", args=[CODE])

    def test_steps_with_bases_and_unknown_code(self, world):
        html = world.client("d01").get(self.url(world, None)).content.decode()
        assert "工作方案 五(四)(领导小组办公室收集整理归档)" in html and "发布新版本" not in html
        assert "发布新版本" in world.client("fzb").get(self.url(world, None)).content.decode()
        assert world.client("d01").get(reverse("procedure-detail", args=["no.such"])).status_code == 404
        assert world.client("d01").get(self.url(world, None) + "?version=x").status_code == 404


class TestExport(DefinitionCases):
    url_name = "procedure-export"

    def url(self, world, unit):
        return reverse("procedure-export", args=[CODE])

    def test_export_is_the_definition_as_json(self, world):
        response = world.client("d01").get(self.url(world, None))
        assert response["Content-Type"].startswith("application/json") and "attachment" in response["Content-Disposition"]
        data = json.loads(response.content)
        assert data["code"] == CODE and [s["code"] for s in data["steps"]] == ["file", "review"]


class OfficeOnly(DefinitionCases):
    def test_same_unit(self, world):
        assert self.get(world, "d01")[0].status_code == 403

    def test_other_unit(self, world):
        assert self.get(world, "d02")[0].status_code == 403

    def test_leader_reads_but_may_not_change(self, world):
        assert self.get(world, "leader")[0].status_code == 403

    def test_office(self, world):
        assert self.get(world, "fzb")[0].status_code == 200


class TestNewVersionPage(OfficeOnly):
    url_name = "procedure-new-version"

    def url(self, world, unit):
        return reverse("procedure-new-version", args=[CODE])


class TestImportPage(OfficeOnly):
    url_name = "procedure-import"

    def url(self, world, unit):
        return reverse("procedure-import")

    def marker(self, world, unit):
        return "导入程序定义"


class TestApiList(DefinitionCases):
    url_name = "api:procedure-list"
    api = True

    def url(self, world, unit):
        return reverse("api:procedure-list")


class TestApiDetail(DefinitionCases):
    url_name = "api:procedure-detail"
    api = True

    def url(self, world, unit):
        return reverse("api:procedure-detail", args=[CODE])


@pytest.mark.parametrize("username", ["fzb", "leader", "inspector", "d01", "d01-zd"])
def test_api_gives_the_current_version_steps_to_every_role(world, username):
    client = world.client(username)
    body = client.get(reverse("api:procedure-detail", args=[CODE])).json()
    assert body["version"] == 1 and body["name"] == NAME
    review = body["steps"][1]
    assert {k: review[k] for k in ("code", "name", "mandatory", "requires", "role", "deadline_rule")} == {
        "code": "review", "name": "法制办审核归档", "mandatory": True, "requires": ["file"], "role": "office",
        "deadline_rule": ""}
    assert review["basis"].startswith("工作方案 五(四)")
    assert body["steps"][0]["deadline_rule"] == "programme.workplan_file"
    # Filing stops the filing deadline (owed by the programme's own work-list source: nothing to close here).
    assert body["steps"][0]["deadline_action"] == "stop" and review["deadline_action"] == ""
    listed = client.get(reverse("api:procedure-list")).json()
    # Every shipped definition (procedures/data/*.json), each once, in its version in force.
    codes = [d["code"] for d in listed["results"]]
    assert codes == sorted(services.builtin_files()) and CODE in codes
    assert next(d for d in listed["results"] if d["code"] == CODE)["steps"][0]["code"] == "file"


def test_api_detail_other_versions_and_refusals(world):
    client = world.client("d01")
    assert client.get(reverse("api:procedure-detail", args=["no.such"])).status_code == 404
    response = client.get(reverse("api:procedure-detail", args=[CODE]) + "?version=abc")
    assert response.status_code == 400 and "版本号" in response.json()["detail"]
    assert client.get(reverse("api:procedure-detail", args=[CODE]) + "?version=9").status_code == 404
    for bad in ("²", "0", "9" * 5000):
        assert client.get(reverse("api:procedure-detail", args=[CODE]), {"version": bad}).status_code == 400
        assert client.get(reverse("procedure-detail", args=[CODE]), {"version": bad}).status_code == 404
    assert world.client(None).get(reverse("api:procedure-list")).status_code == 401
    assert world.client("nobody").get(reverse("api:procedure-list")).status_code == 403


def test_the_schema_documents_the_endpoints(world):
    schema = world.client("d01").get("/api/v1/openapi.json").json()
    detail = schema["paths"]["/api/v1/procedures/{code}/"]["get"]
    assert {"200", "401", "403", "404"} <= set(detail["responses"])
    step = schema["components"]["schemas"]["Step"]["properties"]
    assert {"code", "name", "mandatory", "requires", "basis", "role", "deadline_rule", "deadline_action"} <= set(step)
    assert "code" in schema["components"]["schemas"]["Error"]["properties"]


def form_data(definition, row_changes=None):
    """The new-version form as the browser posts it, from the definition's steps (row_changes: {row: {field: v}})."""
    row_changes = row_changes or {}
    data = {"name": definition.name, "note": definition.note, "based_on": definition.version}
    steps = selectors.definition_as_dict(definition)["steps"]
    data.update({"steps-TOTAL_FORMS": len(steps), "steps-INITIAL_FORMS": len(steps), "steps-MIN_NUM_FORMS": 0,
                 "steps-MAX_NUM_FORMS": 100})
    from fazhi.procedures.forms import step_initial

    for i, step in enumerate(steps):
        row = {**step_initial(step), **row_changes.get(i + 1, {})}
        for key, value in row.items():
            if isinstance(value, bool):
                if value:
                    data[f"steps-{i}-{key}"] = "on"
            else:
                data[f"steps-{i}-{key}"] = value
    return data


def test_office_publishes_a_new_version_from_the_form(world):
    current = selectors.definition_current(CODE)
    url = reverse("procedure-new-version", args=[CODE])
    response = world.client("fzb").post(url, form_data(current, {2: {"basis": "工作方案 五(四);新依据"}}))
    assert response.status_code == 302, response.content.decode()[:2000]
    v2 = selectors.definition_current(CODE)
    assert v2.version == 2 and v2.steps.get(code="review").basis == "工作方案 五(四);新依据"
    assert v2.steps.get(code="review").outcomes == current.steps.get(code="review").outcomes
    # A form opened on version 1 and posted after version 2 was published is refused.
    response = world.client("fzb").post(url, form_data(current))
    assert response.status_code == 409 and "编辑期间已发布第 2 版" in response.content.decode()


def test_bad_rows_are_named_at_their_field(world):
    current = selectors.definition_current(CODE)
    response = world.client("fzb").post(reverse("procedure-new-version", args=[CODE]), form_data(
        current, {2: {"code": "file", "requires": "file, ghost"}}))
    assert response.status_code == 400
    page = Page(response.content)
    summary = page.find(data_testid="definition-errors").text
    assert "第 2 步「步骤编码」file 与第 1 步重复" in summary
    code = page.by_id("id_steps-1-code")
    assert "is-invalid" in code["class"] and "id_steps-1-code_error" in code["aria-describedby"]
    assert "「步骤编码」file 与第 1 步重复" in page.by_id("id_steps-1-code_error").text
    assert ProcedureDefinition.objects.filter(code=CODE).count() == 1
    response = world.client("fzb").post(reverse("procedure-new-version", args=[CODE]), form_data(
        current, {2: {"outcomes": "archive"}}))
    assert response.status_code == 400 and "第 1 行缺少名称" in Page(response.content).by_id("id_steps-1-outcomes_error").text


def test_import_page_publishes_and_refuses_with_reasons(world):
    client = world.client("fzb")
    data = selectors.definition_as_dict(selectors.definition_current(CODE))
    data["steps"][1]["requires"] = ["review"]
    upload = SimpleUploadedFile("p.json", json.dumps(data).encode(), content_type="application/json")
    response = client.post(reverse("procedure-import"), {"file": upload})
    assert response.status_code == 400
    assert "第 2 步「前置步骤」不能包含本步骤自己" in Page(response.content).find(data_testid="definition-errors").text
    data["steps"][1]["requires"] = ["file"]
    data["code"] = "programme.copy"
    upload = SimpleUploadedFile("p.json", json.dumps(data).encode(), content_type="application/json")
    response = client.post(reverse("procedure-import"), {"file": upload})
    assert response.status_code == 302 and response["Location"] == reverse("procedure-detail", args=["programme.copy"])
    assert selectors.definition_current("programme.copy").version == 1
    assert world.client("d01").post(reverse("procedure-import"), {"file": upload}).status_code == 403

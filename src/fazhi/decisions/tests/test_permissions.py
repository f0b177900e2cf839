"""The four cases (anonymous, no role, same unit, other unit) for every page and endpoint of major decisions,
plus the role rules: only the office draws up, adjusts and publishes the catalogue and closes accountability;
the office or an inspector opens it; the lead unit acts on its own decisions' steps; the public sees only a
published catalogue."""

import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.core.testing.public import PublicCases
from fazhi.core.testing.scoping import ScopedCases
from fazhi.decisions import models as m
from fazhi.decisions import services
from fazhi.decisions.tests.conftest import ITEM, days, today
from fazhi.procedures.models import StepRecord


class DecisionCases(ScopedCases):
    @pytest.fixture(autouse=True)
    def _decisions(self, world):
        fzb = world.user("fzb")
        self.catalogue = services.catalogue_create(year=today().year, actor=fzb)
        self.decisions = {}
        for code in ("D01", "D02"):
            unit = world.unit(code)
            self.decisions[code] = services.decision_add(catalogue=self.catalogue, actor=fzb, data={
                **ITEM, "title": f"{unit.name}承办的决策事项", "unit": unit, "planned": days(60)})

    def decision(self, unit):
        return self.decisions[unit.code]

    def marker(self, world, unit):
        return f"{unit.name}承办的决策事项"


# ---------------------------------------------------------------- pages


class TestCataloguePage(DecisionCases):
    url_name = "decision-catalogue"
    is_list = True

    def url(self, world, unit):
        return reverse("decision-catalogue") + f"?year={self.catalogue.year}"

    def test_unknown_year_is_404(self, world):
        assert world.client("fzb").get(reverse("decision-catalogue") + "?year=1999").status_code == 404
        assert world.client("fzb").get(reverse("decision-catalogue") + "?year=abc").status_code == 404


class TestExport(DecisionCases):
    url_name = "decision-export"
    is_list = True

    def url(self, world, unit):
        return reverse("decision-export") + f"?year={self.catalogue.year}"

    def rows(self, response):
        wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        return [r for r in wb.worksheets[0].iter_rows(values_only=True)][1:]

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 200
        assert [r[3] for r in self.rows(response)] == [unit.name]

    def test_other_unit(self, world):
        response, unit = self.get(world, "d02")
        assert response.status_code == 200
        assert unit.name not in {r[3] for r in self.rows(response)}


class OfficeOnly(DecisionCases):
    """The unit sees the record but may not do this: only the office."""

    method = "post"

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 403


class TestCatalogueCreate(OfficeOnly):
    url_name = "decision-catalogue-create"

    def url(self, world, unit):
        return reverse("decision-catalogue-create")

    def data(self, world, unit):
        return {"year": 2099}

    def test_other_unit(self, world):
        response, _ = self.get(world, "d02")
        assert response.status_code == 403

    def test_office_creates_and_a_second_is_refused(self, world):
        response, _ = self.get(world, "fzb")
        assert response.status_code == 303 and m.Catalogue.objects.filter(year=2099).exists()
        response, _ = self.get(world, "fzb")
        assert response.status_code == 400 and "2099 年度的目录已经存在" in response.content.decode()


class TestCataloguePublish(OfficeOnly):
    url_name = "decision-catalogue-publish"
    shared = False

    def url(self, world, unit):
        return reverse("decision-catalogue-publish", args=[self.catalogue.pk])

    def data(self, world, unit):
        return {"version": self.catalogue.version}

    def test_other_unit(self, world):
        response, _ = self.get(world, "d02")
        assert response.status_code == 403

    def test_office_publishes(self, world):
        response, _ = self.get(world, "fzb")
        assert response.status_code == 303
        assert m.Catalogue.objects.get(pk=self.catalogue.pk).published


class TestItemAdd(OfficeOnly):
    url_name = "decision-add"
    method = "get"

    def url(self, world, unit):
        return reverse("decision-add", args=[self.catalogue.pk])

    def test_other_unit(self, world):
        response, _ = self.get(world, "d02")
        assert response.status_code == 403

    def test_office_adds_with_a_reason_once_published(self, world):
        services.catalogue_publish(catalogue=self.catalogue, actor=world.user("fzb"),
                                   expected_version=self.catalogue.version)
        client = world.client("fzb")
        data = {**ITEM, "unit": "D03", "planned": str(days(30)), "stability": "on"}
        response = client.post(self.url(world, None), data)
        assert response.status_code == 400 and "调整理由" in response.content.decode()
        response = client.post(self.url(world, None), {**data, "reason": "区政府常务会议决定增补"})
        assert response.status_code == 303
        added = m.Decision.objects.get(unit__code="D03")
        assert added.stability and added.adjustments.get().reason == "区政府常务会议决定增补"
        assert added.adjustments.get().after_publication


class TestDecisionPage(DecisionCases):
    url_name = "decision-detail"

    def url(self, world, unit):
        return reverse("decision-detail", args=[self.decision(unit).pk])


class TestItemEdit(OfficeOnly):
    url_name = "decision-edit"
    method = "get"

    def url(self, world, unit):
        return reverse("decision-edit", args=[self.decision(unit).pk])

    def test_office_changes_with_history(self, world):
        d = self.decision(world.unit("D01"))
        client = world.client("fzb")
        assert client.get(self.url(world, world.unit("D01"))).status_code == 200
        data = {**ITEM, "title": "改名后的事项", "unit": "D01", "planned": str(days(60)), "professional": "on",
                "version": d.version}
        response = client.post(self.url(world, world.unit("D01")), data)
        assert response.status_code == 303
        adj = d.adjustments.get(kind=m.CHANGE)
        assert adj.changes["决策事项"][1] == "改名后的事项" and adj.changes["专业性、技术性较强"] == ["否", "是"]
        page = client.get(reverse("decision-detail", args=[d.pk])).content.decode()
        assert "改名后的事项" in page and "专业性、技术性较强" in page


class TestItemRemove(OfficeOnly):
    url_name = "decision-remove"

    def url(self, world, unit):
        return reverse("decision-remove", args=[self.decision(unit).pk])

    def data(self, world, unit):
        return {"reason": "上级统一部署,不再作为本级决策事项", "version": self.decision(unit).version}

    def test_office_removes_with_reason(self, world):
        response, unit = self.get(world, "fzb")
        assert response.status_code == 303
        d = m.Decision.objects.get(pk=self.decision(unit).pk)
        assert d.status == m.REMOVED and d.adjustments.get(kind=m.REMOVE).reason.startswith("上级统一部署")


class TestStepAction(DecisionCases):
    url_name = "decision-step"
    method = "post"

    def url(self, world, unit):
        return reverse("decision-step", args=[self.decision(unit).pk])

    def data(self, world, unit):
        return {"step": "hearing", "not_applicable": "on", "reason": "不涉及特定群体利益"}

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 303
        assert StepRecord.objects.filter(run__object_id=str(self.decision(unit).pk), kind="not_applicable").exists()

    def test_refusal_is_shown_with_its_code(self, world):
        unit = world.unit("D01")
        client = world.client("d01")
        response = client.post(self.url(world, unit), {"step": "legality_submit"})
        assert response.status_code == 303
        page = client.get(response["Location"]).content.decode()
        assert 'data-error-code="procedure.step_missing"' in page and "第14条" in page

    def test_office_step_is_403_for_the_unit(self, world):
        response = world.client("d01").post(self.url(world, world.unit("D01")),
                                             {"step": "legality_review", "outcome": "lawful"})
        assert response.status_code == 403


class TestConsultationOpen(DecisionCases):
    url_name = "decision-consult"
    method = "post"

    def url(self, world, unit):
        return reverse("decision-consult", args=[self.decision(unit).pk])

    def data(self, world, unit):
        return {"title": "公开征求意见", "text": "征求意见稿", "starts_on": str(today()), "ends_on": str(days(31))}

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 303
        d = m.Decision.objects.get(pk=self.decision(unit).pk)
        assert d.status == m.CONSULTING

    def test_too_short_is_refused_naming_the_field(self, world):
        unit = world.unit("D01")
        response = world.client("d01").post(self.url(world, unit), {**self.data(world, unit), "ends_on": str(days(10))})
        assert response.status_code == 400 and "缩短理由" in response.content.decode()


class TestAccountabilityOpen(OfficeOnly):
    url_name = "decision-accountability-open"

    def url(self, world, unit):
        return reverse("decision-accountability-open", args=[self.decision(unit).pk])

    def data(self, world, unit):
        return {"grounds": ["against_procedure"], "facts": "未经合法性审查即提交讨论", "loss": "项目返工损失 30 万元",
                "people": "张三 副局长\n李四", "units": ["D01"]}

    def test_other_unit(self, world):
        response, _ = self.get(world, "d02")
        assert response.status_code in (403, 404)

    def test_inspector_opens_and_office_closes(self, world):
        response, unit = self.get(world, "inspector")
        assert response.status_code == 303
        record = m.Accountability.objects.get()
        assert record.people == [{"name": "张三", "post": "副局长"}, {"name": "李四", "post": ""}]
        assert list(record.units.values_list("code", flat=True)) == ["D01"]
        url = reverse("accountability-detail", args=[record.pk])
        assert world.client("inspector").post(url, {"result": "x", "version": record.version}).status_code == 403
        response = world.client("fzb").post(url, {"result": "给予张三诫勉谈话", "version": record.version})
        assert response.status_code == 303
        record.refresh_from_db()
        assert record.status == m.ACC_CLOSED and record.result == "给予张三诫勉谈话"
        assert record.history.count() == 2


class TestAccountabilityPage(DecisionCases):
    url_name = "accountability-detail"

    def url(self, world, unit):
        record = services.accountability_open(decision=self.decision(unit), actor=world.user("fzb"),
                                              grounds=["beyond_authority"], facts="越权", loss="损失",
                                              people=[{"name": "王五", "post": "科长"}], units=[unit])
        return reverse("accountability-detail", args=[record.pk])

    def marker(self, world, unit):
        return f"{unit.name}承办的决策事项"


# ---------------------------------------------------------------- API


class TestApiList(DecisionCases):
    url_name = "api:decision-list"
    api = True
    is_list = True

    def url(self, world, unit):
        return reverse("api:decision-list") + f"?year={self.catalogue.year}"

    def test_fields_and_filters(self, world):
        client = world.client("fzb")
        body = client.get(reverse("api:decision-list") + "?unit=D01").json()
        assert body["count"] == 1
        row = body["results"][0]
        assert row["unit"] == "D01" and row["status"] == "catalogued" and row["year"] == self.catalogue.year
        assert row["flags"] == {"professional": False, "stability": False, "hearing": False}
        assert [s["code"] for s in row["steps"]][:2] == ["consult", "hearing"]
        assert row["steps"][4]["missing"] == ["consult"]
        for bad in ("year=20", "status=nope", "unit=ZZZ"):
            response = client.get(reverse("api:decision-list") + "?" + bad)
            assert response.status_code == 400 and bad.split("=")[0] in response.json()["errors"]
        response = world.client("d01").get(reverse("api:decision-list") + "?unit=D02")
        assert response.status_code == 400


class TestApiDetail(DecisionCases):
    url_name = "api:decision-detail"
    api = True

    def url(self, world, unit):
        return reverse("api:decision-detail", args=[self.decision(unit).pk])


class TestApiSteps(DecisionCases):
    url_name = "api:decision-steps"
    api = True
    method = "post"

    def url(self, world, unit):
        return reverse("api:decision-steps", args=[self.decision(unit).pk])

    def data(self, world, unit):
        return {"step": "hearing", "not_applicable": True, "reason": "不涉及"}

    def test_missing_step_is_409_naming_the_basis(self, world):
        unit = world.unit("D01")
        response = world.client("d01").post(self.url(world, unit), {"step": "legality_submit"},
                                            content_type="application/json")
        assert response.status_code == 409
        body = response.json()
        assert body["code"] == "procedure.step_missing" and "重大行政决策程序暂行条例 第14条" in body["detail"]

    def test_flagged_step_not_applicable_is_400(self, world):
        unit = world.unit("D01")
        d = self.decision(unit)
        services.decision_change(decision=d, data={**{k: getattr(d, k) for k in services.ITEM_FIELDS},
                                                   "stability": True}, actor=world.user("fzb"), reason="",
                                 expected_version=d.version)
        response = world.client("d01").post(self.url(world, unit), {"step": "risk", "not_applicable": True,
                                                                     "reason": "不涉及"},
                                            content_type="application/json")
        assert response.status_code == 400 and "not_applicable" in response.json()["errors"]


class TestApiCatalogues(DecisionCases):
    url_name = "api:decision-catalogue-list"
    api = True
    shared = True

    def url(self, world, unit):
        return reverse("api:decision-catalogue-list")

    def marker(self, world, unit):
        return self.catalogue.title

    def test_counts_are_scoped(self, world):
        rows = world.client("d01").get(self.url(world, None)).json()["results"]
        assert rows[0]["items"] == 1
        assert world.client("fzb").get(self.url(world, None)).json()["results"][0]["items"] == 2


class TestApiCatalogue(TestApiCatalogues):
    url_name = "api:decision-catalogue-detail"

    def url(self, world, unit):
        return reverse("api:decision-catalogue-detail", args=[self.catalogue.pk])

    test_counts_are_scoped = None


# ---------------------------------------------------------------- the public site


class TestPublicDecisions(PublicCases):
    url_name = "public-decisions"

    @pytest.fixture(autouse=True)
    def _published(self, world):
        fzb = world.user("fzb")
        self.draft = services.catalogue_create(year=today().year + 1, actor=fzb)
        services.decision_add(catalogue=self.draft, actor=fzb, data={**ITEM, "title": "未公布目录中的事项",
                                                                     "unit": world.unit("D01"), "planned": days(400)})
        self.catalogue = services.catalogue_create(year=today().year, actor=fzb)
        self.item = services.decision_add(catalogue=self.catalogue, actor=fzb, data={
            **ITEM, "unit": world.unit("D01"), "planned": days(60), "stability": True})
        services.catalogue_publish(catalogue=self.catalogue, actor=fzb, expected_version=self.catalogue.version)

    def url(self, world):
        return "/public/decisions/"

    def test_published_catalogue_with_public_status(self, world):
        body = world.client().get(f"/public/decisions/?year={self.catalogue.year}").content.decode()
        assert ITEM["title"] in body and "未启动" in body and "涉及社会稳定" in body
        assert "未公布目录中的事项" not in body

    def test_unpublished_year_is_404(self, world):
        assert world.client().get(f"/public/decisions/?year={self.draft.year}").status_code == 404
        assert world.client().get("/public/decisions/?year=1999").status_code == 404
        assert world.client().get("/public/decisions/?year=x").status_code == 404

    def test_adjustment_after_publication_is_public_with_its_reason(self, world):
        services.decision_remove(decision=self.item, actor=world.user("fzb"), reason="情况变化,暂不决策",
                                 expected_version=self.item.version)
        body = world.client().get("/public/decisions/").content.decode()
        assert "情况变化,暂不决策" in body and "调出" in body


def test_api_body_is_json(world):
    assert json.loads(world.client("fzb").get(reverse("api:decision-catalogue-list")).content)["count"] == 0

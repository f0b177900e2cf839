"""The four cases (anonymous, no role, same unit, other unit) for every page and endpoint of 行政应诉, plus the
role rules: the defendant unit (or the office) registers and records; leaders and inspectors read only; only the
office closes an accountability record; another unit's case is a 404; bad input names the field; a stale edit
is refused."""

import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.core.testing.scoping import ScopedCases
from fazhi.remedies.litigation import models as m
from fazhi.remedies.litigation.tests.conftest import (
    absent_hearing, case_data, days, effective, hearing, judge, pdf, register, today,
)


class CaseCases(ScopedCases):
    @pytest.fixture(autouse=True)
    def _cases(self, world):
        self.cases = {}
        for code in ("D01", "D02"):
            unit = world.unit(code)
            self.cases[code] = register(world, unit=code, case_number=f"(2026)陕0113行初{code}号",
                                        cause=f"{unit.name}被诉的案由")

    def case(self, unit):
        return self.cases[unit.code]

    def marker(self, world, unit):
        return f"{unit.name}被诉的案由"

    def lost_case(self, world, unit):
        """The unit's case lost with nobody of it at the hearing, effective: its accountability record is open."""
        case = self.case(unit)
        user = world.user(unit.code.lower())
        absent_hearing(world, case, user=unit.code.lower())
        case = judge(case, user, result="revoke", loss_causes=["no_appearance"])
        return effective(case, user)


# ---------------------------------------------------------------- pages


class TestList(CaseCases):
    url_name = "litigation-list"
    is_list = True

    def url(self, world, unit):
        return reverse("litigation-list")

    def test_filters_and_bad_values(self, world):
        client = world.client("fzb")
        page = client.get(reverse("litigation-list") + "?unit=D02").content.decode()
        assert "D02" in page or world.unit("D02").name in page
        assert world.unit("D01").name + "被诉的案由" not in page
        for bad in ("status=nope", "year=20x", "lost=maybe", "unit=!!"):
            response = client.get(reverse("litigation-list") + "?" + bad)
            assert response.status_code == 400, bad
        assert world.client("d01").get(reverse("litigation-list") + "?unit=D02").status_code == 400
        assert client.get(reverse("litigation-list") + "?lost=true").status_code == 200


class TestCreate(CaseCases):
    url_name = "litigation-create"

    def url(self, world, unit):
        return reverse("litigation-create")

    def marker(self, world, unit):
        return "登记行政应诉案件"

    def test_other_unit(self, world):
        # another unit's user may register its own cases: the form offers only its own unit
        response, unit = self.get(world, "d02")
        assert response.status_code == 200 and f'value="{unit.code}"' not in response.content.decode()

    def test_leader_may_not_register(self, world):
        assert world.client("leader").get(self.url(world, None)).status_code == 403

    def test_post_registers_or_names_the_field(self, world):
        client = world.client("d01")
        data = {**case_data(case_number="(2026)陕0113行初99号"), "plaintiffs": "李四 自然人\n某公司 法人",
                "received_on": str(days(-2)), "act_date": str(days(-30)), "court_level": "first", "unit": "D01"}
        data.pop("third_parties")
        response = client.post(self.url(world, None), {**data, "received_on": "2026-13-01"})
        assert response.status_code == 400 and "收到起诉状副本和应诉通知书日期" in response.content.decode()
        response = client.post(self.url(world, None), {**data, "case_number": "(2026)陕0113行初D01号"})
        assert response.status_code == 400 and "已经登记" in response.content.decode()
        assert m.Litigation.objects.count() == 2
        response = client.post(self.url(world, None), data)
        assert response.status_code == 303
        case = m.Litigation.objects.get(case_number="(2026)陕0113行初99号")
        assert case.plaintiffs == [{"name": "李四", "kind": "person"}, {"name": "某公司", "kind": "legal_person"}]


class TestDetail(CaseCases):
    url_name = "litigation-detail"

    def url(self, world, unit):
        return reverse("litigation-detail", args=[self.case(unit).pk])

    def test_page_shows_clock_steps_hearings_and_accountability(self, world):
        unit = world.unit("D01")
        hearing(world, self.case(unit), leader_name="", leader_post="", staff=[], lawyers=["赵律师"],
                absence_reason="official_duty", absence_note="参加市政府会议")
        self.lost_case(world, unit)
        page = world.client("d01").get(self.url(world, unit)).content.decode()
        assert "litigation.answer" in page or "行政应诉答辩" in page
        assert 'data-testid="procedure-steps"' in page and "赵律师" in page and "未出庭" in page
        assert 'data-testid="accountability"' in page and "尚未写明责任领导" in page
        assert "最近变更" in page


class TestEdit(CaseCases):
    url_name = "litigation-edit"

    def url(self, world, unit):
        return reverse("litigation-edit", args=[self.case(unit).pk])

    def test_inspector_is_403(self, world):
        assert world.client("inspector").get(self.url(world, world.unit("D01"))).status_code == 403

    def test_stale_edit_is_409(self, world):
        unit = world.unit("D01")
        case = self.case(unit)
        client = world.client("d01")
        data = {**case_data(case_number=case.case_number), "plaintiffs": "张三 自然人", "third_parties": "",
                "received_on": str(case.received_on), "act_date": str(case.act_date), "court_level": "first",
                "cause": "改过的案由", "version": case.version}
        assert client.post(self.url(world, unit), data).status_code == 303
        response = client.post(self.url(world, unit), {**data, "cause": "再改", "version": case.version})
        assert response.status_code == 409
        case.refresh_from_db()
        assert case.cause == "改过的案由"


class TestStep(CaseCases):
    url_name = "litigation-step"
    method = "post"

    def url(self, world, unit):
        return reverse("litigation-step", args=[self.case(unit).pk])

    def data(self, world, unit):
        return {"step": "judgment", "kind": "judgment", "result": "dismiss_claims", "files": pdf("判决书.pdf")}

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 303
        assert self.case(unit).judgments.count() == 1

    def test_leader_is_403(self, world):
        response = world.client("leader").post(self.url(world, world.unit("D01")), self.data(world, None))
        assert response.status_code == 403

    def test_refusal_is_shown_at_its_field(self, world):
        unit = world.unit("D01")
        client = world.client("d01")
        response = client.post(self.url(world, unit), {"step": "effective", "outcome": "effective"})
        assert response.status_code == 303
        page = client.get(response["Location"]).content.decode()
        assert 'data-error-code="procedure.step_missing"' in page


class TestHearingAdd(CaseCases):
    url_name = "litigation-hearing-add"
    method = "post"

    def url(self, world, unit):
        return reverse("litigation-hearing-add", args=[self.case(unit).pk])

    def data(self, world, unit):
        case = self.case(unit or world.unit("D01"))
        case.refresh_from_db()
        return {"held_on": str(today()), "kind": "trial", "leader_name": "王局长", "leader_post": "head",
                "staff": "李四、赵六", "notice_received": "on", "notice_on": str(days(-3)), "notice": pdf("出庭通知书.pdf"),
                "version": case.version}

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 303
        h = m.Hearing.objects.get()
        assert h.staff == ["李四", "赵六"] and h.leader_appeared

    def test_missing_reason_is_400_naming_the_field(self, world):
        unit = world.unit("D01")
        response = world.client("d01").post(self.url(world, unit), {"held_on": str(today()), "lawyers": "赵律师",
                                                                   "version": self.case(unit).version})
        assert response.status_code == 400 and "负责人未出庭理由" in response.content.decode()
        assert not m.Hearing.objects.exists()

    def test_inspector_is_403(self, world):
        response = world.client("inspector").post(self.url(world, world.unit("D01")), self.data(world, None))
        assert response.status_code == 403


class TestExport(CaseCases):
    url_name = "litigation-export"
    is_list = True

    def url(self, world, unit):
        return reverse("litigation-export")

    def rows(self, response):
        wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        return [r for r in wb.worksheets[0].iter_rows(values_only=True)]

    def test_same_unit(self, world):
        unit = world.unit("D01")
        hearing(world, self.case(unit))
        response, _ = self.get(world, "d01")
        assert response.status_code == 200
        rows = self.rows(response)
        header = next(r for r in rows if r and r[0] == "受理法院")
        data = rows[rows.index(header) + 1:]
        assert [r[5] for r in data] == [unit.name]
        assert data[0][header.index("庭审次数")] == 1 and data[0][header.index("负责人出庭次数")] == 1

    def test_other_unit(self, world):
        response, unit = self.get(world, "d02")
        assert response.status_code == 200
        assert unit.name not in {r[5] for r in self.rows(response) if r and len(r) > 5}

    def test_bad_filter_is_400(self, world):
        assert world.client("fzb").get(self.url(world, None) + "?status=x").status_code == 400


class AccountabilityCases(CaseCases):
    @pytest.fixture(autouse=True)
    def _records(self, world, _cases):
        self.records = {code: self.lost_case(world, world.unit(code)).accountability for code in ("D01", "D02")}

    def record(self, unit):
        return self.records[unit.code]

    def marker(self, world, unit):
        return self.case(unit).case_number


class TestAccountabilityList(AccountabilityCases):
    url_name = "litigation-accountabilities"
    is_list = True

    def url(self, world, unit):
        return reverse("litigation-accountabilities")

    def test_bad_status_is_400(self, world):
        assert world.client("fzb").get(self.url(world, None) + "?status=x").status_code == 400


class TestAccountabilityPage(AccountabilityCases):
    url_name = "litigation-accountability"

    def url(self, world, unit):
        return reverse("litigation-accountability", args=[self.record(unit).pk])

    def test_only_the_office_closes(self, world):
        unit = world.unit("D01")
        record = self.record(unit)
        url = self.url(world, unit)
        assert world.client("d01").post(url, {"result": "x", "version": record.version}).status_code == 403
        response = world.client("fzb").post(url, {"result": "诫勉谈话", "version": record.version})
        assert response.status_code == 400 and "责任领导" in response.content.decode()
        people = reverse("litigation-accountability-people", args=[record.pk])
        response = world.client("d01").post(people, {"people": "王五 副局长", "facts": record.facts,
                                                     "version": record.version})
        assert response.status_code == 303
        record.refresh_from_db()
        assert world.client("fzb").post(url, {"result": "诫勉谈话", "version": record.version}).status_code == 303
        record.refresh_from_db()
        assert record.status == m.ACC_CLOSED and record.people == [{"name": "王五", "post": "副局长"}]


class TestAccountabilityPeople(AccountabilityCases):
    url_name = "litigation-accountability-people"
    method = "post"

    def url(self, world, unit):
        return reverse("litigation-accountability-people", args=[self.record(unit).pk])

    def data(self, world, unit):
        return {"people": "王五 副局长", "facts": "未按期答辩", "version": self.record(unit).version}

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 303

    def test_leader_is_403(self, world):
        unit = world.unit("D01")
        assert world.client("leader").post(self.url(world, unit), self.data(world, unit)).status_code == 403


# ---------------------------------------------------------------- API


class TestApiList(CaseCases):
    url_name = "api:litigation-list"
    api = True
    is_list = True

    def url(self, world, unit):
        return reverse("api:litigation-list")

    def test_fields_and_filters(self, world):
        client = world.client("fzb")
        body = client.get(reverse("api:litigation-list") + "?defendant=D01").json()
        assert body["count"] == 1
        row = body["results"][0]
        assert row["defendant"] == "D01" and row["status"] == "answering" and row["lost"] is None
        assert row["hearings"] == [] and [s["code"] for s in row["steps"]][0] == "answer"
        clock = row["clocks"][0]
        assert clock["rule"] == "litigation.answer" and clock["state"] == "open" and clock["start"] == str(days(-5))
        for bad in ("status=nope", "year=20", "lost=maybe", "defendant=ZZZ"):
            response = client.get(reverse("api:litigation-list") + "?" + bad)
            key = bad.split("=")[0]
            assert response.status_code == 400 and key in response.json()["errors"], bad
        assert world.client("d01").get(reverse("api:litigation-list") + "?defendant=D02").status_code == 400


class TestApiDetail(CaseCases):
    url_name = "api:litigation-detail"
    api = True

    def url(self, world, unit):
        return reverse("api:litigation-detail", args=[self.case(unit).pk])


class TestApiCreate(CaseCases):
    url_name = "api:litigation-list-create"  # not a URL name of its own: the list's POST
    api = True
    method = "post"

    def url(self, world, unit):
        return reverse("api:litigation-list")

    def data(self, world, unit):
        return {**case_data(case_number="API-1"), "defendant": unit.code, "act_date": str(days(-30)),
                "received_on": str(days(-1))}

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 201, response.content
        assert response.json()["defendant"] == "D01" and response.json()["clocks"][0]["rule"] == "litigation.answer"

    def test_no_role(self, world):
        response, _ = self.get(world, "nobody")
        assert response.status_code in (400, 403)

    def test_other_unit(self, world):
        response, _ = self.get(world, "d02")  # D01 is not d02's to see: the field is refused
        assert response.status_code == 400 and "defendant" in response.json()["errors"]
        assert not m.Litigation.objects.filter(case_number="API-1").exists()

    def test_roles_and_bad_input(self, world):
        unit = world.unit("D01")
        response = world.client("leader").post(self.url(world, unit), self.data(world, unit),
                                               content_type="application/json")
        assert response.status_code == 403
        client = world.client("d01")
        bad = {**self.data(world, unit), "plaintiffs": [{"name": "张三", "kind": "alien"}]}
        response = client.post(self.url(world, unit), bad, content_type="application/json")
        assert response.status_code == 400 and "plaintiffs" in response.json()["errors"]
        response = client.post(self.url(world, unit), {**self.data(world, unit), "received_on": "昨天"},
                               content_type="application/json")
        assert response.status_code == 400 and "received_on" in response.json()["errors"]
        assert not m.Litigation.objects.filter(case_number="API-1").exists()
        response = world.client("fzb").post(self.url(world, unit), self.data(world, unit),
                                            content_type="application/json")
        assert response.status_code == 201


class TestApiSteps(CaseCases):
    url_name = "api:litigation-steps"
    api = True
    method = "post"

    def url(self, world, unit):
        return reverse("api:litigation-steps", args=[self.case(unit).pk])

    def data(self, world, unit):
        return {"step": "judgment", "kind": "ruling", "result": "withdrawn"}

    def test_same_unit(self, world):
        # the judgment step needs its document: JSON carries no file, so it is refused naming `files`
        response, unit = self.get(world, "d01")
        assert response.status_code == 400 and "files" in response.json()["errors"]

    def test_judgment_multipart_and_409(self, world):
        unit = world.unit("D01")
        client = world.client("d01")
        response = client.post(self.url(world, unit), {"step": "effective", "outcome": "effective"},
                               content_type="application/json")
        assert response.status_code == 409 and response.json()["code"] == "procedure.step_missing"
        response = client.post(self.url(world, unit), {"step": "judgment", "kind": "judgment", "result": "revoke",
                                                       "loss_causes": ["facts"], "files": pdf("判决书.pdf")})
        assert response.status_code == 200, response.content
        assert response.json()["judgments"][0]["lost"] is True
        response = world.client("inspector").post(self.url(world, unit), {"step": "appeal"},
                                                  content_type="application/json")
        assert response.status_code == 403


class TestApiHearings(CaseCases):
    url_name = "api:litigation-hearings"
    api = True
    method = "post"

    def url(self, world, unit):
        return reverse("api:litigation-hearings", args=[self.case(unit).pk])

    def data(self, world, unit):
        case = self.case(unit or world.unit("D01"))
        case.refresh_from_db()
        return {"held_on": str(today()), "staff": ["李四"], "absence_reason": "accident", "absence_note": "交通事故",
                "version": case.version}

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 201
        h = response.json()["hearings"][0]
        assert h["appeared"] is True and h["leader_appeared"] is False

    def test_bad_input_and_role(self, world):
        unit = world.unit("D01")
        client = world.client("d01")
        version = self.case(unit).version
        response = client.post(self.url(world, unit), {"held_on": str(today()), "lawyers": ["赵律师"],
                                                       "version": version}, content_type="application/json")
        assert response.status_code == 400 and "absence_reason" in response.json()["errors"]
        response = client.post(self.url(world, unit), {"held_on": str(today()), "staff": "李四", "version": version},
                               content_type="application/json")
        assert response.status_code == 400 and "staff" in response.json()["errors"]
        assert not m.Hearing.objects.exists()
        response = world.client("leader").post(self.url(world, unit), self.data(world, unit),
                                               content_type="application/json")
        assert response.status_code == 403


class TestApiAccountabilityList(AccountabilityCases):
    url_name = "api:litigation-accountability-list"
    api = True
    is_list = True

    def url(self, world, unit):
        return reverse("api:litigation-accountability-list")


class TestApiAccountabilityDetail(AccountabilityCases):
    url_name = "api:litigation-accountability-detail"
    api = True

    def url(self, world, unit):
        return reverse("api:litigation-accountability-detail", args=[self.record(unit).pk])


class TestApiAccountabilityPeople(AccountabilityCases):
    url_name = "api:litigation-accountability-people"
    api = True
    method = "post"

    def url(self, world, unit):
        return reverse("api:litigation-accountability-people", args=[self.record(unit).pk])

    def data(self, world, unit):
        return {"people": [{"name": "王五", "post": "副局长"}], "facts": "未按期答辩", "version": self.record(unit).version}

    def test_stale_is_409(self, world):
        unit = world.unit("D01")
        body = {**self.data(world, unit), "version": self.record(unit).version + 5}
        response = world.client("d01").post(self.url(world, unit), body, content_type="application/json")
        assert response.status_code == 409


class TestApiAccountabilityClose(AccountabilityCases):
    url_name = "api:litigation-accountability-close"
    api = True
    method = "post"

    def url(self, world, unit):
        return reverse("api:litigation-accountability-close", args=[self.record(unit).pk])

    def data(self, world, unit):
        return {"result": "诫勉谈话", "version": self.record(unit).version}

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 403  # only the office closes

    def test_office_closes_once_people_are_named(self, world):
        unit = world.unit("D01")
        client = world.client("fzb")
        response = client.post(self.url(world, unit), self.data(world, unit), content_type="application/json")
        assert response.status_code == 400 and "people" in response.json()["errors"]
        record = self.record(unit)
        world.client("d01").post(reverse("api:litigation-accountability-people", args=[record.pk]),
                                 {"people": [{"name": "王五", "post": "副局长"}], "facts": "f", "version": record.version},
                                 content_type="application/json")
        record.refresh_from_db()
        response = client.post(self.url(world, unit), {"result": "诫勉谈话", "version": record.version},
                               content_type="application/json")
        assert response.status_code == 200 and response.json()["status"] == "closed"


def test_answer_via_api_multipart(world):
    case = register(world)
    response = world.client("d01").post(reverse("api:litigation-steps", args=[case.pk]),
                                        {"step": "answer", "defence": pdf("答辩状.pdf"),
                                         "evidence": [pdf("证据1.pdf"), pdf("证据2.pdf")]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "trial" and body["answer_on_time"] is True and body["clocks"][0]["state"] == "met"
    assert json.dumps(body, ensure_ascii=False).count("答辩举证") >= 1

"""The four cases for every page and endpoint of fault accountability, the role rules, bad input at its field,
constant query counts, and the export read back."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.core.testing.scoping import ScopedCases
from fazhi.enforcement.fault.models import FaultRecord
from fazhi.enforcement.fault.tests.conftest import open_fault, penalty_case
from fazhi.programme.demo import DEMO_PDF


class FaultCases(ScopedCases):
    @pytest.fixture(autouse=True)
    def _faults(self, world):
        self.faults = {code: open_fault(world, code) for code in ("D01", "D02")}

    def fault(self, unit):
        return self.faults[unit.code]

    def marker(self, world, unit):
        return f"{unit.code}罚立〔2026〕1号"


class TestList(FaultCases):
    url_name = "fault-list"
    is_list = True

    def url(self, world, unit):
        return reverse("fault-list")

    def test_filters_bad_values_and_queries(self, world):
        client = world.client("fzb")
        page = client.get(reverse("fault-list") + "?unit=D02&year=2026&responsibility=direct&status=open").content.decode()
        assert "D02罚立" in page and "D01罚立" not in page
        assert "D02罚立" not in client.get(reverse("fault-list") + "?sanction=warning").content.decode()
        for bad, label in (("year=26x", "年份"), ("responsibility=x", "责任类型"), ("sanction=x", "追究方式"),
                           ("status=x", "状态"), ("unit=!!", "单位")):
            response = client.get(reverse("fault-list") + "?" + bad)
            assert response.status_code == 400 and f"「{label}」" in response.content.decode(), bad
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("fault-list"))
        for n in range(2, 8):
            open_fault(world, "D03", n=n)
        with CaptureQueriesContext(connection) as many:
            client.get(reverse("fault-list"))
        assert len(many) == len(few)


class TestCreate(FaultCases):
    url_name = "fault-create"

    def url(self, world, unit):
        return reverse("fault-create")

    def marker(self, world, unit):
        return "登记执法过错责任追究"

    def test_other_unit(self, world):  # a unit user may not open one at all
        assert world.client("d02").get(self.url(world, None)).status_code == 403

    def test_same_unit(self, world):  # neither may the case's unit: the office or an inspector opens
        assert world.client("d01").get(self.url(world, None)).status_code == 403
        assert world.client("inspector").get(self.url(world, None)).status_code == 200

    def test_post(self, world):
        penalty_case(world, "D03", 9)
        client = world.client("inspector")
        data = {"case_kind": "penalty", "case_number": "D03罚立〔2026〕9号", "officers": "D03执法员1、D03-2",
                "found_on": "2026-05-10", "source": "complaint", "fault_kind": "facts", "responsibility": "leadership",
                "fault": "认定事实不清"}
        response = client.post(self.url(world, None), data)
        assert response.status_code == 303
        record = FaultRecord.objects.get(penalty_case__number="D03罚立〔2026〕9号")
        assert record.officers.count() == 2 and record.responsibility == "leadership"
        response = client.post(self.url(world, None), {**data, "officers": "王五"})
        assert response.status_code == 400 and "责任人员" in response.content.decode()
        response = client.post(self.url(world, None), {**data, "case_number": "无此案"})
        assert response.status_code == 400 and "未找到案号" in response.content.decode()


class TestDetail(FaultCases):
    url_name = "fault-detail"

    def url(self, world, unit):
        return reverse("fault-detail", args=[self.fault(unit).pk])

    def test_forms_by_role(self, world):
        unit = world.unit("D01")
        page = world.client("d01").get(self.url(world, unit)).content.decode()
        assert "登记国家赔偿支付" in page and "追究处理决定" not in page
        page = world.client("inspector").get(self.url(world, unit)).content.decode()
        assert "登记追究处理决定" in page and "登记国家赔偿支付" not in page
        page = world.client("leader").get(self.url(world, unit)).content.decode()
        assert "D01罚立" in page and "<form" not in page.split("全部变更历史")[0].split("依据")[1]


class TestDecide(FaultCases):
    url_name = "fault-decide"
    method = "post"

    def url(self, world, unit):
        return reverse("fault-decide", args=[self.fault(unit).pk])

    def data(self, world, unit):
        return {"sanction": "criticism", "sanction_on": "2026-05-20", "sanction_ref": "区法〔2026〕1号",
                "version": self.fault(unit or world.unit("D01")).version}

    def test_same_unit(self, world):  # the unit may not decide; the office may
        response, unit = self.get(world, "d01")
        assert response.status_code == 403
        response = world.client("fzb").post(self.url(world, unit), self.data(world, unit))
        assert response.status_code == 303 and FaultRecord.objects.get(pk=self.fault(unit).pk).sanction == "criticism"

    def test_bad_input(self, world):
        unit = world.unit("D01")
        response = world.client("fzb").post(self.url(world, unit), {**self.data(world, unit), "sanction_on": "2026-01-01"})
        assert response.status_code == 400 and "不能早于认定日期" in response.content.decode()


class TestCompensation(FaultCases):
    url_name = "fault-compensation"
    method = "post"

    def url(self, world, unit):
        return reverse("fault-compensation", args=[self.fault(unit).pk])

    def data(self, world, unit):
        return {"compensation_paid": "3000", "compensation_on": "2026-05-25", "compensation_ref": "赔〔2026〕1号",
                "files": SimpleUploadedFile("赔偿决定书.pdf", DEMO_PDF), "version": self.fault(unit or world.unit("D01")).version}

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 303
        assert FaultRecord.objects.get(pk=self.fault(unit).pk).compensation_paid == 3000

    def test_bad_amount(self, world):
        unit = world.unit("D01")
        response = world.client("d01").post(self.url(world, unit), {**self.data(world, unit), "compensation_paid": "三千"})
        assert response.status_code == 400 and "国家赔偿金额" in response.content.decode()


class TestVoid(FaultCases):
    url_name = "fault-void"
    method = "post"

    def url(self, world, unit):
        return reverse("fault-void", args=[self.fault(unit).pk])

    def data(self, world, unit):
        return {"reason": "重复登记", "version": self.fault(unit or world.unit("D01")).version}

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 403
        assert world.client("fzb").post(self.url(world, unit), self.data(world, unit)).status_code == 303
        assert FaultRecord.objects.get(pk=self.fault(unit).pk).is_voided


class TestExport(FaultCases):
    url_name = "fault-export"
    is_list = True

    def url(self, world, unit):
        return reverse("fault-export")

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = [[c.value for c in r] for r in sheet.iter_rows()]
        text = "\n".join(str(r) for r in rows)
        assert "D01罚立〔2026〕1号" in text and "D02罚立" not in text and "D01执法员1、D01执法员2" in text
        assert "直接责任" in text

    def test_other_unit(self, world):
        response, unit = self.get(world, "d02")
        body = b"".join(response.streaming_content)
        sheet = load_workbook(io.BytesIO(body)).active
        assert "D01罚立" not in "\n".join(str([c.value for c in r]) for r in sheet.iter_rows())

    def test_no_role(self, world):
        response, unit = self.get(world, "nobody")
        assert response.status_code == 403

    def test_bad_filter(self, world):
        assert world.client("fzb").get(reverse("fault-export") + "?year=abc").status_code == 400


# ------------------------------------------------------------------ API


class ApiCases(FaultCases):
    api = True


class TestApiList(ApiCases):
    url_name = "api:fault-record-list"
    is_list = True

    def url(self, world, unit):
        return reverse("api:fault-record-list")

    def test_filters_and_queries(self, world):
        client = world.client("fzb")
        body = client.get(reverse("api:fault-record-list") + "?unit=D02&year=2026").json()
        assert [r["case_number"] for r in body["results"]] == ["D02罚立〔2026〕1号"]
        assert body["results"][0]["officers"][0]["name"].startswith("D02执法员")
        response = client.get(reverse("api:fault-record-list") + "?responsibility=x")
        assert response.status_code == 400 and "responsibility" in response.json()["errors"]
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("api:fault-record-list"))
        for n in range(2, 8):
            open_fault(world, "D03", n=n)
        with CaptureQueriesContext(connection) as many:
            client.get(reverse("api:fault-record-list"))
        assert len(many) == len(few)

    def test_create(self, world):
        penalty_case(world, "D03", 9)
        body = {"case_kind": "penalty", "case_number": "D03罚立〔2026〕9号", "officers": ["D03执法员1"],
                "found_on": "2026-05-10", "fault_kind": "law", "responsibility": "direct", "fault": "适用依据错误"}
        response = world.client("fzb").post(reverse("api:fault-record-list"), body, content_type="application/json")
        assert response.status_code == 201 and response.json()["unit"] == "D03"
        response = world.client("d03").post(reverse("api:fault-record-list"), body, content_type="application/json")
        assert response.status_code == 403
        response = world.client("fzb").post(reverse("api:fault-record-list"), {**body, "officers": ["路人甲"]},
                                            content_type="application/json")
        assert response.status_code == 400 and "officers" in response.json()["errors"]


class TestApiDetail(ApiCases):
    url_name = "api:fault-record-detail"

    def url(self, world, unit):
        return reverse("api:fault-record-detail", args=[self.fault(unit).pk])


class TestApiDecide(ApiCases):
    url_name = "api:fault-record-decide"
    method = "post"

    def url(self, world, unit):
        return reverse("api:fault-record-decide", args=[self.fault(unit).pk])

    def data(self, world, unit):
        return {"sanction": "admonish", "sanction_on": "2026-05-20", "sanction_ref": "区法〔2026〕2号",
                "version": self.fault(unit).version}

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 403
        response = world.client("inspector").post(self.url(world, unit), self.data(world, unit),
                                                  content_type="application/json")
        assert response.status_code == 200 and response.json()["sanction"] == "admonish"
        response = world.client("inspector").post(self.url(world, unit), self.data(world, unit),
                                                  content_type="application/json")
        assert response.status_code == 409


class TestApiCompensation(ApiCases):
    url_name = "api:fault-record-compensation"
    method = "post"

    def url(self, world, unit):
        return reverse("api:fault-record-compensation", args=[self.fault(unit).pk])

    def get(self, world, username):
        unit = world.unit("D01")
        data = {"compensation_paid": "800", "compensation_on": "2026-05-25", "compensation_ref": "赔〔2026〕2号",
                "files": SimpleUploadedFile("a.pdf", DEMO_PDF), "version": self.fault(unit).version}
        return world.client(username).post(self.url(world, unit), data), unit

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 200 and response.json()["compensation_paid"] == "800.00"


class TestApiVoid(ApiCases):
    url_name = "api:fault-record-void"
    method = "post"

    def url(self, world, unit):
        return reverse("api:fault-record-void", args=[self.fault(unit).pk])

    def data(self, world, unit):
        return {"reason": "重复", "version": self.fault(unit).version}

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 403
        response = world.client("fzb").post(self.url(world, unit), self.data(world, unit),
                                            content_type="application/json")
        assert response.status_code == 200 and response.json()["voided"] is True

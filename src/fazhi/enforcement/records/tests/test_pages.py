"""Pages of 全过程记录: the four cases for every URL name; add and void through the pages (bad input at its field,
another unit's case 404, leaders 403); the case-page include renders the panel."""

import pytest
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse

from fazhi.core.testing.scoping import ScopedCases
from fazhi.enforcement.records import services
from fazhi.enforcement.records.models import ProcessRecord
from fazhi.enforcement.records.registry import WRITTEN
from fazhi.enforcement.records.tests.conftest import REQUIRED, an_hour_ago, make_case, make_officer, mp4, pdf

LABEL = "remedies.litigation"


class RecordCases(ScopedCases):
    @pytest.fixture(autouse=True)
    def _cases(self, world, required):
        self.cases, self.officers = {}, {}
        for code in ("D01", "D02"):
            self.cases[code] = make_case(world, unit=code, number=f"(2026)陕0113行初{code}号")
            self.officers[code] = make_officer(world, code, f"{code}执法员")

    def case(self, unit):
        return self.cases[unit.code]

    def marker(self, world, unit):
        return f"{unit.code}执法员"


class TestCaseRecords(RecordCases):
    url_name = "enf-record-case"

    def url(self, world, unit):
        return reverse("enf-record-case", args=[LABEL, self.case(unit).pk])

    def test_missing_shown_and_unregistered_model_404(self, world):
        page = world.client("d01").get(self.url(world, world.unit("D01"))).content.decode()
        assert "缺 答辩举证(文字记录)" in page and "缺 庭审(音像记录)" in page and 'data-testid="record-form"' in page
        page = world.client("leader").get(self.url(world, world.unit("D01"))).content.decode()
        assert "缺 答辩举证" in page and 'data-testid="record-form"' not in page
        client = world.client("fzb")
        assert client.get(reverse("enf-record-case", args=["org.unit", world.unit("D01").pk])).status_code == 404
        assert client.get(reverse("enf-record-case", args=[LABEL, "x1"])).status_code == 404


class TestAdd(RecordCases):
    url_name = "enf-record-add"
    method = "post"

    def url(self, world, unit):
        return reverse("enf-record-add", args=[LABEL, self.case(unit).pk])

    def data(self, world, unit):
        unit = unit or world.unit("D01")
        return {"step": "hearing", "kind": "av", "file": mp4(), "recorded_at": "2026-04-20T09:30",
                "place": "区法院第三法庭", "officer": str(self.officers[unit.code].pk), "note": "庭审全程录像",
                "next": self.case(unit).get_absolute_url()}

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 303 and response["Location"].endswith("#process-records")
        record = ProcessRecord.objects.get()
        assert record.kind == "av" and record.attachment.kind == "mp4" and record.officer == self.officers["D01"]
        assert record.unit == unit

    def test_leader_is_403(self, world):
        unit = world.unit("D01")
        assert world.client("leader").post(self.url(world, unit), self.data(world, unit)).status_code == 403

    def test_bad_input_named(self, world):
        unit, client = world.unit("D01"), world.client("d01")
        for over, text in (({"place": ""}, "记录地点"), ({"officer": str(self.officers["D02"].pk)}, "记录人"),
                           ({"recorded_at": "昨天"}, "记录时间"), ({"kind": "written"}, "音像记录"),
                           ({"step": "nope"}, "环节")):
            response = client.post(self.url(world, unit), {**self.data(world, unit), **over})
            assert response.status_code == 400, over
            assert text in response.content.decode(), over
        assert not ProcessRecord.objects.exists()


class TestVoid(RecordCases):
    url_name = "enf-record-void"
    method = "post"

    @pytest.fixture(autouse=True)
    def _records(self, _cases, world):
        self.records = {code: services.record_add(
            case=self.cases[code], step="answer", kind=WRITTEN, file=pdf(), recorded_at=an_hour_ago(), place="办公室",
            officer=self.officers[code], note="", actor=world.user(code.lower())) for code in ("D01", "D02")}

    def url(self, world, unit):
        return reverse("enf-record-void", args=[self.records[unit.code].pk])

    def data(self, world, unit):
        return {"reason": "上传错了文件"}

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 303
        record = ProcessRecord.objects.get(pk=self.records["D01"].pk)
        assert record.is_voided and record.void_reason == "上传错了文件"

    def test_reason_required_and_leader_403(self, world):
        unit = world.unit("D01")
        response = world.client("d01").post(self.url(world, unit), {"reason": ""})
        assert response.status_code == 400 and "作废原因" in response.content.decode()
        assert world.client("inspector").post(self.url(world, unit), self.data(world, unit)).status_code == 403


@pytest.mark.django_db
def test_case_page_include_renders_both_panels(world, required):
    case = make_case(world)
    request = RequestFactory().get(case.get_absolute_url())
    request.user = world.user("d01")
    html = Template('{% include "enforcement/records/_panel.html" with case=case %}'
                    '{% include "enforcement/publication/_panel.html" with case=case %}').render(
        RequestContext(request, {"case": case}))
    assert 'data-testid="records-panel"' in html and "缺 答辩举证(文字记录)" in html
    assert 'data-testid="publication-panel"' in html and "尚无应公开的决定" in html
    assert len(REQUIRED) == 2

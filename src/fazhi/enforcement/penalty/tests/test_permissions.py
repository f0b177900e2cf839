"""Four permission cases for every page and endpoint of 行政处罚 (core/testing/scoping.py): D01's staff sees and acts
on D01's cases; the office acts on any; leaders and inspectors read; another unit sees nothing (404 / not listed)."""

import io
from datetime import date

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from fazhi.core.testing.scoping import ScopedCases
from fazhi.enforcement.penalty import services
from fazhi.enforcement.penalty.models import PenaltyCase
from fazhi.enforcement.penalty.tests.cases import PARTY, data, days
from fazhi.enforcement.penalty.tests.conftest import units_setup


class Cases(ScopedCases):
    def marker(self, world, unit):
        return PARTY


class ReadOnlyRefused:
    """A write: the leader and the inspector are refused (403) — they only read."""

    def test_read_only_roles(self, world):
        for user in ("leader", "inspector"):
            client = world.client(user)
            url = self.url(world, world.unit("D01"))
            if self.api:
                response = client.post(url, self.data(world, None), content_type="application/json")
            else:
                response = client.post(url, self.data(world, None))
            assert response.status_code == 403, (user, response.content[:300])


@pytest.mark.django_db
class TestList(Cases):
    url_name = "penalty-list"
    is_list = True

    def url(self, world, unit):
        data(world)
        return reverse("penalty-list")

    def test_filters(self, world):
        data(world)
        client = world.client("fzb")
        url = reverse("penalty-list")
        assert client.get(url + "?status=served&unit=D01&key_area=urban_management").content.decode().count(PARTY) == 2
        assert client.get(url + "?status=hearing&year=" + str(days(60).year)).content.decode().count(PARTY) == 1
        assert PARTY not in client.get(url + "?key_area=land").content.decode()
        subject = units_setup(world)["D01"].subject
        assert client.get(url + f"?subject={subject.pk}").content.decode().count(PARTY) == 6
        for bad, field in (("status=nonsense", "「状态」"), ("key_area=xx", "「执法领域」"), ("overdue=maybe", "「逾期」"),
                           ("year=26", "「年份」"), ("subject=abc", "「执法主体」")):
            response = client.get(f"{url}?{bad}")
            assert response.status_code == 400 and field in response.content.decode(), bad
        assert world.client("d01").get(url + "?unit=D02").status_code == 400

    def test_overdue(self, world):
        data(world)
        client = world.client("fzb")
        # The hearing notice clock (hearing two days ago, never notified) is past due; the served case's payment
        # period (15 days from 28 days ago) too; the spot collection's hand-over (2 workdays) too.
        overdue = client.get(reverse("penalty-list") + "?overdue=true").content.decode()
        assert overdue.count(PARTY) == 3
        assert client.get(reverse("penalty-list") + "?overdue=false").content.decode().count(PARTY) == 3


@pytest.mark.django_db
class TestCreate(Cases):
    url_name = "penalty-create"
    is_list = True

    def url(self, world, unit):
        units_setup(world)
        return reverse("penalty-create")

    def marker(self, world, unit):
        return units_setup(world)["D01"].subject.name

    def test_register_by_page(self, world):
        u = units_setup(world)["D01"]
        client = world.client("d01")
        form = {"procedure_kind": "general", "subject": str(u.subject.pk), "key_area": "food_drug",
                "source": "complaint", "cause": "销售过期食品", "found_on": days(3).isoformat(),
                "filed_on": days(2).isoformat(), "party_name": "页面当事人", "party_kind": "legal",
                "officers": [str(u.officers[0].pk), str(u.officers[1].pk)]}
        bad = client.post(reverse("penalty-create"), {**form, "filed_on": days(5).isoformat()})
        assert bad.status_code == 400 and "立案日期" in bad.content.decode()
        expired = client.post(reverse("penalty-create"), {**form, "officers": [str(u.expired.pk)]})
        assert expired.status_code == 409 and "第42条" in expired.content.decode()
        response = client.post(reverse("penalty-create"), form)
        assert response.status_code == 302, response.content.decode()[:2000]
        page = client.get(response["Location"]).content.decode()
        assert "罚立〔" in page and "页面当事人" in page
        assert world.client("leader").get(reverse("penalty-create")).status_code == 403


@pytest.mark.django_db
class TestDetail(Cases):
    url_name = "penalty-detail"

    def url(self, world, unit):
        return reverse("penalty-detail", args=[data(world)["served"].pk])

    def test_masked_for_readers(self, world):
        url = self.url(world, None)
        assert "610102199001011234" in world.client("d01").get(url).content.decode()
        body = world.client("leader").get(url).content.decode()
        assert "610102199001011234" not in body and "610102********1234" in body and "个人信息已隐去" in body
        assert 'data-act="payment"' not in body and 'data-act="payment"' in world.client("d01").get(url).content.decode()

    def test_blocked_decide_shows_reason(self, world):
        body = world.client("d01").get(reverse("penalty-detail", args=[data(world)["notified"].pk])).content.decode()
        assert "暂不能办理" in body and "第64条" in body


@pytest.mark.django_db
class TestEdit(Cases):
    url_name = "penalty-edit"

    def url(self, world, unit):
        return reverse("penalty-edit", args=[data(world)["investigating"].pk])

    def test_stale_and_saved(self, world):
        case = data(world)["investigating"]
        client = world.client("d01")
        form = {"key_area": "urban_management", "source": "inspection", "cause": "新案由", "found_on": days(60).isoformat(),
                "party_name": PARTY, "party_kind": "person", "version": case.version}
        assert client.post(self.url(world, None), form).status_code == 302
        stale = client.post(self.url(world, None), {**form, "cause": "再改"})
        assert stale.status_code == 409 and "刷新" in stale.content.decode()
        assert world.client("inspector").get(self.url(world, None)).status_code == 403


@pytest.mark.django_db
class TestStep(Cases, ReadOnlyRefused):
    url_name = "penalty-step"
    method = "post"

    def url(self, world, unit):
        return reverse("penalty-step", args=[data(world)["investigating"].pk])

    def data(self, world, unit):
        return {"step": "investigate", "date": days(10).isoformat(), "facts": "事实", "evidence": "证据",
                "basis_violation": "某法第十条",
                "version": PenaltyCase.objects.get(pk=data(world)["investigating"].pk).version}

    def get(self, world, username):
        response, unit = super().get(world, username)
        if response.status_code == 303:  # done: the case page shows it
            response = world.client(username).get(response["Location"])
        return response, unit


@pytest.mark.django_db
class TestAct(Cases, ReadOnlyRefused):
    url_name = "penalty-act"
    method = "post"

    def url(self, world, unit):
        return reverse("penalty-act", args=[data(world)["notified"].pk, "hearing_request"])

    def data(self, world, unit):
        return {"on": days(0).isoformat(), "version": data(world)["notified"].version}

    def get(self, world, username):
        response, unit = super().get(world, username)
        if response.status_code == 303:
            response = world.client(username).get(response["Location"])
        return response, unit

    def test_done_and_unknown_kind(self, world):
        self.get(world, "d01")
        case = data(world)["notified"]
        case.refresh_from_db()
        assert case.status == "hearing"
        assert world.client("d01").post(reverse("penalty-act", args=[case.pk, "nonsense"]), {}).status_code == 404


@pytest.mark.django_db
class TestExport(Cases):
    url_name = "penalty-export"
    is_list = True

    def url(self, world, unit):
        data(world)
        return reverse("penalty-export")

    @staticmethod
    def rows(response):
        wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        return list(wb.worksheets[0].iter_rows(values_only=True))

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 200
        rows = self.rows(response)
        header = next(r for r in rows if r and r[0] == "案号")
        mine = [dict(zip(header, r, strict=False)) for r in rows if PARTY in r]
        assert len(mine) == 6
        assert {r["状态"] for r in mine} == {"调查取证中", "已告知", "听证程序中", "已决定待送达", "已送达执行中"}
        spot = next(r for r in mine if r["罚款(元)"] == 80)
        assert spot["已缴罚款(元)"] == 80 and spot["按期决定"] == "是" and spot["决定书文号"].startswith("城管局罚决〔")
        served = [r for r in mine if r["状态"] == "已送达执行中" and r["罚款(元)"] == 5000]
        # 15 days from 28 days ago (rolled over rest days by the engine): 3% a day of 5000 for each day since.
        due = services.clock_due(data(world)["served"], "pay_fine")
        assert served[0]["缴款期限"].date() == due
        assert served[0]["截至今日应加处罚款(元)"] == min(5000, 150 * (date.today() - due).days)

    def test_other_unit(self, world):
        response, _ = self.get(world, "d02")
        assert response.status_code == 200
        assert not any(PARTY in str(r) for r in self.rows(response))

    def test_filtered(self, world):
        data(world)
        response = world.client("fzb").get(reverse("penalty-export") + "?status=hearing")
        assert sum(PARTY in r for r in self.rows(response)) == 1
        assert world.client("fzb").get(reverse("penalty-export") + "?status=x").status_code == 400


@pytest.mark.django_db
class TestDocument(Cases):
    url_name = "penalty-document"

    def url(self, world, unit):
        return reverse("penalty-document", args=[data(world)["served"].pk, "decision"])

    def marker(self, world, unit):
        return "wordprocessingml"

    def get(self, world, username):
        response, unit = super().get(world, username)
        if response.status_code == 200:
            response.content = response["Content-Type"].encode()
        return response, unit

    def test_documents_read_back(self, world):
        client = world.client("d01")
        doc = Document(io.BytesIO(client.get(self.url(world, None)).content))
        text = "\n".join(p.text for p in doc.paragraphs)
        assert "行政处罚决定书" in text and PARTY in text and "罚款人民币5000.00元" in text
        assert "60日内" in text and "行政复议" in text and "6个月内" in text and "百分之三" in text
        hearing = data(world)["hearing"]
        notice = Document(io.BytesIO(client.get(reverse("penalty-document", args=[hearing.pk, "notice"])).content))
        text = "\n".join(p.text for p in notice.paragraphs)
        assert "行政处罚听证告知书" in text and "有权要求举行听证" in text and "5个工作日内" in text
        undecided = client.get(reverse("penalty-document", args=[hearing.pk, "decision"]))
        assert undecided.status_code == 409 and "尚未作出处罚决定" in undecided.content.decode()
        plain = data(world)["investigating"]
        assert client.get(reverse("penalty-document", args=[plain.pk, "notice"])).status_code == 409
        assert client.get(reverse("penalty-document", args=[plain.pk, "other"])).status_code == 404


@pytest.mark.django_db
class TestRates(ScopedCases):
    url_name = "penalty-rates"
    is_list = True

    def url(self, world, unit):
        data(world)
        return reverse("penalty-rates")

    def marker(self, world, unit):
        return f"<th scope=\"row\">{unit.display_name}</th>"


# ---------------------------------------------------------------- API


class ApiCases(Cases):
    api = True


@pytest.mark.django_db
class TestApiList(ApiCases):
    url_name = "api:penalty-case-list"
    is_list = True

    def url(self, world, unit):
        data(world)
        return reverse("api:penalty-case-list")

    def test_fields_and_filters(self, world):
        data(world)
        client = world.client("d01")
        body = client.get(reverse("api:penalty-case-list") + "?status=hearing").json()
        assert body["count"] == 1
        row = body["results"][0]
        assert row["unit"] == "D01" and row["key_area"] == "urban_management" and row["subject"]["name"]
        assert [s["code"] for s in row["steps"]] == ["file", "investigate", "notify", "hearing", "legal_review",
                                                      "decide", "serve", "execute", "close"]
        assert {c["rule"] for c in row["clocks"]} == {"penalty.decide", "penalty.hearing_request",
                                                       "penalty.hearing_notice"}
        assert len(row["officers"]) == 2 and all(o["certified"] for o in row["officers"])
        spot = client.get(reverse("api:penalty-case-list") + "?overdue=true&status=served").json()["results"]
        assert any(r["payments"] and r["payments"][0]["channel"] == "on_the_spot" for r in spot)
        assert client.get(reverse("api:penalty-case-list") + "?unit=D02").status_code == 400
        assert client.get(reverse("api:penalty-case-list") + "?status=xx").status_code == 400
        reader = world.client("leader").get(reverse("api:penalty-case-list") + "?status=hearing").json()["results"][0]
        assert reader["party_id_number"] == "610102********1234" and reader["party_phone"] == "139****5678"

    def test_create(self, world):
        u = units_setup(world)["D01"]
        url = reverse("api:penalty-case-list")
        body = {"subject": u.subject.pk, "key_area": "environment", "party_name": "接口当事人", "cause": "超标排放",
                "found_on": days(3).isoformat(), "filed_on": days(2).isoformat(), "officers": [u.officers[0].pk]}
        for user in ("leader", "inspector"):
            assert world.client(user).post(url, body, content_type="application/json").status_code == 403
        other = world.client("d02").post(url, body, content_type="application/json")
        assert other.status_code == 400 and "subject" in other.json()["errors"]
        bad = world.client("d01").post(url, {**body, "key_area": "xx"}, content_type="application/json")
        assert bad.status_code == 400 and "key_area" in bad.json()["errors"]
        expired = world.client("d01").post(url, {**body, "officers": [u.expired.pk]}, content_type="application/json")
        assert expired.status_code == 409 and "第42条" in expired.json()["detail"]
        created = world.client("d01").post(url, body, content_type="application/json")
        assert created.status_code == 201, created.content
        assert created.json()["number"].startswith("城管局罚立〔") and created.json()["clocks"][0]["rule"] == "penalty.decide"


@pytest.mark.django_db
class TestApiDetail(ApiCases):
    url_name = "api:penalty-case-detail"

    def url(self, world, unit):
        return reverse("api:penalty-case-detail", args=[data(world)["served"].pk])

    def test_fields(self, world):
        body = world.client("inspector").get(self.url(world, None)).json()
        assert body["decision_number"].startswith("城管局罚决〔") and body["status"] == "served"
        assert "60日" in body["remedy_notice"]
        pay = next(c for c in body["clocks"] if c["rule"] == "penalty.pay_fine")
        assert pay["state"] == "open" and pay["overdue"] is True


class ApiPost(ApiCases, ReadOnlyRefused):
    method = "post"
    state = ""
    action = ""

    def url(self, world, unit):
        return reverse(f"api:penalty-case-{self.action}", args=[data(world)[self.state].pk])


    def body(self, world, unit) -> dict:
        return {}

    def data(self, world, unit):
        """Every write carries the case version it saw (review #18)."""
        case = PenaltyCase.objects.get(pk=data(world)[self.state].pk)
        return {**self.body(world, unit), "version": case.version}

@pytest.mark.django_db
class TestApiSteps(ApiPost):
    url_name = "api:penalty-case-steps"
    action, state = "steps", "investigating"

    def body(self, world, unit):
        return {"step": "investigate", "date": days(10).isoformat(), "facts": "事实", "evidence": "证据",
                "basis_violation": "某法第十条"}

    def test_gate_and_refusal(self, world):
        client = world.client("d01")
        gate = client.post(self.url(world, None), {"step": "decide"}, content_type="application/json")
        assert gate.status_code == 409 and gate.json()["code"] == "procedure.step_missing"
        bad = client.post(self.url(world, None), {**self.data(world, None), "facts": ""}, content_type="application/json")
        assert bad.status_code == 400 and "facts" in bad.json()["errors"]


@pytest.mark.django_db
class TestApiOfficers(ApiPost):
    url_name = "api:penalty-case-officers"
    action, state = "officers", "investigating"

    def body(self, world, unit):
        return {"officer": units_setup(world)["D01"].officers[2].pk, "role": "assist"}

    def test_expired_refused(self, world):
        response = world.client("d01").post(self.url(world, None), {**self.data(world, None),
                                                                     "officer": units_setup(world)["D01"].expired.pk},
                                             content_type="application/json")
        assert response.status_code == 409 and "第42条" in response.json()["detail"]


@pytest.mark.django_db
class TestApiOfficersRemove(ApiPost):
    url_name = "api:penalty-case-officers-remove"
    action, state = "officers-remove", "investigating"

    def body(self, world, unit):
        return {"row": data(world)["investigating"].officers.first().pk, "reason": "调岗"}


@pytest.mark.django_db
class TestApiHearingRequest(ApiPost):
    url_name = "api:penalty-case-hearing-request"
    action, state = "hearing-request", "notified"

    def body(self, world, unit):
        return {"on": days(0).isoformat()}


@pytest.mark.django_db
class TestApiHearingSchedule(ApiPost):
    url_name = "api:penalty-case-hearing-schedule"
    action, state = "hearing-schedule", "hearing"

    def body(self, world, unit):
        return {"on": days(-20).isoformat(), "place": "听证室"}


@pytest.mark.django_db
class TestApiHearingNotice(ApiPost):
    url_name = "api:penalty-case-hearing-notice"
    action, state = "hearing-notice", "hearing"

    def body(self, world, unit):
        return {"on": days(20).isoformat()}

    def test_late_notice_refused(self, world):
        response = world.client("d01").post(self.url(world, None), {**self.data(world, None), "on": days(1).isoformat()},
                                            content_type="application/json")
        assert response.status_code == 409 and "第64条第2项" in response.json()["detail"]


@pytest.mark.django_db
class TestApiPayments(ApiPost):
    url_name = "api:penalty-case-payments"
    action, state = "payments", "served"

    def body(self, world, unit):
        return {"amount": 5000, "paid_on": days(1).isoformat(), "channel": "bank", "receipt_number": "YH-1",
                "payee": "农业银行城关支行"}

    def test_separation(self, world):
        response = world.client("fzb").post(self.url(world, None), self.data(world, None),
                                            content_type="application/json")
        assert response.status_code == 409 and response.json()["code"] == "penalty.separation"
        assert "第67条" in response.json()["detail"]
        paid = world.client("d01").post(self.url(world, None), self.data(world, None), content_type="application/json")
        due = services.clock_due(data(world)["served"], "pay_fine")
        assert paid.json()["payments"][0]["surcharge"] == f"{150 * (days(1) - due).days}.00"  # 3% × 5000 a day late


@pytest.mark.django_db
class TestApiHandover(ApiPost):
    url_name = "api:penalty-case-handover"
    action, state = "handover", "spot"

    def body(self, world, unit):
        return {"payment": data(world)["spot"].payments.first().pk, "on": days(25).isoformat(), "receipt": "HD-1"}


@pytest.mark.django_db
class TestApiPaymentVoid(ApiPost):
    url_name = "api:penalty-case-payments-void"
    action, state = "payments-void", "spot"

    def body(self, world, unit):
        return {"payment": data(world)["spot"].payments.first().pk, "reason": "凭证号录入错误"}


@pytest.mark.django_db
class TestApiSeizure(ApiPost):
    url_name = "api:penalty-case-seizure"
    action, state = "seizure", "investigating"

    def body(self, world, unit):
        return {"on": days(10).isoformat(), "place": "当事人仓库", "items": "货物一批"}


@pytest.mark.django_db
class TestApiSeizureEnd(ApiPost):
    url_name = "api:penalty-case-seizure-end"
    action, state = "seizure-end", "investigating"

    def data(self, world, unit):
        case = PenaltyCase.objects.get(pk=data(world)[self.state].pk)
        act = services.seizure_record(case=case, actor=world.user("d01"), on=days(10), place="仓库", items="货物",
                                      expected_version=case.version)
        case.refresh_from_db()
        return {"seizure": act.pk, "on": days(5).isoformat(), "outcome": "released", "version": case.version}


@pytest.mark.django_db
class TestApiEnforce(ApiPost):
    url_name = "api:penalty-case-enforce"
    action, state = "enforce", "decided"

    def body(self, world, unit):
        return {"on": days(1).isoformat(), "kind": "substitute", "place": "现场", "content": "代履行清除违法堆放物"}


@pytest.mark.django_db
class TestApiDecisionUndone(ApiPost):
    url_name = "api:penalty-case-decision-undone"
    action, state = "decision-undone", "decided"

    def body(self, world, unit):
        return {"kind": "changed", "on": days(1).isoformat(), "document": "区政府复决〔2026〕1号"}

    def get(self, world, username):
        """Multipart: the document's file goes with the act (review #11 Low 17)."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from fazhi.core.testing.scoping import RECORD_UNIT

        unit = world.unit(RECORD_UNIT)
        document = SimpleUploadedFile("复议决定书.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
        return world.client(username).post(self.url(world, unit), {**self.data(world, unit), "files": [document]}), unit

"""Four permission cases for every page and endpoint of 行政复议 (core/testing/scoping.py): the respondent unit (D01)
sees its own cases only, never acts except on its 答复; the office registers and acts; leaders and inspectors read."""

import io
from datetime import date

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from fazhi.core.testing.scoping import ScopedCases
from fazhi.remedies.reconsideration import services
from fazhi.remedies.reconsideration.scripted import act, decide, register, through_reply

APPLICANT = "复议专属申请人"
D = date.fromisoformat


def data(world):
    """Per test: D01's cases — one under review, one correcting past its period, one in 审理 (replied), one
    suspended, one decided (变更)."""
    cached = getattr(world, "_reconsideration", None)
    if cached:
        return cached
    office, d01 = world.user("fzb"), world.user("d01")
    reviewing = register(office, "D01", received=D("2026-03-02"), applicant=APPLICANT)
    correcting = register(office, "D01", received=D("2026-03-02"), applicant=APPLICANT)
    act(correcting, office, "accept", on=D("2026-03-03"), outcome="correction", note="请补正",
        notice_received_on=D("2026-03-04"))
    hearing = through_reply(register(office, "D01", received=D("2026-03-02"), applicant=APPLICANT), office, d01,
                            accepted=D("2026-03-03"))
    suspended = through_reply(register(office, "D01", received=D("2026-03-02"), applicant=APPLICANT), office, d01,
                              accepted=D("2026-03-03"))
    suspended = services.suspend(case=suspended, actor=office, on=D("2026-03-20"), reason="other_case")
    decided = through_reply(register(office, "D01", received=D("2026-03-02"), applicant=APPLICANT), office, d01,
                            accepted=D("2026-03-03"))
    decide(decided, office, D("2026-04-01"), outcome="vary")
    world._reconsideration = {"reviewing": reviewing, "correcting": correcting, "hearing": hearing,
                              "suspended": suspended, "decided": decided}
    return world._reconsideration


class Cases(ScopedCases):
    def marker(self, world, unit):
        return APPLICANT


@pytest.mark.django_db
class TestList(Cases):
    url_name = "reconsideration-list"
    is_list = True

    def url(self, world, unit):
        data(world)
        return reverse("reconsideration-list")

    def test_filters(self, world):
        data(world)
        client = world.client("fzb")
        body = client.get(reverse("reconsideration-list") + "?status=decided&unit=D01&year=2026").content.decode()
        assert body.count(APPLICANT) == 1
        response = client.get(reverse("reconsideration-list") + "?status=nonsense")
        assert response.status_code == 400 and "「状态」" in response.content.decode()
        assert world.client("d01").get(reverse("reconsideration-list") + "?unit=D02").status_code == 400


class OfficeOnlyPage(Cases):
    """Office pages: the respondent unit and another unit are refused."""

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 403
        assert world.client("fzb").get(self.url(world, world.unit("D01"))).status_code == 200
        assert world.client("leader").get(self.url(world, world.unit("D01"))).status_code == 403


@pytest.mark.django_db
class TestCreate(OfficeOnlyPage):
    url_name = "reconsideration-create"
    is_list = True

    def url(self, world, unit):
        return reverse("reconsideration-create")

    def test_register_by_page(self, world):
        client = world.client("fzb")
        form = {"unit": "D01", "applicant1_name": "王五", "applicant1_kind": "person", "act_name": "行政处罚决定",
                "applied_on": "2026-06-01", "received_on": "2026-06-02", "request": "撤销", "grounds": "理由"}
        bad = client.post(reverse("reconsideration-create"), {**form, "received_on": "2026-05-01"})
        assert bad.status_code == 400 and "收到申请日期" in bad.content.decode()
        response = client.post(reverse("reconsideration-create"), form)
        assert response.status_code == 302
        assert "区政复〔2026〕" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
class TestExport(Cases):
    url_name = "reconsideration-export"
    is_list = True

    def url(self, world, unit):
        data(world)
        return reverse("reconsideration-export")

    def rows(self, response):
        wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        return list(wb.worksheets[0].iter_rows(values_only=True))

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 200
        rows = [r for r in self.rows(response) if r[1] == APPLICANT]
        assert len(rows) == 5 and {r[11] for r in rows} == {"审查中", "补正中", "审理中", "中止", "已决定"}
        decided = next(r for r in rows if r[11] == "已决定")
        assert decided[14] == "变更" and decided[16] == "是"

    def test_other_unit(self, world):
        response, _ = self.get(world, "d02")
        assert response.status_code == 200
        assert not any(APPLICANT in str(r) for r in self.rows(response))

    def test_filtered(self, world):
        data(world)
        response = world.client("fzb").get(reverse("reconsideration-export") + "?status=suspended")
        assert [r[11] for r in self.rows(response) if r[1] == APPLICANT] == ["中止"]


@pytest.mark.django_db
class TestDetail(Cases):
    url_name = "reconsideration-detail"

    def url(self, world, unit):
        return reverse("reconsideration-detail", args=[data(world)["hearing"].pk])

    def test_unit_sees_no_office_forms(self, world):
        body = world.client("d01").get(self.url(world, None)).content.decode()
        assert 'data-act="suspend"' not in body and 'novalidate data-step="decide"' not in body
        body = world.client("fzb").get(self.url(world, None)).content.decode()
        assert 'data-act="suspend"' in body and 'novalidate data-step="decide"' in body and "复议决定(普通程序)" in body
        assert 'data-act="suspend"' not in world.client("leader").get(self.url(world, None)).content.decode()
        history = world.client("fzb").get(reverse("record-history", args=["remedies.reconsideration",
                                                                          data(world)["hearing"].pk]))
        assert history.status_code == 200 and "受理" in history.content.decode()


@pytest.mark.django_db
class TestEdit(OfficeOnlyPage):
    url_name = "reconsideration-edit"

    def url(self, world, unit):
        return reverse("reconsideration-edit", args=[data(world)["reviewing"].pk])

    def test_other_unit(self, world):
        response, _ = self.get(world, "d02")
        assert response.status_code in (403, 404)

    def test_stale_edit_refused(self, world):
        case = data(world)["reviewing"]
        client = world.client("fzb")
        form = {"unit": "D01", "applicant1_name": APPLICANT, "applicant1_kind": "person", "act_name": "改后的行为",
                "applied_on": "2026-03-02", "received_on": "2026-03-02", "request": "撤销", "grounds": "理由",
                "version": case.version}
        assert client.post(self.url(world, None), form).status_code == 302
        response = client.post(self.url(world, None), {**form, "act_name": "再改一次"})
        assert response.status_code == 409 and "已被他人修改" in response.content.decode()


class PostCases(Cases):
    method = "post"


@pytest.mark.django_db
class TestStep(PostCases):
    url_name = "reconsideration-step"

    def url(self, world, unit):
        return reverse("reconsideration-step", args=[data(world)["reviewing"].pk])

    def data(self, world, unit):
        return {"step": "accept", "outcome": "accept", "procedure_kind": "normal"}

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 403  # 受理审查 is the office's
        response = world.client("fzb").post(self.url(world, None), self.data(world, None))
        assert response.status_code == 303
        data(world)["reviewing"].refresh_from_db()
        assert data(world)["reviewing"].status == "hearing"


class ActCases(PostCases):
    state = "hearing"
    kind = ""
    expect = ""

    def url(self, world, unit):
        return reverse("reconsideration-act", args=[data(world)[self.state].pk, self.kind])

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 403
        assert world.client("leader").post(self.url(world, None), self.data(world, None)).status_code == 403
        response = world.client("fzb").post(self.url(world, None), self.data(world, None))
        assert response.status_code == 303
        case = data(world)[self.state]
        case.refresh_from_db()
        assert case.status == self.expect


@pytest.mark.django_db
class TestAct(ActCases):
    url_name = "reconsideration-act"
    kind = "suspend"
    expect = "suspended"

    def data(self, world, unit):
        return {"on": "2026-03-25", "reason": "mediation", "version": data(world)["hearing"].version}

    def test_every_act_by_page(self, world):
        cases, client = data(world), world.client("fzb")
        post = lambda case, kind, **f: client.post(reverse("reconsideration-act", args=[case.pk, kind]),  # noqa: E731
                                                   {"version": case.version, **f})
        post(cases["suspended"], "resume", on="2026-04-01")
        cases["suspended"].refresh_from_db()
        assert cases["suspended"].status == "hearing"
        post(cases["hearing"], "extend", days="40", approver="王主任", basis="复杂", notified_on="2026-04-20")
        messages = [str(m) for m in client.get(cases["hearing"].get_absolute_url()).context["messages"]]
        assert any("30" in m for m in messages)  # the catalogue's cap, shown
        post(cases["correcting"], "withdraw", on="2026-06-01")
        cases["correcting"].refresh_from_db()
        assert cases["correcting"].status == "withdrawn"
        post(cases["reviewing"], "terminate", on="2026-03-10", reason="withdrawn")
        cases["reviewing"].refresh_from_db()
        assert cases["reviewing"].status == "terminated"
        stale = client.post(reverse("reconsideration-act", args=[cases["hearing"].pk, "suspend"]),
                            {"version": 1, "on": "2026-03-25", "reason": "mediation"})
        assert stale.status_code == 303
        cases["hearing"].refresh_from_db()
        assert cases["hearing"].status == "hearing"


@pytest.mark.django_db
class TestLetter(Cases):
    url_name = "reconsideration-letter"

    def url(self, world, unit):
        return reverse("reconsideration-letter", args=[data(world)["decided"].pk])

    def marker(self, world, unit):
        return ""

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 200
        text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
        assert APPLICANT in text and "被申请人:" in text
        assert "第六十三条的规定,本机关决定:变更被申请人作出的" in text  # the outcome's clause and article
        assert "15日" in text and "行政诉讼法" in text  # the period and basis from the catalogue rule
        assert "查明" in text and "区政复〔2026〕" in text

    def test_only_decided(self, world):
        response = world.client("fzb").get(reverse("reconsideration-letter", args=[data(world)["hearing"].pk]))
        assert response.status_code == 409


# ---------------------------------------------------------------- API


class ApiCases(Cases):
    api = True


@pytest.mark.django_db
class TestApiList(ApiCases):
    url_name = "api:reconsideration-list"
    is_list = True

    def url(self, world, unit):
        data(world)
        return reverse("api:reconsideration-list")

    def test_fields_and_filters(self, world):
        data(world)
        client = world.client("d01")
        body = client.get(reverse("api:reconsideration-list") + "?status=suspended").json()
        assert body["count"] == 1
        row = body["results"][0]
        assert row["respondent"] == "D01" and row["status"] == "suspended"
        decide_clock = next(c for c in row["clocks"] if c["rule"] == "reconsideration.decide")
        assert decide_clock["state"] == "open" and decide_clock["paused"] is True
        assert {c["rule"] for c in row["clocks"]} >= {"reconsideration.accept", "reconsideration.reply"}
        assert [s["code"] for s in row["steps"]] == ["accept", "send_copy", "reply", "hearing", "decide"]
        assert client.get(reverse("api:reconsideration-list") + "?respondent=D02").status_code == 400
        assert client.get(reverse("api:reconsideration-list") + "?outcome=xx").status_code == 400
        assert world.client("fzb").get(reverse("api:reconsideration-list") + "?outcome=vary").json()["count"] == 1

    def test_create(self, world):
        body = {"respondent": "D01", "applicants": [{"name": "赵六", "kind": "legal", "contact": ""}],
                "act_name": "责令停产停业决定", "applied_on": "2026-06-01", "received_on": "2026-06-02",
                "request": "撤销", "grounds": "理由"}
        url = reverse("api:reconsideration-list")
        assert world.client("d01").post(url, body, content_type="application/json").status_code == 403
        assert world.client("leader").post(url, body, content_type="application/json").status_code == 403
        bad = world.client("fzb").post(url, {**body, "received_on": "2026-05-01"}, content_type="application/json")
        assert bad.status_code == 400 and "received_on" in bad.json()["errors"]
        bad = world.client("fzb").post(url, {**body, "applicants": "张三"}, content_type="application/json")
        assert bad.status_code == 400 and "applicants" in bad.json()["errors"]
        created = world.client("fzb").post(url, body, content_type="application/json")
        assert created.status_code == 201, created.content
        assert created.json()["number"].startswith("区政复〔2026〕") and created.json()["clocks"][0]["state"] == "open"


@pytest.mark.django_db
class TestApiDetail(ApiCases):
    url_name = "api:reconsideration-detail"

    def url(self, world, unit):
        return reverse("api:reconsideration-detail", args=[data(world)["decided"].pk])

    def test_decided(self, world):
        body = world.client("inspector").get(self.url(world, None)).json()
        assert body["outcome"] == "vary" and body["decision_late"] is False
        assert next(c for c in body["clocks"] if c["rule"] == "reconsideration.decide")["state"] == "met"


@pytest.mark.django_db
class TestApiSteps(ApiCases):
    url_name = "api:reconsideration-steps"
    method = "post"

    def url(self, world, unit):
        return reverse("api:reconsideration-steps", args=[data(world)["hearing"].pk])

    def data(self, world, unit):
        return {"step": "hearing", "date": "2026-03-20", "hearing_place": "听证室", "notice_on": "2026-03-10",
                "leader_attended": "no", "absence_reason": "出差,委托副局长参加"}

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 403
        bad = world.client("fzb").post(self.url(world, None), {**self.data(world, None), "hearing_place": ""},
                                       content_type="application/json")
        assert bad.status_code == 400 and "hearing_place" in bad.json()["errors"]
        response = world.client("fzb").post(self.url(world, None), self.data(world, None), content_type="application/json")
        assert response.status_code == 200 and response.json()["hearing_notice_late"] is False
        gate = world.client("fzb").post(reverse("api:reconsideration-steps", args=[data(world)["reviewing"].pk]),
                                        {"step": "decide", "outcome": "maintain"}, content_type="application/json")
        assert gate.status_code == 409 and gate.json()["code"] == "procedure.step_missing"


class ApiActCases(ApiCases):
    method = "post"
    state = "hearing"
    action = ""
    expect = ""

    def url(self, world, unit):
        return reverse(f"api:reconsideration-{self.action}", args=[data(world)[self.state].pk])

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 403
        assert world.client("inspector").post(self.url(world, None), self.data(world, None),
                                              content_type="application/json").status_code == 403
        response = world.client("fzb").post(self.url(world, None), self.data(world, None), content_type="application/json")
        assert response.status_code == 200, response.content
        assert response.json()["status"] == self.expect


@pytest.mark.django_db
class TestApiCorrectionReceived(ApiActCases):
    url_name = "api:reconsideration-correction-received"
    action, state, expect = "correction-received", "correcting", "reviewing"

    def data(self, world, unit):
        return {"on": "2026-03-10"}

    def test_restart_and_wrong_state(self, world):
        client = world.client("fzb")
        response = client.post(self.url(world, None), {"on": "2026-03-10"}, content_type="application/json")
        accept = next(c for c in response.json()["clocks"] if c["rule"] == "reconsideration.accept")
        assert accept["start"] == "2026-03-10" and accept["restarts"] == 1 and accept["due"] == "2026-03-17"
        again = client.post(self.url(world, None), {"on": "2026-03-10"}, content_type="application/json")
        assert again.status_code == 409
        bad = client.post(reverse("api:reconsideration-correction-received", args=[data(world)["hearing"].pk]),
                          {"on": "10 March"}, content_type="application/json")
        assert bad.status_code == 400 and "on" in bad.json()["errors"]


@pytest.mark.django_db
class TestApiWithdraw(ApiActCases):
    url_name = "api:reconsideration-withdraw"
    action, state, expect = "withdraw", "correcting", "withdrawn"

    def data(self, world, unit):
        return {"on": "2026-06-01"}


@pytest.mark.django_db
class TestApiSuspend(ApiActCases):
    url_name = "api:reconsideration-suspend"
    action, expect = "suspend", "suspended"

    def data(self, world, unit):
        return {"on": "2026-03-25", "reason": "interpretation", "version": data(world)["hearing"].version}

    def test_stale_and_bad_reason(self, world):
        client = world.client("fzb")
        bad = client.post(self.url(world, None), {"on": "2026-03-25", "reason": "无"}, content_type="application/json")
        assert bad.status_code == 400 and "reason" in bad.json()["errors"]
        stale = client.post(self.url(world, None), {**self.data(world, None), "version": 1}, content_type="application/json")
        assert stale.status_code == 409


@pytest.mark.django_db
class TestApiResume(ApiActCases):
    url_name = "api:reconsideration-resume"
    action, state, expect = "resume", "suspended", "hearing"

    def data(self, world, unit):
        return {"on": "2026-04-01"}


@pytest.mark.django_db
class TestApiExtend(ApiActCases):
    url_name = "api:reconsideration-extend"
    action, expect = "extend", "hearing"

    def data(self, world, unit):
        return {"days": 30, "approver": "王主任", "basis": "案情复杂", "notified_on": "2026-04-20"}

    def test_too_long(self, world):
        response = world.client("fzb").post(self.url(world, None), {**self.data(world, None), "days": 31},
                                            content_type="application/json")
        assert response.status_code == 400 and "days" in response.json()["errors"]


@pytest.mark.django_db
class TestApiTerminate(ApiActCases):
    url_name = "api:reconsideration-terminate"
    action, expect = "terminate", "terminated"

    def data(self, world, unit):
        return {"on": "2026-04-01", "reason": "settled", "note": "双方达成和解"}

    def test_clocks_stopped(self, world):
        body = world.client("fzb").post(self.url(world, None), self.data(world, None), content_type="application/json").json()
        assert body["outcome"] == "terminate"
        assert not [c for c in body["clocks"] if c["state"] == "open"]
        assert next(c for c in body["clocks"] if c["rule"] == "reconsideration.decide")["state"] == "stopped"


@pytest.mark.django_db
class TestApiScheduleHearing(ApiActCases):
    url_name = "api:reconsideration-schedule-hearing"
    action, expect = "schedule-hearing", "hearing"

    def data(self, world, unit):
        return {"on": "2099-12-21", "place": "区政府第三会议室"}

    def test_notice_day_on_the_clocks(self, world):
        response = world.client("fzb").post(self.url(world, None), self.data(world, None), content_type="application/json")
        notice = next(c for c in response.json()["clocks"] if c["rule"] == "reconsideration.hearing_notice")
        assert notice["state"] == "open" and notice["due"] < "2099-12-21"


@pytest.mark.django_db
class TestApiHearingNotice(ApiActCases):
    url_name = "api:reconsideration-hearing-notice"
    action, expect = "hearing-notice", "hearing"

    def url(self, world, unit):
        case = data(world)["hearing"]
        case.refresh_from_db()
        if case.hearing_planned_on is None:  # a hearing must be planned before its notice is sent
            services.schedule_hearing(case=case, actor=world.user("fzb"), on=date(2099, 12, 21), place="第三会议室")
        return super().url(world, unit)

    def data(self, world, unit):
        return {"on": "2026-11-27"}

"""The review's findings on 行政许可 (review10): 法制审核 of major decisions (#5), certified officers on a 现场核查
(#11), a late decision's reason (#19), the deciding organ in the remedy notice (#17), per-unit numbers with the organ
code (#12), `version` required on API writes (#18), the applicant's withdrawal, hearings (第45–48条) and the bounded
officer pick (#21) — with the four-case permission tests of the new endpoints."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from docx import Document

from fazhi.core.errors import Conflict, InvalidInput, NotAllowed
from fazhi.core.testing.scoping import ScopedCases
from fazhi.deadlines.models import Deadline
from fazhi.deadlines.services import deadline_compute
from fazhi.enforcement.licence import rules, selectors, services, steps
from fazhi.enforcement.licence.tests.conftest import (
    APPLICANT, PDF, D, accept, decide, inspectors, item, officer, register, review,
)
from fazhi.enforcement.licence.tests.test_permissions import ApiWriteCases
from fazhi.procedures import actions

pytestmark = pytest.mark.django_db


def _major_line(world, it):
    from fazhi.enforcement.subjects import services as subject_services

    return subject_services.entry_create(unit=it.unit, actor=world.user("fzb"), data={
        "decision_kind": "licence", "title": f"{it.name}(重大)", "measures": [it.code], "amount_from": None,
        "basis": "国办发〔2018〕118号"})


REVIEW_DAY = D("2026-03-12")


def _legal_review(case, user, on=REVIEW_DAY, outcome="pass", note="符合法定条件,同意"):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils.datastructures import MultiValueDict

    run = services.case_run(case)
    body = MultiValueDict({"step": ["legal_review"], "date": [on.isoformat()], "outcome": [outcome], "note": [note],
                           "version": [str(case.version)]})
    parsed = actions.act_parse(body, MultiValueDict({"files": [SimpleUploadedFile("法制审核意见书.pdf", PDF)]}),
                               steps.STEPS, run, actor=user)
    actions.act_perform(record_obj=case, run=run, act=parsed, actions=steps.STEPS, actor=user)
    case.refresh_from_db()
    return case


# ---------------------------------------------------------------- #5 法制审核 of a major licence decision


def test_major_judged_at_acceptance_and_review_gates_the_decision(world):
    it = item(world, "D01")
    entry = _major_line(world, it)
    d01, fzb = world.user("d01"), world.user("fzb")
    case = review(accept(register(world, it), d01), d01)
    assert case.major is True and case.major_entry_id == entry.pk and case.major_entry_title == entry.title
    # The unit cannot review its own decision: the step is the office's (role), and the rule names the basis.
    with pytest.raises(NotAllowed):
        _legal_review(case, d01)
    run = services.case_run(case)
    parsed = actions.act_parse({"step": "legal_review", "outcome": "pass", "note": "同意", "version": case.version}, [],
                               steps.STEPS, run)
    with pytest.raises(NotAllowed) as e:
        services.perform(case, parsed, d01)
    assert "国办发〔2018〕118号" in e.value.message and "法制办" in e.value.message
    # Without the review the decision is refused, naming the catalogue line and the basis.
    with pytest.raises(Conflict) as e:
        decide(case, d01)
    assert "法制审核" in e.value.message and entry.title in e.value.message and "118号" in e.value.message
    # A catalogue edit after acceptance does not change the case (the line in force then is kept).
    from fazhi.enforcement.subjects import services as subject_services

    subject_services.entry_update(entry=entry, actor=fzb, data={"decision_kind": "licence", "title": entry.title,
                                                                 "measures": [it.code], "active": False},
                                  expected_version=entry.version)
    case.refresh_from_db()
    assert case.major is True
    case = _legal_review(case, fzb)
    assert case.legal_review_on == D("2026-03-12") and case.legal_reviewed_by == fzb and case.legal_reviewer
    with pytest.raises(Conflict) as e:  # the reviewer does not record the decision (审核与决定分离)
        decide(case, fzb)
    assert "审核与决定分离" in e.value.message
    case = decide(case, d01)
    assert case.status == "decided" and case.decided_by == d01
    from fazhi.core import rates

    assert rates.compute(rates.get("licence.legal_review"), fzb) == {"numerator": 1, "denominator": 1, "value": 1.0}


def test_not_major_needs_no_review_and_the_step_is_blocked(world):
    it = item(world, "D01")
    d01 = world.user("d01")
    case = review(accept(register(world, it), d01), d01)
    assert case.major is False and case.major_entry_id is None
    assert "无须法制审核" in rules.step_refusal(case, "legal_review")
    assert decide(case, d01).status == "decided"


def test_catalogue_offers_licence_items_and_refuses_unknown_codes(world):
    from fazhi.enforcement.subjects import services as subject_services
    from fazhi.enforcement.subjects.forms import measure_choices

    it = item(world, "D01")
    assert (it.code, f"许可事项 {it.code} {it.name}") in measure_choices(it.unit)
    with pytest.raises(InvalidInput) as e:
        subject_services.entry_create(unit=it.unit, actor=world.user("fzb"), data={
            "decision_kind": "licence", "title": "无此事项", "measures": ["NO-SUCH"], "amount_from": None})
    assert e.value.field == "measures"


# ---------------------------------------------------------------- #11 现场核查 by certified officers


def test_inspection_officers_checked_and_kept(world):
    it = item(world, "D01")
    d01 = world.user("d01")
    case = accept(register(world, it), d01)
    expired = officer(world, "D01", "过期员", issued=D("2020-01-01"), expires=D("2026-03-01"))
    valid = officer(world, "D01", "持证员")
    with pytest.raises(InvalidInput) as e:  # a certificate expired before the inspection
        review(case, d01, inspected="yes", inspection_on=D("2026-03-09"), inspection_place="现场",
               inspection_officers=[str(expired.pk), str(valid.pk)])
    assert e.value.field == "inspection_officers" and "过期员" in e.value.message and "持证" in e.value.message
    other = officer(world, "D02", "他单位员")
    with pytest.raises(InvalidInput) as e:  # another unit's officer
        review(case, d01, inspected="yes", inspection_on=D("2026-03-09"), inspection_place="现场",
               inspection_officers=[str(valid.pk), str(other.pk)])
    assert "不是本单位" in e.value.message
    second = officer(world, "D01", "持证员二")
    case = review(case, d01, inspected="yes", inspection_on=D("2026-03-09"), inspection_place="现场",
                  inspection_officers=[str(valid.pk), str(second.pk)])
    assert [o["name"] for o in case.inspection_officer_data] == ["持证员", "持证员二"]
    assert case.inspection_officer_data[0]["certificate"] == valid.certificates.get().number
    assert case.inspection_officers == "持证员、持证员二"
    # History shows who: the kept list is a field of the versioned record.
    latest = case.history.order_by("-history_id").first()
    assert latest.inspection_officer_data == case.inspection_officer_data


def test_officer_pick_is_bounded_and_searchable(world, monkeypatch):
    for i in range(4):
        officer(world, "D01", f"人员{i}")
    officer(world, "D01", "王查找")
    monkeypatch.setattr(selectors, "PICK_LIMIT", 3)
    shown, total = selectors.officer_pick(world.unit("D01"))
    assert len(shown) == 3 and total == 5
    shown, total = selectors.officer_pick(world.unit("D01"), "查找")
    assert [o.name for o in shown] == ["王查找"] and total == 1


def test_detail_page_offers_the_units_officers_and_states_the_bound(world):
    it = item(world, "D01")
    d01 = world.user("d01")
    case = accept(register(world, it), d01)
    mine = officer(world, "D01", "本单位核查员")
    officer(world, "D02", "他单位核查员")
    page = world.client("d01").get(reverse("licence-detail", args=[case.pk])).content.decode()
    assert f'<option value="{mine.pk}">本单位核查员(编号 {mine.pk})</option>' in page and "他单位核查员" not in page
    assert 'data-testid="officer-pick"' in page and "列出本单位在岗执法人员 1 名" in page
    found = world.client("d01").get(reverse("licence-detail", args=[case.pk]) + "?officer_q=无此人").content.decode()
    assert "本单位核查员(编号" not in found and "列出本单位在岗执法人员 0 名" in found


# ---------------------------------------------------------------- #12 numbers, #17 organ


def test_numbers_per_unit_with_the_organ_code(world):
    i1, i2 = item(world, "D01"), item(world, "D02")
    d01, d02 = world.user("d01"), world.user("d02")
    c1, c2 = register(world, i1), register(world, i2)
    assert (c1.number, c2.number) == ("城管局许申〔2026〕1号", "人社局许申〔2026〕1号")
    c1 = decide(review(accept(c1, d01), d01), d01)
    c2 = decide(review(accept(c2, d02), d02), d02, outcome="deny", reason="不符合条件")
    assert (c1.decision_number, c2.decision_number) == ("城管局许决〔2026〕1号", "人社局许决〔2026〕1号")
    assert c2.remedy_notice.startswith(f"本决定由{c2.subject.name}作出")


# ---------------------------------------------------------------- withdrawal


def test_withdrawal_stops_every_clock_and_ends_the_case(world):
    it = item(world, "D01")
    d01 = world.user("d01")
    case = accept(register(world, it), d01)
    with pytest.raises(InvalidInput) as e:
        services.withdraw(case=case, actor=d01, on=D("2026-03-05"), reason=" ", expected_version=case.version)
    assert e.value.field == "reason"
    case = services.withdraw(case=case, actor=d01, on=D("2026-03-05"), reason="申请人书面撤回",
                             expected_version=case.version)
    assert case.status == "withdrawn" and case.withdrawn_on == D("2026-03-05") and not rules.is_open(case)
    clocks = Deadline.objects.filter(object_id=str(case.pk), purpose__startswith="licence:")
    assert clocks and not any(c.status == Deadline.OPEN for c in clocks)
    assert services.clock(case, rules.DECIDE).status == Deadline.CANCELLED  # stopped: neither met nor late
    with pytest.raises(Conflict):  # ended: no step any more
        review(case, d01)
    decided = decide(review(accept(register(world, it), d01), d01), d01)
    with pytest.raises(Conflict) as e:
        services.withdraw(case=decided, actor=d01, on=D("2026-03-21"), reason="撤回", expected_version=decided.version)
    assert "作出决定前" in e.value.message


def test_withdraw_by_page(world):
    it = item(world, "D01")
    case = register(world, it)
    client = world.client("d01")
    url = reverse("licence-act", args=[case.pk, "withdraw"])
    assert world.client("leader").post(url, {"on": "2026-03-04", "reason": "撤回", "version": case.version}).status_code == 403
    response = client.post(url, {"on": "2026-03-04", "reason": "申请人撤回", "version": case.version})
    assert response.status_code == 303
    case.refresh_from_db()
    assert case.status == "withdrawn"
    assert "申请人撤回申请" in client.get(reverse("licence-detail", args=[case.pk])).content.decode()


# ---------------------------------------------------------------- 听证 (第45–48条)


def _heard(world, it, d01):
    case = review(accept(register(world, it), d01, on=D("2026-03-03")), d01, on=D("2026-03-04"))
    case = services.hearing_right(case=case, actor=d01, on=D("2026-03-05"), expected_version=case.version)
    return case


def test_hearing_pauses_and_resumes_the_decision_clock(world):
    it = item(world, "D01")
    d01 = world.user("d01")
    case = _heard(world, it, d01)
    before = services.clock(case, rules.DECIDE).due
    request_due = services.clock(case, rules.HEARING_REQUEST).due
    assert request_due == deadline_compute("licence.hearing_request", D("2026-03-05")).due
    with pytest.raises(Conflict) as e:  # the 5 days to ask are not over
        decide(case, d01, on=D("2026-03-06"))
    assert "第47条" in e.value.message
    case = services.hearing_request(case=case, actor=d01, on=D("2026-03-06"), requested_by="相邻住户",
                                    expected_version=case.version)
    decide_clock = services.clock(case, rules.DECIDE)
    assert decide_clock.paused_since == D("2026-03-06")
    assert services.clock(case, rules.HEARING).due == deadline_compute("licence.hearing", D("2026-03-06")).due
    inspector = officer(world, "D01", "审查员")
    case.inspection_officer_data = [{"id": inspector.pk, "name": inspector.name, "certificate": "x"}]
    case.save(update_fields=["inspection_officer_data"])
    with pytest.raises(InvalidInput) as e:  # fewer than 7 days' notice
        services.hearing_notice(case=case, actor=d01, on=D("2026-03-09"), hearing_on=D("2026-03-12"), place="听证室",
                                host=inspector.pk, expected_version=case.version)
    assert e.value.field == "hearing_on" and "第48条" in e.value.message
    with pytest.raises(InvalidInput) as e:  # the host reviewed the case
        services.hearing_notice(case=case, actor=d01, on=D("2026-03-09"), hearing_on=D("2026-03-25"), place="听证室",
                                host=inspector.pk, expected_version=case.version)
    assert e.value.field == "host" and "第48条" in e.value.message
    host = officer(world, "D01", "主持人")
    case = services.hearing_notice(case=case, actor=d01, on=D("2026-03-09"), hearing_on=D("2026-03-25"),
                                   place="听证室", host=host.pk, expected_version=case.version)
    assert case.hearing_host == host and case.hearing_kind == "requested"
    with pytest.raises(Conflict):  # decided only on the hearing's record
        decide(case, d01, on=D("2026-03-20"))
    case = services.hearing_held(case=case, actor=d01, on=D("2026-03-25"), record="各方陈述意见",
                                 expected_version=case.version)
    after = services.clock(case, rules.DECIDE)
    # The paused days 03-06 … 03-25 do not count: the due day moves by them (第45条).
    assert after.paused_since is None and after.due > before
    assert after.due == deadline_compute("licence.decide", D("2026-03-03"), pauses=((D("2026-03-06"), D("2026-03-25")),)).due
    assert services.clock(case, rules.HEARING).status == Deadline.MET
    assert {r.label for r in rules.records_required(case) if r.step == "hearing"} == {"听证笔录", "听证音像记录"}
    case = decide(case, d01, on=D("2026-03-30"))
    assert case.decision_late is False


def test_late_hearing_request_and_organs_own_hearing(world):
    it = item(world, "D01")
    d01 = world.user("d01")
    case = _heard(world, it, d01)
    late = services.clock(case, rules.HEARING_REQUEST).due
    with pytest.raises(Conflict) as e:
        services.hearing_request(case=case, actor=d01, on=late + timedelta(days=1),
                                 requested_by="相邻住户", expected_version=case.version)
    assert "届满" in e.value.message
    host = officer(world, "D01", "主持人")
    with pytest.raises(InvalidInput) as e:  # the organ's own hearing (第46条) names its ground
        services.hearing_notice(case=case, actor=d01, on=D("2026-03-09"), hearing_on=D("2026-03-25"), place="听证室",
                                host=host.pk, expected_version=case.version)
    assert e.value.field == "kind" and "第46条" in e.value.message
    case = services.hearing_notice(case=case, actor=d01, on=D("2026-03-09"), hearing_on=D("2026-03-25"), place="听证室",
                                   host=host.pk, kind="public_interest", expected_version=case.version)
    assert services.clock(case, rules.DECIDE).paused_since == D("2026-03-09")
    assert services.clock(case, rules.HEARING_REQUEST).status == Deadline.CANCELLED


# ---------------------------------------------------------------- #18 version required through the API


def test_api_version_required_and_stale_refused(world):
    it = item(world, "D01")
    d01 = world.user("d01")
    case = accept(register(world, it), d01)
    client = world.client("d01")
    steps_url = reverse("api:licence-case-steps", args=[case.pk])
    missing = client.post(steps_url, {"step": "review", "date": "2026-03-10", "inspected": "no"},
                          content_type="application/json")
    assert missing.status_code == 400 and "version" in missing.json()["errors"]
    stale = client.post(steps_url, {"step": "review", "date": "2026-03-10", "inspected": "no", "version": case.version - 1},
                        content_type="application/json")
    assert stale.status_code == 409
    case.refresh_from_db()
    assert case.reviewed_on is None
    ids = [int(i) for i in inspectors(world)]
    done = client.post(steps_url, {"step": "review", "date": "2026-03-10", "inspected": "yes", "version": case.version,
                                   "inspection_on": "2026-03-09", "inspection_place": "现场", "inspection_officers": ids},
                       content_type="application/json")
    assert done.status_code == 200, done.content
    assert [o["id"] for o in done.json()["inspection_officers"]] == ids
    extend_url = reverse("api:licence-case-extend", args=[case.pk])
    body = {"days": 5, "approver": "局长", "basis": "复杂", "notified_on": "2026-03-20"}
    no_version = client.post(extend_url, body, content_type="application/json")
    assert no_version.status_code == 400 and "version" in no_version.json()["errors"]
    assert client.post(extend_url, {**body, "version": case.version}, content_type="application/json").status_code == 409
    assert client.post(extend_url, {**body, "version": done.json()["version"]},
                       content_type="application/json").status_code == 200


# ---------------------------------------------------------------- four cases for the new endpoints


def _cases(world):
    cached = getattr(world, "_licence10", None)
    if cached:
        return cached
    d01 = world.user("d01")
    it = item(world, "D01")
    reviewing = review(accept(register(world, it), d01), d01, on=D("2026-03-04"))
    told = services.hearing_right(case=review(accept(register(world, it), d01), d01, on=D("2026-03-04")), actor=d01,
                                  on=D("2026-03-05"))
    requested = services.hearing_right(case=review(accept(register(world, it), d01), d01, on=D("2026-03-04")),
                                       actor=d01, on=D("2026-03-05"))
    requested = services.hearing_request(case=requested, actor=d01, on=D("2026-03-06"), requested_by="相邻住户")
    host = officer(world, "D01", "主持人")
    noticed = services.hearing_right(case=review(accept(register(world, it), d01), d01, on=D("2026-03-04")),
                                     actor=d01, on=D("2026-03-05"))
    noticed = services.hearing_request(case=noticed, actor=d01, on=D("2026-03-06"), requested_by="相邻住户")
    noticed = services.hearing_notice(case=noticed, actor=d01, on=D("2026-03-09"), hearing_on=D("2026-03-25"),
                                      place="听证室", host=host.pk)
    world._licence10 = {"reviewing": reviewing, "told": told, "requested": requested, "noticed": noticed, "host": host}
    return world._licence10


class _Act(ApiWriteCases):
    case_key = ""
    route = ""

    def url(self, world, unit):
        return reverse(f"api:licence-case-{self.route}", args=[_cases(world)[self.case_key].pk])

    def marker(self, world, unit):
        return APPLICANT

    def body(self, world) -> dict:
        raise NotImplementedError

    def data(self, world, unit):
        return {**self.body(world), "version": _cases(world)[self.case_key].version}


@pytest.mark.django_db
class TestApiWithdraw(_Act):
    url_name = "api:licence-case-withdraw"
    case_key, route = "reviewing", "withdraw"

    def body(self, world):
        return {"on": "2026-03-10", "reason": "申请人书面撤回"}


@pytest.mark.django_db
class TestApiHearingRight(_Act):
    url_name = "api:licence-case-hearing-right"
    case_key, route = "reviewing", "hearing-right"

    def body(self, world):
        return {"on": "2026-03-05"}


@pytest.mark.django_db
class TestApiHearingRequest(_Act):
    url_name = "api:licence-case-hearing-request"
    case_key, route = "told", "hearing-request"

    def body(self, world):
        return {"on": "2026-03-06", "requested_by": "相邻住户"}


@pytest.mark.django_db
class TestApiHearingNotice(_Act):
    url_name = "api:licence-case-hearing-notice"
    case_key, route = "requested", "hearing-notice"

    def body(self, world):
        return {"on": "2026-03-09", "hearing_on": "2026-03-25", "place": "听证室", "host": _cases(world)["host"].pk}


@pytest.mark.django_db
class TestApiHearingHeld(_Act):
    url_name = "api:licence-case-hearing-held"
    case_key, route = "noticed", "hearing-held"

    def body(self, world):
        return {"on": "2026-03-25", "record": "各方陈述意见"}


@pytest.mark.django_db
class TestHearingNoticeDocx(ScopedCases):
    url_name = "licence-hearing-notice"

    def url(self, world, unit):
        return reverse("licence-hearing-notice", args=[_cases(world)["noticed"].pk])

    def marker(self, world, unit):
        return ""

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 200
        text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
        case = _cases(world)["noticed"]
        assert "行政许可听证通知书" in text and APPLICANT in text and "相邻住户" in text and "第四十七条" in text
        assert "2026年3月25日" in text and "听证室" in text and "主持人" in text and "第四十五条" in text
        assert case.number in text

    def test_only_after_notice(self, world):
        response = world.client("fzb").get(reverse("licence-hearing-notice", args=[_cases(world)["requested"].pk]))
        assert response.status_code == 409


def test_migration_republishes_licence_with_its_legal_review(world):
    """P's data migration (procedures 0003) covers licence.json: a database whose licence version in force has no
    `legal_review` step gets the shipped file as its next version."""
    import importlib

    from django.apps import apps as django_apps

    from fazhi.procedures import rules as procedure_rules
    from fazhi.procedures import services as procedure_services
    from fazhi.procedures.models import ProcedureDefinition, ProcedureStep

    migration = importlib.import_module("fazhi.procedures.migrations.0003_enforcement_steps")
    shipped = procedure_services.builtin_files()["licence"]
    old = {**shipped, "steps": [s for s in shipped["steps"] if s["code"] != "legal_review"]}
    cleaned, errors = procedure_rules.validate_definition(old, known_rules=procedure_services.known_rules())
    assert not errors
    old_version = procedure_services._publish(cleaned, actor=None, Definition=ProcedureDefinition, Step=ProcedureStep)
    migration.forward(django_apps, None)
    newest = ProcedureDefinition.objects.filter(code="licence").order_by("-version").first()
    assert newest.version == old_version.version + 1
    step = ProcedureStep.objects.get(definition=newest, code="legal_review")
    assert step.role == "office" and step.attachments_required is True and step.mandatory is False

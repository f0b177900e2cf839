"""The rules of 行政许可 through the services: 许可法定 (registered, published item; lawful subject), 补正 once (on
time: the review stops and restarts; late: deemed accepted from receipt, 第32条), extension once within the cap
(第42条), the certificate clock (第44条), 办结 only with certificate and records; publication of grants."""

from datetime import date

import pytest

from fazhi.core.errors import Conflict, InvalidInput, NotAllowed, StaleEdit
from fazhi.deadlines.services import deadline_compute
from fazhi.enforcement.licence import rules, services
from fazhi.enforcement.licence.tests.conftest import (
    D, accept, act, certificate, close, decide, inspectors, item, item_data, records, register, review, subject,
)

pytestmark = pytest.mark.django_db


def due(rule, start):
    return deadline_compute(rule, start).due


# ---------------------------------------------------------------- items (许可法定)


def test_case_needs_a_published_item(world):
    draft = item(world, published=False)
    with pytest.raises(Conflict) as e:
        register(world, draft)
    assert "第4条" in e.value.message and "第14条" in e.value.message and e.value.code == "licence.refused"
    published = services.item_publish(item=draft, actor=world.user("d01"), on=D("2026-01-05"), expected_version=draft.version)
    with pytest.raises(Conflict) as e:  # received before the item was published
        register(world, published, received=D("2026-01-02"))
    assert "尚未公布实施" in e.value.message
    case = register(world, published, received=D("2026-03-02"))
    assert case.number == "城管局许申〔2026〕1号" and case.status == "received" and case.subject_id == published.subject_id
    withdrawn = services.item_withdraw(item=published, actor=world.user("fzb"), on=D("2026-04-01"), reason="设定依据已废止",
                                       expected_version=published.version)
    with pytest.raises(Conflict):
        register(world, withdrawn, received=D("2026-04-02"))


def test_subject_refusal_names_its_rule(world):
    unqualified = subject(world, "D01", status="to_correct", name="待纠正主体")
    it = services.item_create(actor=world.user("d01"), data=item_data("D01", unqualified.pk))
    with pytest.raises(Conflict) as e:  # publication asks the subject rule
        services.item_publish(item=it, actor=world.user("d01"), on=D("2026-01-05"), expected_version=it.version)
    assert "主体资格审查" in e.value.message and "行政许可法 第22–24条" in e.value.message
    # A subject that loses its qualification after the item was published: the case is refused at receipt.
    ok = item(world, "D01", code="XK-002")
    ok.subject.review_status = "unqualified"
    ok.subject.save()
    with pytest.raises(Conflict) as e:
        register(world, ok)
    assert "不合格" in e.value.message


def test_item_input_refused_naming_the_field(world):
    s = subject(world, "D01")
    office = world.user("fzb")
    cases = [({"basis_kind": "department_rule"}, "basis_kind"), ({"basis": "国务院某部门通知"}, "basis"),
             ({"basis_kind": "provincial_rule", "basis": "《陕西省某规章》第五条"}, "basis"),
             ({"fee_charged": True, "fee_amount": "100元"}, "fee_basis"), ({"promised_days": 20}, "promised_days"),
             ({"code": "代码 1"}, "code"), ({"materials": ""}, "materials"), ({"subject": 999999}, "subject")]
    for over, field in cases:
        with pytest.raises(InvalidInput) as e:
            services.item_create(actor=office, data=item_data("D01", s.pk, **over))
        assert e.value.field == field, (over, e.value.message)
    with pytest.raises(InvalidInput):  # another unit's code is as unknown to D02 as a wrong one
        services.item_create(actor=world.user("d02"), data=item_data("D01", s.pk))
    with pytest.raises(NotAllowed):  # read-only roles
        services.item_create(actor=world.user("leader"), data=item_data("D01", s.pk))
    made = services.item_create(actor=world.user("d01"), data=item_data("D01", s.pk, fee_charged=True, fee_amount="工本费 10 元",
                                                                        fee_basis="《某法》第十条"))
    assert made.fee_charged and made.materials_list == ["食品经营许可申请书", "营业执照复印件", "场所平面图"]


def test_item_stale_edit_refused(world, d01_item):
    office = world.user("fzb")
    data = item_data("D01", d01_item.subject_id, name="食品经营许可(改)")
    services.item_update(item=d01_item, actor=office, data=data, expected_version=d01_item.version)
    with pytest.raises(StaleEdit):
        services.item_update(item=d01_item, actor=office, data=data, expected_version=d01_item.version)


# ---------------------------------------------------------------- 补正 (第32条)


def test_correction_on_time_pauses_and_restarts(world, d01_item):
    user = world.user("d01")
    case = register(world, d01_item)
    notify = services.clock(case, rules.NOTIFY)
    assert notify.due == due("licence.notify_incomplete", D("2026-03-02"))
    with pytest.raises(InvalidInput) as e:  # the notice must list what is missing
        act(case, user, "accept", on=D("2026-03-04"), outcome="correction")
    assert e.value.field == "note"
    case = act(case, user, "accept", on=D("2026-03-04"), outcome="correction", note="营业执照复印件\n场所平面图")
    assert case.status == "correcting" and case.correction_notice_late is False and not case.deemed_accepted
    assert services.clock(case, rules.NOTIFY).paused_since == D("2026-03-04")
    with pytest.raises(Conflict):  # no acceptance while the applicant corrects
        accept(case, user, D("2026-03-05"))
    case = services.materials_received(case=case, actor=user, on=D("2026-03-16"), expected_version=case.version)
    notify = services.clock(case, rules.NOTIFY)
    assert case.status == "received" and notify.start == D("2026-03-16") and notify.paused_since is None
    assert notify.due == due("licence.notify_incomplete", D("2026-03-16"))
    with pytest.raises(Conflict) as e:  # once (一次告知)
        act(case, user, "accept", on=D("2026-03-17"), outcome="correction", note="再补一份")
    assert "一次告知" in e.value.message
    case = accept(case, user, D("2026-03-17"))
    assert case.status == "reviewing" and services.clock(case, rules.DECIDE).start == D("2026-03-17")
    assert services.clock(case, rules.NOTIFY).late is False


def test_late_correction_notice_deemed_accepted_from_receipt(world, d01_item):
    user = world.user("d01")
    case = register(world, d01_item)
    notify_due = services.clock(case, rules.NOTIFY).due
    late_on = D("2026-03-12")
    assert late_on > notify_due
    effect = rules.correction_effect(received_on=case.received_on, notice_on=late_on, notify_due=notify_due)
    assert effect.late and effect.deemed_accepted_on == D("2026-03-02") and "第32条" in effect.text
    case = act(case, user, "accept", on=late_on, outcome="correction", note="场所平面图")
    assert case.status == "reviewing" and case.deemed_accepted and case.accepted_on == D("2026-03-02")
    assert case.correction_notice_late is True
    decide_clock = services.clock(case, rules.DECIDE)
    assert decide_clock.start == D("2026-03-02") and decide_clock.due == due("licence.decide", D("2026-03-02"))
    assert services.clock(case, rules.NOTIFY).late is True
    assert "视为受理" in rules.deemed_text(case)
    # The material still arrives (recorded); the decision clock is not touched.
    case = services.materials_received(case=case, actor=user, on=D("2026-03-13"), expected_version=case.version)
    assert case.status == "reviewing" and services.clock(case, rules.DECIDE).start == D("2026-03-02")


def test_not_accepted_needs_reason_and_closes(world, d01_item):
    user = world.user("d01")
    case = register(world, d01_item)
    with pytest.raises(InvalidInput):
        act(case, user, "accept", on=D("2026-03-03"), outcome="reject")
    case = act(case, user, "accept", on=D("2026-03-03"), outcome="reject", note="不属于本机关职权范围")
    assert case.status == "not_accepted" and case.closed_on == D("2026-03-03")
    assert services.clock(case, rules.NOTIFY).status == "met"
    with pytest.raises(Conflict):
        review(case, user)


# ---------------------------------------------------------------- decision, extension, certificate, close


def test_extension_once_and_capped(world, d01_item):
    user = world.user("d01")
    case = accept(register(world, d01_item), user)
    with pytest.raises(InvalidInput) as e:  # over the catalogue's cap (licence.extend: 10 working days)
        services.extend(case=case, actor=user, days=11, approver="局长 王某", basis="情况复杂", notified_on=D("2026-03-20"))
    assert e.value.field == "days" and "licence.extend" in e.value.message or "10" in e.value.message
    with pytest.raises(InvalidInput) as e:
        services.extend(case=case, actor=user, days=5, approver="", basis="情况复杂", notified_on=D("2026-03-20"))
    assert e.value.field == "approver"
    with pytest.raises(NotAllowed):  # unit staff may not enter an extension (the clock rule: admin or office)
        services.extend(case=case, actor=world.user("d01-zd"), days=5, approver="局长 王某", basis="情况复杂",
                        notified_on=D("2026-03-20"))
    before = services.clock(case, rules.DECIDE).due
    case = services.extend(case=case, actor=user, days=10, approver="局长 王某", basis="需专家评审",
                           notified_on=D("2026-03-20"))
    after = services.clock(case, rules.DECIDE)
    assert case.extended and after.due > before
    assert after.due == deadline_compute("licence.decide", D("2026-03-03"), extend=10).due
    with pytest.raises(Conflict) as e:  # once only
        services.extend(case=case, actor=user, days=1, approver="局长 王某", basis="再延", notified_on=D("2026-03-21"))
    assert "第42条" in e.value.message
    case = decide(review(case, user), user, on=after.due)  # on the extended due date: on time
    assert case.decision_late is False


def test_decision_late_and_certificate_due(world, d01_item):
    user = world.user("d01")
    case = review(accept(register(world, d01_item), user), user)
    decide_due = services.clock(case, rules.DECIDE).due
    with pytest.raises(Conflict) as e:  # close before the decision
        act(case, user, "close", on=D("2026-03-12"))
    assert e.value.code == "procedure.step_missing"
    with pytest.raises(InvalidInput) as e:  # late: the reason is required (deciding.late_refusal)
        decide(case, user, on=D("2026-04-10"))
    assert e.value.field == "late_reason" and decide_due.isoformat() in e.value.message
    case = act(case, user, "decide", on=D("2026-04-10"), outcome="grant", late_reason="经负责人批准延期(城管批〔2026〕1号)")
    assert D("2026-04-10") > decide_due and case.decision_late is True and case.decision_number.startswith("城管局许决〔2026〕")
    assert case.late_reason == "经负责人批准延期(城管批〔2026〕1号)"
    assert services.clock(case, rules.DECIDE).events.last().reason == case.late_reason  # kept with the closed clock
    cert = services.clock(case, rules.CERTIFICATE)
    assert cert.start == D("2026-04-10") and cert.due == due("licence.issue_certificate", D("2026-04-10"))
    from fazhi.enforcement.publication.services import publication_for

    pub = publication_for(case)
    assert pub is not None and pub.rule == "licence.publicize" and pub.document_number == case.decision_number
    with pytest.raises(Conflict) as e:  # a grant closes only after its certificate
        act(case, user, "close", on=D("2026-04-11"))
    assert "第44条" in e.value.message
    with pytest.raises(InvalidInput) as e:
        act(case, user, "certificate", on=D("2026-04-12"), certificate_number="", valid_from=D("2026-04-12"))
    assert e.value.field == "certificate_number"
    case = certificate(case, user, on=cert.due)
    assert case.certificate_late is False and services.clock(case, rules.CERTIFICATE).status == "met"
    with pytest.raises(Conflict) as e:  # 全过程记录 missing
        act(case, user, "close", on=cert.due)
    assert e.value.code == "records.missing" and "国办发〔2018〕118号" in e.value.message
    case = close(case, user)
    assert case.status == "closed" and case.closed_on == cert.due
    from fazhi.enforcement.records.models import RecordCheck

    assert RecordCheck.objects.get(object_id=str(case.pk)).complete


def test_denial_needs_reason_gives_remedy_and_is_not_published(world, d01_item):
    user = world.user("d01")
    case = review(accept(register(world, d01_item), user), user, inspected="yes", inspection_on=D("2026-03-09"),
                  inspection_place="经营场所", inspection_officers=inspectors(world))
    assert case.inspected and {r.kind for r in rules.records_required(case) if r.step == "review"} == {"written", "av"}
    with pytest.raises(InvalidInput) as e:
        decide(case, user, outcome="deny")
    assert e.value.field == "reason"
    case = decide(case, user, outcome="deny", reason="经营场所与申请材料不符")
    assert "行政复议" in case.remedy_notice and "60日" in case.remedy_notice and "6个月" in case.remedy_notice
    # #17: the notice names the deciding organ (the case's subject), the reconsideration organ is the district's.
    assert case.remedy_notice.startswith(f"本决定由{case.subject.name}作出") and "区人民政府申请行政复议" in case.remedy_notice
    from fazhi.enforcement.publication.services import publication_for

    assert publication_for(case) is None
    with pytest.raises(Conflict) as e:  # no certificate for a denial
        certificate(case, user)
    assert "无须颁发" in e.value.message
    case = close(case, user, on=D("2026-03-21"))
    assert case.status == "closed"


def test_inspection_needs_two_officers(world, d01_item):
    user = world.user("d01")
    case = accept(register(world, d01_item), user)
    with pytest.raises(InvalidInput) as e:
        review(case, user, inspected="yes", inspection_on=D("2026-03-09"), inspection_place="现场",
               inspection_officers=inspectors(world, n=1))
    assert e.value.field == "inspection_officers" and "第34条" in e.value.message and "现选 1 名" in e.value.message


def test_case_edit_versioned_and_receipt_fixed(world, d01_item):
    user = world.user("d01")
    case = register(world, d01_item)
    data = {"applicant_name": "改名公司", "applicant_kind": "legal_person", "matter": "变更", "received_on": D("2026-03-03")}
    case = services.case_update(case=case, actor=user, data=data, expected_version=case.version)
    assert services.clock(case, rules.NOTIFY).start == D("2026-03-03")
    with pytest.raises(StaleEdit):
        services.case_update(case=case, actor=user, data=data, expected_version=case.version - 1)
    case = accept(case, user, D("2026-03-04"))
    with pytest.raises(InvalidInput) as e:
        services.case_update(case=case, actor=user, data={**data, "received_on": D("2026-03-02")},
                             expected_version=case.version)
    assert e.value.field == "received_on"
    with pytest.raises(NotAllowed):
        services.case_update(case=case, actor=world.user("d02"), data=data, expected_version=case.version)


def test_bad_case_input(world, d01_item):
    for over, field in [({"received_on": date(2099, 1, 1)}, "received_on"), ({"applicant_name": ""}, "applicant_name"),
                        ({"applicant_kind": "robot"}, "applicant_kind"), ({"item": 10**20}, "item")]:
        with pytest.raises(InvalidInput) as e:
            register(world, d01_item, **over)
        assert e.value.field == field
    with pytest.raises(InvalidInput) as e:  # another unit's item is not visible: as unknown as a wrong number
        register(world, d01_item, user="d02")
    assert e.value.field == "item"


def test_records_required(world, d01_item):
    user = world.user("d01")
    case = accept(register(world, d01_item), user)
    assert [(r.step, r.kind) for r in rules.records_required(case)] == [("accept", "written")]
    records(case, user)
    from fazhi.enforcement.records.rules import records_missing

    assert records_missing(case) == []

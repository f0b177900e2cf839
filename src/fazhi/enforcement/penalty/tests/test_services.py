"""Each refusal of the issue, naming its rule; the hearing, the major decision, the simplified procedure, payments
and closing through the services (the pages and the API call the same)."""

from datetime import datetime, time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.core.errors import Conflict, InvalidInput, StaleEdit
from fazhi.deadlines.models import Deadline
from fazhi.enforcement.penalty import rules, scripted, services
from fazhi.enforcement.penalty.tests.cases import days, to_decided
from fazhi.enforcement.subjects.models import PENDING

pytestmark = pytest.mark.django_db


def _case(world, enf, n=2, **kw):
    u = enf["D01"]
    return scripted.file_case(world.user("d01"), u.subject, filed=days(60), officers=u.officers[:n], **kw)


def test_unqualified_subject_refused(world, enf):
    subject = enf["D01"].subject
    subject.review_status = PENDING
    subject.save()
    with pytest.raises(InvalidInput) as e:
        _case(world, enf)
    assert e.value.field == "subject" and "待审查" in e.value.message and "行政处罚法 第17" in e.value.message
    subject.review_status, subject.announced_on = "qualified", days(10)
    subject.save()
    with pytest.raises(InvalidInput) as e:
        _case(world, enf)  # filed 60 days ago, announced 10 days ago
    assert "尚未向社会公告" in e.value.message


def test_other_units_subject_refused(world, enf):
    with pytest.raises(InvalidInput) as e:
        scripted.file_case(world.user("d01"), enf["D02"].subject, filed=days(5))
    assert e.value.field == "subject"


def test_one_officer_refused_at_investigation(world, enf):
    case = _case(world, enf, n=1)
    with pytest.raises(Conflict) as e:
        scripted.investigate(case, world.user("d01"), days(50))
    assert "2 名以上" in e.value.message and "第42条" in e.value.message
    services.officer_add(case=case, actor=world.user("d01"), officer=enf["D01"].officers[1].pk, on=days(55))
    assert scripted.investigate(case, world.user("d01"), days(50)).status == "investigated"


def test_expired_certificate_refused(world, enf):
    # The certificate expired on 2025-06-30: a case dated after it cannot take that officer.
    with pytest.raises(Conflict) as e:
        scripted.file_case(world.user("d01"), enf["D01"].subject, filed=days(60), officers=[enf["D01"].expired])
    assert "未持有有效执法证件" in e.value.message and "第42条" in e.value.message
    case = _case(world, enf)
    with pytest.raises(Conflict):
        services.officer_add(case=case, actor=world.user("d01"), officer=enf["D01"].expired.pk, on=days(1))


def test_certified_written_from_filing_date(world, enf):
    from fazhi.enforcement.subjects.models import Certificate

    u = enf["D01"]
    late = u.officers[2]
    Certificate.objects.filter(officer=late).update(issued_on=days(20))  # certified only after the filing
    case = _case(world, enf)
    row = services.officer_add(case=case, actor=world.user("d01"), officer=late.pk, on=days(10))
    assert row.certified is False and [r.certified for r in case.officers.order_by("id")] == [True, True, False]


def test_decision_past_deadline_needs_reason(world, enf):
    d01 = world.user("d01")
    u = enf["D01"]
    case = scripted.file_case(d01, u.subject, filed=days(120), officers=u.officers[:2])
    case = scripted.notify(scripted.investigate(case, d01, days(110)), d01, days(100))
    due = services.clock_due(case, rules.DECIDE)
    assert due < days(5)
    with pytest.raises(Conflict) as e:
        scripted.decide(case, d01, days(5))
    assert e.value.field == "late_reason" and "第60条" in e.value.message and due.isoformat() in e.value.message
    case = scripted.decide(case, d01, days(5), late_reason="经负责人批准延期三十日(城管批〔2026〕3号)")
    assert case.decision_late is True and case.late_reason.startswith("经负责人批准")
    assert services.clock(case, rules.DECIDE).late is True


def test_payment_by_deciding_officer_refused(world, enf):
    d01, office = world.user("d01"), world.user("fzb")
    case = scripted.act(to_decided(_case(world, enf), d01), d01, "serve", on=days(29))
    with pytest.raises(Conflict) as e:
        services.payment_record(case=case, actor=d01, amount_paid="5000", paid_on=days(28), channel="bank",
                                receipt_number="Y1", payee="工商银行")
    assert e.value.code == "penalty.separation" and "第67条" in e.value.message
    with pytest.raises(InvalidInput) as e:
        services.payment_record(case=case, actor=office, amount_paid="5000", paid_on=days(28), channel="bank",
                                receipt_number="", payee="工商银行")
    assert e.value.field == "receipt_number"
    paid = services.payment_record(case=case, actor=office, amount_paid="5000", paid_on=days(28), channel="electronic",
                                   receipt_number="DZ-1", payee="非税收入电子缴款平台")
    assert paid.surcharge == Decimal("0.00") and services.clock(case, rules.PAY_FINE).status == Deadline.MET


def test_late_payment_surcharge(world, enf):
    d01, office = world.user("d01"), world.user("fzb")
    case = scripted.act(to_decided(_case(world, enf), d01), d01, "serve", on=days(29))
    due = services.clock_due(case, rules.PAY_FINE)
    late = (days(1) - due).days
    assert services.surcharge_now(case, days(1)) == Decimal(150 * late)
    paid = services.payment_record(case=case, actor=office, amount_paid="5000", paid_on=days(1), channel="bank",
                                   receipt_number="Y2", payee="工商银行")
    assert paid.surcharge == Decimal(150 * late) and services.clock(case, rules.PAY_FINE).late is True
    with pytest.raises(InvalidInput) as e:
        services.payment_record(case=case, actor=office, amount_paid="1", paid_on=days(1), channel="bank",
                                receipt_number="Y3", payee="工商银行")
    assert e.value.field == "amount"


def test_hearing_request_late_and_notice(world, enf):
    d01 = world.user("d01")
    case = scripted.notify(scripted.investigate(_case(world, enf), d01, days(50)), d01, days(40), fine="20000")
    assert case.hearing_qualifies and case.hearing_notified
    due = services.clock_due(case, rules.HEARING_REQUEST)
    with pytest.raises(Conflict) as e:
        services.hearing_request(case=case, actor=d01, on=days(20))
    assert "第64条第1项" in e.value.message and due.isoformat() in e.value.message
    # Without a request the decision waits for the period; after it, it may be made.
    with pytest.raises(Conflict) as e:
        scripted.decide(case, d01, due)
    assert "第64条" in e.value.message
    assert scripted.decide(case, d01, days(20)).status == "decided"
    assert services.clock(case, rules.HEARING_REQUEST).status == Deadline.CANCELLED


def test_hearing_flow_notice_late_refused(world, enf):
    d01 = world.user("d01")
    case = scripted.notify(scripted.investigate(_case(world, enf), d01, days(50)), d01, days(40), fine="20000")
    case = services.hearing_request(case=case, actor=d01, on=days(39))
    with pytest.raises(Conflict) as e:
        scripted.decide(case, d01, days(10))
    assert "须举行听证" in e.value.message
    case = services.hearing_schedule(case=case, actor=d01, on=days(25), place="听证室")
    latest = case.hearing_notice_due
    with pytest.raises(Conflict) as e:
        services.hearing_notice(case=case, actor=d01, on=days(30))
    assert "第64条第2项" in e.value.message and latest.isoformat() in e.value.message
    case = services.hearing_notice(case=case, actor=d01, on=days(38))
    with pytest.raises(Conflict) as e:  # an officer on the case may not host (第64条第4项)
        scripted.act(case, d01, "hearing", on=days(25), host=enf["D01"].officers[0].pk)
    assert e.value.field == "host" and "第64条第4项" in e.value.message
    with pytest.raises(InvalidInput) as e:  # another unit's officer
        scripted.act(case, d01, "hearing", on=days(25), host=enf["D02"].officers[2].pk)
    assert e.value.field == "host" and "本单位" in e.value.message
    assert [o.pk for o in services.hearing_hosts(case)] == [enf["D01"].officers[2].pk, enf["D01"].expired.pk]
    case = scripted.act(case, d01, "hearing", on=days(25), host=enf["D01"].officers[2].pk)
    assert case.hearing_on == days(25) and case.hearing_host == enf["D01"].officers[2]
    # 第58条第1款第2项: a heard case needs the legal review, catalogue or not
    assert case.major and case.major_entry is None and case.major_entry_title == "经过听证程序(第58条第1款第2项)"
    with pytest.raises(Conflict) as e:
        scripted.decide(case, d01, days(20))
    assert "法制审核" in e.value.message
    case = scripted.legal_review(case, world.user("fzb"), days(22))
    assert scripted.decide(case, d01, days(20)).decision_number.startswith("城管局罚决〔")  # the unit's 代字


def test_major_decision_needs_legal_review(world, enf):
    d01 = world.user("d01")
    case = scripted.notify(scripted.investigate(_case(world, enf, party_kind="legal"), d01, days(50)), d01, days(40),
                           measures=("fine", "revoke_licence"), fine="60000")
    assert case.major and case.major_entry_title == "吊销许可证件或罚没款五万元以上"
    with pytest.raises(Conflict) as e:
        scripted.decide(case, d01, days(20))
    assert "国办发〔2018〕118号" in e.value.message and "吊销许可证件或罚没款五万元以上" in e.value.message
    assert "118号" in services.step_refusal(case, "decide", days(20))  # the page shows it as 暂不能办理
    office = world.user("fzb")
    case = scripted.legal_review(case, office, days(25))
    case = scripted.decide(case, d01, days(20))
    assert case.major and case.legal_review_on == days(25) and case.legal_reviewed_by == office


def test_heavier_decision_refused(world, enf):
    d01 = world.user("d01")
    case = scripted.notify(scripted.investigate(_case(world, enf), d01, days(50)), d01, days(40), fine="5000")
    with pytest.raises(Conflict) as e:
        scripted.decide(case, d01, days(30), fine_amount="6000")
    assert "第45条" in e.value.message
    assert scripted.decide(case, d01, days(30), fine_amount="4000").fine_amount == Decimal("4000")


def test_simplified_procedure(world, enf):
    d01 = world.user("d01")
    u = enf["D01"]
    case = scripted.file_case(d01, u.subject, filed=days(3), officers=u.officers[:1], kind="simple")
    with pytest.raises(Conflict) as e:
        scripted.act(case, d01, "decide", on=days(3), measures=["fine"], fine_amount="201", facts="闯红灯",
                     basis_penalty="某条例第十条")
    assert "第51条" in e.value.message
    case = scripted.act(case, d01, "decide", on=days(3), measures=["fine"], fine_amount="50", facts="占道经营",
                        basis_penalty="某条例第十条")
    assert case.status == "served" and case.served_on == days(3) and case.decision_late is False
    with pytest.raises(Conflict) as e:
        services.payment_record(case=case, actor=d01, amount_paid="50", paid_on=days(3), channel="on_the_spot",
                                receipt_number="PJ-1")
    assert "第68条" in e.value.message
    pay = services.payment_record(case=case, actor=d01, amount_paid="50", paid_on=days(3), channel="on_the_spot",
                                  receipt_number="PJ-1", spot_reason="small")
    assert services.clock(case, rules.HAND_OVER, str(pay.pk)).status == Deadline.OPEN
    with pytest.raises(Conflict) as e:
        scripted.act(case, d01, "execute", on=days(1))
    assert "第71条" in e.value.message
    services.cash_handover(case=case, actor=d01, payment_id=pay.pk, on=days(2), receipt="HD-9")
    assert services.clock(case, rules.HAND_OVER, str(pay.pk)).late is False
    case = scripted.act(case, d01, "execute", on=days(1))
    with pytest.raises(Conflict) as e:
        scripted.act(case, d01, "close", on=days(1), outcome="performed")
    assert "全过程记录" in e.value.message and "当场决定" in e.value.message
    _record(case, d01, "decide", "written", u)
    assert scripted.act(case, d01, "close", on=days(1), outcome="performed").status == "closed"


def test_simplified_without_officer_refused(world, enf):
    d01 = world.user("d01")
    case = scripted.file_case(d01, enf["D01"].subject, filed=days(3), kind="simple")
    with pytest.raises(Conflict) as e:
        scripted.act(case, d01, "decide", on=days(3), measures=["warning"], facts="事实", basis_penalty="依据")
    assert "第52条" in e.value.message


def _record(case, actor, step, kind, u):
    from fazhi.enforcement.records.services import record_add

    name = "记录.mp4" if kind == "av" else "记录.pdf"
    content = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64 if kind == "av" else b"%PDF-1.4\n%%EOF\n"
    return record_add(case=case, step=step, kind=kind, file=SimpleUploadedFile(name, content), place="现场",
                      recorded_at=datetime.combine(days(2), time(9, 30)), officer=u.officers[0], note="", actor=actor)


def test_close_needs_records_and_payment(world, enf):
    d01, office = world.user("d01"), world.user("fzb")
    u = enf["D01"]
    case = scripted.act(to_decided(_case(world, enf), d01), d01, "serve", on=days(29))
    with pytest.raises(Conflict) as e:
        scripted.act(case, d01, "execute", on=days(20))  # the payment period still runs
    assert "尚未缴清" in e.value.message
    case = scripted.act(case, d01, "execute", on=days(1))  # the period has passed unpaid
    with pytest.raises(Conflict) as e:
        scripted.act(case, d01, "close", on=days(1), outcome="performed")
    assert "调查取证(音像记录)" in e.value.message and "118号" in e.value.message
    for step, kind in (("investigate", "written"), ("investigate", "av"), ("notify", "written"), ("serve", "written"),
                       ("serve", "av")):
        _record(case, d01, step, kind, u)
    with pytest.raises(Conflict) as e:
        scripted.act(case, d01, "close", on=days(1), outcome="performed")
    assert "尚未缴清" in e.value.message and "第72条" in e.value.message
    # 申请人民法院强制执行 is a written application: no AV record (the organ's own 强制执行 is an act: test_review11)
    with pytest.raises(Conflict) as e:
        scripted.act(case, d01, "close", on=days(1), outcome="enforcement")
    assert "说明" in e.value.message
    case = scripted.act(case, d01, "close", on=days(1), outcome="enforcement", note="已申请区人民法院强制执行,(2026)执申12号")
    assert case.status == "closed" and case.close_outcome == "enforcement"
    assert services.clock(case, rules.PAY_FINE).status == Deadline.CANCELLED
    with pytest.raises(Conflict):
        services.payment_record(case=case, actor=office, amount_paid="1", paid_on=days(1), channel="bank",
                                receipt_number="x", payee="y")


def test_stale_edit_and_fixed_fields(world, enf):
    d01 = world.user("d01")
    case = _case(world, enf)
    data = {"party_name": "改名", "cause": "改案由", "found_on": days(60)}
    case = services.case_update(case=case, actor=d01, data=data, expected_version=case.version)
    with pytest.raises(StaleEdit):
        services.case_update(case=case, actor=d01, data=data, expected_version=case.version - 1)
    with pytest.raises(InvalidInput) as e:
        services.case_update(case=case, actor=d01, data={**data, "filed_on": days(1)}, expected_version=case.version)
    assert e.value.field == "filed_on"
    with pytest.raises(Exception) as e:
        services.case_update(case=case, actor=world.user("leader"), data=data, expected_version=case.version)
    assert "只能查看" in str(e.value.message)


@pytest.mark.parametrize("field,value", [("filed_on", None), ("party_name", ""), ("key_area", "nowhere"),
                                         ("officers", "abc"), ("found_on", "2026-99-01"), ("party_kind", "alien")])
def test_bad_input_names_field(world, enf, field, value):
    u = enf["D01"]
    data = {"subject": u.subject.pk, "key_area": "environment", "party_name": "甲", "cause": "乙",
            "found_on": days(5), "filed_on": days(4), field: value}
    with pytest.raises(InvalidInput) as e:
        services.case_create(actor=world.user("d01"), data=data)
    assert e.value.field == field

"""The second review of the penalty register (review #11): numbering on an existing database, closing a revoked
case, the widened numbers, payments on revoked decisions and 罚缴分离 on void, changed decisions (refund, payment
clock, republication, 确认无效), 查封扣押 clocks and 行政机关强制执行, the legal review after a hearing and the
review's refusals, the undoing document, and the list's overdue flag."""

import importlib
from datetime import datetime, time
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi.core.errors import Conflict, InvalidInput, NotAllowed
from fazhi.core.models import NumberSeries
from fazhi.deadlines.models import Deadline
from fazhi.deadlines.services import deadline_compute
from fazhi.enforcement.penalty import rules, scripted, selectors, services
from fazhi.enforcement.penalty.models import PenaltyCase
from fazhi.enforcement.penalty.tests.cases import days, to_decided
from fazhi.enforcement.publication.models import Publication
from fazhi.enforcement.records.models import RecordCheck
from fazhi.enforcement.records.services import record_add

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64


def _pdf(name="复议决定书.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _case(world, enf, unit="D01", **kw):
    u = enf[unit]
    return scripted.file_case(world.user(unit.lower()), u.subject, filed=days(60), officers=u.officers[:2], **kw)


def _record(case, step, kind, officer, actor):
    name, content = ("v.mp4", MP4) if kind == "av" else ("r.pdf", PDF)
    return record_add(case=case, step=step, kind=kind, file=SimpleUploadedFile(name, content), place="现场",
                      recorded_at=datetime.combine(days(2), time(9, 30)), officer=officer, note="", actor=actor)


def _fresh(case):
    return PenaltyCase.objects.get(pk=case.pk)


# ---------------------------------------------------------------- High 1: numbering on an existing database


def test_numbers_seeded_from_the_old_global_series(world, enf):
    d01, u = world.user("d01"), enf["D01"]
    first = to_decided(_case(world, enf), d01, decider=world.user("fzb"))
    year = first.number_year
    # As the old global series left it: A holds seq 1..3 of the year (and decision 1), the per-unit counters unknown.
    PenaltyCase.objects.filter(pk=first.pk).update(number_seq=3, decision_seq=2)
    NumberSeries.objects.filter(series__startswith="penalty").delete()
    assert rules.number_series(first.unit) == f"penalty:{first.unit.pk}"  # keyed by pk, not the code
    migration = importlib.import_module("fazhi.enforcement.migrations.0003_unit_number_series")
    migration.seed(django_apps, None)
    migration.seed(django_apps, None)  # twice: never lowers, never duplicates
    assert NumberSeries.objects.get(series=f"penalty:{first.unit.pk}", year=year).last == 3
    assert NumberSeries.objects.get(series=f"penalty-decision:{first.unit.pk}", year=first.decision_year).last == 2
    nxt = scripted.file_case(d01, u.subject, filed=days(60), officers=u.officers[:2])  # 立案 in A works
    assert nxt.number_seq == 4 and nxt.number.endswith(f"〔{year}〕4号")


def test_numbers_take_a_long_organ_name(world, enf):
    unit = enf["D01"].subject.unit
    unit.short_name, unit.name = "", "某" * 100  # no 代字: the full name stands in (gongwen.organ_code)
    unit.save()
    assert PenaltyCase._meta.get_field("number").max_length == 120
    assert PenaltyCase._meta.get_field("decision_number").max_length == 120
    case = to_decided(_case(world, enf), world.user("d01"), decider=world.user("fzb"))
    case = _fresh(case)
    assert len(case.number) > 100 and case.number.startswith("某" * 100) and len(case.decision_number) > 100


# ---------------------------------------------------------------- High 2: a revoked decision closes


def test_revoked_decision_closes_with_its_outcome(world, enf):
    d01, u = world.user("d01"), enf["D01"]
    case = scripted.act(to_decided(_case(world, enf), d01, decider=world.user("fzb")), d01, "serve", on=days(29))
    with pytest.raises(InvalidInput) as e:  # the undoing document's file is required (Low 17)
        services.decision_undone(case=case, actor=d01, kind="revoked", on=days(5), document="区政府复决〔2026〕9号",
                                 expected_version=_fresh(case).version)
    assert e.value.field == "files" and "文书文件" in e.value.message
    case = services.decision_undone(case=case, actor=d01, kind="revoked", on=days(5), document="区政府复决〔2026〕9号",
                                    files=[_pdf()], expected_version=_fresh(case).version)
    with pytest.raises(Conflict) as e:  # Medium 7: no payment on a revoked decision, whatever the caller
        services.payment_record(case=case, actor=d01, amount_paid="100", paid_on=days(4), channel="bank",
                                receipt_number="R1", payee="某银行", expected_version=case.version)
    assert e.value.code == services.WRONG_STATE and "撤销" in e.value.message
    assert rules.step_state_refusal(case, "close", on=days(1), request_due=None, paid=Decimal(0)) is None
    for step, kind in (("investigate", "written"), ("investigate", "av"), ("notify", "written"), ("serve", "written"),
                       ("serve", "av")):
        _record(case, step, kind, u.officers[0], d01)
    with pytest.raises(Conflict) as e:  # the other outcomes do not fit a revoked decision
        scripted.act(_fresh(case), d01, "close", on=days(1), outcome="terminated", note="撤销")
    assert "决定已撤销" in e.value.message
    case = scripted.act(_fresh(case), d01, "close", on=days(1), outcome="revoked")
    assert (case.status, case.close_outcome, case.closed_on) == ("closed", "revoked", days(1))
    steps = {r.step.code: r for r in services.case_run(case).records.select_related("step")}
    assert steps["serve"].act_date == days(29) and steps["serve"].note == ""  # served before the revocation
    assert steps["execute"].note == "决定已撤销:区政府复决〔2026〕9号" and steps["close"].outcome == "revoked"
    check = RecordCheck.objects.get(object_id=str(case.pk))
    assert check.closed_on == days(1) and check.complete


def test_revoked_case_page_offers_the_closing(world, enf):
    d01, u = world.user("d01"), enf["D01"]
    case = to_decided(_case(world, enf), d01, decider=world.user("fzb"))  # decided, not yet served
    case = services.decision_undone(case=case, actor=d01, kind="revoked", on=days(5), document="复决〔2026〕7号",
                                    files=[_pdf()], expected_version=case.version)
    for step, kind in (("investigate", "written"), ("investigate", "av"), ("notify", "written"), ("serve", "written"),
                       ("serve", "av")):
        _record(case, step, kind, u.officers[0], d01)
    client = world.client("d01")
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'novalidate data-step="close"' in page  # the closing's form, although 送达/执行 are not done
    assert 'novalidate data-step="serve"' not in page and 'data-step="serve" data-blocked' not in page
    assert 'data-act="payment"' not in page and 'data-act="enforce"' not in page
    response = client.post(reverse("penalty-step", args=[case.pk]),
                           {"step": "close", "date": days(1).isoformat(), "outcome": "revoked", "note": "",
                            "version": _fresh(case).version})
    assert response.status_code in (302, 303)
    case = _fresh(case)
    assert case.status == "closed" and case.close_outcome == "revoked"
    assert RecordCheck.objects.get(object_id=str(case.pk)).closed_on == days(1)


def test_confirmed_void_closes_like_revoked_before_serving(world, enf):
    d01 = world.user("d01")
    case = to_decided(_case(world, enf, kind="general"), d01, decider=world.user("fzb"))
    case = services.decision_undone(case=case, actor=d01, kind="confirmed_void", on=days(5), document="(2026)陕0113行初2号",
                                    files=[_pdf("判决书.pdf")], expected_version=case.version)
    assert case.get_decision_undone_kind_display() == "决定被确认无效"
    assert "确认无效" in services.step_refusal(case, "serve")
    for step, kind in (("investigate", "written"), ("investigate", "av"), ("notify", "written"), ("serve", "written"),
                       ("serve", "av")):
        _record(case, step, kind, enf["D01"].officers[0], d01)
    case = scripted.act(_fresh(case), d01, "close", on=days(1), outcome="revoked")
    done = {r.step.code for r in services.case_run(case).records.select_related("step")}
    assert {"serve", "execute", "close"} <= done and case.status == "closed"


# ---------------------------------------------------------------- Medium 7: 罚缴分离 on void


def test_payment_void_refused_for_the_decider(world, enf):
    d01, office = world.user("d01"), world.user("fzb")
    case = scripted.act(to_decided(_case(world, enf), d01, decider=office), d01, "serve", on=days(29))
    pay = services.payment_record(case=case, actor=d01, amount_paid="1000", paid_on=days(20), channel="bank",
                                  receipt_number="YH-1", payee="某银行", expected_version=_fresh(case).version)
    with pytest.raises(Conflict) as e:
        services.payment_void(case=case, actor=office, payment_id=pay.pk, reason="重复登记",
                              expected_version=_fresh(case).version)
    assert e.value.code == services.SEPARATION_CODE and "第67条" in e.value.message
    services.payment_void(case=case, actor=d01, payment_id=pay.pk, reason="重复登记",
                          expected_version=_fresh(case).version)
    assert services.paid_total(case) == 0


# ---------------------------------------------------------------- Medium 8: a changed decision


def test_changed_decision_refund_clock_and_republication(world, enf):
    d01, office = world.user("d01"), world.user("fzb")
    case = scripted.act(to_decided(_case(world, enf), d01, decider=office), d01, "serve", on=days(29))
    from fazhi.enforcement.publication import services as publication

    publication.publication_publish(publication=publication.publication_for(case), on=days(28), actor=d01)
    services.payment_record(case=case, actor=d01, amount_paid="5000", paid_on=days(20), channel="bank",
                            receipt_number="YH-2", payee="某银行", expected_version=_fresh(case).version)
    case = services.decision_undone(case=case, actor=d01, kind="changed", on=days(5), document="区政府复决〔2026〕5号",
                                    fine_amount="3000", files=[_pdf()], expected_version=_fresh(case).version)
    assert case.fine_amount == Decimal("3000.00") and case.refund_amount == Decimal("2000.00")
    assert services.clock(case, rules.PAY_FINE).status != Deadline.OPEN
    pubs = list(Publication.objects.for_case(case).order_by("id"))
    assert [p.state for p in pubs] == ["withdrawing", "due"]  # the original withdrawn, the changed one due
    assert pubs[1].decided_on == days(5) and "3000" in pubs[1].summary_masked and "复决〔2026〕5号" in pubs[1].document_number
    page = world.client("d01").get(case.get_absolute_url()).content.decode()
    assert 'data-testid="refund-amount"' in page and "2000.00 元" in page


def test_changed_decision_paid_in_full_closes_the_payment_clock(world, enf):
    d01, office = world.user("d01"), world.user("fzb")
    case = scripted.act(to_decided(_case(world, enf), d01, decider=office), d01, "serve", on=days(29))
    services.payment_record(case=case, actor=d01, amount_paid="3000", paid_on=days(20), channel="bank",
                            receipt_number="YH-3", payee="某银行", expected_version=_fresh(case).version)
    assert services.clock(case, rules.PAY_FINE).status == Deadline.OPEN  # 3000 of 5000
    case = services.decision_undone(case=case, actor=d01, kind="changed", on=days(5), document="复决〔2026〕6号",
                                    fine_amount="3000", files=[_pdf()], expected_version=_fresh(case).version)
    found = services.clock(case, rules.PAY_FINE)
    assert found.status != Deadline.OPEN and not found.late and case.refund_amount is None


# ---------------------------------------------------------------- Medium 9: 查封扣押 clocks, 强制执行


def test_seizure_clock_opened_and_closed_by_release(world, enf):
    d01 = world.user("d01")
    case = _case(world, enf)
    act = services.seizure_record(case=case, actor=d01, on=days(20), place="仓库", items="货物",
                                  expected_version=case.version)
    found = services.clock(case, rules.SEIZE, str(act.pk))
    assert found.rule_id == "penalty.seizure" and found.due == deadline_compute("penalty.seizure", days(20)).due
    assert [a.pk for a in services.open_seizures(case)] == [act.pk]
    with pytest.raises(InvalidInput) as e:
        services.seizure_end(case=case, actor=d01, seizure=act.pk, on=days(21), outcome="bogus",
                             expected_version=_fresh(case).version)
    assert e.value.field == "outcome"
    response = world.client("d01").post(reverse("api:penalty-case-seizure-end", args=[case.pk]),
                                        {"seizure": act.pk, "on": days(10).isoformat(), "outcome": "released",
                                         "version": _fresh(case).version}, content_type="application/json")
    assert response.status_code == 200, response.content[:300]
    found.refresh_from_db()
    assert found.status != Deadline.OPEN and not found.late and services.open_seizures(case) == []
    with pytest.raises(InvalidInput):  # released once
        services.seizure_end(case=case, actor=d01, seizure=act.pk, on=days(9), outcome="released",
                             expected_version=_fresh(case).version)


def test_enforcement_act_needs_a_live_decision(world, enf):
    d01 = world.user("d01")
    case = _case(world, enf)
    with pytest.raises(Conflict):
        services.enforcement_record(case=case, actor=d01, on=days(2), kind="substitute", place="现场", content="代履行",
                                    expected_version=case.version)
    case = to_decided(case, d01, decider=world.user("fzb"))
    with pytest.raises(InvalidInput) as e:
        services.enforcement_record(case=case, actor=d01, on=days(2), kind="court", place="现场", content="x",
                                    expected_version=case.version)
    assert e.value.field == "kind"
    client = world.client("d01")
    response = client.post(reverse("penalty-act", args=[case.pk, "enforce"]),
                           {"on": days(2).isoformat(), "kind": "transfer", "place": "某银行", "content": "划拨存款 5000 元",
                            "version": case.version})
    assert response.status_code == 303
    assert _fresh(case).enforced_count == 1 and case.acts.filter(kind="enforce").count() == 1
    assert world.client("leader").post(reverse("penalty-act", args=[case.pk, "enforce"]), {}).status_code == 403


# ---------------------------------------------------------------- Medium 12, Low 14, Low 20: the review


def _heard(world, enf):
    d01 = world.user("d01")
    case = scripted.notify(scripted.investigate(_case(world, enf), d01, days(50)), d01, days(40), fine="20000")
    case = services.hearing_request(case=case, actor=d01, on=days(39))
    case = services.hearing_schedule(case=case, actor=d01, on=days(25), place="听证室")
    return services.hearing_notice(case=case, actor=d01, on=days(38))


def test_review_before_the_hearing_does_not_count(world, enf):
    d01, office = world.user("d01"), world.user("fzb")
    case = _heard(world, enf)
    case.major = True  # as if judged major at the notice by the catalogue
    case.save(update_fields=["major"])
    case = scripted.legal_review(_fresh(case), office, days(30))  # before the hearing
    case = scripted.act(case, d01, "hearing", on=days(25), host=enf["D01"].officers[2].pk)
    with pytest.raises(Conflict) as e:
        scripted.decide(case, d01, days(20))
    assert "举行了听证" in e.value.message and "重新审核" in e.value.message
    case = scripted.legal_review(_fresh(case), office, days(24))
    assert scripted.decide(case, d01, days(20)).status == "decided"


def test_review_refusals_one_answer(world, enf):
    d01, office = world.user("d01"), world.user("fzb")
    plain = scripted.notify(scripted.investigate(_case(world, enf), d01, days(50)), d01, days(40), fine="500")
    assert not plain.major
    with pytest.raises(NotAllowed):  # who: 403, as in licence
        scripted.legal_review(plain, d01, days(30))
    with pytest.raises(Conflict) as e:  # a case that needs no review: 409, as in licence
        scripted.legal_review(plain, office, days(30))
    assert "无须法制审核" in e.value.message
    response = world.client("d01").post(reverse("api:penalty-case-steps", args=[plain.pk]),
                                        {"step": "legal_review", "outcome": "pass", "opinion": "同意",
                                         "version": plain.version}, content_type="application/json")
    assert response.status_code == 403
    major = scripted.notify(scripted.investigate(_case(world, enf, party_kind="legal"), d01, days(50)), d01,
                            days(40), measures=("fine", "revoke_licence"), fine="60000")
    with pytest.raises(Conflict) as e:  # Low 20: not before the notice
        scripted.legal_review(major, office, days(41))
    assert "告知日期" in e.value.message
    from fazhi.enforcement import review

    assert review.review_refusal(major, office, on=days(-1), outcome="pass", opinion="同意") == "「审核日期」不能晚于今天"


# ---------------------------------------------------------------- Low 13: one overdue rule


def test_list_overdue_flag_is_the_filters_rule(world, enf):
    d01 = world.user("d01")
    late = _case(world, enf)  # filed 60 days ago: decide clock not yet due
    PenaltyCase.objects.filter(pk=late.pk).update(filed_on=days(200))
    Deadline.objects.filter(object_id=str(late.pk), purpose=rules.clock_purpose(rules.DECIDE)).update(due=days(5))
    fine = _case(world, enf)
    rows = {c.pk: c.overdue for c in selectors.cases(user=d01, filters=selectors.CaseFilters())}
    assert rows[late.pk] is True and rows[fine.pk] is False
    only = selectors.cases(user=d01, filters=selectors.CaseFilters(overdue=True))
    assert set(only.values_list("pk", flat=True)) == {late.pk}

"""The second review's findings (#7 legal review, #8 frozen decision, #4 decision undone, #9 records, #18 version,
#12 numbering, #14 rates, payment void), each through the services and the API or pages that call them."""

import importlib
from datetime import datetime, time
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi.core import rates
from fazhi.core.errors import Conflict, InvalidInput, NotAllowed
from fazhi.deadlines.models import Deadline
from fazhi.deadlines.services import deadline_compute
from fazhi.enforcement.penalty import rules, scripted, services
from fazhi.enforcement.penalty.tests.cases import days, to_decided
from fazhi.enforcement.publication import services as publication
from fazhi.enforcement.publication.models import CANCELLED, WITHDRAW_CLOCK, WITHDRAWING, Publication
from fazhi.enforcement.records.services import record_add, record_void
from fazhi.enforcement.subjects import services as subject_services
from fazhi.enforcement.subjects.models import CERT_SUSPENDED, Certificate, MajorDecisionEntry
from fazhi.procedures import rules as procedure_rules
from fazhi.procedures import services as procedure_services
from fazhi.procedures.models import ProcedureDefinition, ProcedureStep

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64


def _pdf(name="决定.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def _case(world, enf, unit="D01", **kw):
    u = enf[unit]
    return scripted.file_case(world.user(unit.lower()), u.subject, filed=days(60), officers=u.officers[:2], **kw)


def _major(world, enf):
    d01 = world.user("d01")
    case = scripted.investigate(_case(world, enf, party_kind="legal"), d01, days(50))
    return scripted.notify(case, d01, days(40), measures=("fine", "revoke_licence"), fine="60000")


def _record(case, step, kind, officer, actor):
    name, content = ("v.mp4", MP4) if kind == "av" else ("r.pdf", PDF)
    return record_add(case=case, step=step, kind=kind, file=SimpleUploadedFile(name, content), place="现场",
                      recorded_at=datetime.combine(days(2), time(9, 30)), officer=officer, note="", actor=actor)


# ---------------------------------------------------------------- #7 法制审核


def test_legal_review_is_the_offices_with_its_document(world, enf):
    case, d01, office = _major(world, enf), world.user("d01"), world.user("fzb")
    with pytest.raises(NotAllowed) as e:  # the unit cannot review its own decision
        scripted.legal_review(case, d01, days(25))
    assert "法制办" in e.value.message
    with pytest.raises(InvalidInput) as e:  # the 法制审核意见书 is required
        scripted.act(case, office, "legal_review", on=days(25), outcome="pass", opinion="同意")
    assert e.value.field == "files"
    # The case page offers the unit no 法制审核 form; the office's page does.
    page = world.client("d01").get(reverse("penalty-detail", args=[case.pk])).content.decode()
    assert 'data-step="legal_review"' not in page.split('data-testid="step-actions"')[-1]
    assert 'form method="post"' in world.client("fzb").get(reverse("penalty-detail", args=[case.pk])).content.decode()
    case = scripted.legal_review(case, office, days(25))
    assert case.legal_reviewed_by == office and case.legal_review_on == days(25) and case.legal_review_opinion


def test_legal_review_api_unit_refused(world, enf):
    case = _major(world, enf)
    url = reverse("api:penalty-case-steps", args=[case.pk])
    body = {"step": "legal_review", "outcome": "pass", "opinion": "同意", "version": case.version,
            "files": SimpleUploadedFile("意见书.pdf", PDF)}
    assert world.client("d01").post(url, body).status_code == 403
    done = world.client("fzb").post(url, {**body, "files": SimpleUploadedFile("意见书.pdf", PDF)})
    assert done.status_code == 200, done.content[:300]
    assert done.json()["legal_review_on"] == days(0).isoformat() and done.json()["legal_reviewer"]


def test_reviewer_cannot_decide(world, enf):
    case, office = _major(world, enf), world.user("fzb")
    case = scripted.legal_review(case, office, days(25))
    with pytest.raises(Conflict) as e:
        scripted.decide(case, office, days(20))
    assert e.value.code == services.RULE_CODE and "审核与决定分离" in e.value.message and "118号" in e.value.message
    assert scripted.decide(case, world.user("d01"), days(20)).decided_on == days(20)


def test_catalogue_edit_after_notice_does_not_change_the_judgment(world, enf):
    d01, office = world.user("d01"), world.user("fzb")
    case = _major(world, enf)
    entry = MajorDecisionEntry.objects.get(unit=world.unit("D01"))
    assert case.major and case.major_entry == entry
    # The office takes the line out after the notice: the case stays major, the review still required.
    subject_services.entry_update(entry=entry, actor=office, data={
        "title": entry.title, "decision_kind": entry.decision_kind, "measures": entry.measures,
        "amount_from": entry.amount_from, "active": False}, expected_version=entry.version)
    with pytest.raises(Conflict) as e:
        scripted.decide(case, d01, days(20))
    assert "法制审核" in e.value.message
    # A case notified as not major stays not major when a line is added later.
    minor = scripted.notify(scripted.investigate(_case(world, enf), d01, days(50)), d01, days(40), fine="5000")
    subject_services.entry_create(unit=world.unit("D01"), actor=office, data={"title": "罚款一千元以上",
                                                                              "amount_from": "1000"})
    assert scripted.decide(minor, d01, days(20)).major is False
    # And the unit itself may not edit its catalogue.
    with pytest.raises(NotAllowed):
        subject_services.entry_create(unit=world.unit("D01"), actor=d01, data={"title": "x", "amount_from": "1"})


def test_legal_review_rate_counts_the_reviewer(world, enf):
    d01, office = world.user("d01"), world.user("fzb")
    case = scripted.decide(scripted.legal_review(_major(world, enf), office, days(25)), d01, days(20))
    assert case.major
    assert rates.compute(rates.get("penalty.legal_review"), office)["numerator"] == 1


# ---------------------------------------------------------------- #8 a decided case is frozen


def test_decided_case_is_frozen(world, enf):
    d01 = world.user("d01")
    case = to_decided(_case(world, enf), d01)
    data = {"party_name": "改名", "cause": "改案由", "found_on": case.found_on, "key_area": "urban_management"}
    with pytest.raises(Conflict) as e:
        services.case_update(case=case, actor=d01, data=data, expected_version=case.version)
    assert e.value.code == services.FROZEN_CODE and "决定被变更/撤销" in e.value.message
    client = world.client("d01")
    assert reverse("penalty-edit", args=[case.pk]) not in client.get(case.get_absolute_url()).content.decode()
    response = client.post(reverse("penalty-edit", args=[case.pk]), {**data, "version": case.version})
    assert response.status_code == 303
    case.refresh_from_db()
    assert case.party_name != "改名"


# ---------------------------------------------------------------- #4 decision undone


def test_decision_revoked_withdraws_the_publication(world, enf):
    d01 = world.user("d01")
    case = to_decided(_case(world, enf, party="撤销当事人"), d01, decider=world.user("fzb"))
    pub = publication.publication_for(case)
    publication.publication_publish(publication=pub, on=days(29), actor=d01)
    public = world.client(None).get(reverse("public-enforcement-decisions")).content.decode()
    assert case.decision_number in public
    url = reverse("api:penalty-case-decision-undone", args=[case.pk])
    body = {"kind": "revoked", "on": days(3).isoformat(), "document": "区政府复决〔2026〕3号", "version": case.version}
    assert world.client("d01").post(url, body).status_code == 400  # the document's file is required
    body["files"] = [_pdf()]
    assert world.client("d01").post(url, {k: v for k, v in body.items() if k != "version"}).status_code == 400
    assert world.client("leader").post(url, {**body, "files": [_pdf()]}).status_code == 403
    done = world.client("d01").post(url, {**body, "files": [_pdf()]})
    assert done.status_code == 200, done.content[:300]
    assert done.json()["decision_undone_kind"] == "revoked"
    pub.refresh_from_db()
    assert pub.state == WITHDRAWING and pub.withdraw_from == days(3)
    withdraw = Deadline.objects.get(object_id=str(pub.pk), purpose=WITHDRAW_CLOCK)
    assert withdraw.status == Deadline.OPEN
    assert withdraw.due == deadline_compute("penalty.withdraw_publication", days(3)).due
    # The payment period stops; serving or executing a revoked decision is refused.
    assert services.clock(case, rules.PAY_FINE) is None or services.clock(case, rules.PAY_FINE).status != Deadline.OPEN
    assert "已被撤销" in services.step_refusal(case.__class__.objects.get(pk=case.pk), "serve")
    act = case.acts.get(kind="decision_undone")
    from fazhi.core.models import Attachment

    assert Attachment.objects.filter(object_id=str(act.pk), original_name="决定.pdf").count() == 1
    publication.publication_withdraw(publication=pub, on=days(2), actor=d01)
    public = world.client(None).get(reverse("public-enforcement-decisions")).content.decode()
    assert case.decision_number not in public
    assert Publication.objects.get(pk=pub.pk).withdrawn_late is False


def test_decision_changed_unpublished_and_never_heavier(world, enf):
    d01 = world.user("d01")
    case = to_decided(_case(world, enf), d01)
    with pytest.raises(Conflict) as e:
        services.decision_undone(case=case, actor=d01, kind="changed", on=days(5), document="判决书",
                                 fine_amount="6000", files=[_pdf()], expected_version=case.version)
    assert "不得高于" in e.value.message and e.value.field == "fine_amount"
    with pytest.raises(InvalidInput) as e:
        services.decision_undone(case=case, actor=d01, kind="nope", on=days(5), document="x", files=[_pdf()],
                                 expected_version=case.version)
    assert e.value.field == "kind"
    case = services.decision_undone(case=case, actor=d01, kind="changed", on=days(5), document="行政判决书(2026)陕0113行初1号",
                                    fine_amount="3000", files=[_pdf()], expected_version=case.version)
    assert case.fine_amount == Decimal("3000.00") and case.decision_undone_kind == "changed"
    pubs = list(Publication.objects.for_case(case).order_by("id"))
    assert pubs[0].state == CANCELLED  # the original, not yet published: no longer due
    assert pubs[1].state == "due" and pubs[1].title.startswith("行政处罚决定(变更)")  # the changed one (第48条)
    assert case.acts.filter(kind="decision_undone").get().detail["document"].startswith("行政判决书")


def test_decision_undone_page_form(world, enf):
    d01 = world.user("d01")
    case = to_decided(_case(world, enf), d01)
    client = world.client("d01")
    assert 'data-act="decision_undone"' in client.get(case.get_absolute_url()).content.decode()
    assert 'data-act="decision_undone"' not in world.client("leader").get(case.get_absolute_url()).content.decode()
    response = client.post(reverse("penalty-act", args=[case.pk, "decision_undone"]),
                           {"kind": "confirmed_illegal", "on": days(2).isoformat(), "document": "判决书",
                            "version": case.version, "files": [_pdf()]})
    assert response.status_code == 303
    case.refresh_from_db()
    assert case.decision_undone_kind == "confirmed_illegal"


# ---------------------------------------------------------------- #9 records


def test_records_refused_after_close(world, enf):
    d01, u = world.user("d01"), enf["D01"]
    case = scripted.file_case(d01, u.subject, filed=days(3), officers=u.officers[:1], kind="simple")
    case = scripted.act(case, d01, "decide", on=days(3), measures=["warning"], facts="占道", basis_penalty="某条例第十条")
    written = _record(case, "decide", "written", u.officers[0], d01)
    case = scripted.act(scripted.act(case, d01, "execute", on=days(2)), d01, "close", on=days(1), outcome="performed")
    assert case.status == "closed"
    with pytest.raises(Conflict) as e:
        _record(case, "decide", "av", u.officers[0], d01)
    assert "已结案的案件不能增补或作废记录" in e.value.message
    with pytest.raises(Conflict) as e:
        record_void(record=written, reason="误传", actor=d01)
    assert "已结案" in e.value.message
    page = world.client("d01").get(case.get_absolute_url()).content.decode()
    assert 'data-testid="record-form"' not in page


def test_av_required_for_enforcement_and_seizure(world, enf):
    """Review #11 Medium 9: a record pair per 查封扣押 act and per 行政机关强制执行 act; 申请人民法院强制执行 (a written
    application) needs no AV."""
    d01, u = world.user("d01"), enf["D01"]
    case = scripted.act(to_decided(_case(world, enf), d01), d01, "serve", on=days(29))
    for on, place in ((days(28), "当事人仓库"), (days(27), "当事人门店")):
        services.seizure_record(case=case, actor=d01, on=on, place=place, items="违法经营的货物一批",
                                expected_version=case.refresh_from_db() or case.version)
    case.refresh_from_db()
    services.enforcement_record(case=case, actor=d01, on=days(2), kind="demolish", place="当事人门前",
                                content="强制拆除违法搭建的雨棚", expected_version=case.version)
    case.refresh_from_db()
    assert (case.seized_on, case.seizure_count, case.enforced_count) == (days(28), 2, 1)
    case = scripted.act(case, d01, "execute", on=days(1))  # the payment period has passed unpaid
    for step, kind in (("investigate", "written"), ("investigate", "av"), ("notify", "written"), ("serve", "written"),
                       ("serve", "av"), ("seize", "written"), ("seize", "av"), ("seize-2", "written")):
        _record(case, step, kind, u.officers[0], d01)
    with pytest.raises(Conflict) as e:
        scripted.act(case, d01, "close", on=days(1), outcome="enforcement", note="已申请法院强制执行(2026)陕0113执1号")
    assert "查封扣押(第2次)(音像记录)" in e.value.message and "行政机关强制执行(文字记录)" in e.value.message
    assert "查封扣押(文字记录)" not in e.value.message and "执行(强制执行)" not in e.value.message
    _record(case, "seize-2", "av", u.officers[0], d01)
    _record(case, "enforce", "written", u.officers[0], d01)
    _record(case, "enforce", "av", u.officers[0], d01)
    case = scripted.act(case, d01, "close", on=days(1), outcome="enforcement", note="已申请法院强制执行(2026)陕0113执1号")
    assert case.status == "closed"


def test_court_enforcement_close_needs_no_av(world, enf):
    case = _case(world, enf)
    case.decided_on, case.close_outcome = days(1), "enforcement"
    assert not [r for r in rules.records_required(case) if r.step in ("execute", "enforce")]
    case.enforced_count = 1
    assert {(r.step, r.kind) for r in rules.records_required(case)} >= {("enforce", "written"), ("enforce", "av")}


# ---------------------------------------------------------------- #18 version required


def test_api_version_required_and_stale(world, enf):
    case = _case(world, enf)
    client = world.client("d01")
    url = reverse("api:penalty-case-steps", args=[case.pk])
    body = {"step": "investigate", "date": days(10).isoformat(), "facts": "事实", "evidence": "证据",
            "basis_violation": "某法第十条"}
    missing = client.post(url, body, content_type="application/json")
    assert missing.status_code == 400 and "version" in missing.json()["errors"]
    stale = client.post(url, {**body, "version": case.version - 1}, content_type="application/json")
    assert stale.status_code == 409
    act_url = reverse("api:penalty-case-officers", args=[case.pk])
    no_version = client.post(act_url, {"officer": enf["D01"].officers[2].pk}, content_type="application/json")
    assert no_version.status_code == 400 and "version" in no_version.json()["errors"]
    stale = client.post(act_url, {"officer": enf["D01"].officers[2].pk, "version": case.version - 1},
                        content_type="application/json")
    assert stale.status_code == 409
    assert client.post(url, {**body, "version": case.version}, content_type="application/json").status_code == 200


# ---------------------------------------------------------------- #12 numbering per unit


def test_numbers_per_unit(world, enf):
    d01_case, d02_case = _case(world, enf), _case(world, enf, unit="D02")
    assert d01_case.number_seq == d02_case.number_seq == 1
    assert d01_case.number.startswith("城管局罚立〔") and d01_case.number != d02_case.number
    a = to_decided(d01_case, world.user("d01"))
    b = to_decided(d02_case, world.user("d02"))
    assert a.decision_seq == b.decision_seq == 1 and a.decision_number != b.decision_number
    assert a.decision_number.endswith(f"〔{a.decided_on.year}〕1号")


# ---------------------------------------------------------------- #14 rates


def test_certified_rate_rereads_a_backdated_suspension(world, enf):
    office = world.user("fzb")
    _case(world, enf)
    rate = rates.get("officer.certified")
    assert (rates.compute(rate, office)["numerator"], rates.compute(rate, office)["denominator"]) == (2, 2)
    # Suspended later, effective before the case was filed: the officer acted without a valid certificate.
    Certificate.objects.filter(officer=enf["D01"].officers[1]).update(status=CERT_SUSPENDED, status_since=days(90))
    assert (rates.compute(rate, office)["numerator"], rates.compute(rate, office)["denominator"]) == (1, 2)


# ---------------------------------------------------------------- payment void


def test_payment_void(world, enf):
    d01, office = world.user("d01"), world.user("fzb")
    case = scripted.act(to_decided(_case(world, enf), d01, decider=office), d01, "serve", on=days(29))
    pay = services.payment_record(case=case, actor=d01, amount_paid="5000", paid_on=days(20), channel="bank",
                                  receipt_number="YH-9", payee="农业银行")
    assert services.clock(case, rules.PAY_FINE).status != Deadline.OPEN
    case.refresh_from_db()
    url = reverse("api:penalty-case-payments-void", args=[case.pk])
    bad = world.client("d01").post(url, {"payment": pay.pk, "reason": " ", "version": case.version},
                                   content_type="application/json")
    assert bad.status_code == 400
    assert world.client("inspector").post(url, {"payment": pay.pk, "reason": "x", "version": case.version},
                                          content_type="application/json").status_code == 403
    done = world.client("d01").post(url, {"payment": pay.pk, "reason": "凭证号录入错误", "version": case.version},
                                    content_type="application/json")
    assert done.status_code == 200, done.content[:300]
    assert done.json()["payments"][0]["voided_at"] and done.json()["payments"][0]["void_reason"] == "凭证号录入错误"
    case.refresh_from_db()
    assert services.paid_total(case) == 0 and services.surcharge_now(case) > 0
    assert services.clock(case, rules.PAY_FINE).status == Deadline.OPEN  # not paid: the period runs again
    again = world.client("d01").post(url, {"payment": pay.pk, "reason": "再次", "version": case.version},
                                     content_type="application/json")
    assert again.status_code == 400 and "payment" in again.json()["errors"]
    page = world.client("d01").get(case.get_absolute_url()).content.decode()
    assert "已作废:凭证号录入错误" in page and 'data-act="payment"' in page


# ---------------------------------------------------------------- the shipped definitions' migration


def test_migration_publishes_changed_shipped_steps(world):
    migration = importlib.import_module("fazhi.procedures.migrations.0003_enforcement_steps")
    current = ProcedureDefinition.objects.filter(code="penalty").order_by("-version").first()
    migration.forward(django_apps, None)  # the version in force is the shipped file: nothing to do
    assert ProcedureDefinition.objects.filter(code="penalty").order_by("-version").first() == current
    # An old database: the version in force still has the unit's 法制审核 without its document.
    shipped = procedure_services.builtin_files()["penalty"]
    old = {**shipped, "steps": [{**s, "role": "unit", "attachments_required": False} if s["code"] == "legal_review"
                                else s for s in shipped["steps"]]}
    cleaned, errors = procedure_rules.validate_definition(old, known_rules=procedure_services.known_rules())
    assert not errors
    old_version = procedure_services._publish(cleaned, actor=None, Definition=ProcedureDefinition, Step=ProcedureStep)
    migration.forward(django_apps, None)
    newest = ProcedureDefinition.objects.filter(code="penalty").order_by("-version").first()
    assert newest.version == old_version.version + 1
    step = ProcedureStep.objects.get(definition=newest, code="legal_review")
    assert step.role == "office" and step.attachments_required is True
    # Key order inside a step's outcomes is no difference (PostgreSQL's jsonb reorders keys).
    assert not migration.differs([{"outcomes": [{"code": "a", "label": "b"}]}], [{"outcomes": [{"label": "b", "code": "a"}]}])
    assert migration.differs([{"role": "unit"}], [{"role": "office"}])
    migration.forward(django_apps, None)  # once only
    assert ProcedureDefinition.objects.filter(code="penalty").order_by("-version").first() == newest
    # A version the office published itself is left in force.
    office_version = procedure_services._publish(cleaned, actor=world.user("fzb"), Definition=ProcedureDefinition,
                                                 Step=ProcedureStep)
    migration.forward(django_apps, None)
    assert ProcedureDefinition.objects.filter(code="penalty").order_by("-version").first() == office_version

"""The second review's findings on 行政许可 (review11): a run on a definition without 法制审核 is left unjudged (#4),
a hearing asked for after the decision period ran out (#6), the version check of the page's step acts (#7), the
catalogue's licence codes of the line's own unit (#10), one place for units and number series (#13), the
withdrawn case's RecordCheck (#16) and gen_enforcement's scratch-database guard (#18)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test.utils import override_settings
from django.urls import reverse

from fazhi.core.errors import InvalidInput, StaleEdit
from fazhi.deadlines.models import Deadline
from fazhi.enforcement.licence import rules, services
from fazhi.enforcement.licence.tests.conftest import D, accept, act, decide, item, officer, register, review

pytestmark = pytest.mark.django_db


def _major_line(world, it):
    from fazhi.enforcement.subjects import services as subject_services

    return subject_services.entry_create(unit=it.unit, actor=world.user("fzb"), data={
        "decision_kind": "licence", "title": f"{it.name}(重大)", "measures": [it.code], "amount_from": None})


def _old_definition():
    """The licence definition as it was before `legal_review` (a run started on it keeps that version)."""
    from fazhi.procedures import rules as procedure_rules
    from fazhi.procedures import services as procedure_services
    from fazhi.procedures.models import ProcedureDefinition, ProcedureStep

    shipped = procedure_services.builtin_files()["licence"]
    old = {**shipped, "steps": [s for s in shipped["steps"] if s["code"] != "legal_review"]}
    cleaned, errors = procedure_rules.validate_definition(old, known_rules=procedure_services.known_rules())
    assert not errors
    return procedure_services._publish(cleaned, actor=None, Definition=ProcedureDefinition, Step=ProcedureStep)


# ---------------------------------------------------------------- #4 a run without legal_review


def test_run_on_an_old_definition_is_left_unjudged_and_can_be_decided(world):
    it = item(world, "D01")
    _major_line(world, it)
    old = _old_definition()
    d01 = world.user("d01")
    case = register(world, it)
    assert services.case_run(case).definition_id == old.pk
    case = review(accept(case, d01), d01)
    assert case.major is None and case.major_entry_id is None and case.major_entry_title == ""
    assert "未作重大执法决定认定" in rules.step_refusal(case, "legal_review")
    assert any("未作重大执法决定认定" in (h.history_change_reason or "") for h in case.history.all())
    page = world.client("fzb").get(case.get_absolute_url())
    assert page.status_code == 200 and 'data-testid="major-unjudged"' in page.content.decode()
    assert "没有「法制审核」步骤" in page.content.decode()
    case = decide(case, d01)  # not stuck: review.decide_refusal needs a review only of a major case
    assert case.status == "decided" and case.decision_number


def test_run_on_the_current_definition_is_still_judged(world):
    it = item(world, "D01")
    entry = _major_line(world, it)
    d01 = world.user("d01")
    case = accept(register(world, it), d01)
    assert case.major is True and case.major_entry_id == entry.pk
    assert rules.major_unjudged_text(case) == ""
    page = world.client("fzb").get(case.get_absolute_url()).content.decode()
    assert 'data-testid="major-unjudged"' not in page and 'data-testid="major"' in page


# ---------------------------------------------------------------- #6 hearing request after the period ran out


def test_hearing_request_after_the_decision_period_is_recorded_without_pausing(world):
    it = item(world, "D01")
    d01 = world.user("d01")
    case = review(accept(register(world, it), d01), d01)
    decide_clock = services.clock(case, rules.DECIDE)
    due = decide_clock.due
    case = services.hearing_right(case=case, actor=d01, on=due - timedelta(days=1), expected_version=case.version)
    late_day = due + timedelta(days=1)
    case = services.hearing_request(case=case, actor=d01, on=late_day, requested_by="相邻住户",
                                    expected_version=case.version)
    assert case.hearing_requested_on == late_day and case.hearing_kind == "requested"
    decide_clock.refresh_from_db()
    assert decide_clock.status == Deadline.OPEN and decide_clock.paused_since is None and decide_clock.due == due
    hearing_clock = services.clock(case, rules.HEARING)
    assert hearing_clock.status == Deadline.OPEN and hearing_clock.start == late_day
    request = case.acts.get(kind="hearing_request")
    assert due.isoformat() in request.data["late"] and "超期理由" in request.data["late"]
    page = world.client("d01").get(case.get_absolute_url()).content.decode()
    assert "听证所需时间不再中止计算" in page
    # The hearing goes ahead; the late decision then needs its reason.
    host = officer(world, "D01", "主持人")
    hearing_on = late_day + timedelta(days=14)
    case = services.hearing_notice(case=case, actor=d01, on=late_day, hearing_on=hearing_on, place="听证室",
                                   host=host.pk, expected_version=case.version)
    case = services.hearing_held(case=case, actor=d01, on=hearing_on, record="申请人陈述意见",
                                 expected_version=case.version)
    with pytest.raises(InvalidInput) as e:
        decide(case, d01, on=hearing_on + timedelta(days=1))
    assert e.value.field == "late_reason"
    case = decide(case, d01, on=hearing_on + timedelta(days=1), late_reason="听证申请在决定期限届满后提出")
    assert case.status == "decided" and case.decision_late is True and case.late_reason


# ---------------------------------------------------------------- #7 stale step acts from the page


def test_stale_step_act_refused_in_the_service_for_page_and_api(world):
    it = item(world, "D01")
    d01 = world.user("d01")
    case = accept(register(world, it), d01)
    with pytest.raises(StaleEdit) as e:
        act(case, d01, "review", on=D("2026-03-10"), inspected="no", version=case.version - 1)
    assert e.value.status == 409
    with pytest.raises(InvalidInput) as e:
        act(case, d01, "review", on=D("2026-03-10"), inspected="no", version=None)
    assert e.value.field == "version"
    # The page: a stale post is refused (nothing done), its message shown; the page's own form carries the version.
    client = world.client("d01")
    url = reverse("licence-step", args=[case.pk])
    stale = client.post(url, {"step": "review", "date": "2026-03-10", "inspected": "no", "version": case.version - 1},
                        follow=True)
    assert "已有新的变更" in stale.content.decode()
    case.refresh_from_db()
    assert case.reviewed_on is None
    page = client.get(case.get_absolute_url()).content.decode()
    assert f'name="version" value="{case.version}"' in page
    done = client.post(url, {"step": "review", "date": "2026-03-10", "inspected": "no", "version": case.version})
    assert done.status_code == 303
    case.refresh_from_db()
    assert case.reviewed_on == D("2026-03-10")
    # The API: the same service check (409 stale, 400 missing).
    api = f"/api/v1/licence-cases/{case.pk}/steps/"
    body = {"step": "decide", "date": "2026-03-20", "outcome": "grant"}
    assert client.post(api, {**body, "version": case.version - 1}, content_type="application/json").status_code == 409
    assert client.post(api, body, content_type="application/json").status_code == 400


# ---------------------------------------------------------------- #10 the catalogue's licence codes, per unit


def test_catalogue_validates_and_offers_the_entry_units_own_items(world):
    from fazhi.enforcement.subjects import services as subject_services
    from fazhi.enforcement.subjects.forms import EntryForm, measure_choices

    d01_item = item(world, "D01")
    d02_item = item(world, "D02", code="XK-D02-9", name="排水许可")
    fzb = world.user("fzb")
    data = {"decision_kind": "licence", "title": "他单位事项", "measures": [d02_item.code], "amount_from": None}
    with pytest.raises(InvalidInput) as e:
        subject_services.entry_create(unit=d01_item.unit, actor=fzb, data=data)
    assert e.value.field == "measures" and d02_item.code in e.value.message and "本单位" in e.value.message
    entry = subject_services.entry_create(unit=d02_item.unit, actor=fzb, data=data)
    assert entry.measures == [d02_item.code]
    codes = [c for c, _ in measure_choices(d01_item.unit)]
    assert d01_item.code in codes and d02_item.code not in codes
    assert d02_item.code not in dict(measure_choices())  # no unit picked: no licence items offered
    assert d02_item.code in dict(EntryForm(unit=d02_item.unit).fields["measures"].choices)
    # The page: the create form lists the picked unit's items; the list names each line's item.
    client = world.client("fzb")
    page = client.get(reverse("subject-catalogue-create") + "?unit=D01").content.decode()
    assert d01_item.code in page and d02_item.code not in page
    listing = client.get(reverse("subject-catalogue") + "?unit=D02").content.decode()
    assert f"许可事项 {d02_item.code} 排水许可" in listing


def test_catalogue_validation_is_not_cut_at_a_thousand_codes(world):
    from fazhi.enforcement.licence.models import LicenceItem
    from fazhi.enforcement.subjects import services as subject_services

    base = item(world, "D02")
    LicenceItem.objects.bulk_create([LicenceItem(
        unit=base.unit, subject=base.subject, code=f"A{i:04d}", name="批量事项", basis_kind="law", basis=base.basis,
        conditions="c", procedure="p", materials="m", created_by=world.user("fzb")) for i in range(1005)])
    entry = subject_services.entry_create(unit=base.unit, actor=world.user("fzb"), data={
        "decision_kind": "licence", "title": "末尾事项", "measures": ["A1004", base.code], "amount_from": None})
    assert entry.measures == ["A1004", base.code]


# ---------------------------------------------------------------- #13 one place


def test_number_series_in_one_function_keeps_the_stored_keys(world):
    from fazhi.core.models import NumberSeries

    it = item(world, "D01")
    assert rules.number_series(it.unit) == f"licence:{it.unit.code}"
    assert rules.number_series(it.unit, "decision") == f"licence-decision:{it.unit.code}"
    d01 = world.user("d01")
    case = register(world, it)
    assert NumberSeries.objects.get(series=rules.number_series(it.unit), year=2026).last == case.number_seq
    case = decide(review(accept(case, d01), d01), d01)
    assert NumberSeries.objects.get(series=rules.number_series(it.unit, "decision"), year=2026).last == 1
    assert case.decision_number == rules.decision_number(it.unit, 2026, 1)


def test_editable_units_are_org_writable_units(world):
    from fazhi.enforcement.licence.views import _editable_units
    from fazhi.org.selectors import writable_units

    for who in ("fzb", "d01", "leader"):
        user = world.user(who)
        assert _editable_units(user) == writable_units(user, below_root=True)
    assert not _editable_units(world.user("leader"))


# ---------------------------------------------------------------- #16 a withdrawn case's RecordCheck


def test_withdrawal_and_non_acceptance_write_the_record_check(world):
    from fazhi.enforcement.records.models import RecordCheck

    it = item(world, "D01")
    d01 = world.user("d01")
    early = register(world, it)
    early = services.withdraw(case=early, actor=d01, on=D("2026-03-03"), reason="申请人书面撤回",
                              expected_version=early.version)
    check = RecordCheck.objects.get(object_id=str(early.pk), content_type__model="licencecase")
    assert check.closed_on == D("2026-03-03") and check.complete and check.required == []
    later = accept(register(world, it, applicant="后撤回申请人"), d01)
    later = services.withdraw(case=later, actor=d01, on=D("2026-03-05"), reason="申请人书面撤回",
                              expected_version=later.version)
    check = RecordCheck.objects.get(object_id=str(later.pk), content_type__model="licencecase")
    assert check.closed_on == D("2026-03-05") and not check.complete and check.required == ["accept:written"]
    rejected = act(register(world, it, applicant="不予受理申请人"), d01, "accept", on=D("2026-03-03"), outcome="reject",
                   note="依法不需要取得行政许可")
    check = RecordCheck.objects.get(object_id=str(rejected.pk), content_type__model="licencecase")
    assert rejected.status == "not_accepted" and check.closed_on == D("2026-03-03")


# ---------------------------------------------------------------- #18 gen_enforcement only on a scratch database


def test_gen_enforcement_refuses_anything_but_a_scratch_database():
    from fazhi.org.models import Unit

    with pytest.raises(CommandError, match="--scratch"), override_settings(DEBUG=True):
        call_command("gen_enforcement", units=3, cases=1, stdout=StringIO())
    with pytest.raises(CommandError, match="DEBUG"), override_settings(DEBUG=False):
        call_command("gen_enforcement", units=3, cases=1, scratch=True, stdout=StringIO())
    Unit.objects.create(code="REAL", name="真实单位")
    with pytest.raises(CommandError, match="已有单位"), override_settings(DEBUG=True):
        call_command("gen_enforcement", units=3, cases=1, scratch=True, stdout=StringIO())
    assert Unit.objects.count() == 1
    from fazhi.org.models import User

    assert not User.objects.filter(username="bench-office").exists()

"""Fixtures of the licence tests: a qualified, announced subject and a published item per unit (D01, D02), cases
registered through the services and steps acted on the way the pages and the API do (procedures.actions)."""

from __future__ import annotations

from datetime import date

import pytest

from fazhi.enforcement.licence import services, steps
from fazhi.procedures import actions

D = date.fromisoformat
APPLICANT = "许可专属申请人有限公司"
DAY_2025_01_01 = D("2025-01-01")
DAY_2025_06_01 = D("2025-06-01")
DAY_2026_03_02 = D("2026-03-02")
DAY_2026_03_03 = D("2026-03-03")
DAY_2026_03_10 = D("2026-03-10")
DAY_2026_03_20 = D("2026-03-20")
DAY_2026_03_25 = D("2026-03-25")
DAY_2031_03_24 = D("2031-03-24")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def subject(world, unit_code: str, *, status="qualified", announced=DAY_2025_01_01, name=None):
    from fazhi.enforcement.subjects.models import EnforcementSubject

    unit = world.unit(unit_code)
    found, _ = EnforcementSubject.objects.get_or_create(
        unit=unit, name=name or f"{unit.name}(许可主体)",
        defaults={"basis": "《中华人民共和国食品安全法》第三十五条", "review_status": status,
                  "reviewed_on": D("2025-01-01") if status == "qualified" else None, "announced_on": announced,
                  "created_by": world.user("fzb")})
    return found


def item_data(unit_code: str, subject_id: int, **over) -> dict:
    data = {"unit": unit_code, "subject": subject_id, "code": "XK-001", "name": "食品经营许可",
            "basis_kind": "law", "basis": "《中华人民共和国食品安全法》第三十五条", "conditions": "有与经营的食品品种相适应的场所",
            "quantity_limit": "", "procedure": "申请、受理、审查、决定、发证", "promised_days": 10,
            "materials": "食品经营许可申请书\n营业执照复印件\n场所平面图", "fee_charged": False, "fee_amount": "", "fee_basis": ""}
    return {**data, **over}


def item(world, unit_code="D01", *, published=True, subj=None, **over):
    subj = subj or subject(world, unit_code)
    made = services.item_create(actor=world.user("fzb"), data=item_data(unit_code, subj.pk, **over))
    if published:
        made = services.item_publish(item=made, actor=world.user("fzb"), on=D("2025-06-01"), expected_version=made.version)
    return made


def register(world, it, *, received=DAY_2026_03_02, user=None, applicant=APPLICANT, **over):
    data = {"item": it.pk, "applicant_name": applicant, "applicant_kind": "legal_person",
            "applicant_code": "91610000123456789X", "applicant_contact": "13900000000", "matter": "新办食品经营许可",
            "received_on": received, **over}
    return services.case_create(actor=world.user(user or it.unit.code.lower()), data=data)


def act(case, user, step: str, *, on: date | None = None, files=None, **data):
    """One act on a step of the case's procedure, as a page or the API posts it (with the case version it saw, unless
    `version` is given — None to send none); returns the case fresh."""
    from django.utils.datastructures import MultiValueDict

    run = services.case_run(case)
    data.setdefault("version", case.version)
    body = {"step": step, **{k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items() if v is not None}}
    if on is not None:
        body["date"] = on.isoformat()
    parsed = actions.act_parse(body, files or MultiValueDict(), steps.STEPS, run, actor=user)
    actions.act_perform(record_obj=case, run=run, act=parsed, actions=steps.STEPS, actor=user)
    case.refresh_from_db()
    return case


def accept(case, user, on=DAY_2026_03_03):
    return act(case, user, "accept", on=on, outcome="accept")


def review(case, user, on=DAY_2026_03_10, **extra):
    return act(case, user, "review", on=on, **{"inspected": "no", **extra})


def decide(case, user, on=DAY_2026_03_20, outcome="grant", reason="", late_reason=None):
    return act(case, user, "decide", on=on, outcome=outcome, reason=reason, late_reason=late_reason)


def certificate(case, user, on=DAY_2026_03_25):
    return act(case, user, "certificate", on=on, certificate_number=f"JY{case.pk:08d}", valid_from=on,
               valid_until=D("2031-03-24"))


def records(case, user, *steps_kinds):
    """The written records the case's steps need (全过程记录), added through X's records service."""
    from fazhi.enforcement.licence import rules
    from fazhi.enforcement.records.rules import records_missing

    missing = records_missing(case) if not steps_kinds else [r for r in rules.records_required(case)
                                                              if (r.step, r.kind) in steps_kinds]
    for r in missing:
        _record(case, user, r)
    return case


def _record(case, user, requirement):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from fazhi.enforcement.records.services import record_add
    from fazhi.enforcement.subjects.models import Officer

    officer = Officer.objects.filter(unit=case.unit, active=True).first() or Officer.objects.create(
        unit=case.unit, subject=case.subject, name="记录员", created_by=user)
    name, content = (("核查.png", PNG) if requirement.kind == "av" else ("记录.pdf", PDF))
    upload = SimpleUploadedFile(name, content)
    return record_add(case=case, step=requirement.step, kind=requirement.kind, file=upload, recorded_at=timezone.now(),
                      place="许可窗口", officer=officer, note="", actor=user)


CERT_ISSUED, CERT_EXPIRES = D("2024-01-01"), D("2030-12-31")


def officer(world, unit_code: str, name: str, *, issued=CERT_ISSUED, expires=CERT_EXPIRES):
    """An officer of the unit holding one certificate (issued → expires), registered through S's services."""
    from fazhi.enforcement.subjects import services as subject_services

    unit = world.unit(unit_code)
    made = subject_services.officer_create(unit=unit, actor=world.user("fzb"), data={
        "name": name, "subject": subject(world, unit_code), "staff_number": f"{unit_code}-{name}", "post": "执法队员"})
    subject_services.certificate_add(officer=made, actor=world.user("fzb"), data={
        "number": f"陕执{unit_code}{made.pk:05d}", "kind": "enforcement", "issued_by": "区人民政府", "issued_on": issued,
        "expires_on": expires})
    return made


def inspectors(world, unit_code="D01", n=2) -> list[str]:
    """`n` certified officers of the unit, as the review step's `inspection_officers` (ids as text)."""
    return [str(officer(world, unit_code, f"核查员{i + 1}").pk) for i in range(n)]


def close(case, user, on=None):
    """办结 with every record the case needs (全过程记录)."""
    records(case, user)
    return act(case, user, "close", on=on or case.certificate_issued_on or case.decided_on)


@pytest.fixture
def d01_item(world):
    return item(world, "D01")


@pytest.fixture
def d02_item(world):
    return item(world, "D02")

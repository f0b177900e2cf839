"""Fixtures of the penalty tests: D01 and D02 each with a qualified, announced subject, officers holding valid
certificates (and one whose certificate has expired), and D01's catalogue of major decisions."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest

from fazhi.enforcement.subjects.models import QUALIFIED, Certificate, EnforcementSubject, MajorDecisionEntry, Officer

D = date.fromisoformat


@dataclass
class Unit:
    subject: EnforcementSubject
    officers: list
    expired: Officer


def _unit(world, code: str) -> Unit:
    unit, admin = world.unit(code), world.user("fzb")
    subject = EnforcementSubject.objects.create(unit=unit, name=f"{unit.name}执法大队", basis="《某某法》第十条",
                                                review_status=QUALIFIED, reviewed_on=D("2024-01-05"),
                                                announced_on=D("2024-01-10"), created_by=admin)
    officers = []
    for i in range(3):
        o = Officer.objects.create(unit=unit, subject=subject, name=f"{code}执法员{i + 1}", created_by=admin)
        Certificate.objects.create(officer=o, unit=unit, number=f"{code}-C{i}", issued_on=D("2024-01-01"),
                                   expires_on=date.today() + timedelta(days=900))
        officers.append(o)
    expired = Officer.objects.create(unit=unit, subject=subject, name=f"{code}过期员", created_by=admin)
    Certificate.objects.create(officer=expired, unit=unit, number=f"{code}-X", issued_on=D("2020-01-01"),
                               expires_on=D("2025-06-30"))
    return Unit(subject, officers, expired)


def units_setup(world) -> dict:
    """{"D01": Unit, "D02": Unit} once per test; D01's catalogue makes 吊销许可证件 and 罚没款 from 50,000 元
    major."""
    cached = getattr(world, "_penalty_units", None)
    if cached:
        return cached
    made = {code: _unit(world, code) for code in ("D01", "D02")}
    MajorDecisionEntry.objects.create(unit=world.unit("D01"), title="吊销许可证件或罚没款五万元以上",
                                      measures=["revoke_licence"], amount_from=Decimal("50000"))
    world._penalty_units = made
    return made


@pytest.fixture
def enf(world):
    return units_setup(world)

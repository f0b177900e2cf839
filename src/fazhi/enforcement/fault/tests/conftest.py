"""Fixtures of the fault tests: a penalty case of D01 and D02 (rows written directly: these tests are about the
fault register, not the penalty procedure) with two officers each."""

from datetime import date

import pytest

from fazhi.enforcement.subjects.models import QUALIFIED, EnforcementSubject, Officer


def penalty_case(world, code: str, n: int = 1):
    from fazhi.enforcement.penalty.models import PenaltyCase
    from fazhi.org.models import KeyArea

    unit, admin = world.unit(code), world.user("fzb")
    subject, _ = EnforcementSubject.objects.get_or_create(
        unit=unit, name=f"{unit.name}执法大队",
        defaults={"basis": "《某某法》第十条", "review_status": QUALIFIED, "created_by": admin})
    for i in (1, 2):
        Officer.objects.get_or_create(unit=unit, name=f"{code}执法员{i}",
                                      defaults={"staff_number": f"{code}-{i}", "subject": subject, "created_by": admin})
    seq = (PenaltyCase.objects.order_by("-number_seq").values_list("number_seq", flat=True).first() or 0) + 1
    return PenaltyCase.objects.create(
        unit=unit, subject=subject, key_area=KeyArea.objects.order_by("id").first(), number_year=2026, number_seq=seq,
        number=f"{code}罚立〔2026〕{n}号", party_name="张三", cause=f"{unit.name}的无照经营案", found_on=date(2026, 3, 1),
        filed_on=date(2026, 3, 2), created_by=admin)


def open_fault(world, code="D01", user="fzb", n=1, **over):
    from fazhi.enforcement.fault import services

    case = penalty_case(world, code, n)
    data = {"found_on": date(2026, 5, 10), "source": "reconsideration", "fault_kind": "procedure",
            "fault": f"{world.unit(code).name}未告知陈述申辩权利即作出处罚决定", "responsibility": "direct", **over}
    officers = services.officers_find(case=case, names=[f"{code}执法员1", f"{code}-2"])
    return services.fault_open(case=case, officers=officers, data=data, actor=world.user(user))


@pytest.fixture
def fault(world):
    return open_fault(world)

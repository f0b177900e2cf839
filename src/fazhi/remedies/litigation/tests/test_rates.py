"""The four rates against hand-counted cases and hearings (fixed dates in 2025, every period long past): on
time, late, never answered (past due, counted late), a case not yet due (not counted), lost, won, withdrawn
(outside 败诉率), and the period's boundary (the last day in, the day after out)."""

from datetime import date

import pytest
from django.urls import reverse

from fazhi.core import rates
from fazhi.remedies.litigation import services
from fazhi.remedies.litigation.tests.conftest import act, answer, case_data, days, pdf

pytestmark = pytest.mark.django_db
D = date.fromisoformat


def _case(world, unit, number, received, answered=None, hearings=(), judgment=None, effective=None):
    user = world.user(unit.lower())
    case = services.case_register(unit=world.unit(unit), actor=user, data=case_data(
        case_number=number, received_on=received, act_date=D("2025-01-02")))
    if answered:
        case = answer(case, user, on=answered)
    for held, who in hearings:
        data = {"held_on": held, "staff": [], "lawyers": []}
        if who in ("head", "deputy"):
            data.update(leader_name="王某", leader_post=who)
        else:
            data.update(absence_reason="official_duty", absence_note="公务")
            data["staff" if who == "staff" else "lawyers"] = ["李某"]
        case.refresh_from_db()
        services.hearing_add(case=case, actor=user, data=data, expected_version=case.version)
    if judgment:
        result, on, *causes = judgment
        kind = "ruling" if result == "withdrawn" else "judgment"
        case = act(case, user, "judgment", files=[pdf()], kind=kind, result=result, date=str(on),
                   loss_causes=list(causes))
    if effective:
        case = act(case, user, "effective", outcome="effective", date=str(effective))
    return case


@pytest.fixture
def fixtures(world):
    _case(world, "D01", "a", D("2025-03-03"), answered=D("2025-03-10"),
          hearings=[(D("2025-04-01"), "head"), (D("2025-04-15"), "staff")],
          judgment=("revoke", D("2025-04-20"), "facts"), effective=D("2025-05-01"))
    _case(world, "D01", "b", D("2025-03-03"), answered=D("2025-04-20"), hearings=[(D("2025-05-01"), "lawyer")],
          judgment=("dismiss_claims", D("2025-05-01")), effective=D("2025-05-02"))
    _case(world, "D01", "c", D("2025-05-05"), hearings=[(D("2025-06-30"), "deputy")],
          judgment=("confirm_illegal", D("2025-06-30"), "no_answer"), effective=D("2025-06-30"))
    _case(world, "D02", "e", D("2025-06-30"), answered=D("2025-07-02"),
          judgment=("withdrawn", D("2025-07-03")), effective=D("2025-07-03"))
    _case(world, "D02", "f", D("2025-07-01"), answered=D("2025-07-03"), hearings=[(D("2025-07-01"), "staff")],
          judgment=("revoke", D("2025-07-05"), "law"), effective=D("2025-07-06"))
    services.case_register(unit=world.unit("D02"), actor=world.user("d02"),
                           data=case_data(case_number="g", received_on=days(-1)))  # still within its period
    return world


H1 = {"start": D("2025-01-01"), "end": D("2025-06-30")}
CODES = ("litigation.answer_on_time", "litigation.appearance", "litigation.leader_appearance", "litigation.lost")


def _rate(code, user, **kw):
    r = rates.compute(rates.get(code), user, **kw)
    return r["numerator"], r["denominator"]


def test_rates_overall_for_a_period(fixtures):
    fzb = fixtures.user("fzb")
    # answer: a on time, b late, c never (past due) in H1; e (boundary day) on time; f outside
    assert _rate("litigation.answer_on_time", fzb, **H1) == (2, 4)
    # hearings in H1: a head, a staff, b lawyer only, c deputy
    assert _rate("litigation.appearance", fzb, **H1) == (3, 4)
    assert _rate("litigation.leader_appearance", fzb, **H1) == (2, 4)
    # effective in H1: a lost, b won, c lost; e withdrawn (and July) and f (July) outside
    assert _rate("litigation.lost", fzb, **H1) == (2, 3)


def test_rates_without_a_period(fixtures):
    fzb = fixtures.user("fzb")
    assert _rate("litigation.answer_on_time", fzb) == (3, 5)  # f on time too; g not due yet: not counted
    assert _rate("litigation.appearance", fzb) == (4, 5)
    assert _rate("litigation.leader_appearance", fzb) == (2, 5)
    assert _rate("litigation.lost", fzb) == (3, 4)  # e (准予撤诉) outside


def test_rates_per_unit_and_scoped(fixtures):
    fzb = fixtures.user("fzb")
    u1, u2 = fixtures.unit("D01").pk, fixtures.unit("D02").pk
    got = {code: rates.compute_by_unit(rates.get(code), fzb, **H1) for code in CODES}
    assert [(got[c][u1]["numerator"], got[c][u1]["denominator"]) for c in CODES] == [(1, 3), (3, 4), (2, 4), (2, 3)]
    assert (got["litigation.answer_on_time"][u2]["numerator"], got["litigation.answer_on_time"][u2]["denominator"]) \
        == (1, 1)
    assert _rate("litigation.lost", fixtures.user("d02")) == (1, 1)  # a unit sees its own


@pytest.mark.parametrize("code", CODES)
def test_records_pages(fixtures, code):
    client = fixtures.client("fzb")
    for part in ("numerator", "denominator"):
        response = client.get(reverse("rate-records", args=[code]) + f"?part={part}&from=2025-01-01&to=2025-06-30")
        assert response.status_code == 200, response.content[:300]
    page = client.get(reverse("rate-records", args=[code]) + "?part=denominator").content.decode()
    assert fixtures.unit("D01").display_name in page

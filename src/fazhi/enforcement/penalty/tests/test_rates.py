"""The four rates against hand-counted fixtures: overall, per unit (compute_by_unit), per key area (compute_by),
on the rates page and on the records pages behind each number; and the list and API query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.core import rates
from fazhi.enforcement.penalty import scripted, services
from fazhi.enforcement.penalty.tests.cases import days
from fazhi.enforcement.subjects.models import Certificate

pytestmark = pytest.mark.django_db


def _fixtures(world, enf):
    d01, d02 = world.user("d01"), world.user("d02")
    u1, u2 = enf["D01"], enf["D02"]
    # A (D01, environment): qualifies for a hearing, not requested, decided on time.
    a = scripted.file_case(d01, u1.subject, filed=days(60), key_area="environment", officers=u1.officers[:2])
    a = scripted.notify(scripted.investigate(a, d01, days(50)), d01, days(40), fine="20000")
    scripted.decide(a, d01, days(20))
    # B (D01, urban): decided after the deadline, with the reason.
    b = scripted.file_case(d01, u1.subject, filed=days(120), officers=u1.officers[:2])
    b = scripted.notify(scripted.investigate(b, d01, days(110)), d01, days(100))
    scripted.decide(b, d01, days(10), late_reason="经负责人批准延期")
    # C (D01, urban): major (吊销许可证件), reviewed before the decision; a third officer certified only later.
    Certificate.objects.filter(officer=u1.officers[2]).update(issued_on=days(20))
    c = scripted.file_case(d01, u1.subject, filed=days(60), officers=u1.officers[:2])
    c = scripted.notify(scripted.investigate(c, d01, days(50)), d01, days(40), measures=("warning", "revoke_licence"),
                        fine=None)
    services.officer_add(case=c, actor=d01, officer=u1.officers[2].pk, on=days(15))
    c = scripted.legal_review(c, world.user("fzb"), days(14))
    scripted.decide(c, d01, days(12))
    # D (D02, urban): decided on time; E (D01) still open: in no rate's denominator but officer.certified.
    dd = scripted.file_case(d02, u2.subject, filed=days(60), officers=u2.officers[:2])
    scripted.decide(scripted.notify(scripted.investigate(dd, d02, days(50)), d02, days(40)), d02, days(30))
    scripted.file_case(d01, u1.subject, filed=days(5), officers=u1.officers[:2])


def _pair(r):
    return r["numerator"], r["denominator"]


def test_rates_hand_counted(world, enf):
    _fixtures(world, enf)
    office, d01 = world.user("fzb"), world.user("d01")
    get = rates.get
    assert _pair(rates.compute(get("penalty.on_time"), office)) == (3, 4)
    assert _pair(rates.compute(get("penalty.on_time"), d01)) == (2, 3)
    assert _pair(rates.compute(get("penalty.hearing_notified"), office)) == (2, 2)  # A (fine), C (吊销)
    assert _pair(rates.compute(get("penalty.legal_review"), office)) == (1, 1)
    assert _pair(rates.compute(get("officer.certified"), office)) == (10, 11)
    by_unit = rates.compute_by_unit(get("penalty.on_time"), office)
    assert {world.unit("D01").pk: (2, 3), world.unit("D02").pk: (1, 1)} == {k: _pair(v) for k, v in by_unit.items()}
    from fazhi.org.models import KeyArea

    area = {a.code: a.pk for a in KeyArea.objects.all()}
    by_area = rates.compute_by(get("penalty.on_time"), office, field="key_area")
    assert {k: _pair(v) for k, v in by_area.items()} == {area["environment"]: (1, 1), area["urban_management"]: (2, 3)}
    certified = rates.compute_by(get("officer.certified"), office, field="case__key_area")
    assert _pair(certified[area["urban_management"]]) == (8, 9)
    # A period on the decision date: B (10 days ago) and C (12) only.
    assert _pair(rates.compute(get("penalty.on_time"), office, start=days(12))) == (1, 2)


def test_rates_page_and_records(world, enf):
    _fixtures(world, enf)
    client = world.client("fzb")
    body = client.get(reverse("penalty-rates")).content.decode()
    assert "75.0%(3/4)" not in body and "3 / 4" in body and "66.7%(2/3)" in body and "环境保护" in body
    records = client.get(reverse("rate-records", args=["officer.certified"]) + "?part=denominator")
    assert records.status_code == 200 and records.content.decode().count("罚立〔") == 11
    assert world.client("d02").get(reverse("penalty-rates")).content.decode().count("66.7%") == 0


@pytest.mark.parametrize("name", ["penalty-list", "api:penalty-case-list"])
def test_list_queries_do_not_grow(world, enf, name):
    client, url = world.client("fzb"), reverse(name)
    d01 = world.user("d01")
    u = enf["D01"]

    def make(n):
        for i in range(n):
            case = scripted.file_case(d01, u.subject, filed=days(30), officers=u.officers[:2], kind="simple" if i % 3
                                      == 2 else "general")
            if i % 2:
                scripted.investigate(case, d01, days(20)) if case.procedure_kind == "general" else None

    make(3)  # both procedures on the page: the steps of each are computed once
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    make(7)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"][:150] for q in many.captured_queries]

"""The two rates of the three systems this package registers, and the per-unit report page."""

from datetime import date

import pytest
from django.urls import reverse

from fazhi.core import rates
from fazhi.core.testing.scoping import ScopedCases
from fazhi.enforcement.publication import services as publication
from fazhi.enforcement.records import services
from fazhi.enforcement.records.registry import AV, WRITTEN
from fazhi.enforcement.records.tests.conftest import an_hour_ago, make_case, make_officer, mp4, pdf

pytestmark = pytest.mark.django_db


def close(case, on=date(2026, 5, 6)):
    case.closed_on = on  # the stand-in has no such field: the modules set theirs, then call records_sync
    return services.records_sync(case)


def full_records(world, case, officer, user="d01"):
    for step, kind, f in (("answer", WRITTEN, pdf()), ("hearing", AV, mp4())):
        services.record_add(case=case, step=step, kind=kind, file=f, recorded_at=an_hour_ago(), place="现场",
                            officer=officer, note="", actor=world.user(user))


def test_records_complete(world, required, officer):
    complete, lacking, open_case = (make_case(world, number=f"(2026)陕0113行初{n}号") for n in range(3))
    full_records(world, complete, officer)
    full_records(world, open_case, officer)
    close(complete)
    close(lacking)
    rate = rates.get("enforcement.records_complete")
    result = rates.compute(rate, world.user("fzb"))
    assert (result["numerator"], result["denominator"]) == (1, 2)
    by_unit = rates.compute_by_unit(rate, world.user("fzb"))
    assert by_unit[world.unit("D01").pk]["value"] == 0.5
    assert rates.compute(rate, world.user("d02"))["denominator"] == 0  # scoped
    rows = list(rates.records(rate, world.user("fzb"), "denominator"))
    assert [c.missing_text for c in rows if not c.complete] == ["答辩举证(文字记录)、庭审(音像记录)"]
    page = world.client("fzb").get(rates.records_url(rate, "denominator")).content.decode()
    assert "答辩举证(文字记录)" in page and reverse("enf-record-case", args=["remedies.litigation", lacking.pk]) in page


def test_published_on_time(world, required):
    def due(n, decided_on=date(2026, 4, 20)):
        case = make_case(world, number=f"(2026)陕0113行初P{n}号")
        return publication.publication_due(case, rule="licence.publicize", decided_on=decided_on, title=f"许可{n}",
                                           document_number=f"许〔2026〕{n}号", party="某公司",
                                           party_kind="legal_person", summary="准予许可", actor=world.user("d01"))

    actor = world.user("d01")
    publication.publication_publish(publication=due(1), on=date(2026, 4, 29), actor=actor)  # day 7: on time
    publication.publication_publish(publication=due(2), on=date(2026, 4, 30), actor=actor)  # late
    due(3)  # its period has run out unpublished: counts against
    cancelled = due(4)
    publication.publication_withdraw_due(cancelled.case, on=date(2026, 4, 21), reason="决定撤销", actor=actor)
    rate = rates.get("enforcement.published_on_time")
    result = rates.compute(rate, world.user("fzb"))
    assert (result["numerator"], result["denominator"]) == (1, 3)


class TestThreeSystems(ScopedCases):
    url_name = "enforcement-three-systems"
    is_list = True

    @pytest.fixture(autouse=True)
    def _data(self, world, required):
        for code in ("D01", "D02"):
            case = make_case(world, unit=code, number=f"(2026)陕0113行初{code}号")
            full_records(world, case, make_officer(world, code, f"{code}员"), user=code.lower())
            close(case)

    def url(self, world, unit):
        return reverse("enforcement-three-systems")

    def marker(self, world, unit):
        return f'data-unit="{unit.code}"'

    def test_groups_and_links(self, world):
        page = world.client("fzb").get(self.url(world, None)).content.decode()
        assert "行政执法公示" in page and "执法全过程记录" in page and 'data-rate="enforcement.records_complete"' in page
        assert "/rates/enforcement.records_complete/records/?part=numerator&amp;unit=D01" in page
        assert world.client("fzb").get(self.url(world, None) + "?from=2026-13-01").status_code == 400

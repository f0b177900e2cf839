"""The enforcement overview: the four cases, the certificate and subject figures, and a constant query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.enforcement.subjects.tests.conftest import officer, subject
from fazhi.enforcement.subjects.tests.test_permissions import Cases


class TestOverview(Cases):
    url_name = "enforcement-overview"
    is_list = True

    def url(self, world, unit):
        return reverse("enforcement-overview")

    def marker(self, world, unit):
        return f"执法员{unit.code}"

    @pytest.fixture(autouse=True)
    def _expiring(self, world, _records):
        for code in ("D01", "D02"):  # listed on the overview (expiring soon), only to who may see the unit
            officer(world, code, name=f"执法员{code}", number=f"EXP-{code}", expires=10)

    def test_figures(self, world):
        subject(world, "D01", name="待审主体", review=None)
        subject(world, "D01", name="未公告主体", announce=False)
        officer(world, "D01", name="过期员", issued=-900, expires=-1)
        body = world.client("fzb").get(self.url(world, None)).content.decode()
        assert 'data-testid="expiring-count">2<' in body and 'data-testid="expired-count">1<' in body
        assert 'data-testid="not-reviewed">1<' in body and 'data-testid="not-announced">1<' in body
        assert "待审主体" in body and "未公告主体" in body
        d02 = world.client("d02").get(self.url(world, None)).content.decode()
        assert "待审主体" not in d02 and 'data-testid="expiring-count">1<' in d02

    def test_queries_do_not_grow(self, world):
        client = world.client("fzb")
        client.get(self.url(world, None))
        with CaptureQueriesContext(connection) as few:
            client.get(self.url(world, None))
        for i in range(5):
            officer(world, "D03", name=f"多{i}", number=f"M-{i}", expires=20)
            subject(world, "D03", name=f"多主体{i}", review=None)
        with CaptureQueriesContext(connection) as many:
            client.get(self.url(world, None))
        assert len(many) == len(few)


@pytest.mark.django_db
def test_case_figures_by_unit_status_and_key_area_are_scoped(world):
    from fazhi.enforcement.licence.tests import conftest as licence_fixtures
    from fazhi.enforcement.penalty.tests import cases as penalty_cases

    made = penalty_cases.data(world)  # six D01 penalty cases in as many states
    licence_fixtures.register(world, licence_fixtures.item(world, "D02"))
    office = world.client("fzb").get(reverse("enforcement-overview")).content.decode()
    assert 'data-testid="penalty-total">6<' in office and 'data-testid="licence-total">1<' in office
    area = made["decided"].key_area.name
    assert area in office
    d02 = world.client("d02").get(reverse("enforcement-overview")).content.decode()
    assert 'data-testid="penalty-total">0<' in d02 and 'data-testid="licence-total">1<' in d02

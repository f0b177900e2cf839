"""The list page and the API list cost the same number of queries at any size."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.remedies.reconsideration.scripted import accept, register

pytestmark = pytest.mark.django_db


def _cases(world, n: int):
    office = world.user("fzb")
    for i in range(n):
        case = register(office, "D01" if i % 2 else "D02", received=date(2026, 3, 2), applicant=f"申请人{i}")
        if i % 3 == 0:
            accept(case, office, date(2026, 3, 3))


@pytest.mark.parametrize("url", [reverse("reconsideration-list"), reverse("api:reconsideration-list")])
def test_list_queries_do_not_grow(world, url):
    client = world.client("fzb")
    _cases(world, 2)
    client.get(url)  # warm caches (content types, definitions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _cases(world, 8)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]

"""Lists cost the same number of queries at any size (the list page, the accountability list, the API lists)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.remedies.litigation.tests.conftest import effective, hearing, judge, register

pytestmark = pytest.mark.django_db


def _cases(world, n: int, start: int = 0):
    d01 = world.user("d01")
    for i in range(start, start + n):
        case = register(world, case_number=f"Q{i}")
        hearing(world, case)
        case = judge(case, d01, result="revoke", loss_causes=["no_answer"])
        effective(case, d01)


URLS = [reverse("litigation-list"), reverse("litigation-accountabilities"), reverse("api:litigation-list"),
        reverse("api:litigation-accountability-list")]


@pytest.mark.parametrize("url", URLS)
def test_list_queries_do_not_grow(world, url):
    client = world.client("fzb")
    _cases(world, 2)
    client.get(url)  # warm caches (content types, definitions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _cases(world, 6, start=2)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]

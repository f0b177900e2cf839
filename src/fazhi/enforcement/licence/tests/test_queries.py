"""The list pages and the API lists cost the same number of queries at any size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.enforcement.licence.tests.conftest import accept, item, register

pytestmark = pytest.mark.django_db


def _cases(world, it, n: int):
    for i in range(n):
        case = register(world, it, applicant=f"申请人{i}")
        if i % 2:
            accept(case, world.user("d01"))


@pytest.mark.parametrize("name", ["licence-list", "api:licence-case-list", "licence-item-list", "api:licence-item-list",
                                  "licence-public-items"])
def test_list_queries_do_not_grow(world, name):
    client = world.client("fzb")
    it = item(world, "D01")
    _cases(world, it, 2)
    url = reverse(name) + ("?overdue=true" if name == "licence-list" else "")
    client.get(url)  # warm caches (content types, definitions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _cases(world, it, 6)
    for i in range(4):
        item(world, "D01", code=f"XK-1{i}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]

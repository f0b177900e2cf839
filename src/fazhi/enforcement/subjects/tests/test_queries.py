"""Lists, the public page, the API lists and the exports cost the same number of queries at any size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.enforcement.subjects import services
from fazhi.enforcement.subjects.tests.conftest import days, officer, subject

pytestmark = pytest.mark.django_db


def _grow(world, start: int, n: int):
    fzb = world.user("fzb")
    for i in range(start, start + n):
        code = ("D01", "D02", "T01")[i % 3]
        s = subject(world, code, name=f"主体{i}")
        services.power_add(subject=s, actor=fzb, data={"kind": "penalty", "name": f"职权{i}", "basis": "某法"})
        officer(world, code, name=f"人员{i}", subject_=s, expires=30 if i % 2 else 400, number=f"Q-{i}")
        services.basisless_create(actor=fzb, data={"unit": world.unit(code), "acting_body": f"机构{i}", "act": "x",
                                                   "found_on": days(-1)})
        services.entry_create(unit=world.unit(code), actor=fzb, data={"title": f"事项{i}",
                                                                       "measures": ["revoke_licence"]})


URLS = ["subject-list", "officer-list", "subject-basisless-list", "subject-catalogue", "subject-export",
        "officer-export", "api:enforcement-subject-list", "api:officer-list", "public-enforcement-subjects"]


@pytest.mark.parametrize("name", URLS)
def test_list_queries_do_not_grow(world, name):
    url = reverse(name)
    client = world.client("fzb")
    _grow(world, 0, 2)

    def get():
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)

    get()  # warm caches
    with CaptureQueriesContext(connection) as few:
        get()
    _grow(world, 2, 7)
    with CaptureQueriesContext(connection) as many:
        get()
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]

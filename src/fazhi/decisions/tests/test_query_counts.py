"""Every list of decisions costs the same number of queries for 3 and for 23 decisions (pages, API, export,
public page), for the office and for a unit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.decisions import services
from fazhi.decisions.tests.conftest import ITEM, days, today


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    return len(ctx)


def grow(world, catalogue, n):
    fzb = world.user("fzb")
    for i in range(n):
        d = services.decision_add(catalogue=catalogue, actor=fzb, data={
            **ITEM, "title": f"事项{i}", "unit": world.unit("D01"), "planned": days(30), "stability": i % 2 == 0})
        if i % 5 == 4:
            services.decision_remove(decision=d, actor=fzb, reason="调整", expected_version=d.version)


@pytest.mark.parametrize("username", ["fzb", "d01"])
@pytest.mark.parametrize("url", ["/decisions/?year={year}", "/decisions/catalogue.xlsx?year={year}",
                                 "/api/v1/decisions/?year={year}", "/api/v1/decision-catalogues/",
                                 "/public/decisions/?year={year}"])
def test_constant_queries(world, username, url):
    catalogue = services.catalogue_create(year=today().year, actor=world.user("fzb"))
    grow(world, catalogue, 3)
    services.catalogue_publish(catalogue=catalogue, actor=world.user("fzb"), expected_version=catalogue.version)
    client = world.client(username)
    url = url.format(year=catalogue.year)
    small = count(client, url)
    grow(world, catalogue, 20)
    assert count(client, url) == small


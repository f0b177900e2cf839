"""The penalty register counts to a cap (core.pagination.CappedCountPaginator): the page and the API say when the
total is only a lower bound."""

import pytest

from fazhi.core.pagination import CappedCountPaginator
from fazhi.enforcement.penalty import scripted
from fazhi.enforcement.penalty.tests.cases import days

pytestmark = pytest.mark.django_db


def test_page_and_api_say_the_count_is_capped(world, enf, monkeypatch):
    u = enf["D01"]
    for _ in range(3):
        scripted.file_case(world.user("d01"), u.subject, filed=days(30), officers=u.officers[:2])
    client = world.client("fzb")
    body = client.get("/api/v1/penalty-cases/").json()
    assert body["count"] == 3 and body["count_capped"] is False
    assert "共 3 件" in client.get("/enforcement/penalties/").content.decode()
    monkeypatch.setattr(CappedCountPaginator, "cap", 2)
    body = client.get("/api/v1/penalty-cases/?page_size=1").json()
    assert body["count_capped"] is True and body["count"] == 3 and len(body["results"]) == 1
    assert "超过 2 件(请用筛选条件缩小范围)" in client.get("/enforcement/penalties/").content.decode()

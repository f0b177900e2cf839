from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from fazhi.core.testing.scoping import ScopedCases
from fazhi.org.services import unit_upsert


class TestUnitListApi(ScopedCases):
    url_name = "api:unit-list"
    api = True
    is_list = True

    def url(self, world, unit):
        return reverse("api:unit-list") + "?page_size=200"


class TestUnitDetailApi(ScopedCases):
    url_name = "api:unit-detail"
    api = True

    def url(self, world, unit):
        return f"/api/v1/units/{unit.code}/"


class TestMeApi(ScopedCases):
    url_name = "api:me"
    api = True

    def url(self, world, unit):
        return reverse("api:me")

    def marker(self, world, unit):
        return '"units":["D01"]'

    def test_no_role(self, world):
        response = world.client("nobody").get(reverse("api:me"))
        assert response.status_code == 200
        assert response.json()["roles"] == [] and response.json()["units"] == []

    def test_other_unit(self, world):
        assert world.client("d02").get(reverse("api:me")).json()["units"] == ["D02"]


def test_units_list_shape_and_pagination(world):
    response = world.client("fzb").get("/api/v1/units/?page_size=10")
    data = response.json()
    assert response.status_code == 200
    assert data["count"] == 37
    assert len(data["results"]) == 10
    assert data["next"].endswith("page=2&page_size=10")
    first = data["results"][0]
    assert {"code", "name", "kind", "demonstration_key_unit"} <= set(first)
    assert first["code"] == "GOV"


def test_units_filter_key_units(world):
    data = world.client("leader").get("/api/v1/units/?demonstration_key_unit=true&page_size=100").json()
    assert data["count"] == 27


def test_page_size_over_the_maximum_is_a_clear_400(world):
    response = world.client("fzb").get("/api/v1/units/?page_size=100000")
    assert response.status_code == 400
    assert "page_size" in response.json()["detail"] and "1 到 200" in response.json()["detail"]


def test_unit_list_for_unit_admin_is_own_subtree(world):
    data = world.client("d01").get("/api/v1/units/").json()
    assert sorted(u["code"] for u in data["results"]) == ["D01", "D01-FZ", "D01-ZD"]


def test_other_units_record_by_code_is_404(world):
    response = world.client("d01").get("/api/v1/units/D02/")
    assert response.status_code == 404
    assert "无权" in response.json()["detail"]


def test_token_auth_with_api_token_command(world, capsys):
    call_command("api-token", "d03")
    key = capsys.readouterr().out.strip()
    assert len(key) == 40
    client = Client()
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response.json()["username"] == "d03" and response.json()["units"] == ["D03"]
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Token wrong").status_code == 401
    # same key on a second call; --reset makes a new one
    call_command("api-token", "d03")
    assert capsys.readouterr().out.strip() == key
    call_command("api-token", "d03", "--reset")
    assert capsys.readouterr().out.strip() != key


def test_api_token_for_unknown_user_fails_clearly(world):
    import pytest
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="用户不存在"):
        call_command("api-token", "ghost")


def test_unit_list_query_count_is_constant(world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        client = world.client("fzb")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/units/?page_size=200").status_code == 200
        return len(ctx)

    few = count()
    for i in range(50):
        unit_upsert(code=f"X{i:03d}", parent_code="D01", name=f"测试股室{i}", short_name="", kind="section",
                    demonstration_key_unit=False, note="", sort_order=500 + i)
    assert count() == few

"""Issue #6's outside probe, on units: boolean and code filters refuse what they do not understand; a bad
`version` on the unit form shows a message."""

import pytest
from django.urls import reverse

from fazhi.org.models import Unit


@pytest.mark.parametrize(("query", "field", "message"), [
    ({"demonstration_key_unit": "maybe"}, "demonstration_key_unit", "true 或 false"),
    ({"demonstration_key_unit": "1"}, "demonstration_key_unit", "true 或 false"),
    ({"demonstration_key_unit": "TRUE"}, "demonstration_key_unit", "true 或 false"),
    ({"kind": "planet"}, "kind", "planet"),
    ({"parent": "\x00"}, "parent", "控制字符"),
    ({"parent": "D 01"}, "parent", "单位代码"),
    ({"parent": "NOPE"}, "parent", "未找到单位「NOPE」"),
])
def test_bad_unit_filters_are_400s_naming_the_filter(world, query, field, message):
    response = world.client("fzb").get("/api/v1/units/", query)
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert message in body["errors"][field][0] and f"「{field}」" in body["detail"]


def test_boolean_filter_values_that_are_understood(world):
    client = world.client("fzb")
    key_units = Unit.objects.filter(active=True, demonstration_key_unit=True).count()
    assert client.get("/api/v1/units/", {"demonstration_key_unit": "true", "page_size": 200}).json()["count"] == key_units
    everyone = client.get("/api/v1/units/", {"demonstration_key_unit": "", "kind": "", "parent": ""}).json()
    assert everyone["count"] == Unit.objects.filter(active=True).count()  # empty: no filter
    others = client.get("/api/v1/units/", {"demonstration_key_unit": "false", "page_size": 200}).json()
    assert others["count"] == Unit.objects.filter(active=True, demonstration_key_unit=False).count()
    children = client.get("/api/v1/units/", {"parent": "d01"}).json()["results"]
    assert children and {u["parent"] for u in children} == {"D01"}
    # A unit user asking for a parent outside their units: as if it did not exist.
    assert world.client("d01").get("/api/v1/units/", {"parent": "D02"}).status_code == 400


@pytest.mark.parametrize("version", ["abc", "-1", "99999999999999999999"])
def test_a_bad_version_on_the_unit_form_shows_a_message(world, version):
    response = world.client("fzb").post(reverse("unit-edit", args=["T15"]), {"name": "新名称", "version": version})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and "刷新页面" in html
    assert world.unit("T15").name != "新名称"


def test_a_stale_version_on_the_unit_form_is_a_409_with_a_message(world):
    unit = world.unit("T15")
    response = world.client("fzb").post(reverse("unit-edit", args=["T15"]),
                                        {"name": "新名称", "sort_order": unit.sort_order, "version": unit.version + 5})
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()

"""Issue #6's outside probe, in the programme: filters validated one way for the API, the table page and
its export; the reports of an assignment paginated like every list; a refusal on an archived filing shown."""

import json

import pytest
from django.urls import reverse

from fazhi.programme import services
from fazhi.programme.tests.conftest import pdf

BAD_FILTERS = [
    ("unit", "\x00", "控制字符"),
    ("unit", "D01\x07", "控制字符"),
    ("unit", "D 01", "单位代码"),
    ("unit", "ZZ99", "未找到单位「ZZ99」"),
    ("unit", "D02", "未找到单位「D02」"),  # another unit's code, for D01: as if it did not exist
    ("category", "没有这个类别", "未知的类别"),
    ("category", "建章\x00立制", "控制字符"),
    ("status", "maybe", "未知的状态"),
    ("phase", "later", "未知的阶段"),
    ("overdue", "maybe", "true 或 false"),
    ("overdue", "1", "true 或 false"),
]


@pytest.mark.parametrize(("name", "value", "message"), BAD_FILTERS, ids=[f"{n}={v!r}" for n, v, _ in BAD_FILTERS])
def test_a_bad_filter_is_a_400_naming_it_on_the_api_and_the_page(world, programme, name, value, message):
    client = world.client("d01")
    api = client.get("/api/v1/assignments/", {name: value})
    assert api.status_code == 400, api.content[:300]
    assert message in api.json()["errors"][name][0]
    page = client.get(reverse("programme-table"), {name: value})
    assert page.status_code == 400
    assert message in page.content.decode()
    export = client.get(reverse("programme-export", args=["table"]), {name: value})
    assert export.status_code == 400 and message in export.content.decode()


def test_good_filters_still_filter(world, programme):
    client = world.client("fzb")
    data = client.get("/api/v1/assignments/", {"unit": "d01", "overdue": "false", "category": "建章立制"}).json()
    assert data["count"] == len(data["results"]) > 0
    assert {r["unit"] for r in data["results"]} == {"D01"} and {r["category"] for r in data["results"]} == {"建章立制"}
    assert client.get(reverse("programme-table"), {"unit": "D01", "overdue": "true"}).status_code == 200


def test_the_reports_of_an_assignment_are_paginated_like_every_list(world, assignment):
    client = world.client("d01")
    url = f"/api/v1/assignments/{assignment.pk}/reports/"
    for i in range(3):
        report = services.report_submit(assignment=assignment, actor=world.user("d01"), text=f"第{i}次",
                                        files=[pdf()], expected_version=assignment.version)
        services.report_review(report=report, actor=world.user("fzb"), accept=False, reason="补充")
        assignment.refresh_from_db()
    body = client.get(url, {"page_size": 2}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == assignment.reports.count() and len(body["results"]) == 2 and body["next"]
    assert client.get(url, {"page_size": 201}).status_code == 400
    assert client.get(url, {"page": 99}).status_code == 404


def test_nested_json_to_a_reports_review_is_a_400(world, submitted):
    response = world.client("fzb").generic("POST", f"/api/v1/reports/{submitted.pk}/review/", "[" * 5000 + "]" * 5000,
                                           content_type="application/json")
    assert response.status_code == 400 and "嵌套过深" in response.json()["detail"]


WORKPLAN = {"head_name": "张三", "head_phone": "1", "deputy_name": "李四", "deputy_phone": "2",
            "staff_1_name": "王五", "staff_1_phone": "3"}


def test_posting_to_an_archived_filing_shows_why(world, programme):
    d01, unit = world.user("d01"), world.unit("D01")
    filing = services.workplan_file(programme=programme, unit=unit, actor=d01, files=[pdf()], data={
        **{k: v for k, v in WORKPLAN.items() if not k.startswith("staff")}, "staff": [{"name": "王五", "phone": "3"}]})
    services.workplan_review(filing=filing, actor=world.user("fzb"), archive=True)
    filing.refresh_from_db()
    url = reverse("workplan-file", args=["D01"])
    page = world.client("d01").get(url).content.decode()
    assert "方案已归档" in page  # said before anyone tries
    response = world.client("d01").post(url, {**WORKPLAN, "version": filing.version})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and "方案已归档" in html and "联系法制办" in html
    # An invalid form on an archived filing also says why nothing can be filed.
    response = world.client("d01").post(url, {"version": filing.version})
    assert response.status_code == 400 and "方案已归档" in response.content.decode()


def test_json_errors_of_programme_api_are_chinese(world, submitted):
    response = world.client("fzb").generic("POST", "/api/v1/reports/review/", '{"reports": [', content_type="application/json")
    body = response.json()
    assert response.status_code == 400 and "不是有效的 JSON" in body["detail"] and body["errors"] == {}
    assert "JSON parse error" not in json.dumps(body)

from django.urls import reverse

from fazhi.core.testing.scoping import ScopedCases


class TestHomePage(ScopedCases):
    url_name = "home"
    is_list = True

    def url(self, world, unit):
        return reverse("home")


class TestUnitPage(ScopedCases):
    url_name = "unit-detail"

    def url(self, world, unit):
        return reverse("unit-detail", args=[unit.code])


class TestUnitEditPage(ScopedCases):
    url_name = "unit-edit"

    def url(self, world, unit):
        return reverse("unit-edit", args=[unit.code])

    def test_same_unit(self, world):
        # Units are the office's to edit: a unit admin sees the page refused.
        response, _ = self.get(world, "d01")
        assert response.status_code == 403


class TestRecordHistoryPage(ScopedCases):
    url_name = "record-history"

    def url(self, world, unit):
        return reverse("record-history", args=["org.unit", unit.pk])


def test_home_lists_units_and_an_empty_work_list(world):
    response = world.client("fzb").get(reverse("home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "暂无待办事项" in body and "区城市管理局" in body and "流水镇人民政府" not in body  # page 2
    assert 'lang="zh-Hans"' in body


def test_home_for_user_without_role_explains(world):
    body = world.client("nobody").get(reverse("home")).content.decode()
    assert "还没有任何单位的角色" in body


def test_office_edits_a_unit_and_the_history_shows_before_and_after(world):
    client = world.client("fzb")
    unit = world.unit("D05")
    response = client.post(reverse("unit-edit", args=["D05"]), {
        "name": "区卫生健康局", "short_name": "卫健局", "sort_order": unit.sort_order, "note": "",
        "demonstration_key_unit": "on", "version": unit.version, "reason": "机构改革更名",
    })
    assert response.status_code == 302
    body = client.get(reverse("record-history", args=["org.unit", unit.pk])).content.decode()
    assert "区卫生局 → 区卫生健康局" in body
    assert "机构改革更名" in body
    assert "王主任" in body


def test_stale_edit_is_refused_not_overwritten(world):
    client = world.client("fzb")
    unit = world.unit("D06")
    form = {"name": "甲", "short_name": "", "sort_order": 1, "note": "", "version": unit.version, "reason": ""}
    assert client.post(reverse("unit-edit", args=["D06"]), form).status_code == 302
    response = client.post(reverse("unit-edit", args=["D06"]), {**form, "name": "乙"})
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()
    assert world.unit("D06").name == "甲"


def test_bad_input_names_the_field(world):
    unit = world.unit("D06")
    response = world.client("fzb").post(reverse("unit-edit", args=["D06"]), {
        "name": "", "short_name": "", "sort_order": "abc", "note": "", "version": unit.version})
    body = response.content.decode()
    assert response.status_code == 400
    assert "「单位名称」" in body and "「排序」" in body


def test_leader_reads_but_cannot_edit(world):
    client = world.client("leader")
    assert client.get(reverse("unit-detail", args=["D01"])).status_code == 200
    assert client.get(reverse("unit-edit", args=["D01"])).status_code == 403
    unit = world.unit("D01")
    response = client.post(reverse("unit-edit", args=["D01"]), {"name": "x", "sort_order": 1, "version": unit.version})
    assert response.status_code == 403
    assert world.unit("D01").name == "区城市管理局"


def test_history_of_unknown_model_is_404(world):
    assert world.client("fzb").get(reverse("record-history", args=["auth.user", 1])).status_code == 404


def test_unit_page_shows_its_recent_changes(world):
    from fazhi.org.services import unit_update

    unit = world.unit("D07")
    unit_update(unit=unit, actor=world.user("fzb"), expected_version=unit.version, changes={"note": "拨付创建经费"})
    body = world.client("d07").get(reverse("unit-detail", args=["D07"])).content.decode()
    assert "最近变更" in body
    assert "拨付创建工作专门经费 → 拨付创建经费" in body


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_page_query_counts_do_not_grow_with_rows(world):
    from fazhi.org.services import unit_update, unit_upsert

    client = world.client("fzb")
    unit = world.unit("D01")
    pages = [reverse("home"), reverse("unit-detail", args=["D01"]), reverse("record-history", args=["org.unit", unit.pk])]
    few = [_count_queries(client, url) for url in pages]
    for i in range(50):
        unit_upsert(code=f"D01-X{i:02d}", parent_code="D01", name=f"测试股室{i}", short_name="", kind="section",
                    demonstration_key_unit=False, note="", sort_order=900 + i)
    for i in range(10):
        unit = world.unit("D01")
        unit_update(unit=unit, actor=world.user("fzb"), expected_version=unit.version, changes={"note": f"第{i}次"})
    assert [_count_queries(client, url) for url in pages] == few

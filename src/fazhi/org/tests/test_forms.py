"""The unit edit form keeps the input and puts each message at its field (issue #6 §2)."""

from fazhi.core.testing.html import Page


def test_failed_unit_edit_keeps_the_input_and_marks_the_field(world):
    unit = world.unit("D05")
    response = world.client("fzb").post("/units/D05/edit/", {
        "name": "", "short_name": "卫健局", "sort_order": "5", "note": "机构改革", "version": unit.version,
        "reason": "更名"})
    assert response.status_code == 400
    page = Page(response.content)
    name = page.by_id("id_name")
    assert "is-invalid" in name["class"] and name["aria-describedby"] == "id_name_error"
    assert "「单位名称」请填写单位名称" in page.by_id("id_name_error").text
    assert page.by_id("id_short_name")["value"] == "卫健局"
    assert page.by_id("id_note").text.strip() == "机构改革"
    assert page.by_id("id_reason")["value"] == "更名"
    assert "is-invalid" not in page.by_id("id_short_name")["class"]
    assert page.find("label", for_="id_name").text.startswith("单位名称")

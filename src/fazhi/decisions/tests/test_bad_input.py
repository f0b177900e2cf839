"""Bad input on the pages and API of major decisions: a Chinese message naming the field, never a 500; a stale
edit of a catalogue item is refused (409) and changes nothing."""

import json

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_step_extras_of_the_wrong_json_type_are_400_naming_the_field(world, decision):
    url = f"/api/v1/decisions/{decision.pk}/steps/"
    for body, field, label in [({"step": "hearing", "materials_on": 5}, "materials_on", "听证材料公布日期"),
                               ({"step": "legality_submit", "reply_by": ["2026-05-01"]}, "reply_by", "要求反馈日期"),
                               ({"step": "publish", "channel": 3}, "channel", "公布途径")]:
        response = world.client("d01").post(url, json.dumps(body), content_type="application/json")
        assert response.status_code == 400, body
        detail = response.json()["detail"]
        assert list(response.json()["errors"]) == [field] and detail.startswith(f"「{label}」"), detail
    response = world.client("d01").post(url, json.dumps({"step": "hearing", "materials_on": "2026-13-01"}),
                                        content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].count("「听证材料公布日期」") == 1  # named once, not twice


@pytest.mark.django_db
def test_stale_item_edit_is_409_and_changes_nothing(world, decision):
    data = {"title": "改过的标题", "unit": "D01", "maker": "区人民政府", "maker_head": "区长 王某",
            "planned": "2026-12-01", "version": str(decision.version + 3)}
    response = world.client("fzb").post(reverse("decision-edit", args=[decision.pk]), data)
    assert response.status_code == 409 and "刷新" in response.content.decode()
    decision.refresh_from_db()
    assert decision.title != "改过的标题"

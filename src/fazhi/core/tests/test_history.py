import pytest
from django.core.exceptions import PermissionDenied

from fazhi.core.errors import StaleEdit
from fazhi.core.models import Event
from fazhi.core.services import event_record, versioned_update
from fazhi.org.services import unit_update


def test_history_rows_cannot_be_changed_or_deleted(world):
    unit = world.unit("D01")
    row = unit.history.first()
    row.name = "篡改"
    with pytest.raises(PermissionDenied):
        row.save()
    with pytest.raises(PermissionDenied):
        row.delete()


def test_events_cannot_be_changed_or_deleted(world):
    event = event_record(verb="test.done", summary="测试")
    event.summary = "篡改"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()


def test_every_change_keeps_who_when_and_before_after(world):
    fzb = world.user("fzb")
    unit = world.unit("D04")
    unit_update(unit=unit, actor=fzb, expected_version=unit.version, changes={"short_name": "教育局"}, reason="简称调整")
    rows = list(world.unit("D04").history.order_by("history_date"))
    assert len(rows) == 2
    diff = rows[1].diff_against(rows[0])
    assert [(c.field, c.old, c.new) for c in diff.changes if c.field == "short_name"] == [("short_name", "教体局", "教育局")]
    assert rows[1].history_change_reason == "简称调整"
    event = Event.objects.get(verb="unit.updated")
    assert event.actor == fzb and event.unit.code == "D04" and event.reason == "简称调整"


def test_versioned_update_refuses_a_stale_version(world):
    unit = world.unit("D04")
    versioned_update(unit, expected_version=unit.version, changes={"note": "一"})
    with pytest.raises(StaleEdit):
        versioned_update(unit, expected_version=unit.version, changes={"note": "二"})
    assert world.unit("D04").note == "一"


def test_a_failed_validation_saves_nothing(world):
    from django.core.exceptions import ValidationError

    unit = world.unit("D04")
    with pytest.raises(ValidationError):
        versioned_update(unit, expected_version=unit.version, changes={"name": ""})
    fresh = world.unit("D04")
    assert fresh.version == unit.version and fresh.name == "区教育体育局"


def test_admin_cannot_delete_units(world):
    from django.contrib.admin.sites import site

    from fazhi.org.models import Unit

    admin = site._registry[Unit]
    assert admin.has_delete_permission(request=None) is False

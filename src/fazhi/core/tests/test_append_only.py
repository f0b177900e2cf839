"""History and events are append-only in Python (models, querysets) and in the database
(triggers), on SQLite and on PostgreSQL."""

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import IntegrityError, connection, models, transaction

from fazhi.core import append_only
from fazhi.core.models import Event
from fazhi.core.services import event_record


def history_model(name="org.Unit"):
    return apps.get_model(name).history.model


def test_queryset_update_and_delete_of_history_are_refused(world):
    unit = world.unit("D01")
    for qs in (unit.history.all(), history_model().objects.all(), history_model().objects.filter(id=unit.pk)):
        with pytest.raises(PermissionDenied):
            qs.update(name="篡改")
        with pytest.raises(PermissionDenied):
            qs.delete()
    with pytest.raises(PermissionDenied), transaction.atomic():
        history_model().objects.bulk_update(list(unit.history.all()), ["name"])
    assert unit.history.filter(name="篡改").count() == 0


def test_queryset_update_and_delete_of_events_are_refused(world):
    event_record(verb="test.done", summary="测试")
    with pytest.raises(PermissionDenied):
        Event.objects.filter(verb="test.done").update(summary="篡改")
    with pytest.raises(PermissionDenied):
        Event.objects.all().delete()
    assert Event.objects.filter(verb="test.done", summary="测试").count() == 1


def test_the_database_refuses_what_gets_past_python(world):
    """Plain QuerySet methods and raw SQL skip the Python guard; the triggers still refuse."""
    model = history_model()
    table = connection.ops.quote_name(model._meta.db_table)
    attempts = [
        lambda: models.QuerySet.update(model.objects.all(), history_change_reason="篡改"),
        lambda: model.objects.all()._raw_delete(connection.alias),
        lambda: connection.cursor().execute(f"UPDATE {table} SET history_change_reason = 'x'"),
        lambda: connection.cursor().execute(f"DELETE FROM {table}"),
    ]
    before = model.objects.count()
    assert before > 0
    for attempt in attempts:
        with pytest.raises(IntegrityError, match="只能追加"), transaction.atomic():
            attempt()
    assert model.objects.count() == before and not model.objects.filter(history_change_reason="x").exists()


def test_the_database_refuses_changing_or_deleting_events(world):
    event_record(verb="test.done", summary="测试")
    table = connection.ops.quote_name(Event._meta.db_table)
    for sql in (f"UPDATE {table} SET summary = 'x'", f"DELETE FROM {table}"):
        with pytest.raises(IntegrityError, match="只能追加"), transaction.atomic():
            connection.cursor().execute(sql)
    with pytest.raises(IntegrityError), transaction.atomic():
        models.QuerySet.delete(Event.objects.all())
    assert Event.objects.filter(summary="测试").count() == 1


def test_inserting_history_and_events_still_works(world):
    from fazhi.org.services import unit_update

    unit = world.unit("D04")
    n = unit.history.count()
    unit_update(unit=unit, actor=world.user("fzb"), expected_version=unit.version, changes={"note": "新"})
    event_record(verb="test.done", summary="测试")
    assert unit.history.count() == n + 1 and Event.objects.filter(verb="test.done").exists()


def test_every_history_table_and_the_event_table_have_both_triggers(db):
    """Generic: every append-only model, in any app (a new module's history tables included)."""
    with connection.cursor() as cursor:
        existing = append_only._existing(cursor, connection.vendor)
    tables = {m._meta.db_table for m in append_only.append_only_models()}
    assert "core_event" in tables and "org_historicalunit" in tables and "programme_historicalassignment" in tables
    for table in tables:
        assert set(append_only._trigger_names(table).values()) <= existing, table


def test_every_field_history_of_the_project_is_append_only():
    """A module that used HistoricalRecords directly (not core.models.history()) would escape."""
    for model in apps.get_models():
        if model.__module__.startswith("fazhi.") and hasattr(model._meta, "simple_history_manager_attribute"):
            assert getattr(model.history.model, "append_only", False), model


@pytest.mark.django_db(transaction=True)
def test_flush_erases_everything_and_puts_the_triggers_back():
    """The test suite's flush between transactional tests (DELETE on SQLite, TRUNCATE on PostgreSQL)."""
    from fazhi.org import demo

    demo.load()
    event_record(verb="test.done", summary="测试")
    call_command("flush", interactive=False, verbosity=0)
    assert not Event.objects.exists() and not history_model().objects.exists()
    event_record(verb="test.done", summary="测试")
    with pytest.raises(IntegrityError), transaction.atomic():
        connection.cursor().execute(f"DELETE FROM {connection.ops.quote_name(Event._meta.db_table)}")

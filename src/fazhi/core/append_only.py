"""Append-only tables held by the database: field history and domain events.

The models refuse `save()` of an existing row, `delete()`, and queryset `update()`/`delete()`;
these triggers refuse the rest (raw SQL, cascades, another client): any UPDATE or DELETE of a
row. They are (re)created after every `migrate` for every model that is append-only — each
history table made with `core.models.history()` and each model with `append_only = True` — so
a new module's tables are covered without a migration of its own.

Erasing a whole database stays possible: PostgreSQL's TRUNCATE fires no row trigger, and on
SQLite `fazhi flush` lifts the triggers for the flush and puts them back.
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, connections

TRIGGER_PREFIX = "fazhi_append_only"
MESSAGE = "只能追加的记录(历史记录、业务事件)不能修改或删除"

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TRIGGER_PREFIX}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}(表 %)', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$
"""


def append_only_models() -> list:
    return [m for m in global_apps.get_models() if getattr(m, "append_only", False) and not m._meta.proxy]


def _trigger_names(table: str) -> dict[str, str]:
    return {op: f"{TRIGGER_PREFIX}_{op.lower()}_{table}"[:63] for op in ("UPDATE", "DELETE")}


def _existing(cursor, vendor: str) -> set[str]:
    if vendor == "postgresql":
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE %s", [f"{TRIGGER_PREFIX}%"])
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{TRIGGER_PREFIX}%"])
    return {row[0] for row in cursor.fetchall()}


def install(using: str = DEFAULT_DB_ALIAS) -> int:
    """Create the missing triggers on every existing append-only table. Returns how many."""
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        return 0
    qn = connection.ops.quote_name
    created = 0
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        if vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
        existing = _existing(cursor, vendor)
        for model in append_only_models():
            table = model._meta.db_table
            if table not in tables:
                continue
            for op, name in _trigger_names(table).items():
                if name in existing:
                    continue
                if vendor == "postgresql":
                    cursor.execute(f"CREATE TRIGGER {qn(name)} BEFORE {op} ON {qn(table)} "
                                   f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER_PREFIX}()")
                else:
                    cursor.execute(f"CREATE TRIGGER {qn(name)} BEFORE {op} ON {qn(table)} "
                                   f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}({table})'); END")
                created += 1
    return created


def uninstall_sqlite(using: str = DEFAULT_DB_ALIAS) -> None:
    """Drop the triggers on SQLite (for `flush`, which erases tables with DELETE)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for name in _existing(cursor, "sqlite"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {connection.ops.quote_name(name)}")


def on_post_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    install(using)

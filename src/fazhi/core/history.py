"""Field history read side: turns simple-history snapshots into before → after changes."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

ACTIONS = {"+": "创建", "~": "修改", "-": "删除"}
# Bookkeeping, not content: the edit counter, tree paths, and the random keys of public addresses.
HIDDEN_FIELDS = {"version", "path", "depth", "public_key"}


@dataclass
class Change:
    field: str
    label: str
    before: str
    after: str


@dataclass
class Entry:
    at: object
    user: str
    action: str
    reason: str
    changes: list[Change]


def _display(record, field, related: dict | None = None, formatters: dict | None = None) -> str:
    value = getattr(record, field.attname, None)
    if value is None or value == "":
        return "—"
    if formatters and field.name in formatters:
        return formatters[field.name](value)
    if field.is_relation and related is not None:
        obj = related.get(field.name, {}).get(value)
        # People by their name (张三(城管局)), not their login.
        return str(getattr(obj, "display_name", None) or obj) if obj is not None else str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if timezone.is_aware(value) else f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "—"
    return str(value)


def history_entries(model, records: list) -> list[Entry]:
    """Entries for a page of history records (newest first), each diffed against its predecessor.

    One extra query fetches the predecessors of the whole page, so the cost is constant per page.
    """
    if not records:
        return []
    fields = [f for f in model._meta.concrete_fields if f.name not in HIDDEN_FIELDS and f.name != "id"]
    history_model = type(records[0])
    oldest = records[-1]
    before_oldest = (
        history_model.objects.filter(id=oldest.id, history_date__lte=oldest.history_date)
        .exclude(history_id=oldest.history_id)
        .order_by("-history_date", "-history_id")
        .first()
    )
    user_ids = {r.history_user_id for r in records if r.history_user_id}
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=user_ids)}
    chain = records + [before_oldest]
    # Related records by name: one query per foreign key, whatever the page size.
    related = {}
    for f in fields:
        if f.is_relation:
            ids = {getattr(r, f.attname) for r in chain if r is not None} - {None}
            related[f.name] = {o.pk: o for o in f.related_model._base_manager.filter(pk__in=ids)} if ids else {}
    # A model may say how people write some values (e.g. a period 2026Q1 → 2026年第一季度).
    formatters = getattr(model, "history_formatters", None)
    entries = []
    for record, previous in zip(chain, chain[1:], strict=False):
        changes = []
        for f in fields:
            after = _display(record, f, related, formatters)
            before = _display(previous, f, related, formatters) if previous is not None else "—"
            if previous is None and after == "—":
                continue
            if before != after:
                changes.append(Change(f.name, str(f.verbose_name), before, after))
        user = users.get(record.history_user_id)
        entries.append(Entry(
            at=record.history_date,
            user=user.display_name if user else "系统",
            action=ACTIONS.get(record.history_type, record.history_type),
            reason=record.history_change_reason or "",
            changes=changes,
        ))
    return entries


def recent_changes(model, obj, limit: int = 10) -> list[Entry]:
    """The latest changes of one record, for the 最近变更 box of its page (the full list is the history page)."""
    return history_entries(model, list(obj.history.order_by("-history_date", "-history_id")[:limit]))

"""The one work list: everything a unit owes, from every module, by the one warning rule.

Each module registers a *source* (`register_source`, in its AppConfig.ready): a function giving a
scoped `values()` queryset with the common columns below, and one giving its counts. The list is
the sources' querysets combined in the database (UNION ALL), so a page is one query and its total
one query per source, at any size. Stored clocks (Deadline rows, any module) are a source of
their own; a module whose records carry clocks calls `register_record` so their rows link to the
record's page.

States: `open` (everything owed), `overdue` (red), `due_soon` (yellow). A paused clock (暂停中)
is in `open` only: it has no due date while paused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, CharField, Count, DateField, F, IntegerField, Q, Value, When
from django.db.models.functions import Cast
from django.urls import NoReverseMatch, reverse

from fazhi.deadlines import rules

STATES = {"open": "全部待办", "overdue": "逾期", "due_soon": "临期"}
COLUMNS = ("w_rank", "w_kind", "w_ct", "w_id", "w_unit", "w_title", "w_due", "w_state")
STATE_LABELS = {"open": "进行中", "paused": "暂停中", "not_started": "未开始", "in_progress": "进行中",
                "returned": "退回", "unfiled": "未报备"}


@dataclass(frozen=True)
class Source:
    kind: str  # the record type of its rows, e.g. "programme.assignment"
    label: str  # 类型, as users read it
    # rows(user, today, unit_path, state) -> values() queryset with COLUMNS (made with `columns`)
    rows: Callable
    # counts(user, today, unit_path) -> {"open": n, "overdue": n, "due_soon": n}, one query
    counts: Callable
    # link(row) -> the record's page (row: a WorkItem without url)
    link: Callable


@dataclass(frozen=True)
class RecordLink:
    model_label: str
    kind_label: str
    url_name: str  # reversed with the record's id
    title_field: str = ""
    # Where the record's clocks are paused, resumed, restarted or extended, when its module keeps those acts
    # (e.g. 中止 with its statutory reason): the generic clock forms and API then refuse, naming this.
    acts_on_record: str = ""


SOURCES: dict[str, Source] = {}
RECORDS: dict[str, RecordLink] = {}


def register_source(source: Source) -> None:
    SOURCES[source.kind] = source


def register_record(model_label: str, kind_label: str, url_name: str, title_field: str = "",
                    acts_on_record: str = "") -> None:
    """Rows of stored clocks on `model_label` records ("app.Model") link to `url_name`(id) and
    are typed `kind_label`; with `title_field`, the record's title is shown (one query per page).
    `acts_on_record`: the module's own acts change these clocks (see RecordLink)."""
    RECORDS[model_label.lower()] = RecordLink(model_label.lower(), kind_label, url_name, title_field, acts_on_record)


def columns(qs, *, kind: str, ct=None, id, unit, title, due, state, rank=None):
    """Annotate a source's queryset with the common columns, in one order, with one type each.
    `rank` 0 puts a row first (work sent back to the unit), before the rest by due date."""
    return qs.annotate(
        w_rank=rank if rank is not None else Value(1, output_field=IntegerField()),
        w_kind=Value(kind, output_field=CharField()),
        w_ct=ct if ct is not None else Value(None, output_field=IntegerField()),
        w_id=Cast(id, output_field=CharField()),
        w_unit=unit,
        w_title=Cast(title, output_field=CharField()),
        w_due=Cast(due, output_field=DateField()),
        w_state=Cast(state, output_field=CharField()),
    ).values(*COLUMNS)


def counts_q(qs, today: date, *, active: Q | None = None, field: str = "due") -> dict:
    """A source's counts in one query: everything owed, and (of the `active` ones) red and yellow."""
    active = active or Q()
    agg = qs.aggregate(open=Count("pk"), overdue=Count("pk", filter=active & rules.overdue_q(today, field)),
                       due_soon=Count("pk", filter=active & rules.due_soon_q(today, field)))
    return {k: agg[k] or 0 for k in STATES}


def state_q(state: str, today: date, *, active: Q | None = None, field: str = "due") -> Q:
    active = active or Q()
    if state == "overdue":
        return active & rules.overdue_q(today, field)
    if state == "due_soon":
        return active & rules.due_soon_q(today, field)
    return Q()


@dataclass
class WorkItem:
    kind: str
    record_type: str
    type_label: str
    record_id: str
    unit_id: int
    title: str
    due: date | None
    state: str
    level: str
    unit: object = None
    url: str | None = None

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)

    @property
    def level_label(self) -> str:
        return rules.LEVEL_LABELS.get(self.level, "")


def parse_filters(query, user) -> tuple[str, str | None, str, dict]:
    """(unit code, its path, state, errors) from a query string, for the page and the API alike: a
    unit the user may not see or an unknown state is an error naming the parameter."""
    from fazhi.core.filters import FilterError, clean_text, clean_unit_code, visible_unit_path

    errors, code, path, state = {}, "", None, "open"
    try:
        code = clean_unit_code(query.get("unit", ""))
        path = visible_unit_path(user, code) if code else None
    except FilterError as e:
        errors["unit"] = str(e)
    try:
        state = clean_text(query.get("state", ""), max_length=20) or "open"
    except FilterError as e:
        errors["state"], state = str(e), "open"
    if state not in STATES:
        choices = "、".join(f"{k}({v})" for k, v in STATES.items())
        errors["state"], state = f"未知的状态「{state}」,可选: {choices}", "open"
    return code, path, state, errors


def _combined(user, today: date, unit_path: str | None, state: str):
    parts = [s.rows(user, today, unit_path, state) for s in SOURCES.values()]
    if not parts:
        return None
    first, *rest = parts
    return first.union(*rest, all=True) if rest else first


def worklist(*, user, today: date, unit_path: str | None = None, state: str = "open"):
    """The combined rows (a values() queryset: work sent back first, then by due date), for a paginator."""
    qs = _combined(user, today, unit_path, state)
    return [] if qs is None else qs.order_by("w_rank", "w_due", "w_kind", "w_id")


def worklist_counts(*, user, today: date, unit_path: str | None = None) -> dict:
    """{"open", "overdue", "due_soon"} summed over the sources: one query each."""
    total = dict.fromkeys(STATES, 0)
    for s in SOURCES.values():
        for k, n in s.counts(user, today, unit_path).items():
            total[k] += n
    return total


def items(rows, *, today: date) -> list[WorkItem]:
    """A page of rows as WorkItems with unit, title and page link: a constant number of queries
    (units, and one per registered record model present on the page)."""
    from django.contrib.contenttypes.models import ContentType

    from fazhi.org.models import Unit

    rows = list(rows)
    units = Unit.objects.in_bulk({r["w_unit"] for r in rows})
    result = []
    titles_wanted: dict[int, set[str]] = {}
    for r in rows:
        due = None if r["w_state"] == "paused" else r["w_due"]
        item = WorkItem(kind=r["w_kind"], record_type=r["w_kind"], type_label=SOURCES[r["w_kind"]].label,
                        record_id=r["w_id"], unit_id=r["w_unit"], title=r["w_title"], due=due, state=r["w_state"],
                        level=rules.level(due, today), unit=units.get(r["w_unit"]))
        if r["w_ct"] is not None:
            ct = ContentType.objects.get_for_id(r["w_ct"])
            item.record_type = f"{ct.app_label}.{ct.model}"
            item.title = _rule_title(r["w_title"])  # the row holds the rule id; people read its name
            link = RECORDS.get(item.record_type)
            item.type_label = link.kind_label if link else str(ct.model_class()._meta.verbose_name)
            if link and link.title_field:
                titles_wanted.setdefault(r["w_ct"], set()).add(item.record_id)
        result.append(item)
    titles = {}
    for ct_id, ids in titles_wanted.items():
        ct = ContentType.objects.get_for_id(ct_id)
        field = RECORDS[f"{ct.app_label}.{ct.model}"].title_field
        for pk, title in ct.model_class()._base_manager.filter(pk__in=ids).values_list("pk", field):
            titles[(ct_id, str(pk))] = title
    for item, r in zip(result, rows, strict=True):
        if (r["w_ct"], item.record_id) in titles:
            item.title = f"{titles[(r['w_ct'], item.record_id)]} · {item.title}"
        item.url = SOURCES[item.kind].link(item)
    return result


# ---- stored clocks: the Deadline rows of every module ------------------------------------------

def _deadline_rows(user, today, unit_path, state):
    from fazhi.deadlines.models import Deadline

    qs = Deadline.objects.visible_to(user).filter(status=Deadline.OPEN)
    if unit_path:
        qs = qs.in_subtree(unit_path)
    qs = qs.filter(state_q(state, today, active=Q(paused_since__isnull=True)))
    return columns(qs, kind="deadline", ct=F("content_type_id"), id=F("object_id"), unit=F("unit_id"),
                   title=F("rule_id"), due=F("due"),
                   state=Case(When(paused_since__isnull=False, then=Value("paused")), default=Value("open"),
                              output_field=CharField()))


def _deadline_counts(user, today, unit_path):
    from fazhi.deadlines.models import Deadline

    qs = Deadline.objects.visible_to(user).filter(status=Deadline.OPEN)
    if unit_path:
        qs = qs.in_subtree(unit_path)
    return counts_q(qs, today, active=Q(paused_since__isnull=True))


def record_url(record_type: str, object_id: str) -> str | None:
    """The page of a record ("app.model") with clocks, where its module registered one (`register_record`)."""
    link = RECORDS.get(record_type)
    if link is None:
        return None
    try:
        return reverse(link.url_name, args=[object_id])
    except NoReverseMatch:
        return None


def _deadline_link(item: WorkItem) -> str | None:
    return record_url(item.record_type, item.record_id)


def _rule_title(item_title: str) -> str:
    from fazhi.deadlines.catalogue import RULES

    rule = RULES.get(item_title)
    return rule.name if rule else item_title


DEADLINE_SOURCE = Source(kind="deadline", label="期限", rows=_deadline_rows, counts=_deadline_counts,
                         link=_deadline_link)

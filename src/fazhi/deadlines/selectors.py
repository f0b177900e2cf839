"""Reads of stored clocks for pages and the API: a clock with its events, what it may still be extended
by, and which acts the user may take on it (the shared partial deadlines/_clock.html and the API read these)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, prefetch_related_objects
from django.utils import timezone

from fazhi.deadlines import rules
from fazhi.deadlines.catalogue import RULES, Rule
from fazhi.deadlines.models import ClockEvent, Deadline, RuleSetting
from fazhi.deadlines.services import last_event_id


@dataclass(frozen=True)
class Extension:
    """How far a clock may still be extended: the rule's maximum (the office's setting in force) less what
    its extensions since the last start already used."""

    rule: Rule  # the `*.extend` rule giving the maximum
    maximum: int
    used: int

    @property
    def left(self) -> int:
        return max(self.maximum - self.used, 0)

    @property
    def text(self) -> str:
        used = f",已延长 {self.rule.period_text(self.used)},尚可延长 {self.rule.period_text(self.left)}" if self.used else ""
        return (f"自原届满日起最长延长 {self.rule.period_text(self.maximum)}(规则「{self.rule.name}」{self.rule.id},"
                f"依据 {self.rule.basis}){used}")


@dataclass
class ClockPanel:
    deadline: Deadline
    rule: Rule
    events: list
    extension: Extension | None
    actions: tuple[str, ...]  # the acts this user may take now
    record_url: str | None
    forms: list = field(default_factory=list)
    label: str = ""  # what the clock is on its record (the page names it), e.g. 答复

    @property
    def last_event(self) -> int:
        return last_event_id(self.events)

    @property
    def brief(self) -> dict:
        """The clock's summary (clock_brief) as of today: remaining/overdue, paused and extended days, restarts."""
        if not hasattr(self, "_brief"):
            self._brief = clock_brief(self.deadline, today=timezone.localdate(), restarts=restarts_of(self.events))
        return self._brief

    @property
    def brief_rows(self) -> list[tuple[str, str, str]]:
        """(testid, label, text) of the brief the panel shows: remaining or overdue days, paused days, the extension,
        restarts — only those that apply."""
        return brief_rows(self.brief)

    @property
    def state_text(self) -> str:
        """进行中 / 暂停中 / 已办结(按时 or 逾期 N 日) / 已撤销."""
        d = self.deadline
        if d.status == Deadline.MET and d.closed_on:
            return f"已办结(逾期 {(d.closed_on - d.due).days} 日)" if d.late else "已办结(按时)"
        return d.state_display

    def with_forms(self, *, bound: dict | None = None) -> ClockPanel:
        """A form for each act offered, and the bound (refused) one of an act tried, even one the clock's
        state no longer offers (e.g. 恢复 on a clock not paused), so its message shows at its field."""
        from fazhi.deadlines import forms

        bound = bound or {}
        wanted = [*self.actions, *(a for a in bound if a not in self.actions)]
        self.forms = [FormSlot(a, rules.ACTIONS[a], bound.get(a) or forms.clock_form(a, self.deadline.pk,
                                                                                     last_event=self.last_event))
                      for a in wanted]
        return self


@dataclass(frozen=True)
class FormSlot:
    action: str
    label: str
    form: object


def clock_get(*, user, pk: int) -> Deadline | None:
    """A clock the user may see (the scoping rule), with its unit; None otherwise (the page answers 404)."""
    return Deadline.objects.visible_to(user).select_related("unit").filter(pk=pk).first()


def _events_by_clock(deadlines: list[Deadline]) -> dict[int, list]:
    """Every event of these clocks in one query (with who entered it)."""
    found: dict[int, list] = {d.pk: [] for d in deadlines}
    for e in ClockEvent.objects.filter(deadline__in=[d.pk for d in deadlines]).select_related("actor").order_by("id"):
        found[e.deadline_id].append(e)
    return found


def _extensions_used(events) -> int:
    used = 0
    for e in events:
        if e.kind in (ClockEvent.OPEN, ClockEvent.RESTART):  # counted anew: earlier extensions no longer apply
            used = 0
        elif e.kind == ClockEvent.EXTEND:
            used += e.days or 0
    return used


def extension_of(rule: Rule, events, settings: dict[str, int]) -> Extension | None:
    if not rule.extended_by:
        return None
    ext = RULES[rule.extended_by]
    maximum = settings.get(ext.id, ext.period) if ext.configurable else ext.period
    return Extension(rule=ext, maximum=maximum, used=_extensions_used(events))


def record_url(deadline: Deadline) -> str | None:
    """The page of the record the clock is on, where its module registered one (worklist.register_record)."""
    from fazhi.deadlines.worklist import record_url as url_for

    ct = ContentType.objects.get_for_id(deadline.content_type_id)  # cached by Django
    return url_for(f"{ct.app_label}.{ct.model}", deadline.object_id)


def available_actions(user, deadline: Deadline, extension: Extension | None) -> tuple[str, ...]:
    """What the page offers: the acts the clock's state admits and the rule lets this user take."""
    if deadline.status != Deadline.OPEN or rules.kept_by_module(deadline):
        return ()
    wanted = [rules.RESUME if deadline.paused_since else rules.PAUSE, rules.RESTART]
    if extension is not None and extension.left:
        wanted.append(rules.EXTEND)
    return tuple(a for a in wanted if rules.may_act(user, deadline, a))


def clock_panels(*, user, deadlines) -> list[ClockPanel]:
    """The clocks of a record page, each with its events, extension and the acts the user may take:
    a constant number of queries whatever the number of clocks and events."""
    deadlines = list(deadlines)
    if not deadlines:
        return []
    prefetch_related_objects(deadlines, "unit")  # the rule asks for each clock's unit: one query for all
    events = _events_by_clock(deadlines)
    settings = dict(RuleSetting.objects.values_list("rule_id", "period"))
    panels = []
    for d in deadlines:
        rule = RULES.get(d.rule_id)
        ext = extension_of(rule, events[d.pk], settings) if rule else None
        panels.append(ClockPanel(deadline=d, rule=rule, events=events[d.pk], extension=ext,
                                 actions=available_actions(user, d, ext), record_url=record_url(d)))
    return panels


def clock_events(deadline: Deadline) -> list:
    return list(deadline.events.select_related("actor").order_by("id"))


def clock_extension(deadline: Deadline, events) -> Extension | None:
    rule = RULES.get(deadline.rule_id)
    if rule is None or not rule.extended_by:
        return None
    return extension_of(rule, events, dict(RuleSetting.objects.filter(rule_id=rule.extended_by)
                                           .values_list("rule_id", "period")))



def clocks_of(obj):
    """THE lookup of one record's clocks (any module's record): a queryset to narrow."""
    from django.contrib.contenttypes.models import ContentType

    return Deadline.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))


def record_clock(obj, purpose: str) -> Deadline | None:
    """A record's clock for one purpose (a purpose is opened once per record; a restart counts on the same clock)."""
    return clocks_of(obj).filter(purpose=purpose).order_by("id").first()


def clock_subquery(model, purpose: str, field: str = "due"):
    """A column of each listed record's clock `purpose` (e.g. its due date), for annotate(): lists and ledgers
    read it in the same query as the records."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField, OuterRef, Subquery
    from django.db.models.functions import Cast

    return Subquery(Deadline.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                            object_id=Cast(OuterRef("pk"), output_field=CharField()),
                                            purpose=purpose).order_by("id").values(field)[:1])


def overdue_records(model, today: date):
    """The ids of `model`'s records with an open, running clock past its due date (due today is not overdue), as
    a subquery for `pk__in=`. Read from the clocks' side over the open clocks' index by due date: its cost
    follows the number of overdue clocks, where an EXISTS per record costs one probe per record — the lists' and
    the overview's `overdue` at a million cases."""
    from django.db.models import IntegerField
    from django.db.models.functions import Cast

    # late is None on every open clock: the term matches the partial index deadline_open_by_due (models.py)
    return (Deadline.objects.filter(content_type=ContentType.objects.get_for_model(model), status=Deadline.OPEN,
                                    late__isnull=True, paused_since__isnull=True).filter(rules.overdue_q(today))
            .values(record=Cast("object_id", IntegerField())))


def record_clocks(obj) -> list[Deadline]:
    """Every clock kept on one record (any module's), oldest first: what its page shows with {% clocks %}."""
    return list(clocks_of(obj).order_by("start", "id"))


# ------------------------------------------------------------------ a clock's summary (API `clocks`, the panel)

BRIEF_STATES = {"open": "进行中", "met": "按时办结", "late": "逾期办结", "stopped": "已终止"}


def restarts_of(events) -> int:
    """How many times a clock counted anew: its restart events and every open after the first."""
    kinds = [e.kind for e in events]
    return kinds.count(ClockEvent.RESTART) + max(kinds.count(ClockEvent.OPEN) - 1, 0)


def _paused_days(deadline: Deadline, pauses: list[dict], today: date) -> int:
    # The pauses of the count in force (a restart drops earlier ones, as the engine does), both days included,
    # plus the running pause up to today.
    days = sum((date.fromisoformat(p["to"]) - date.fromisoformat(p["from"])).days + 1 for p in pauses)
    if deadline.status == Deadline.OPEN and deadline.paused_since and today >= deadline.paused_since:
        days += (today - deadline.paused_since).days + 1
    return days


def clock_brief(deadline: Deadline, *, today: date, restarts: int = 0) -> dict:
    """One stored clock in a few numbers, read from what the replay stored (the engine stays the only place that
    computes dates): the API's `clocks` and the clock panel show this.

    state: open (running or paused), met (closed on time), late (closed after its due date), stopped (cancelled,
    e.g. the case terminated). An open clock past its due date stays open, with `overdue` and negative
    `remaining_days`. While paused `due` is None (it moves with every paused day) and `due_at_least` its lower
    bound; `remaining_days` is None while paused or closed."""
    rule = RULES.get(deadline.rule_id)
    data = deadline.explanation or {}
    paused = deadline.status == Deadline.OPEN and deadline.paused_since is not None
    if deadline.status == Deadline.CANCELLED:
        state = "stopped"
    elif deadline.status == Deadline.MET:
        state = "late" if deadline.late else "met"
    else:
        state = "open"
    remaining = (deadline.due - today).days if state == "open" and not paused else None
    ext = RULES.get(rule.extended_by) if rule and rule.extended_by else None
    return {
        "id": deadline.pk, "purpose": deadline.purpose, "rule": deadline.rule_id,
        "rule_name": rule.name if rule else deadline.rule_id, "basis": rule.basis if rule else "",
        "mode": rule.mode if rule else "",
        "start": deadline.start, "due": None if paused else deadline.due, "due_at_least": deadline.due,
        "remaining_days": remaining, "overdue": remaining is not None and remaining < 0,
        "paused_days": _paused_days(deadline, list(data.get("pauses") or ()), today),
        "extended_days": int(data.get("extend") or 0),
        "extension_mode": ext.mode if ext else "",
        "restarts": restarts, "state": state, "state_label": BRIEF_STATES[state],
        "paused": paused, "paused_since": deadline.paused_since if paused else None,
        "closed_on": deadline.closed_on,
    }


def clocks_brief_bulk(objs, *, today: date | None = None) -> dict:
    """Every clock of each record (objs of one model, any module), oldest first, as clock_brief: two queries for
    a whole page (the clocks, then their restarts counted in the database). Records without clocks map to []."""
    objs = list(objs)
    found: dict = {o.pk: [] for o in objs}
    if not objs:
        return found
    today = today or timezone.localdate()
    ct = ContentType.objects.get_for_model(objs[0])  # cached by Django
    by_id = {str(o.pk): o.pk for o in objs}
    deadlines = list(Deadline.objects.filter(content_type=ct, object_id__in=list(by_id)).order_by("start", "id"))
    if not deadlines:
        return found
    counts: dict[int, dict[str, int]] = {}
    for row in (ClockEvent.objects.filter(deadline__in=[d.pk for d in deadlines],
                                          kind__in=[ClockEvent.OPEN, ClockEvent.RESTART])
                .values("deadline_id", "kind").annotate(n=Count("id")).order_by()):
        counts.setdefault(row["deadline_id"], {})[row["kind"]] = row["n"]
    for d in deadlines:
        c = counts.get(d.pk, {})
        restarts = c.get(ClockEvent.RESTART, 0) + max(c.get(ClockEvent.OPEN, 0) - 1, 0)
        found[by_id[d.object_id]].append(clock_brief(d, today=today, restarts=restarts))
    return found


def brief_rows(b: dict) -> list[tuple[str, str, str]]:
    rows = []
    if b["state"] == "open" and not b["paused"]:
        n = b["remaining_days"]
        text = f"已逾期 {-n} 日" if n < 0 else ("今日届满" if n == 0 else f"剩余 {n} 日")
        rows.append(("clock-remaining", "剩余期限", text))
    if b["paused_days"]:
        rows.append(("clock-paused-days", "中止", f"中止累计 {b['paused_days']} 日" + ("(中止中)" if b["paused"] else "")))
    if b["extended_days"]:
        unit = "(工作日)" if b["extension_mode"] == "workdays" else ""
        rows.append(("clock-extended", "延长", f"已延长 {b['extended_days']} 日{unit}"))
    if b["restarts"]:
        rows.append(("clock-restarts", "重新起算", f"重新起算 {b['restarts']} 次"))
    return rows


def record_clocks_brief(obj, *, today: date | None = None) -> list[dict]:
    """Every clock of one record as clock_brief, oldest first."""
    return clocks_brief_bulk([obj], today=today)[obj.pk]

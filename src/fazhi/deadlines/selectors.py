"""Reads of stored clocks for pages and the API: a clock with its events, what it may still be extended
by, and which acts the user may take on it (the shared partial deadlines/_clock.html and the API read these)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import prefetch_related_objects

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
    if deadline.status != Deadline.OPEN:
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



def record_clocks(obj) -> list[Deadline]:
    """Every clock kept on one record (any module's), oldest first: what its page shows with {% clocks %}."""
    from django.contrib.contenttypes.models import ContentType

    return list(Deadline.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
                .order_by("start", "id"))

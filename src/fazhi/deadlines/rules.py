"""The one warning rule for everything a unit owes, in every module: yellow within
FAZHI_WARNING_DAYS of the due date, red once the due date has passed. A period ends at 24:00 of
its last day, so a deadline due today is not overdue. `level` answers for a date in memory, the
Q builders the same rule as a database filter; the programme's rules delegate to these."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q

RED, YELLOW = "red", "yellow"
LEVEL_LABELS = {RED: "逾期", YELLOW: "临期", "": ""}


def warning_days() -> int:
    return settings.FAZHI["WARNING_DAYS"]


def level(due: date | None, today: date) -> str:
    """'red' once overdue, 'yellow' within the warning window, '' otherwise (or no due date,
    e.g. a paused clock)."""
    if due is None:
        return ""
    if due < today:
        return RED
    if due <= today + timedelta(days=warning_days()):
        return YELLOW
    return ""


def overdue_q(today: date, field: str = "due") -> Q:
    return Q(**{f"{field}__lt": today})


def due_soon_q(today: date, field: str = "due") -> Q:
    return Q(**{f"{field}__gte": today, f"{field}__lte": today + timedelta(days=warning_days())})


# Who may act on a stored clock (every page, API call and form asks these; the services enforce them too).
# Decisions: the office (法制办) always; the clock's unit — its admins and staff, on it or a unit above it —
# may pause (中止), resume and restart, the everyday acts of handling; an extension (延长) is approved by a
# named 负责人 outside the platform, and only the unit's admin or the office enters it (with the approver
# and basis). Leaders and inspectors read only. Another unit's user does not see the clock at all (404).
PAUSE, RESUME, RESTART, EXTEND = "pause", "resume", "restart", "extend"
ACTIONS = {PAUSE: "中止", RESUME: "恢复计算", RESTART: "重新起算", EXTEND: "延长"}


def _admin_of(user, unit) -> bool:
    from fazhi.core.scoping import UNIT_ADMIN, UNIT_STAFF, scope_for

    scope = scope_for(user)
    if UNIT_ADMIN not in scope.roles:
        return False
    if UNIT_STAFF not in scope.roles:  # admin wherever they hold a unit role: no query
        return scope.acts_for(unit)
    paths = getattr(user, "_fazhi_admin_paths", None)
    if paths is None:  # admin on one unit, staff on another: which is which (once per request)
        paths = user._fazhi_admin_paths = tuple(
            user.role_grants.active().filter(role=UNIT_ADMIN).values_list("unit__path", flat=True))
    return any(unit.path.startswith(p) for p in paths)


def may_act(user, deadline, action: str) -> bool:
    """Whether `user` may `action` (pause/resume/restart/extend) on `deadline` (its unit loaded)."""
    from fazhi.core.scoping import scope_for

    if action not in ACTIONS:
        return False
    scope = scope_for(user)
    if scope.is_office:
        return True
    if action == EXTEND:
        return _admin_of(user, deadline.unit)
    return scope.acts_for(deadline.unit)


def kept_by_module(deadline) -> str | None:
    """Why the generic clock acts (pages and API) refuse this clock, if its module keeps them: a case's 中止
    must go through the case so its status and statutory reason are recorded (worklist.register_record)."""
    from django.contrib.contenttypes.models import ContentType

    from fazhi.deadlines.worklist import RECORDS

    ct = ContentType.objects.get_for_id(deadline.content_type_id)  # cached by Django
    link = RECORDS.get(f"{ct.app_label}.{ct.model}")
    if link is None or not link.acts_on_record:
        return None
    return f"该期限由{link.kind_label}办理: 请在{link.acts_on_record}"


def act_refusal(action: str) -> str:
    if action == EXTEND:
        return "只有法制办或本单位管理员可以登记延长(须写明批准人和依据)"
    return f"只有法制办或本单位的管理员、工作人员可以{ACTIONS.get(action, '变更期限')};领导和督查只能查看"

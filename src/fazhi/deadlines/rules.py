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

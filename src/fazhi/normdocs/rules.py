"""The rules of normative documents, once: what a document's status reads as, whether it has legal
effect, who may edit or act, and the periods (always through the deadline engine)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import F, Q
from django.utils import timezone

from fazhi.core.scoping import scope_for
from fazhi.normdocs.models import (
    ACCEPTED_FILING_STATES, AMENDED, DRAFTING, EXPIRED, FILING_NONE, FILING_RETURNED, IN_FORCE, STATUSES,
)

PROCEDURE, FILING_PROCEDURE, CLEANUP_PROCEDURE = "normdoc", "normdoc.filing", "normdoc.cleanup"
UNFILED_LABEL = "未经备案审查"
NO_EFFECT_NOTE = "未经备案审查,无行政管理效力"
# Validity ending within this many days puts the document on its unit's work list (the 90 days).
EXPIRY_NOTICE_DAYS = 90
MAX_VALIDITY_MONTHS = 60  # 省政府令第216号: 有效期一般不得超过5年
STATUS_LABELS = dict(STATUSES)
# Public statuses a visitor may filter on.
PUBLIC_STATUSES = {"in_force": "有效", "amended": "已修改", "repealed": "已废止", "expired": "失效",
                   "unfiled": UNFILED_LABEL}
# Statuses in which a document is in force (as issued, or as amended) until its validity ends.
LIVE_STATUSES = (IN_FORCE, AMENDED)
# Filing states that are not (yet) a filing: never filed, or returned for 补正.
UNFILED_STATES = (FILING_NONE, FILING_RETURNED)


def today() -> date:
    return timezone.localdate()


def legal_effect(doc, on: date | None = None) -> bool:
    """A published document has administrative effect only once filed for review (plan 五(一)2: 不经备案审查
    自行发布的规范性文件无行政管理效力); a filing returned for 补正 is not yet a filing. And only while in force."""
    if doc.published_on is None:
        return False
    if doc.filing_state in UNFILED_STATES:
        return False
    return display_status(doc, on) in LIVE_STATUSES


def display_status(doc, on: date | None = None) -> str:
    """The stored status, except a document past its validity (in force or amended) reads 失效 before
    `fazhi remind` writes it."""
    on = on or today()
    if doc.status in LIVE_STATUSES and doc.valid_until is not None and doc.valid_until < on:
        return EXPIRED
    return doc.status


def status_label(doc, on: date | None = None) -> str:
    status = display_status(doc, on)
    if status == IN_FORCE and doc.published_on is not None and doc.filing_state in UNFILED_STATES:
        return UNFILED_LABEL
    return STATUS_LABELS[status]


def expired_q(on: date) -> Q:
    """Documents in force (or amended) whose validity has ended (to be written 失效): display_status's rule."""
    return Q(status__in=LIVE_STATUSES, valid_until__lt=on)


def in_force_q(on: date) -> Q:
    """Documents in force on a day (as issued or amended, validity running): display_status's rule."""
    return Q(status__in=LIVE_STATUSES) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def public_status_q(key: str, on: date) -> Q:
    """The public list's status filter, with the same rules as display_status/status_label."""
    unfiled = Q(filing_state__in=UNFILED_STATES)
    live = in_force_q(on)
    if key == "unfiled":
        return live & Q(status=IN_FORCE) & unfiled
    if key == "in_force":
        return live & Q(status=IN_FORCE) & ~unfiled
    if key == "amended":
        return live & Q(status=AMENDED)
    if key == "expired":
        return Q(status=EXPIRED) | expired_q(on)
    return Q(status=key)


def expiring_q(on: date) -> Q:
    return Q(status__in=LIVE_STATUSES, valid_until__gte=on, valid_until__lte=on + timedelta(days=EXPIRY_NOTICE_DAYS))


def filing_accepted(doc) -> bool:
    return doc.filing_state in ACCEPTED_FILING_STATES


# ---------------------------------------------------------------- who may


def is_office(user) -> bool:
    return scope_for(user).is_office


def can_draft(user, unit) -> bool:
    """A unit's admins and staff draft their own unit's documents; the office may enter one for a unit."""
    scope = scope_for(user)
    return scope.is_office or scope.acts_for(unit)


def can_edit(user, doc) -> bool:
    """Only a draft is edited, by its unit (or the office); a published document changes through the procedure."""
    return doc.status == DRAFTING and can_draft(user, doc.unit)


def can_run_cleanup(user) -> bool:
    return scope_for(user).is_office


def can_decide_item(user, item) -> bool:
    """The office decides each item of a campaign; the drafting unit may enter its proposal."""
    scope = scope_for(user)
    return scope.is_office or scope.acts_for(item.unit)


# ---------------------------------------------------------------- periods (the deadline engine decides)


def consult_rule(doc) -> str:
    return "normdoc.consult_business" if doc.business_related else "normdoc.consult"


def validity_cap(published_on: date) -> date:
    """The longest validity: the office's `normdoc.validity` period from publication, never beyond 5 years."""
    from fazhi.deadlines.engine import add_months
    from fazhi.deadlines.services import deadline_compute

    default = deadline_compute("normdoc.validity", published_on).due
    return min(default, add_months(published_on, MAX_VALIDITY_MONTHS))


def filing_due(published_on: date) -> date:
    from fazhi.deadlines.services import deadline_compute

    return deadline_compute("normdoc.file", published_on).due


def on_time(filed_on: date | None, due: date | None) -> bool | None:
    """报备及时: filed within the period, the last day included (None while unfiled or without a period)."""
    if filed_on is None or due is None:
        return None
    return filed_on <= due


def filed_on_time(doc) -> bool | None:
    return on_time(doc.filed_on, doc.filing_due)


def on_time_q() -> Q:
    """on_time in SQL (the 报备及时率's numerator)."""
    return Q(filed_on__isnull=False, filing_due__isnull=False, filed_on__lte=F("filing_due"))


def number_code(unit) -> str:
    """机关代字 of a unit's normative documents: its short name + 规 (e.g. 城管局规〔2026〕3号)."""
    from fazhi.core.gongwen import organ_code

    return f"{organ_code(unit)}规"

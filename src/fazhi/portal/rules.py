"""The rules of public submissions, once: who sees the person's contact details, who assigns and who
replies, which unit owns a submission before it is assigned, the clocks, the limits, the numbers."""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings

from fazhi.core.scoping import scope_for
from fazhi.portal.models import ASSIGNED, OPINION, RECEIVED

# The clocks (deadlines/catalogue.py): accept within 15 days of receipt, then handle within 60 of acceptance.
ACCEPT_RULE, HANDLE_RULE = "complaint.accept", "complaint.handle"
ACCEPT_PURPOSE, HANDLE_PURPOSE = "accept", "handle"

# Tracking numbers and query codes avoid letters people misread (0/O, 1/I/L).
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_RANDOM_LEN = 8  # 31^8 ≈ 8.5e11 per day: not guessable, not sequential
QUERY_CODE_LEN = 8


def new_tracking_no(today: date) -> str:
    """e.g. 20260517-K7QX3M9P: the day received, then random characters."""
    return f"{today:%Y%m%d}-{''.join(secrets.choice(ALPHABET) for _ in range(TRACKING_RANDOM_LEN))}"


def new_query_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(QUERY_CODE_LEN))


def normalise_code(value: str) -> str:
    """What a person types: any case, spaces and dashes in a code ignored (the tracking number keeps its dash)."""
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())


def normalise_tracking_no(value: str) -> str:
    raw = normalise_code(value)
    return f"{raw[:8]}-{raw[8:]}" if len(raw) == 8 + TRACKING_RANDOM_LEN else (value or "").strip().upper()


def office_unit():
    """The unit that owns a submission (and its acceptance clock) until it is assigned: the office's unit
    (领导小组办公室, the 法制办 that receives what the public sends)."""
    from fazhi.core.scoping import OFFICE
    from fazhi.org.models import Unit

    unit = Unit.objects.filter(kind="office", active=True).order_by("sort_order", "code").first()
    if unit is None:  # a district that names the office differently: where the office role is granted
        unit = Unit.objects.filter(role_grants__role=OFFICE, role_grants__revoked_at__isnull=True).first()
    return unit


def can_assign(user, submission=None) -> bool:
    return scope_for(user).is_office and (submission is None or submission.status == RECEIVED)


def can_reply(user, submission) -> bool:
    """The handling unit (its admins and staff, or those of a unit above it) replies once it is assigned.
    An opinion on a draft is not replied to but answered with its adoption (`can_answer_opinion`)."""
    return (submission.kind != OPINION and submission.status == ASSIGNED
            and scope_for(user).acts_for(submission.unit))


# ------------------------------------------------------------------ public consultation (公开征求意见)

# The public opinion's handling clock: the drafting unit answers each opinion (采纳情况) within the same
# period as any public submission (complaint.handle, from receipt: the public sends it straight to that unit).
# The period itself: a normative document's may not be shorter than its rule; a major decision's may,
# only "因情况紧急等原因" with the reason stated (重大行政决策程序暂行条例 第15条).
SHORTER_ALLOWED = frozenset({"decision.consult"})
CONSULT_TEXT_MAX = 100_000
PUBLIC_CODE_LEN = 10


def new_public_code() -> str:
    """The consultation's id on the public site: random, never all digits (a public page shows no record id)."""
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(PUBLIC_CODE_LEN))
        if not code.isdigit():
            return code


def can_open_consultation(user, unit) -> bool:
    """The drafting unit (admins and staff) or the office opens a consultation on the unit's draft."""
    scope = scope_for(user)
    return scope.is_office or scope.acts_for(unit)


def can_answer_opinion(user, submission) -> bool:
    """The unit the opinion went to (the drafting unit) answers it, or the office; again to correct it."""
    if submission.kind != OPINION:
        return False
    scope = scope_for(user)
    return scope.is_office or scope.acts_for(submission.unit)


def adoption_reason_required(adoption: str) -> bool:
    """采纳 needs no reason; 部分采纳 and 不予采纳 state why (the adoption table is published)."""
    from fazhi.portal.models import NOT_ADOPTED, PARTLY

    return adoption in (PARTLY, NOT_ADOPTED)


def can_see_contact(user, submission) -> bool:
    """The person's name, phone, e-mail and attachments: the office and the handling unit only — not
    leaders, inspectors or any other unit (and, for a complaint, never the unit complained about)."""
    scope = scope_for(user)
    return scope.is_office or scope.acts_for(submission.unit)


def submit_limit() -> int:
    return settings.FAZHI["PUBLIC_SUBMIT_PER_HOUR"]


def query_failure_limit() -> int:
    return settings.FAZHI["PUBLIC_QUERY_FAILURES_PER_HOUR"]


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, unless TRUSTED_PROXY_COUNT proxies are declared in front, then
    the address the outermost trusted proxy saw (X-Forwarded-For is never trusted by default)."""
    proxies = settings.FAZHI["TRUSTED_PROXY_COUNT"]
    remote = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"
    if proxies <= 0:
        return remote
    chain = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
    if len(chain) < proxies:
        return remote
    candidate = chain[-proxies]
    from django.core.validators import validate_ipv46_address
    from django.core.exceptions import ValidationError

    try:
        validate_ipv46_address(candidate)
    except ValidationError:
        return remote
    return candidate

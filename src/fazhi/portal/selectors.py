"""Reads of the portal: staff lists (scoped), the contact details (handling unit and office only), the clocks
of a submission, and what the public may see — every public value masked here, so a template cannot show
an unmasked one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from fazhi.core import rates
from fazhi.core.masking import mask_text
from fazhi.core.scoping import Scope
from fazhi.portal import rules
from fazhi.portal.models import KIND_LABELS, REPLIED, STATUS_LABELS, Submission, SubmissionContact, SubmissionFile


def submission_list(*, user, status: str = "", kind: str = ""):
    qs = Submission.objects.visible_to(user).select_related("unit")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-submitted_at", "-id")


def submission_get(*, user, pk: int) -> Submission | None:
    return Submission.objects.visible_to(user).select_related("unit", "assigned_by", "replied_by").filter(pk=pk).first()


def contact_for(*, user, submission: Submission) -> SubmissionContact | None:
    """The person's contact details, or None for anyone but the office and the handling unit."""
    if not rules.can_see_contact(user, submission):
        return None
    return SubmissionContact.objects.filter(submission=submission).first()


def files_for(*, user, submission: Submission) -> list[SubmissionFile]:
    if not rules.can_see_contact(user, submission):
        return []
    return list(SubmissionFile.objects.filter(submission=submission).order_by("id"))


def file_get(*, user, pk: int) -> SubmissionFile | None:
    f = SubmissionFile.objects.filter(pk=pk, submission__in=Submission.objects.visible_to(user)).select_related(
        "submission__unit").first()
    return f if f is not None and rules.can_see_contact(user, f.submission) else None


def clock_of(submission: Submission, purpose: str):
    from fazhi.deadlines.models import Deadline

    return Deadline.objects.filter(content_type=ContentType.objects.get_for_model(Submission),
                                   object_id=str(submission.pk), purpose=purpose).first()


def clocks_of(submission: Submission) -> list:
    from fazhi.deadlines.models import Deadline

    return list(Deadline.objects.filter(content_type=ContentType.objects.get_for_model(Submission),
                                        object_id=str(submission.pk)).order_by("start", "id"))


def current_clocks(submissions: list[Submission]) -> dict:
    """Each submission's running clock (handling once assigned, else acceptance), for a page in one query."""
    from fazhi.deadlines.models import Deadline

    wanted = {str(s.pk): (rules.HANDLE_PURPOSE if s.assigned_at else rules.ACCEPT_PURPOSE) for s in submissions}
    found = Deadline.objects.filter(content_type=ContentType.objects.get_for_model(Submission),
                                    object_id__in=list(wanted))
    return {int(d.object_id): d for d in found if wanted[d.object_id] == d.purpose}


# ------------------------------------------------------------------ public


@dataclass(frozen=True)
class PublicStatus:
    """What the submitter sees on the public query page: masked, no ids, no internal notes."""

    tracking_no: str
    kind: str
    title: str
    content: str
    status: str
    submitted_on: date
    handled_by: str
    due: date | None
    reply: str
    replied_on: date | None


def public_status(submission: Submission) -> PublicStatus:
    contact = SubmissionContact.objects.filter(submission=submission).first()
    names = [contact.name] if contact and contact.name else []
    clock = clock_of(submission, rules.HANDLE_PURPOSE if submission.assigned_at else rules.ACCEPT_PURPOSE)
    shown = submission.status == REPLIED and submission.reply_published
    from django.utils import timezone

    def day(value: datetime | None) -> date | None:
        return timezone.localtime(value).date() if value else None

    return PublicStatus(
        tracking_no=submission.tracking_no,
        kind=KIND_LABELS[submission.kind],
        title=mask_text(submission.title, names=names),
        content=mask_text(submission.content, names=names),
        status=STATUS_LABELS[submission.status] + ("" if shown or submission.status != REPLIED
                                                   else "(答复未在网上公开,由承办单位直接告知)"),
        submitted_on=day(submission.submitted_at),
        handled_by=submission.unit.display_name if submission.assigned_at else "",
        due=clock.due if clock is not None and submission.status != REPLIED else None,
        reply=mask_text(submission.reply, names=names) if shown else "",
        replied_on=day(submission.replied_at) if shown else None,
    )


# The public reads published aggregates of every unit (not records): a reader whose scope covers all units,
# holding no role, used only for the figures below.
PUBLIC_FIGURES_READER = type("PublicFiguresReader", (), {
    "is_authenticated": True, "is_active": True,
    "_fazhi_scope": Scope(all_units=True, unit_paths=(), roles=frozenset()),
})()


@dataclass(frozen=True)
class UnitProgress:
    name: str
    kind: str
    numerator: int
    denominator: int
    rate: str  # "85.0%", or — for no data


def public_progress(programme) -> list[UnitProgress]:
    """The completion rate (programme.completion, narrowed to `programme`) of every unit the programme
    addresses; a unit without assignments shows —. Names and counts only: no notes, no links, no ids."""
    from fazhi.org.models import PLAN_UNIT_KINDS, UNIT_KIND_LABELS, Unit

    rate = rates.get("programme.completion")
    by_unit = rates.compute_by_unit(rate, PUBLIC_FIGURES_READER, where=Q(programme=programme))
    units = Unit.objects.filter(Q(kind__in=PLAN_UNIT_KINDS, active=True) | Q(pk__in=list(by_unit)))
    rows = []
    for unit in units.order_by("sort_order", "code"):
        r = by_unit.get(unit.pk, {"numerator": 0, "denominator": 0, "value": None})
        rows.append(UnitProgress(name=unit.name, kind=UNIT_KIND_LABELS.get(unit.kind, ""),
                                 numerator=r["numerator"], denominator=r["denominator"], rate=rates.display(r["value"])))
    return rows


def public_progress_total(programme) -> str:
    rate = rates.get("programme.completion")
    return rates.display(rates.compute(rate, PUBLIC_FIGURES_READER, where=Q(programme=programme))["value"])

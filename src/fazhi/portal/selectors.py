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
from fazhi.portal.models import (
    ADOPTION_LABELS, KIND_LABELS, OPINION, REPLIED, STATUS_LABELS, Submission, SubmissionContact, SubmissionFile,
)


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
    from fazhi.deadlines.selectors import record_clock

    return record_clock(submission, purpose)


def clocks_of(submission: Submission) -> list:
    from fazhi.deadlines.selectors import record_clocks

    return record_clocks(submission)


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
    # An opinion's answer (采纳情况 and its reason) is told to its sender; the adoption table makes it public anyway.
    opinion = submission.kind == OPINION and bool(submission.adoption)
    shown = submission.status == REPLIED and (submission.reply_published or opinion)
    from django.utils import timezone

    def day(value: datetime | None) -> date | None:
        return timezone.localtime(value).date() if value else None

    return PublicStatus(
        tracking_no=submission.tracking_no,
        kind=KIND_LABELS[submission.kind],
        title=mask_text(submission.title, names=names),
        content=mask_text(submission.content, names=names),
        status=(f"已反馈采纳情况:{ADOPTION_LABELS[submission.adoption]}" if opinion
                else STATUS_LABELS[submission.status] + ("" if shown or submission.status != REPLIED
                                                         else "(答复未在网上公开,由承办单位直接告知)")),
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


# ------------------------------------------------------------------ public consultation (公开征求意见)


def opinions_of(consultation):
    """The opinions sent on a consultation (not scoped: callers hold a consultation they may see)."""
    from fazhi.portal.models import OPINION

    return Submission.objects.filter(kind=OPINION, target_type=ContentType.objects.get_for_model(consultation),
                                     target_id=str(consultation.pk))


def consultation_list(*, user, state: str = "", today: date | None = None):
    """The consultations of the units the user may see (the one scoping rule), newest first."""
    from django.utils import timezone

    from fazhi.portal.models import Consultation

    qs = Consultation.objects.visible_to(user).select_related("unit")
    return in_state(qs, state, today or timezone.localdate()).order_by("-starts_on", "-id")


def in_state(qs, state: str, today: date):
    """Consultations in a state (未开始 / 征求中 / 已截止) on `today`; "" for all. The dates decide, as in
    `Consultation.state`."""
    from fazhi.portal.models import CLOSED, NOT_STARTED, OPEN

    if state == NOT_STARTED:
        return qs.filter(starts_on__gt=today)
    if state == OPEN:
        return qs.filter(starts_on__lte=today, ends_on__gte=today)
    if state == CLOSED:
        return qs.filter(ends_on__lt=today)
    return qs


def consultation_of(*, user, submission):
    """The consultation an opinion was sent on, if the user may see it."""
    from fazhi.portal.models import OPINION, Consultation

    if submission.kind != OPINION or submission.target_type_id != ContentType.objects.get_for_model(Consultation).pk:
        return None
    return Consultation.objects.visible_to(user).filter(pk=submission.target_id).first()


def consultation_get(*, user, pk: int):
    from fazhi.portal.models import Consultation

    return Consultation.objects.visible_to(user).select_related("unit", "opened_by").filter(pk=pk).first()


@dataclass(frozen=True)
class OpinionCounts:
    total: int = 0
    answered: int = 0
    adopted: int = 0
    partly: int = 0
    not_adopted: int = 0

    @property
    def unanswered(self) -> int:
        return self.total - self.answered


def opinion_counts(consultations) -> dict[int, OpinionCounts]:
    """Opinion counts by adoption for a page of consultations, in one query."""
    from django.db.models import Count

    from fazhi.portal.models import ADOPTED, NOT_ADOPTED, OPINION, PARTLY, Consultation

    ids = [str(c.pk) for c in consultations]
    if not ids:
        return {}
    rows = (Submission.objects.filter(kind=OPINION, target_type=ContentType.objects.get_for_model(Consultation),
                                      target_id__in=ids)
            .values("target_id", "adoption").annotate(n=Count("id")))
    tally: dict[int, dict] = {}
    for r in rows:
        t = tally.setdefault(int(r["target_id"]), {"total": 0, "answered": 0, ADOPTED: 0, PARTLY: 0, NOT_ADOPTED: 0})
        t["total"] += r["n"]
        if r["adoption"]:
            t["answered"] += r["n"]
            t[r["adoption"]] += r["n"]
    return {pk: OpinionCounts(total=t["total"], answered=t["answered"], adopted=t[ADOPTED], partly=t[PARTLY],
                              not_adopted=t[NOT_ADOPTED]) for pk, t in tally.items()}


@dataclass(frozen=True)
class AdoptionRow:
    """One line of the adoption table (意见采纳情况表). Public rows carry masked text and no submission."""

    no: int
    received_on: date
    content: str
    adoption: str  # code, "" while unanswered
    adoption_label: str  # 采纳 / 部分采纳 / 不予采纳 / 待反馈
    reason: str
    answered_on: date | None
    tracking_no: str = ""  # staff only
    submission: Submission | None = None  # staff only


def adoption_table(consultation, *, public: bool) -> list[AdoptionRow]:
    """The opinions on a consultation in the order received, each with its adoption answer. `public`: the
    text masked (phone, ID, e-mail, the sender's name), no tracking number, no record. Two queries."""
    from django.utils import timezone

    from fazhi.portal.models import ADOPTION_LABELS

    rows = []
    opinions = opinions_of(consultation).select_related("contact", "replied_by").order_by("submitted_at", "id")
    for no, s in enumerate(opinions, start=1):
        contact = getattr(s, "contact", None)
        names = [contact.name] if contact is not None and contact.name else []
        content, reason = s.content, s.reply if s.adoption else ""
        if public:
            content, reason = mask_text(content, names=names), mask_text(reason, names=names)
        rows.append(AdoptionRow(
            no=no, received_on=timezone.localtime(s.submitted_at).date(), content=content, adoption=s.adoption,
            adoption_label=ADOPTION_LABELS.get(s.adoption, "待反馈"), reason=reason,
            answered_on=timezone.localtime(s.replied_at).date() if s.adoption and s.replied_at else None,
            tracking_no="" if public else s.tracking_no, submission=None if public else s))
    return rows


def consultations_public(*, state: str = "", today: date | None = None):
    """The consultations the public sees: only those started. `open` (征求中, soonest end first), `closed`
    (newest end first), or "" for both, open ones first."""
    from django.db.models import Case, IntegerField, Value, When
    from django.utils import timezone

    from fazhi.portal.models import CLOSED, OPEN, Consultation

    today = today or timezone.localdate()
    qs = Consultation.objects.started(today).select_related("unit")
    if state == OPEN:
        return qs.filter(ends_on__gte=today).order_by("ends_on", "id")
    if state == CLOSED:
        return qs.filter(ends_on__lt=today).order_by("-ends_on", "-id")
    return qs.annotate(closed=Case(When(ends_on__lt=today, then=Value(1)), default=Value(0),
                                   output_field=IntegerField())).order_by("closed", "-starts_on", "-id")


def consultation_public_get(code: str, today: date | None = None):
    """A started consultation by its public code, or None (not started, unknown: the same 404)."""
    from django.utils import timezone

    from fazhi.portal.models import Consultation

    return Consultation.objects.started(today or timezone.localdate()).select_related("unit").filter(
        public_code=code).first()

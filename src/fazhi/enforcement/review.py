"""重大执法决定法制审核 (国办发〔2018〕118号; 行政处罚法 第58条): one rule for every enforcement decision — penalty
and licence alike.

- Whether a decision is major is judged once, by the unit's catalogue line in force when the proposed decision is
  fixed (告知 for a penalty, 受理/审查 for a licence), and that line is stored on the case (`major_entry`): a
  later edit of the catalogue does not change a case already under way.
- The review is the office's (法制办 — the district's legal-review staff, not the case's own unit) with the
  written opinion (法制审核意见书) attached; the reviewer is the acting user, never a typed name.
- A major decision is refused until the review passed on or before the decision day, and the user who recorded
  the review does not record the decision (审核与决定分离)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from fazhi.core.scoping import scope_for

BASIS = "国办发〔2018〕118号(重大执法决定法制审核制度:未经法制审核或者审核未通过的,不得作出决定)"
BASIS_PENALTY = "行政处罚法 第58条;" + BASIS
PASS, RETURN = "pass", "return"


class LegalReviewFields(models.Model):
    """The fields every case that can be a major enforcement decision carries (written only by the services)."""

    major = models.BooleanField("重大执法决定", null=True, blank=True)
    major_entry = models.ForeignKey("enforcement.MajorDecisionEntry", verbose_name="重大执法决定目录事项(据以认定)",
                                    null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    major_entry_title = models.CharField("重大执法决定目录事项", max_length=200, blank=True)
    legal_review_on = models.DateField("法制审核日期", null=True, blank=True)
    legal_reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="法制审核人", null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    legal_reviewer = models.CharField("法制审核人员", max_length=60, blank=True)
    legal_review_opinion = models.TextField("法制审核意见", blank=True)

    class Meta:
        abstract = True


def major_fields(entry) -> dict:
    """The case fields that record the catalogue line judging the decision major (None: not major)."""
    return {"major": entry is not None, "major_entry": entry, "major_entry_title": entry.title[:200] if entry else ""}


# 行政处罚法 第58条第1款第2项: a penalty that went through a hearing needs the review, catalogue or not.
HEARING_MAJOR_TITLE = "经过听证程序(第58条第1款第2项)"


def hearing_major_fields() -> dict:
    """The major fields of a penalty case judged major because it went through a hearing (no catalogue line)."""
    return {"major": True, "major_entry": None, "major_entry_title": HEARING_MAJOR_TITLE}


def hearing_held_on(case):
    """The day a hearing was held on the case, or None (licence: `hearing_held_on`, its `hearing_on` is the day
    notified; penalty: `hearing_on`, set when held)."""
    if hasattr(case, "hearing_held_on"):
        return case.hearing_held_on
    return getattr(case, "hearing_on", None)


def needs_review(case) -> bool:
    return bool(case.major)


def may_review(user) -> bool:
    """法制审核 is done by the office's legal-review staff, not by the unit that decides."""
    return scope_for(user).is_office


def review_refusal(case, user, *, on: date, outcome: str, opinion: str) -> str | None:
    """Why `user` may not record this review, or None (the opinion document is the step's required attachment).
    The one place for both registers: the caller answers NotAllowed when `may_review(user)` is false, else a
    conflict."""
    from django.utils import timezone

    if not may_review(user):
        return f"法制审核由法制办审核人员办理,办案单位不能自行审核(依据:{BASIS})"
    if case.decided_on is not None:
        return "已作出决定,不能再进行法制审核"
    if not needs_review(case):
        return f"本案不属于重大执法决定,无须法制审核(依据:{BASIS})"
    notified = getattr(case, "notified_on", None)
    if isinstance(on, date) and notified is not None and on < notified:
        return f"「审核日期」不能早于告知日期 {notified.isoformat()}"
    if isinstance(on, date) and on > timezone.localdate():
        return "「审核日期」不能晚于今天"
    if outcome not in (PASS, RETURN):
        return "请选择法制审核的「结果」:审核通过(pass)或退回修改(return)"
    if not (opinion or "").strip():
        return "请填写「审核意见」"
    return None


def review_fields(user, *, on: date, outcome: str, opinion: str) -> dict:
    name = (user.get_full_name() or user.get_username())[:60]
    return {"legal_reviewed_by": user, "legal_reviewer": name, "legal_review_opinion": opinion,
            "legal_review_on": on if outcome == PASS else None}


def decide_refusal(case, user, on: date) -> str | None:
    """A major decision needs a review passed on or before `on`; the reviewer does not record the decision."""
    if not case.major:
        return None
    if case.legal_review_on is None or case.legal_review_on > on:
        return (f"本案属重大执法决定(目录事项:「{case.major_entry_title}」),须先经法制审核通过方可作出决定"
                f"(依据:{BASIS})")
    held = hearing_held_on(case)
    if held is not None and case.legal_review_on < held:
        return (f"本案于 {held.isoformat()} 举行了听证,法制审核({case.legal_review_on.isoformat()})在听证之前,"
                f"须在听证后依听证笔录重新审核(依据:{BASIS};行政处罚法 第65条)")
    if user is not None and case.legal_reviewed_by_id == user.pk:
        return f"法制审核人员不能同时录入本案的决定(审核与决定分离,依据:{BASIS})"
    return None


# Rates: major decisions, and those reviewed before the decision (the records decide, not the gate above).
def major_q() -> Q:
    return Q(decided_on__isnull=False, major=True)


def reviewed_before_q() -> Q:
    return Q(legal_review_on__isnull=False, legal_review_on__lte=F("decided_on"), legal_reviewed_by__isnull=False)

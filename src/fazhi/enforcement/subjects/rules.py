"""The rules of lawful subjects and certified officers, each once, with its basis. Penalty and licence cases ask
these before a case opens or an officer is put on it; lists colour certificates by `certificate_state`."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q

from fazhi.core.scoping import INSPECTOR, scope_for
from fazhi.enforcement.subjects import models as m

BASIS_SUBJECT = ("行政处罚法 第17–20条、行政许可法 第22–24条(由具有法定职权的行政机关或法律法规授权的组织实施;"
                 "委托须有书面委托书并公告);工作方案 五(一)3(严格执法主体资格,向社会公告)")
BASIS_CERTIFICATE = "行政处罚法 第42条(执法人员不得少于两人,法律另有规定的除外);工作方案 五(一)3(持证上岗、亮证执法)"
BASIS_MAJOR = "国办发〔2018〕118号(重大执法决定法制审核制度:未经法制审核或者审核未通过的,不得作出决定)"

EXPIRING_DAYS = 60  # a certificate expiring within this many days is shown yellow (the issue: 60 days)
MIN_OFFICERS = 2  # 行政处罚法 第42条: investigation and evidence by at least two officers


def subject_refusal(subject: m.EnforcementSubject | None, on: date) -> str | None:
    """Why this subject may not open a case dated `on`, or None. Only a subject reviewed 合格 by the office and
    announced to the public on or before `on` (and not revoked, and, if entrusted, within its entrustment) may
    act."""
    if subject is None:
        return f"请选择执法主体(依据:{BASIS_SUBJECT})"
    name = subject.name
    if subject.review_status != m.QUALIFIED:
        return (f"执法主体「{name}」主体资格审查结论为「{m.REVIEW_STATE_LABELS[subject.review_status]}」,"
                f"未经审查合格不能立案(依据:{BASIS_SUBJECT})")
    if subject.announced_on is None or subject.announced_on > on:
        return f"执法主体「{name}」在 {on:%Y-%m-%d} 前尚未向社会公告,不能以其名义立案(依据:{BASIS_SUBJECT})"
    if subject.revoked_on is not None and subject.revoked_on <= on:
        return f"执法主体「{name}」已于 {subject.revoked_on:%Y-%m-%d} 撤销,不能立案(依据:{BASIS_SUBJECT})"
    if subject.kind == m.ENTRUSTED and subject.entrustment_until is not None and subject.entrustment_until < on:
        return (f"执法主体「{name}」的委托期限至 {subject.entrustment_until:%Y-%m-%d},"
                f"{on:%Y-%m-%d} 已不在委托期内(依据:{BASIS_SUBJECT})")
    return None


def certificate_valid_on(cert: m.Certificate, on: date) -> bool:
    """THE rule of a certificate's validity on a date: issued on or before it, not yet expired (the expiry day
    still counts), and not suspended or revoked from a day on or before it."""
    if cert.issued_on > on or cert.expires_on < on:
        return False
    return not (cert.status != m.CERT_VALID and (cert.status_since is None or cert.status_since <= on))


def valid_certificate(certificates, on: date) -> m.Certificate | None:
    """The officer's certificate valid on `on` (certificates: the officer's, prefetched), or None; of several,
    the one that runs longest (the state below and its database twin `officer_state_q` agree on it)."""
    valid = [c for c in certificates if certificate_valid_on(c, on)]
    return max(valid, key=lambda c: (c.expires_on, c.pk or 0)) if valid else None


def valid_on_q(on: date, prefix: str = "") -> Q:
    """`certificate_valid_on` as a filter over certificates (prefix: the path to them, e.g. "certificates__")."""
    return (Q(**{f"{prefix}issued_on__lte": on, f"{prefix}expires_on__gte": on})
            & (Q(**{f"{prefix}status": m.CERT_VALID}) | Q(**{f"{prefix}status_since__gt": on})))


# Colours of the officer list: valid; expiring within EXPIRING_DAYS (yellow); expired or not valid (red).
VALID, EXPIRING, EXPIRED, NONE = "valid", "expiring", "expired", "none"
CERT_STATE_LABELS = {VALID: "有效", EXPIRING: "即将到期", EXPIRED: "已过期或失效", NONE: "无证件"}


def certificate_state(certificates, today: date) -> str:
    """THE colour of an officer's certificates on `today`: valid, expiring (valid, but its expiry within
    EXPIRING_DAYS: yellow), expired (none valid today, whether expired, suspended or revoked: red), none."""
    cert = valid_certificate(certificates, today)
    if cert is None:
        return EXPIRED if list(certificates) else NONE
    return EXPIRING if cert.expires_on <= today + timedelta(days=EXPIRING_DAYS) else VALID


def officer_state_q(state: str, today: date) -> Q:
    """`certificate_state` as a filter over officers, for lists and counts in the database."""
    from django.db.models import Exists, OuterRef

    certs = m.Certificate.objects.filter(officer=OuterRef("pk"))
    valid = certs.filter(valid_on_q(today))
    if state == VALID:
        return Q(Exists(valid.filter(expires_on__gt=today + timedelta(days=EXPIRING_DAYS))))
    if state == EXPIRING:
        return Q(Exists(valid)) & ~Q(Exists(valid.filter(expires_on__gt=today + timedelta(days=EXPIRING_DAYS))))
    if state == EXPIRED:
        return Q(Exists(certs)) & ~Q(Exists(valid))
    return ~Q(Exists(certs))


# 年审 (yearly review): the review of year Y is due by 31 March of Y+1; a certificate issued in Y counts as
# reviewed for Y. So from 1 April the last year must have been reviewed, before it the year before last.
REVIEW_DEADLINE = (3, 31)
BASIS_REVIEW = "执法证件年审:上一年度的年审应于次年 3 月 31 日前完成(发证当年视为已审)"


def review_required_year(today: date) -> int:
    return today.year - 1 if (today.month, today.day) > REVIEW_DEADLINE else today.year - 2


def review_overdue(cert: m.Certificate, today: date) -> bool:
    """A warning, not a bar: a certificate valid today whose 年审 is behind (see REVIEW_DEADLINE)."""
    if not certificate_valid_on(cert, today):
        return False
    return max(cert.reviewed_year or 0, cert.issued_on.year) < review_required_year(today)


def officer_refusal(officer: m.Officer, on: date) -> str | None:
    """Why this officer may not be put on a case dated `on`, or None: off duty from `left_on`, or holding no
    certificate valid that day."""
    if officer.left_on is not None and officer.left_on <= on:
        return (f"执法人员「{officer.name}」已于 {officer.left_on:%Y-%m-%d} 离岗,不能承办 {on:%Y-%m-%d} 的案件"
                f"(依据:{BASIS_CERTIFICATE})")
    if valid_certificate(officer.certificates.all(), on) is None:
        return (f"执法人员「{officer.name}」在 {on:%Y-%m-%d} 未持有有效执法证件(未发证、已过期、暂扣或注销),"
                f"不能承办该日的案件(依据:{BASIS_CERTIFICATE})")
    return None


def officers_refusal(officers, on: date, *, minimum: int = MIN_OFFICERS) -> str | None:
    """A case's officers on `on`: each certified that day, and at least `minimum` of them (第42条)."""
    officers = list(officers)
    for officer in officers:
        reason = officer_refusal(officer, on)
        if reason:
            return reason
    if len({o.pk for o in officers}) < minimum:
        return f"调查取证须由 {minimum} 名以上持有有效执法证件的执法人员进行,现有 {len(officers)} 名(依据:{BASIS_CERTIFICATE})"
    return None


def major_entry(unit_id: int, decision_kind: str, *, measures=(), amount: Decimal | None = None):
    """The unit's catalogue line that makes this decision major (重大执法决定), or None."""
    entries = m.MajorDecisionEntry.objects.filter(unit_id=unit_id, decision_kind=decision_kind, active=True)
    for entry in entries.order_by("id"):
        if set(entry.measures) & set(measures):
            return entry
        if entry.amount_from is not None and amount is not None and amount >= entry.amount_from:
            return entry
    return None


# ---------------------------------------------------------------- who may do what (leaders only read)


def may_act_for(user, unit) -> bool:
    """The office, or a unit admin or staff of this unit or one above it."""
    scope = scope_for(user)
    return scope.is_office or scope.acts_for(unit)


def can_edit_subject(user, subject: m.EnforcementSubject) -> bool:
    """Register or edit: the unit for its own subjects, the office for any; a revoked subject stays as it was."""
    return subject.revoked_on is None and may_act_for(user, subject.unit)


def can_review(user) -> bool:
    """主体资格审查 is the office's."""
    return scope_for(user).is_office


def can_announce(user, subject: m.EnforcementSubject) -> bool:
    return may_act_for(user, subject.unit)


def announce_refusal(subject: m.EnforcementSubject) -> str | None:
    """Only a subject reviewed 合格 and not revoked is announced to the public (announced once)."""
    if subject.revoked_on is not None:
        return f"执法主体「{subject.name}」已撤销,不能公告"
    if subject.review_status != m.QUALIFIED:
        return (f"执法主体「{subject.name}」主体资格审查结论为「{m.REVIEW_STATE_LABELS[subject.review_status]}」,"
                f"只有经法制办审查合格的执法主体才能向社会公告(依据:{BASIS_SUBJECT})")
    if subject.announced_on is not None:
        return f"执法主体「{subject.name}」已于 {subject.announced_on:%Y-%m-%d} 公告"
    return None


# Editing these puts a reviewed subject back to 待审查: the review judged exactly this basis and kind.
REVIEWED_FIELDS = ("kind", "basis", "entrusted_by", "entrustment_document", "entrustment_until")


def can_manage_officers(user, unit) -> bool:
    return may_act_for(user, unit)


def can_report_basisless(user) -> bool:
    """纠正没有合法依据的执法行为: found and listed by the office or an inspector (督查)."""
    scope = scope_for(user)
    return scope.is_office or scope.has_role(INSPECTOR)


def can_correct_basisless(user, act: m.BasislessAct) -> bool:
    """The responsible unit records its correction (the office may record it for the unit)."""
    return act.status == m.ACT_OPEN and may_act_for(user, act.unit)


def can_accept_basisless(user, act: m.BasislessAct) -> bool:
    return act.status == m.ACT_CORRECTED and scope_for(user).is_office


def can_edit_catalogue(user, unit) -> bool:
    """The 重大执法决定目录 binds the unit's own decisions, so the office keeps it (review #7): a unit that could edit
    it could take a line out just before deciding (国办发〔2018〕118号 三(三))."""
    return scope_for(user).is_office


def public_subjects_q(today: date) -> Q:
    """What the public page and the announced rate show: qualified, announced by today, not revoked by today."""
    return (Q(review_status=m.QUALIFIED, announced_on__lte=today)
            & (Q(revoked_on__isnull=True) | Q(revoked_on__gt=today)))

"""The rules of lawful subjects and certified officers, each once, with its basis. Penalty and licence cases ask
these before a case opens or an officer is put on it; lists colour certificates by `certificate_state`."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

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
    """The officer's certificate valid on `on` (certificates: the officer's, prefetched), or None."""
    return next((c for c in certificates if certificate_valid_on(c, on)), None)


# Colours of the officer list: valid; expiring within EXPIRING_DAYS (yellow); expired or not valid (red).
VALID, EXPIRING, EXPIRED, NONE = "valid", "expiring", "expired", "none"
CERT_STATE_LABELS = {VALID: "有效", EXPIRING: "即将到期", EXPIRED: "已过期或失效", NONE: "无证件"}


def certificate_state(certificates, today: date) -> str:
    cert = valid_certificate(certificates, today)
    if cert is None:
        return EXPIRED if list(certificates) else NONE
    return EXPIRING if cert.expires_on <= today + timedelta(days=EXPIRING_DAYS) else VALID


def officer_refusal(officer: m.Officer, on: date) -> str | None:
    """Why this officer may not be put on a case dated `on`, or None."""
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

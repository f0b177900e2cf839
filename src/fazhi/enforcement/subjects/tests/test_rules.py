"""The rules P and L ask (subject_refusal, certificate validity, officers_refusal, major_entry) and the
certificate colours, on their boundary days; the database twin of the colours agrees with the rule."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from fazhi.enforcement.subjects import models as m
from fazhi.enforcement.subjects import rules, services
from fazhi.enforcement.subjects.tests.conftest import days, officer, subject, today

pytestmark = pytest.mark.django_db


def test_subject_refusal_for_each_state(world):
    assert "请选择执法主体" in rules.subject_refusal(None, today())
    pending = subject(world, name="待审", review=None)
    assert "待审查" in rules.subject_refusal(pending, today()) and "行政处罚法" in rules.subject_refusal(pending, today())
    for state, label in ((m.UNQUALIFIED, "不合格"), (m.TO_CORRECT, "需纠正")):
        s = subject(world, name=label, review=state)
        assert f"「{label}」" in rules.subject_refusal(s, today())
    unannounced = subject(world, name="未公告", announce=False)
    assert "尚未向社会公告" in rules.subject_refusal(unannounced, today())
    ok = subject(world, name="合格")
    assert rules.subject_refusal(ok, today()) is None
    # announced 20 days ago: a case dated before the announcement is refused, on the day it is allowed
    assert "尚未向社会公告" in rules.subject_refusal(ok, days(-21))
    assert rules.subject_refusal(ok, days(-20)) is None
    revoked = services.subject_revoke(subject=ok, actor=world.user("fzb"), on=days(-1), reason="机构撤并",
                                      expected_version=ok.version)
    assert rules.subject_refusal(revoked, days(-2)) is None
    assert "已于" in rules.subject_refusal(revoked, days(-1)) and "撤销" in rules.subject_refusal(revoked, today())


def test_entrusted_subject_within_its_entrustment(world):
    s = subject(world, name="受委托", kind=m.ENTRUSTED, entrusted_by=world.unit("D02"),
                entrustment_document="人社委〔2026〕1号", entrustment_until=days(10))
    assert rules.subject_refusal(s, days(10)) is None
    assert "委托期限" in rules.subject_refusal(s, days(11))


def _cert(issued: date, expires: date, status=m.CERT_VALID, since=None):
    return m.Certificate(issued_on=issued, expires_on=expires, status=status, status_since=since)


def test_certificate_valid_on_boundary_days():
    issued, expires = date(2025, 3, 1), date(2026, 2, 28)
    cert = _cert(issued, expires)
    assert not rules.certificate_valid_on(cert, issued - timedelta(days=1))
    assert rules.certificate_valid_on(cert, issued)  # the issue day counts
    assert rules.certificate_valid_on(cert, expires)  # so does the expiry day
    assert not rules.certificate_valid_on(cert, expires + timedelta(days=1))


def test_suspended_or_revoked_from_a_date():
    cert = _cert(date(2025, 1, 1), date(2027, 1, 1), status=m.CERT_SUSPENDED, since=date(2026, 1, 10))
    assert rules.certificate_valid_on(cert, date(2026, 1, 9))
    assert not rules.certificate_valid_on(cert, date(2026, 1, 10))
    revoked = _cert(date(2025, 1, 1), date(2027, 1, 1), status=m.CERT_REVOKED, since=date(2026, 1, 10))
    assert not rules.certificate_valid_on(revoked, date(2026, 6, 1))


def test_officer_and_officers_refusal(world):
    a = officer(world, name="甲")
    b = officer(world, name="乙")
    expired = officer(world, name="丙", issued=-800, expires=-1)
    none = officer(world, name="丁", cert=False)
    assert rules.officer_refusal(a, today()) is None
    assert "未持有有效执法证件" in rules.officer_refusal(expired, today())
    assert rules.officer_refusal(expired, days(-1)) is None  # the case date decides, not today
    assert "丁" in rules.officer_refusal(none, today())
    one = rules.officers_refusal([a], today())
    assert "2 名以上" in one and "第42条" in one
    assert rules.officers_refusal([a, a], today()) is not None  # the same officer twice is one
    assert rules.officers_refusal([a, b], today()) is None
    assert "丙" in rules.officers_refusal([a, expired], today())


def test_officer_off_duty_from_leaving(world):
    a = officer(world, name="甲")
    a = services.officer_leave(officer=a, actor=world.user("d01"), on=today(), reason="调离",
                               expected_version=a.version)
    assert rules.officer_refusal(a, days(-1)) is None
    assert "离岗" in rules.officer_refusal(a, today())


@pytest.mark.parametrize("expires,state", [(61, rules.VALID), (60, rules.EXPIRING), (0, rules.EXPIRING),
                                           (-1, rules.EXPIRED)])
def test_certificate_state_and_its_database_twin(world, expires, state):
    o = officer(world, name=f"状态{expires}", expires=expires)
    none = officer(world, name="无证", cert=False)
    assert rules.certificate_state(o.certificates.all(), today()) == state
    assert rules.certificate_state(none.certificates.all(), today()) == rules.NONE
    for s in (rules.VALID, rules.EXPIRING, rules.EXPIRED, rules.NONE):
        found = set(m.Officer.objects.filter(rules.officer_state_q(s, today())).values_list("pk", flat=True))
        assert (o.pk in found) == (s == state), s
        assert (none.pk in found) == (s == rules.NONE)


def test_renewed_certificate_counts_the_longest(world):
    o = officer(world, name="换证", expires=10)
    services.certificate_add(officer=o, actor=world.user("d01"), data={
        "number": "NEW-1", "issued_on": days(-5), "expires_on": days(700)})
    o = m.Officer.objects.prefetch_related("certificates").get(pk=o.pk)
    assert rules.valid_certificate(o.certificates.all(), today()).number == "NEW-1"
    assert rules.certificate_state(o.certificates.all(), today()) == rules.VALID


def test_review_overdue_rule():
    cert = _cert(date(2022, 5, 1), date(2030, 1, 1))
    cert.reviewed_year = 2024
    assert not rules.review_overdue(cert, date(2026, 3, 31))  # 2025's review is due by 31 March 2026
    assert rules.review_overdue(cert, date(2026, 4, 1))
    cert.reviewed_year = 2025
    assert not rules.review_overdue(cert, date(2026, 12, 31))
    fresh = _cert(date(2025, 11, 1), date(2030, 1, 1))  # issued in 2025: counts as reviewed for 2025
    assert not rules.review_overdue(fresh, date(2026, 6, 1))
    assert rules.review_required_year(date(2026, 1, 5)) == 2024


def test_major_entry(world):
    d01 = world.unit("D01")
    fzb = world.user("fzb")
    fine = services.entry_create(unit=d01, actor=fzb, data={"title": "较大数额罚款", "measures": [],
                                                             "amount_from": "50000"})
    revoke = services.entry_create(unit=d01, actor=fzb, data={"title": "吊销许可证", "measures": ["revoke_licence"]})
    assert rules.major_entry(d01.pk, m.PENALTY, measures=["fine"], amount=Decimal("49999.99")) is None
    assert rules.major_entry(d01.pk, m.PENALTY, measures=["fine"], amount=Decimal("50000")) == fine
    assert rules.major_entry(d01.pk, m.PENALTY, measures=["revoke_licence"]) == revoke
    assert rules.major_entry(world.unit("D02").pk, m.PENALTY, measures=["revoke_licence"]) is None
    assert rules.major_entry(d01.pk, m.LICENCE, measures=["revoke_licence"]) is None
    services.entry_update(entry=revoke, actor=fzb, data={"title": "吊销许可证", "measures": ["revoke_licence"],
                                                          "active": False}, expected_version=revoke.version)
    assert rules.major_entry(d01.pk, m.PENALTY, measures=["revoke_licence"]) is None

"""The demo: every department, subdistrict and town has a subject; the states, officers and certificates the
brief asks for exist; running it again duplicates nothing."""

import pytest
from django.utils import timezone

from fazhi.enforcement.subjects import demo, rules
from fazhi.enforcement.subjects import models as m
from fazhi.org.models import Unit

pytestmark = pytest.mark.django_db


def test_demo_is_complete_and_idempotent(world):
    demo.load()
    counts = [mdl.objects.count() for mdl in (m.EnforcementSubject, m.Power, m.Officer, m.Certificate,
                                               m.BasislessAct, m.MajorDecisionEntry)]
    demo.load()
    assert counts == [mdl.objects.count() for mdl in (m.EnforcementSubject, m.Power, m.Officer, m.Certificate,
                                                       m.BasislessAct, m.MajorDecisionEntry)]
    today = timezone.localdate()
    for unit in Unit.objects.filter(kind__in=demo.KINDS, active=True):
        s = demo.demo_subject(unit.code)
        assert s is not None, unit.code
        n = m.Officer.objects.filter(unit=unit).count()
        assert 2 <= n <= 6
    assert demo.demo_subject("T15").review_status == m.PENDING
    assert demo.demo_subject("T14").review_status == m.TO_CORRECT
    assert rules.subject_refusal(demo.demo_subject("D01"), today) is None
    assert m.EnforcementSubject.objects.filter(kind=m.ENTRUSTED, review_status=m.QUALIFIED).count() == 1
    assert m.Officer.objects.filter(rules.officer_state_q(rules.EXPIRED, today)).count() == 1
    assert m.Officer.objects.filter(rules.officer_state_q(rules.EXPIRING, today)).count() == 3
    assert set(m.BasislessAct.objects.values_list("status", flat=True)) == {m.ACT_OPEN, m.ACT_ACCEPTED}
    d01 = Unit.objects.get(code="D01")
    assert rules.major_entry(d01.pk, m.PENALTY, measures=["order_stop"]) is not None
    # two officers of D01 hold valid certificates today: a penalty case there can be investigated
    officers = m.Officer.objects.filter(unit=d01).prefetch_related("certificates")
    assert rules.officers_refusal(list(officers)[:2], today) is None

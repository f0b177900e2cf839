"""Fixtures of the subjects tests: subjects, officers and certificates built through the services, as the pages
and the API build them."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from fazhi.enforcement.subjects import models as m
from fazhi.enforcement.subjects import services


def today() -> date:
    return timezone.localdate()


def days(n: int) -> date:
    return today() + timedelta(days=n)


def subject(world, unit="D01", *, name=None, review=m.QUALIFIED, announce=True, user=None, **data):
    """A subject of `unit`, reviewed (unless review is None/pending) and announced as asked."""
    actor = world.user(user or unit.lower())
    u = world.unit(unit)
    s = services.subject_create(unit=u, actor=actor, data={
        "name": name or f"{u.name}执法主体", "kind": m.STATUTORY, "basis": "《城市管理执法办法》第八条",
        "key_areas": ["environment"], **data})
    fzb = world.user("fzb")
    if review and review != m.PENDING:
        s = services.subject_review(subject=s, actor=fzb, outcome=review, on=days(-30), note="审查意见",
                                    expected_version=s.version)
        if announce and review == m.QUALIFIED:
            s = services.subject_announce(subject=s, actor=fzb, on=days(-20), ref="区政府公告〔2026〕1号",
                                          expected_version=s.version)
    return s


def officer(world, unit="D01", *, name="张执法", subject_=None, cert=True, issued=-400, expires=400, number=None,
            user=None):
    actor = world.user(user or unit.lower())
    o = services.officer_create(unit=world.unit(unit), actor=actor,
                                data={"name": name, "subject": subject_, "staff_number": "", "post": "科员"})
    if cert:
        services.certificate_add(officer=o, actor=actor, data={
            "number": number or f"{unit}-{name}-{issued}-{expires}", "kind": "enforcement", "issued_by": "区政府",
            "issued_on": days(issued), "expires_on": days(expires),
            "reviewed_year": today().year - 1 if days(issued).year < today().year else None})
    return m.Officer.objects.prefetch_related("certificates").get(pk=o.pk)


@pytest.fixture
def d01_subject(world):
    return subject(world)

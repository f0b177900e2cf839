"""Fixtures of the litigation tests: a case of D01 registered some days ago, and a helper acting on its steps
the way the pages and the API do (procedures.actions)."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fazhi.procedures import actions
from fazhi.programme.demo import DEMO_PDF
from fazhi.remedies.litigation import services
from fazhi.remedies.litigation.steps import STEP_ACTIONS


def pdf(name="材料.pdf"):
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


def today() -> date:
    return timezone.localdate()


def days(n: int) -> date:
    return today() + timedelta(days=n)


def case_data(**over) -> dict:
    data = {"court": "西安市雁塔区人民法院", "case_number": "(2026)陕0113行初15号", "cause": "行政处罚",
            "instance": "first", "plaintiffs": [{"name": "张三", "kind": "person"}], "third_parties": [],
            "act_name": "行政处罚决定", "act_number": "雁城罚〔2026〕12号", "act_date": days(-60),
            "after_reconsideration": False, "reconsideration_number": "", "received_on": days(-5), "note": ""}
    return {**data, **over}


def register(world, unit="D01", user=None, **over):
    return services.case_register(unit=world.unit(unit), actor=world.user(user or unit.lower()), data=case_data(**over))


@pytest.fixture
def case(world):
    return register(world)


def act(case, user, step, files=(), **data):
    """One act on a step, parsed and performed as the API does; returns the case fresh."""
    run = actions.run_for_record(case, STEP_ACTIONS.code)
    parsed = actions.act_parse({"step": step, **data}, list(files), STEP_ACTIONS, run, actor=user)
    actions.act_perform(record_obj=case, run=run, act=parsed, actions=STEP_ACTIONS, actor=user)
    case.refresh_from_db()
    return case


def answer(case, user, on=None):
    """答辩举证 with its two materials (multipart, as a page or the API posts them)."""
    from django.utils.datastructures import MultiValueDict
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    data.update({"step": "answer", "date": str(on or today())})
    files = MultiValueDict({"defence": [pdf("答辩状.pdf")], "evidence": [pdf("证据一.pdf"), pdf("证据二.pdf")]})
    run = actions.run_for_record(case, STEP_ACTIONS.code)
    parsed = actions.act_parse(data, files, STEP_ACTIONS, run, actor=user)
    actions.act_perform(record_obj=case, run=run, act=parsed, actions=STEP_ACTIONS, actor=user)
    case.refresh_from_db()
    return case


def judge(case, user, result="dismiss_claims", kind="judgment", on=None, step="judgment", **extra):
    return act(case, user, step, files=[pdf("判决书.pdf")], kind=kind, result=result, date=str(on or today()), **extra)


def effective(case, user, on=None):
    return act(case, user, "effective", outcome="effective", date=str(on or today()))


def hearing(world, case, user="d01", version=None, **over):
    """A hearing, stating the case's current version unless `version` is given (as a page read just now)."""
    from fazhi.remedies.litigation.models import Litigation

    data = {"held_on": today(), "kind": "trial", "leader_name": "王局长", "leader_post": "head", "leader_title": "局长",
            "staff": ["李四"], "lawyers": [], "absence_reason": "", "absence_note": ""}
    if version is None:
        version = Litigation.objects.get(pk=case.pk).version
    return services.hearing_add(case=case, actor=world.user(user), data={**data, **over}, expected_version=version)


def absent_hearing(world, case, user="d01", **over):
    """A hearing at which only a lawyer appeared: nobody of the unit (rules.appearance)."""
    return hearing(world, case, user, leader_name="", leader_post="", staff=[], lawyers=["赵律师"],
                   absence_reason="official_duty", absence_note="参加区政府常务会议", **over)

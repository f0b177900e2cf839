"""Fixtures of the decisions tests: a catalogue with one decision of D01, and a helper acting on its steps
the way the pages and the API do (procedures.actions)."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fazhi.decisions import services
from fazhi.decisions.actions import STEP_ACTIONS
from fazhi.procedures import actions
from fazhi.programme.demo import DEMO_PDF


def pdf(name="材料.pdf"):
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


def today() -> date:
    return timezone.localdate()


def days(n: int) -> date:
    return today() + timedelta(days=n)


ITEM = {"title": "区老旧小区改造三年行动方案", "summary": "改造 2000 年前建成的小区", "maker": "区人民政府",
        "maker_head": "区长 王某"}


def make_decision(world, catalogue, unit="D01", **flags):
    data = {**ITEM, "unit": world.unit(unit), "planned": days(90), **flags}
    return services.decision_add(catalogue=catalogue, data=data, actor=world.user("fzb"))


@pytest.fixture
def catalogue(world):
    return services.catalogue_create(year=today().year, actor=world.user("fzb"))


@pytest.fixture
def decision(world, catalogue):
    return make_decision(world, catalogue)


def act(decision, user, step, files=(), **data):
    """One act on a step, parsed and performed as the API does; returns the decision fresh."""
    run = actions.run_for_record(decision, STEP_ACTIONS.code)
    parsed = actions.act_parse({"step": step, **data}, list(files), STEP_ACTIONS, run, actor=user)
    actions.act_perform(record_obj=decision, run=run, act=parsed, actions=STEP_ACTIONS, actor=user)
    decision.refresh_from_db()
    return decision


def consult_done(world, decision, opinions=0):
    """A public consultation on the decision that ran 31 days and ended yesterday, its opinions answered."""
    from fazhi.portal import services as portal

    start = days(-32)
    c = services.consultation_open(decision=decision, actor=world.user("d01"), title=f"关于{decision.title}的征求意见",
                                   text="征求意见稿全文", starts_on=start, ends_on=days(-1), today=start)
    for i in range(opinions):
        s, _ = portal.opinion_receive(target=c, unit=None, title=f"意见{i}", content="建议增加电梯", contact={"name": "李四"},
                                      files=[], ip="10.0.0.1", today=start)
        portal.opinion_answer(submission=s, adoption="adopted", reason="", actor=world.user("d01"),
                              expected_version=s.version)
    return c


def through(world, decision, last: str, skip=()):
    """Do every step in order up to and including `last`, except those in `skip` (conditional steps 不适用
    approved by the office unless flagged)."""
    d01, fzb = world.user("d01"), world.user("fzb")
    order = ["consult", "hearing", "expert", "risk", "legality_submit", "legality_review", "decide", "publish",
             "implement", "evaluate"]
    for step in order:
        if step not in skip:
            if step == "consult":
                consult_done(world, decision)
                decision = act(decision, d01, "consult")
            elif step == "hearing":
                if decision.hearing:
                    decision = act(decision, d01, "hearing", files=[pdf()], materials_on=str(days(-10)))
                else:
                    _not_applicable(world, decision, "hearing")
            elif step in ("expert", "risk"):
                flag = {"expert": "professional", "risk": "stability"}[step]
                if getattr(decision, flag):
                    decision = act(decision, d01, step, files=[pdf()])
                else:
                    _not_applicable(world, decision, step)
            elif step == "legality_submit":
                decision = act(decision, d01, step, files=[pdf()])
            elif step == "legality_review":
                decision = act(decision, fzb, step, outcome="lawful", note="合法")
            elif step == "decide":
                decision = act(decision, d01, step, files=[pdf("会议纪要.pdf")], outcome="approve",
                               meeting="区政府第12次常务会议", conclusion="同意实施")
            elif step == "publish":
                decision = act(decision, d01, step, channel="区政府网站")
            elif step == "implement":
                decision = act(decision, d01, step, note="已按计划实施")
            elif step == "evaluate":
                decision = act(decision, d01, step, files=[pdf()], note="达到预期")
        if step == last:
            break
    decision.refresh_from_db()
    return decision


def _not_applicable(world, decision, step):
    from fazhi.procedures.models import StepRecord

    act(decision, world.user("d01"), step, not_applicable=True, reason="不涉及")
    pending = StepRecord.objects.filter(run__object_id=str(decision.pk), step__code=step, kind="not_applicable").last()
    act(decision, world.user("fzb"), step, decide=pending.pk, approve=True)

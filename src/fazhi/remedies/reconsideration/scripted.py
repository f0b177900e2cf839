"""Cases scripted through the same services and step actions as the pages and the API: the demo builds its cases
with these, and the tests their fixtures."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

from fazhi.procedures import actions
from fazhi.remedies.reconsideration import services, steps

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def register(office, unit_code: str, *, received: date, applicant: str = "张三", act_name: str = "行政处罚决定",
             known: date | None = None, applied: date | None = None, **extra):
    data = {"unit": unit_code, "applicants": [{"name": applicant, "kind": "person", "contact": "13900000000"}],
            "act_name": act_name, "act_number": extra.pop("act_number", "罚决字〔2026〕1号"),
            "act_date": extra.pop("act_date", None), "known_on": known, "applied_on": applied or received,
            "received_on": received, "request": extra.pop("request", "撤销该行政处罚决定"),
            "grounds": extra.pop("grounds", "认定事实不清,适用法律错误"), **extra}
    return services.case_create(actor=office, data=data)


def act(case, actor, step: str, *, on: date | None = None, files=None, **data):
    """One act on a step of the case's procedure, as a page or the API posts it."""
    run = services.case_run(case)
    body = {"step": step, **{k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items() if v is not None}}
    if on is not None:
        body["date"] = on.isoformat()
    parsed = actions.act_parse(body, files or MultiValueDict(), steps.STEPS, run, actor=actor)
    actions.act_perform(record_obj=case, run=run, act=parsed, actions=steps.STEPS, actor=actor)
    case.refresh_from_db()
    return case


def reply_files() -> MultiValueDict:
    return MultiValueDict({"reply_letter": [pdf("答复书.pdf")], "evidence": [pdf("证据1.pdf"), pdf("依据.pdf")]})


def accept(case, office, on: date, kind: str = "normal"):
    return act(case, office, "accept", on=on, outcome="accept", procedure_kind=kind)


def through_reply(case, office, unit_user, *, accepted: date, kind: str = "normal", reply_after: int = 5):
    """受理 → 发送副本 (received the next day) → 答复."""
    accept(case, office, accepted, kind)
    act(case, office, "send_copy", on=accepted + timedelta(days=1), copy_received_on=accepted + timedelta(days=2))
    return act(case, unit_user, "reply", on=accepted + timedelta(days=2 + reply_after), files=reply_files())


# What the demo's decisions say, so that a letter's reasons agree with its outcome.
REASONS = {
    "maintain": ("经审理查明:被申请人作出行政行为的事实清楚。", "被申请人作出的行政行为认定事实清楚,证据确凿,适用依据正确,程序合法,内容适当。"),
    "dismiss": ("经审理查明:申请人的请求缺乏事实和法律依据。", "申请人认为被申请人未履行法定职责,但被申请人已依法履行,申请人的请求不能成立。"),
    "mediate": ("经审理查明:双方对处理结果存在争议。", "被申请人重新核定处理结果,申请人撤回其余请求,双方自愿达成协议。"),
}
PROBLEM = ("经审理查明:被申请人作出行政行为时未听取申请人的陈述、申辩。",
           "被申请人作出的行政行为违反法定程序,主要事实不清、证据不足。")


def decide(case, office, on: date, outcome: str = "maintain"):
    facts, reasoning = REASONS.get(outcome, PROBLEM)
    return act(case, office, "decide", on=on, outcome=outcome, facts=facts, reasoning=reasoning)

"""Demo 行政应诉 cases across several units, dated relative to today so the answer clocks are live: one within
its answer period, one overdue (open, past due), answered on time and late (D04 109号), in trial with hearings (with and
without the 负责人, one with a lawyer only), judged, on appeal, and effective — won, withdrawn, and one lost for
not answering with its open accountability record. Every act goes through the same services as the pages
(procedures.actions). Only `fazhi demo` calls this; running it again adds nothing (a case is found by its
court and number)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from fazhi.org.models import Unit, User
from fazhi.procedures import actions
from fazhi.procedures.actions import StepAct
from fazhi.programme.demo import demo_pdf
from fazhi.remedies.litigation import models as m
from fazhi.remedies.litigation import services
from fazhi.remedies.litigation.steps import STEP_ACTIONS

COURT, APPEAL_COURT = "西安市雁塔区人民法院", "西安市中级人民法院"

# (unit, number, 案由, act, plaintiff, received days ago, what happens: a list of (kind, days ago, details))
CASES = [
    ("D01", "(2026)陕0113行初101号", "城市管理行政处罚", "责令限期拆除决定", ("王某", m.PERSON), 3, []),
    ("D02", "(2026)陕0113行初102号", "政府信息公开", "政府信息公开答复", ("李某", m.PERSON), 25, []),  # overdue
    ("D03", "(2026)陕0113行初103号", "行政许可", "不予许可决定", ("某餐饮有限公司", m.LEGAL_PERSON), 30,
     [("answer", 20), ("hearing", 8, "head")]),
    ("D01", "(2026)陕0113行初104号", "行政强制", "查封决定", ("赵某", m.PERSON), 60,
     [("answer", 50), ("hearing", 30, "lawyer"), ("hearing", 20, "staff"), ("judgment", 10, "dismiss_claims")]),
    ("D04", "(2026)陕0113行初105号", "行政处罚", "罚款决定", ("某建材经营部", m.ORGANISATION), 120,
     [("answer", 110), ("hearing", 90, "deputy"), ("judgment", 70, "revoke", "facts"),
      ("appeal", 60, "unit")]),
    ("D02", "(2026)陕0113行初106号", "行政登记", "不动产登记行为", ("孙某", m.PERSON), 150,
     [("answer", 140), ("hearing", 120, "head"), ("judgment", 100, "dismiss_claims"), ("effective", 85)]),
    ("D05", "(2026)陕0113行初107号", "行政征收", "征收补偿决定", ("周某", m.PERSON), 140,
     [("answer", 130), ("judgment", 110, "withdrawn"), ("effective", 100)]),
    ("D03", "(2026)陕0113行初108号", "行政不作为", "未履行查处职责", ("吴某", m.PERSON), 180,
     [("hearing", 150, "staff"), ("judgment", 130, "order_perform", "no_answer", "duty"), ("effective", 110)]),
    ("D04", "(2026)陕0113行初109号", "行政处罚", "暂扣许可证决定", ("某运输公司", m.LEGAL_PERSON), 100,
     [("answer", 90), ("hearing", 70, "staff"), ("hearing", 50, "head"), ("judgment", 40, "partly_revoke", "law"),
      ("effective", 25)]),
]


def _act(case, user, step, on, files=(), **kw):
    act = StepAct(step=step, act_date=on, outcome=kw.pop("outcome", ""), note=kw.pop("note", ""),
                  files=list(files), not_applicable=False, reason="", decide=None, approve=None, extra=kw)
    run = actions.run_for_record(case, STEP_ACTIONS.code)
    actions.act_perform(record_obj=case, run=run, act=act, actions=STEP_ACTIONS, actor=user)
    case.refresh_from_db()
    return case


def _hearing(case, user, on, who):
    data = {"held_on": on, "kind": m.TRIAL_HEARING, "staff": [], "lawyers": ["陕西某律师事务所 刘律师"],
            "notice_received": True, "notice_on": on - timedelta(days=7)}
    if who in (m.HEAD, m.DEPUTY):
        data.update(leader_name="张建国" if who == m.HEAD else "李明", leader_post=who,
                    leader_title="局长" if who == m.HEAD else "副局长", staff=["法制科 陈静"])
    else:
        data.update(absence_reason="official_duty", absence_note="负责人参加区政府常务会议,委托法制科负责人出庭")
        if who == "staff":
            data["staff"] = ["法制科 陈静"]
    services.hearing_add(case=case, actor=user, data=data, files=[demo_pdf("出庭通知书.pdf")],
                         expected_version=m.Litigation.objects.get(pk=case.pk).version)


def _run(case, user, events, today):
    for kind, ago, *details in events:
        on = today - timedelta(days=ago)
        if kind == "answer":
            case = _act(case, user, "answer", on, defence=demo_pdf("答辩状.pdf"),
                        evidence=[demo_pdf("证据目录及证据.pdf"), demo_pdf("法律依据.pdf")])
        elif kind == "hearing":
            _hearing(case, user, on, details[0])
        elif kind == "judgment":
            result, *causes = details
            kind_ = m.RULING if result == m.WITHDRAWN else m.JUDGMENT
            case = _act(case, user, "judgment", on, files=[demo_pdf("裁判文书.pdf")], kind=kind_, result=result,
                        loss_causes=causes, loss_note="")
        elif kind == "appeal":
            case = _act(case, user, "appeal", on, appealed_by=details[0], appeal_court=APPEAL_COURT,
                        appeal_number="(2026)陕01行终" + case.case_number[-4:])
        elif kind == "effective":
            case = _act(case, user, "effective", on, outcome="effective")
    return case


def load() -> None:
    today = timezone.localdate()
    for code, number, cause, act_name, plaintiff, received_ago, events in CASES:
        if m.Litigation.objects.filter(court=COURT, case_number=number).exists():
            continue
        unit = Unit.objects.filter(code=code).first()
        user = User.objects.filter(username=code.lower()).first()
        if unit is None or user is None:
            continue
        with transaction.atomic():
            received = today - timedelta(days=received_ago)
            case = services.case_register(unit=unit, actor=user, data={
                "court": COURT, "case_number": number, "cause": cause, "court_level": m.FIRST,
                "plaintiffs": [{"name": plaintiff[0], "kind": plaintiff[1]}], "third_parties": [],
                "act_name": act_name, "act_number": f"{unit.short_name or unit.name}决〔{received.year}〕{number[-4:-1]}号",
                "act_date": received - timedelta(days=40), "after_reconsideration": number.endswith("106号"),
                "reconsideration_number": "区政府复〔2025〕8号" if number.endswith("106号") else "",
                "received_on": received, "note": ""})
            _run(case, user, events, today)

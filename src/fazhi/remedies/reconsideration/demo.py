"""Demo 行政复议 cases in every state, made through the same services and step actions as the pages, with dates
relative to today so the clocks are live: under review, correcting, restarted after 补正, in 审理 (one suspended,
one suspended and resumed, one extended, one overdue), decided with varied outcomes across several respondent
units (one late), not accepted, deemed withdrawn and terminated. Running it again adds nothing."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from fazhi.org.models import User
from fazhi.remedies.reconsideration import services
from fazhi.remedies.reconsideration.models import Reconsideration
from fazhi.remedies.reconsideration.scripted import act, decide, register, through_reply

MARK = "【演示】"


def load() -> list[Reconsideration]:
    if Reconsideration.objects.filter(grounds__startswith=MARK).exists():
        return list(Reconsideration.objects.filter(grounds__startswith=MARK))
    with transaction.atomic():
        return _load()


def _load():
    office = User.objects.get(username="fzb")
    users = {f"D0{i}": User.objects.get(username=f"d0{i}") for i in range(1, 6)}
    t = timezone.localdate()
    made = []

    def day(n: int):
        return t - timedelta(days=n)

    def new(unit, received: int, applicant: str, act_name: str, **kw):
        case = register(office, unit, received=day(received), applicant=applicant, act_name=act_name,
                        grounds=f"{MARK}申请人认为该行政行为认定事实不清、适用依据错误。", **kw)
        made.append(case)
        return case

    def heard(unit, received: int, accepted: int, applicant: str, act_name: str, kind="normal"):
        case = new(unit, received, applicant, act_name)
        return through_reply(case, office, users[unit], accepted=day(accepted), kind=kind, reply_after=6)

    # 审查中: received yesterday
    # (applied long after knowing of the act: flagged as beyond the application period, decided at acceptance)
    new("D01", 1, "陈某某", "行政处罚决定书", act_number="城管罚决字〔2026〕118号", known=day(100), applied=day(2))
    # 补正中: notice sent, the applicant has ten working days.
    case = new("D02", 6, "北山商贸有限公司", "责令限期整改通知", act_number="人社监令〔2026〕9号")
    act(case, office, "accept", on=day(5), outcome="correction", note="请补充提交营业执照复印件及法定代表人身份证明",
        notice_received_on=day(4))
    # 补正后重新起算, then accepted and in 审理 (the acceptance clock shows the restart).
    case = new("D03", 40, "刘某某", "政府信息公开答复", known=day(60), applied=day(41))
    act(case, office, "accept", on=day(39), outcome="correction", note="申请书未载明具体的复议请求,请补正",
        notice_received_on=day(38))
    services.correction_received(case=case, actor=office, on=day(30))
    through_reply(case, office, users["D03"], accepted=day(28))
    # 中止 (now): awaiting another case's outcome.
    case = heard("D01", 52, 50, "王某某", "强制拆除决定")
    services.suspend(case=case, actor=office, on=day(10), reason="other_case", note="待区人民法院相关民事案件审结")
    # 中止 and 恢复.
    case = heard("D04", 47, 45, "吴某某", "工伤认定决定")
    services.suspend(case=case, actor=office, on=day(30), reason="mediation", note="双方同意调解")
    services.resume(case=case, actor=office, on=day(20))
    # Extended (hearing held, the respondent's head attended).
    case = heard("D02", 72, 70, "东城物流有限公司", "行政处罚决定书")
    act(case, office, "hearing", on=day(40), hearing_place="区政府行政复议听证室", notice_on=day(50),
        leader_attended="yes", leader_name="张明", leader_post="副局长")
    services.extend(case=case, actor=office, days=30, approver="区司法局副局长 李华", basis="案情复杂,行政复议法第六十二条第一款",
                    notified_on=day(15))
    # Overdue: the decision period has passed, still open.
    heard("D05", 78, 75, "赵某某", "不予行政许可决定")

    # Decided, across five respondents (one decided after its simplified-procedure period).
    for unit, received, outcome, decided_ago, name, act_name, kind in [
        ("D01", 210, "maintain", 160, "孙某某", "行政处罚决定书", "normal"),
        ("D01", 190, "vary", 140, "周某某", "行政处罚决定书", "normal"),
        ("D02", 180, "revoke", 130, "南湖餐饮有限公司", "吊销许可证决定", "normal"),
        ("D02", 170, "dismiss", 125, "郑某某", "投诉处理答复", "normal"),
        ("D03", 160, "confirm_illegal", 110, "冯某某", "政府信息公开答复", "normal"),
        ("D03", 150, "maintain", 100, "褚某某", "行政处罚决定书", "normal"),
        ("D04", 140, "mediate", 95, "卫某某", "工伤认定决定", "normal"),
        ("D04", 130, "order_perform", 90, "蒋某某", "履行法定职责申请", "normal"),
        ("D05", 125, "revoke", 80, "沈某某", "不予登记决定", "simple"),
        ("D05", 110, "maintain", 60, "韩某某", "行政处罚决定书", "normal"),
    ]:
        case = heard(unit, received, received - 2, name, act_name, kind)
        decide(case, office, day(decided_ago), outcome)

    # 不予受理, 视为撤回, 终止.
    case = new("D01", 20, "杨某某", "信访事项处理意见")
    act(case, office, "accept", on=day(18), outcome="reject", note="信访处理意见不属于行政复议范围(第12条)")
    case = new("D02", 60, "朱某某", "行政处罚决定书")
    act(case, office, "accept", on=day(59), outcome="correction", note="请提交行政处罚决定书复印件",
        notice_received_on=day(58))
    services.withdraw(case=case, actor=office, on=day(20), note="补正期限届满未补正")
    case = heard("D03", 42, 40, "秦某某", "行政强制措施决定")
    services.terminate(case=case, actor=office, on=day(25), reason="settled", note="当事人达成和解,申请人撤回申请")
    return made

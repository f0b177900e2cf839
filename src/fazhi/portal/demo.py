"""Demo suggestions from the public (社会监督): one waiting for the office, one with a unit, one replied and
published, so each page shows something; and a public consultation in two rounds (`consultations_load`).
Only `fazhi demo` calls this; running it again adds nothing."""

from __future__ import annotations

from django.db import transaction

from fazhi.org.models import Unit, User
from fazhi.portal import rules, services
from fazhi.portal.models import ADOPTED, NOT_ADOPTED, PARTLY, SUGGESTION, Submission

DEMO_NET = "192.0.2."  # TEST-NET-1: never a real person's address; one per suggestion, well within the limit

SUGGESTIONS = [
    ("建议公布行政执法投诉电话", "建议在各执法单位办事大厅公布投诉举报电话,方便群众监督。我的电话 13912345678。",
     {"name": "张明", "phone": "13912345678"}, None, None),
    ("占道经营执法后是否有回访", "城区占道经营整治后反弹较多,建议执法后一个月内回访。",
     {"name": "欧阳丽", "email": "oyl@example.com"}, "D01", None),
    ("镇政府办事指南更新不及时", "五里镇便民服务中心公示的办事指南仍是去年的版本。",
     {}, "T05", "感谢您的监督。经核实,办事指南已于本周更新并在便民服务中心和政府网站公示。联系人:0915-3212345。"),
]


@transaction.atomic
def load(programme=None) -> list[Submission]:
    existing = list(Submission.objects.filter(contact__ip__startswith=DEMO_NET))
    if existing:
        return existing
    fzb = User.objects.get(username="fzb")
    made = []
    for i, (title, content, contact, unit_code, reply) in enumerate(SUGGESTIONS, start=10):
        submission, code = services.submission_receive(kind=SUGGESTION, title=title, content=content,
                                                       contact=contact, files=[], ip=f"{DEMO_NET}{i}", target=programme)
        if unit_code:
            unit = Unit.objects.get(code=unit_code)
            submission = services.submission_assign(submission=submission, unit=unit, actor=fzb,
                                                    note="请核实并答复。", expected_version=submission.version)
            if reply:
                admin = User.objects.filter(role_grants__unit=unit, role_grants__role="unit_admin").first() or fzb
                submission = services.submission_reply(submission=submission, actor=admin, reply=reply,
                                                       publish=True, expected_version=submission.version)
        submission.query_code = code  # only its hash is stored: shown once, by `fazhi demo`, to try 办理查询
        made.append(submission)
    return made


# A consultation on the programme's revised implementation plan: a first round closed with its opinions
# answered (the adoption table is public), a second round open now with one opinion waiting for its answer.
CLOSED_OPINIONS = [
    ("建议在实施方案中明确各镇街法治建设的考核分值。", {"name": "李华", "phone": "13700001111"}, ADOPTED, ""),
    ("建议增加行政执法公示的具体时限,我的邮箱 lihua@example.com。", {"email": "lihua@example.com"}, PARTLY,
     "公示时限已按国办发〔2018〕118号写入;其他建议在配套制度中研究。"),
    ("建议取消镇街的创建任务,由区级统一完成。", {}, NOT_ADOPTED, "镇街是法治建设的重要主体,创建任务须分解到各镇街。"),
]


@transaction.atomic
def consultations_load(programme=None) -> list:
    """The demo consultations (on the programme); running it again adds nothing."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from fazhi.deadlines.services import deadline_compute
    from fazhi.portal.models import Consultation

    if programme is None:
        return []
    existing = services.consultation_for(programme)
    if existing is not None:
        return list(Consultation.objects.filter(target_id=existing.target_id, target_type=existing.target_type))
    fzb, office = User.objects.get(username="fzb"), rules.office_unit()
    today = timezone.localdate()
    start = today - timedelta(days=45)
    first = services.consultation_open(
        target=programme, unit=office, title=f"《{programme.name}实施方案(修订征求意见稿)》第一轮公开征求意见",
        summary="根据上级督查意见修订实施方案,现向社会公开征求意见。",
        text="一、总体要求\n……\n二、主要任务\n(一)健全依法决策机制……\n(二)严格规范公正文明执法……",
        rule_id="normdoc.consult", starts_on=start, ends_on=deadline_compute("normdoc.consult", start).due,
        actor=fzb, today=start)
    for i, (content, contact, adoption, reason) in enumerate(CLOSED_OPINIONS, start=20):
        opinion, _ = services.opinion_receive(target=first, unit=office, title="对实施方案的意见", content=content,
                                              contact=contact, files=[], ip=f"{DEMO_NET}{i}", today=start)
        # Received during that round (the receipt time is the clock's, so the demo dates it back).
        received = timezone.make_aware(datetime.combine(start + timedelta(days=i - 19), time(10, 0)))
        Submission.objects.filter(pk=opinion.pk).update(submitted_at=received, assigned_at=received)
        services.opinion_answer(submission=opinion, adoption=adoption, reason=reason, actor=fzb,
                                expected_version=opinion.version)
    second = services.consultation_open(
        target=programme, unit=office, title=f"《{programme.name}实施方案(修订征求意见稿)》第二轮公开征求意见",
        summary="吸收第一轮意见后形成第二稿,再次公开征求意见。",
        text="一、总体要求\n……\n二、主要任务\n(一)健全依法决策机制……\n(三)行政执法公示于决定作出之日起7个工作日内完成……",
        rule_id="normdoc.consult", starts_on=today, ends_on=deadline_compute("normdoc.consult", today).due,
        actor=fzb, today=today)
    services.opinion_receive(target=second, unit=office, title="对第二稿的意见",
                             content="第二稿第(三)项建议同时明确公示平台。", contact={"name": "王强"}, files=[],
                             ip=f"{DEMO_NET}30", today=today)
    return [first, second]

"""Demo suggestions from the public (社会监督): one waiting for the office, one with a unit, one replied and
published, so each page shows something. Only `fazhi demo` calls this; running it again adds nothing."""

from __future__ import annotations

from django.db import transaction

from fazhi.org.models import Unit, User
from fazhi.portal import services
from fazhi.portal.models import SUGGESTION, Submission

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

"""The demo has a case in every state with live clocks (one overdue), hearings with and without the 负责人, a
case lost for not answering with its open accountability record on the office's work list; rates are
non-trivial; loading it again adds nothing."""

from django.urls import reverse

from fazhi.core import rates
from fazhi.deadlines.models import Deadline
from fazhi.remedies.litigation import demo
from fazhi.remedies.litigation import models as m


def test_demo_has_every_state_and_loads_once(world):
    demo.load()
    statuses = set(m.Litigation.objects.values_list("status", flat=True))
    assert statuses == {m.ANSWERING, m.TRIAL, m.JUDGED, m.APPEAL, m.EFFECTIVE}
    overdue = m.Litigation.objects.get(case_number="(2026)陕0113行初102号")
    clock = Deadline.objects.get(object_id=str(overdue.pk), purpose="litigation:litigation.answer")
    assert clock.status == Deadline.OPEN and clock.due < clock.start.__class__.today()
    acc = m.LitigationAccountability.objects.get()
    assert acc.status == m.ACC_OPEN and acc.grounds == ["no_answer"] and acc.litigation.lost
    assert m.Hearing.objects.filter(leader_appeared=True).exists()
    assert m.Hearing.objects.filter(appeared=False).exists()
    n = m.Litigation.objects.count()
    demo.load()
    assert m.Litigation.objects.count() == n == len(demo.CASES) and m.LitigationAccountability.objects.count() == 1
    fzb = world.user("fzb")
    for code in ("litigation.answer_on_time", "litigation.appearance", "litigation.leader_appearance",
                 "litigation.lost"):
        value = rates.compute(rates.get(code), fzb)["value"]
        assert value is not None and 0 < value < 1, code
    worklist = world.client("fzb").get(reverse("worklist")).content.decode()
    assert "败诉责任追究" in worklist and "行政应诉" in worklist
    page = world.client("fzb").get(reverse("litigation-list")).content.decode()
    assert "(2026)陕0113行初108号" in page

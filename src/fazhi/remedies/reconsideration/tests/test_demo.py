"""The demo: every state, live clocks, non-trivial rates; running it twice adds nothing."""

import pytest

from fazhi.core import rates
from fazhi.deadlines.models import Deadline
from fazhi.remedies.reconsideration import demo, rules, services
from fazhi.remedies.reconsideration.models import Reconsideration

pytestmark = pytest.mark.django_db


def test_demo_every_state_and_idempotent(world):
    made = demo.load()
    assert len(demo.load()) == len(made) == Reconsideration.objects.count()
    statuses = set(Reconsideration.objects.values_list("status", flat=True))
    assert statuses == set(rules.STATUS_LABELS)
    today = rules.today()
    decide_clocks = [services.clock(c, rules.DECIDE) for c in Reconsideration.objects.filter(status="hearing")]
    assert any(d.due < today and d.status == Deadline.OPEN for d in decide_clocks if d.paused_since is None)  # overdue
    assert any(e.kind == "extend" for d in decide_clocks for e in d.events.all())  # extended
    assert any(e.kind == "restart" for c in Reconsideration.objects.all()
               for e in services.clock(c, rules.ACCEPT).events.all())  # restarted after 补正
    assert any(rules.late_application(c) for c in Reconsideration.objects.all())
    office = world.user("fzb")
    correction = rates.compute(rates.get("reconsideration.correction"), office)
    on_time = rates.compute(rates.get("reconsideration.on_time"), office)
    assert (correction["numerator"], correction["denominator"]) == (5, 10)
    assert (on_time["numerator"], on_time["denominator"]) == (9, 10)
    assert len({c.unit_id for c in Reconsideration.objects.filter(status="decided")}) == 5

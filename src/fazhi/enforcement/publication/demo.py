"""Demo publication of decisions: of the decisions the penalty and licence demos made due, most are published on
their due day (on time), one a day late, one published and then withdrawn (a changed decision), the newest left
due so the work list shows them. Runs once: when any decision is already published it adds nothing."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from fazhi.deadlines.models import Deadline
from fazhi.enforcement.publication import services
from fazhi.enforcement.publication.models import DUE, PUBLISH_CLOCK, Publication

LEAVE_DUE = 2


def load() -> None:
    from fazhi.org.models import User

    office = User.objects.filter(username="fzb").first()
    if office is None or Publication.objects.exclude(state=DUE).exists():
        return
    today = timezone.localdate()
    due = list(Publication.objects.filter(state=DUE).order_by("decided_on", "id"))
    for i, pub in enumerate(due[:-LEAVE_DUE] if len(due) > LEAVE_DUE else []):
        clock = Deadline.objects.filter(content_type__model="publication", content_type__app_label="enforcement",
                                        object_id=str(pub.pk), purpose=PUBLISH_CLOCK).first()
        if clock is None:
            continue
        on = clock.due + timedelta(days=1) if i == 1 else max(pub.decided_on, clock.due - timedelta(days=2))
        if on > today:
            continue
        pub = services.publication_publish(publication=pub, on=on, actor=office)
        if i == 2 and pub.case is not None:
            start = min(today, on + timedelta(days=3))
            services.publication_withdraw_due(pub.case, on=start, reason="行政复议决定撤销原处罚决定(演示数据)",
                                              actor=office)
            services.publication_withdraw(publication=pub, on=min(today, start + timedelta(days=1)), actor=office)

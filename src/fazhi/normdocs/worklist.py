"""The work-list source of normative documents: validity ending within 90 days (rules.EXPIRY_NOTICE_DAYS)
is owed by the drafting unit (清理 or 重新制定). Their clocks (法制审查, 报备, 纠正) come through the stored
clocks' own source. Registered in NormdocsConfig.ready."""

from __future__ import annotations

from django.db.models import F, Value
from django.urls import reverse

from fazhi.deadlines.worklist import Source, columns, counts_q, state_q
from fazhi.normdocs import rules
from fazhi.normdocs.models import NormativeDocument

EXPIRY = "normdocs.expiry"


def _expiring(user, today, unit_path):
    qs = NormativeDocument.objects.visible_to(user).filter(rules.expiring_q(today)).order_by()
    return qs.in_subtree(unit_path) if unit_path else qs


def _rows(user, today, unit_path, state):
    qs = _expiring(user, today, unit_path).filter(state_q(state, today, field="valid_until"))
    return columns(qs, kind=EXPIRY, id=F("id"), unit=F("unit_id"), due=F("valid_until"), state=Value("open"),
                   title=F("title"))


def _counts(user, today, unit_path):
    return counts_q(_expiring(user, today, unit_path), today, field="valid_until")


SOURCES = [
    Source(kind=EXPIRY, label="规范性文件有效期届满", rows=_rows, counts=_counts,
           link=lambda item: reverse("normdoc-detail", args=[int(item.record_id)])),
]

"""Demo fault accountability on the penalty demo's cases: one decided (警告) with state compensation paid, one still
open. Running it again adds nothing (a record is found by its case)."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fazhi.enforcement.fault import services
from fazhi.enforcement.fault.models import FaultRecord

DEMO = [
    {"source": "reconsideration", "fault_kind": "procedure", "responsibility": "direct",
     "fault": "作出罚款决定前未告知当事人陈述、申辩的权利,决定被行政复议撤销(演示数据)",
     "decide": ("warning", "区监委〔{year}〕5号"), "compensation": ("3200.00", "赔〔{year}〕1号")},
    {"source": "inspection", "fault_kind": "facts", "responsibility": "leadership",
     "fault": "现场检查笔录与音像记录不一致,认定事实的证据不足(演示数据)", "decide": None, "compensation": None},
]


def load() -> None:
    from fazhi.enforcement.penalty.models import PenaltyCase
    from fazhi.enforcement.subjects.models import Officer
    from fazhi.org.models import User
    from fazhi.programme.demo import DEMO_PDF

    office = User.objects.filter(username="fzb").first()
    if office is None:
        return
    today = timezone.localdate()
    cases = [c for c in PenaltyCase.objects.select_related("unit").order_by("id")[:20]
             if Officer.objects.filter(unit_id=c.unit_id).exists()]
    for spec, case in zip(DEMO, cases[::3], strict=False):
        if FaultRecord.objects.filter(penalty_case=case).exists():
            continue
        officers = list(Officer.objects.filter(unit_id=case.unit_id).order_by("id")[:2])
        data = {k: spec[k] for k in ("source", "fault_kind", "responsibility", "fault")}
        record = services.fault_open(case=case, officers=officers, data={**data, "found_on": today - timedelta(days=20)},
                                     actor=office)
        if spec["decide"]:
            sanction, ref = spec["decide"]
            record = services.fault_decide(record=record, sanction=sanction, on=today - timedelta(days=10),
                                           ref=ref.format(year=today.year), note="", actor=office,
                                           expected_version=record.version)
        if spec["compensation"]:
            amount, ref = spec["compensation"]
            services.fault_compensation(record=record, amount=amount, on=today - timedelta(days=5),
                                        ref=ref.format(year=today.year),
                                        files=[SimpleUploadedFile("国家赔偿决定书.pdf", DEMO_PDF)], actor=office,
                                        expected_version=record.version)

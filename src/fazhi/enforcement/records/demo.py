"""Demo 全过程记录: on a few open penalty and licence cases of the demo, the first required records (a written record
as PDF, an audio-visual one as a short MP4), leaving others missing so the panels show both; then every registered
case's RecordCheck, so the records-complete rate has its data. Running it again adds nothing (only a case without
any record gets one)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fazhi.enforcement.records import rules, services
from fazhi.enforcement.records.models import ProcessRecord
from fazhi.enforcement.records.registry import AV, REQUIRED

# A few bytes with an MP4 header (ftyp isom): what a law-enforcement recorder's clip starts with.
DEMO_MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 256
CASES_WITH_RECORDS = 6


def _file(kind: str, label: str):
    from fazhi.programme.demo import DEMO_PDF

    if kind == AV:
        return SimpleUploadedFile(f"{label}-执法记录仪.mp4", DEMO_MP4, content_type="video/mp4")
    return SimpleUploadedFile(f"{label}-笔录.pdf", DEMO_PDF, content_type="application/pdf")


def load() -> None:
    from fazhi.enforcement.subjects.models import Officer
    from fazhi.org.models import User

    office = User.objects.filter(username="fzb").first()
    if office is None:
        return
    for label in list(REQUIRED):
        model = apps.get_model(label)
        open_cases = model.objects.select_related("unit").order_by("id")
        if any(f.name == "closed_on" for f in model._meta.fields):
            open_cases = open_cases.filter(closed_on__isnull=True)
        for case in open_cases[:CASES_WITH_RECORDS]:
            officer = Officer.objects.filter(unit_id=case.unit_id, active=True).order_by("id").first()
            missing = rules.records_missing(case)
            if officer is None or not missing or ProcessRecord.objects.for_case(case).exists():
                continue
            # the first missing record only: the case page then shows one done and the rest missing
            r = missing[0]
            day = getattr(case, "filed_on", None) or getattr(case, "received_on", None) or timezone.localdate()
            at = timezone.make_aware(datetime.combine(day, time(10, 0))) + timedelta(hours=1)
            services.record_add(case=case, step=r.step, kind=r.kind, file=_file(r.kind, r.label),
                                recorded_at=min(at, timezone.now()), place=f"{case.unit.name}执法现场",
                                officer=officer, note="演示数据", actor=office)
        for case in model.objects.select_related("unit").iterator(chunk_size=500):
            services.records_sync(case)

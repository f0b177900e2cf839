"""Demo programme: a two-year creation cycle that began on 1 January of this year (or last
year before May), the plan's responsibility table, and progress in every state, so the
warnings show real yellow and red states on the day the demo is loaded."""

from __future__ import annotations

import io
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from fazhi.org.models import PLAN_UNIT_KINDS, Unit, User
from fazhi.programme import imports, rules, services
from fazhi.programme.models import DONE, Assignment, Programme, WorkPlanFiling

# The smallest valid PDF: stands in for scanned evidence.
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
            b"endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def demo_pdf(name: str = "佐证材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, 1)


def programme_dates(today: date) -> tuple[date, date, dict]:
    """Two years from 1 January; phase ends placed around today so that something is overdue
    (mobilization ended two months ago) and something is due soon (implementation, in 5 days)."""
    start = date(today.year if today.month >= 5 else today.year - 1, 1, 1)
    end = date(start.year + 2, 1, 1) - timedelta(days=1)
    cuts = [start, max(start + timedelta(days=30), today - timedelta(days=60)), today + timedelta(days=5),
            today + timedelta(days=120), end]
    keys = ["mobilization", "implementation", "self_check", "acceptance"]
    phases = {k: (cuts[i] + timedelta(days=1 if i else 0), cuts[i + 1]) for i, k in enumerate(keys)}
    return start, end, phases


@transaction.atomic
def load() -> Programme:
    existing = Programme.objects.filter(name__startswith="依法行政示范区创建(演示)").first()
    if existing:
        return existing
    today = timezone.localdate()
    start, end, phases = programme_dates(today)
    fzb = User.objects.get(username="fzb")
    programme = services.programme_create(name=f"依法行政示范区创建(演示) {start.year}–{end.year}",
                                          start=start, end=end, phases=phases, actor=fzb)
    from importlib import resources

    data = resources.files("fazhi.programme").joinpath("data/responsibility_table.csv").read_bytes()
    imports.import_table(programme=programme, upload=io.BytesIO(data), actor=fzb)
    _progress(programme, today, fzb)
    _filings(programme, fzb)
    return programme


def _admin_of(unit: Unit) -> User | None:
    return User.objects.filter(role_grants__unit=unit, role_grants__role="unit_admin").first()


def _progress(programme: Programme, today: date, fzb: User) -> None:
    """Walk assignments through the real services: most units are on time, some lag."""
    lagging = {"T13", "T14", "T15", "D09"}
    assignments = (Assignment.objects.filter(programme=programme).select_related("unit", "task")
                   .order_by("unit__sort_order", "task__code"))
    for i, a in enumerate(assignments):
        user = _admin_of(a.unit) or fzb
        if a.unit.code in lagging:
            continue
        # Report and accept every period that has ended (continuous) or the task, if due.
        for _ in range(8):
            a.refresh_from_db()
            if a.status == DONE or a.due >= today:
                break
            r = services.report_submit(assignment=a, actor=user, text=f"{rules.period_display(a.period_label)}已按要求完成,材料见附件。",
                                       files=[demo_pdf()], expected_version=a.version)
            services.report_review(report=r, actor=fzb, accept=True)
        a.refresh_from_db()
        # A spread of current states for the rest.
        if a.status != DONE and i % 5 == 0:
            r = services.report_submit(assignment=a, actor=user, text="本期工作正在推进,已完成阶段性任务。",
                                       files=[demo_pdf("阶段材料.pdf")], expected_version=a.version)
            if i % 10 == 0:
                services.report_review(report=r, actor=fzb, accept=False, reason="佐证材料不完整,请补充会议纪要。")
        elif a.status == "not_started" and i % 3 == 0:
            services.assignment_start(assignment=a, actor=user, expected_version=a.version)


def _filings(programme: Programme, fzb: User) -> None:
    units = Unit.objects.filter(kind__in=PLAN_UNIT_KINDS).order_by("sort_order")
    for i, unit in enumerate(units):
        if unit.code in {"T14", "T15"}:
            continue  # not filed: red on the office's list
        user = _admin_of(unit) or fzb
        # The demo replays a year: most units filed in April, three after the 30 April deadline.
        days_from_due = 9 if unit.code in {"T10", "T11", "T12"} else -(3 + i % 10)
        filed_on = services.workplan_due(programme) + timedelta(days=days_from_due)
        filing = services.workplan_file(programme=programme, unit=unit, actor=user, files=[demo_pdf("创建工作方案.pdf")],
                                        act_date=min(filed_on, timezone.localdate()),
                                        data={"head_name": f"{unit.display_name}主要负责人", "head_title": "局长",
                                              "head_phone": f"0915-32{i:05d}", "deputy_name": "分管副职",
                                              "deputy_title": "副局长", "deputy_phone": f"0915-33{i:05d}",
                                              "staff": [{"name": "专人甲", "phone": f"138{i:08d}"}],
                                              "plan_summary": "成立创建工作领导小组,制订方案并分解到股室。"})
        WorkPlanFiling.objects.filter(pk=filing.pk).update(filed_at=timezone.make_aware(
            timezone.datetime.combine(filed_on, timezone.datetime.min.time())
            + timedelta(hours=10)))
        if unit.code in {"T10", "T11", "T12"}:
            continue
        elif i % 7 == 3:
            services.workplan_review(filing=filing, actor=fzb, archive=False, reason="缺少分管领导签字的方案正式文本。")
        elif i % 2 == 0:
            services.workplan_review(filing=filing, actor=fzb, archive=True)

"""The creation programme (plan 四, 五(三)(四)): phases, the responsibility table's tasks,
one assignment per task × unit, progress reports with evidence, and work-plan filing."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from fazhi.core.models import VersionedModel, VoidableModel, VoidableQuerySet, history
from fazhi.core.scoping import ReferenceQuerySet, ScopedQuerySet

PHASES = [
    ("mobilization", "动员部署"),
    ("implementation", "组织实施"),
    ("self_check", "自查整改"),
    ("acceptance", "考核验收"),
]
PHASE_LABELS = dict(PHASES)


class ProgrammeQuerySet(ReferenceQuerySet):
    def current(self):
        return self.filter(is_current=True).order_by("-start").first()


class Programme(VersionedModel):
    """A creation cycle (创建周期), e.g. two years, with its phases."""

    name = models.CharField("名称", max_length=200)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    is_current = models.BooleanField("当前周期", default=True)

    history = history()
    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = "创建周期"
        verbose_name_plural = "创建周期"
        ordering = ["-start"]
        constraints = [models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="programme_end_after_start")]

    def __str__(self) -> str:
        return self.name


class Phase(VersionedModel):
    """A phase of the programme. The plan's 六、实施步骤 is empty: the office sets the dates."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="phases")
    key = models.CharField("阶段", max_length=20, choices=PHASES)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")

    history = history()
    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = "阶段"
        verbose_name_plural = "阶段"
        ordering = ["programme", "start"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="programme_phase_once"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="programme_phase_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.get_key_display()


DUE_DATE, DUE_PHASE, DUE_CONTINUOUS = "date", "phase", "continuous"
DUE_KINDS = [(DUE_DATE, "指定日期"), (DUE_PHASE, "阶段结束"), (DUE_CONTINUOUS, "持续(定期报送)")]
PERIODS = [("monthly", "每月"), ("quarterly", "每季度"), ("half_yearly", "每半年"), ("yearly", "每年")]
PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}


class TaskQuerySet(ReferenceQuerySet, VoidableQuerySet):
    pass


class Task(VersionedModel, VoidableModel):
    """A target task (创建标准 → 目标任务) of the responsibility table."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="tasks")
    code = models.CharField("编号", max_length=20)
    category = models.CharField("类别", max_length=40)
    title = models.CharField("目标任务", max_length=300)
    requirement = models.TextField("工作要求", blank=True)
    lead_units = models.ManyToManyField("org.Unit", verbose_name="牵头单位", related_name="led_tasks", blank=True)
    responsible_spec = models.CharField("责任单位", max_length=500, blank=True,
                                        help_text="ALL = 全部部门和镇办;KEY = 27 个示范重点单位;或以分号分隔的单位代码")
    due_kind = models.CharField("完成时限类型", max_length=12, choices=DUE_KINDS)
    due_phase = models.CharField("阶段", max_length=20, choices=PHASES, blank=True)
    due_month_day = models.CharField("日期(月-日)", max_length=5, blank=True)
    report_period = models.CharField("报送周期", max_length=12, choices=PERIODS, blank=True)
    evidence = models.TextField("佐证材料", blank=True)

    history = history()
    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "目标任务"
        verbose_name_plural = "目标任务"
        ordering = ["programme", "code"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="programme_task_code_once")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def due_spec(self) -> str:
        if self.due_kind == DUE_PHASE:
            return f"phase:{self.due_phase}"
        if self.due_kind == DUE_DATE:
            return f"date:{self.due_month_day}"
        return "continuous"


NOT_STARTED, IN_PROGRESS, SUBMITTED, RETURNED, DONE = "not_started", "in_progress", "submitted", "returned", "done"
ASSIGNMENT_STATUSES = [
    (NOT_STARTED, "未开始"), (IN_PROGRESS, "进行中"), (SUBMITTED, "已报送"), (RETURNED, "退回"), (DONE, "已完成"),
]
# Open work the unit still owes: these turn yellow/red. A submitted report waits for the office.
OPEN_STATUSES = (NOT_STARTED, IN_PROGRESS, RETURNED)


class AssignmentQuerySet(ScopedQuerySet):
    def overdue(self, today):
        from fazhi.programme.rules import overdue_q  # the rule lives in rules.py

        return self.filter(overdue_q(today))


def _period_display(label: str) -> str:
    from fazhi.programme.rules import period_display  # the display lives with the period rules

    return period_display(label)


class Assignment(VersionedModel):
    """One task for one unit (牵头 or 责任). Category, phase and programme are copied from the
    task so the office's table filters and sorts on one indexed table at any size."""

    history_formatters = {"period_label": _period_display}

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.PROTECT, related_name="assignments")
    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="assignments")
    programme = models.ForeignKey(Programme, verbose_name="创建周期", on_delete=models.PROTECT, related_name="+")
    category = models.CharField("类别", max_length=40)
    phase = models.CharField("阶段", max_length=20, choices=PHASES, blank=True)
    is_lead = models.BooleanField("牵头", default=False)
    status = models.CharField("状态", max_length=12, choices=ASSIGNMENT_STATUSES, default=NOT_STARTED)
    due = models.DateField("完成时限")
    period_label = models.CharField("当前报送期", max_length=20, blank=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)

    history = history()
    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "任务分解"
        verbose_name_plural = "任务分解"
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="programme_assignment_once")]
        indexes = [
            models.Index(fields=["programme", "due", "id"], name="asg_prog_due"),
            models.Index(fields=["programme", "status", "due", "id"], name="asg_prog_status_due"),
            models.Index(fields=["programme", "category", "due", "id"], name="asg_prog_cat_due"),
            models.Index(fields=["programme", "phase", "due", "id"], name="asg_prog_phase_due"),
            models.Index(fields=["unit", "programme", "due", "id"], name="asg_unit_due"),
        ]

    def __str__(self) -> str:
        return f"{self.task.code} · {self.unit.display_name}"


class Tally(models.Model):
    """Counts of assignments by (unit, category, phase, status, due), kept by the services in the
    same transaction as each change. Overviews and list totals read these few rows instead of
    counting millions; `fazhi programme-retally` rebuilds them from the assignments."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=40)
    phase = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=12)
    due = models.DateField()
    count = models.IntegerField(default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "unit", "category", "phase", "status", "due"], name="tally_key")
        ]


class CategoryTally(models.Model):
    """The same counts without the unit, for the office's district-wide totals."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=40)
    phase = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=12)
    due = models.DateField()
    count = models.IntegerField(default=0)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "category", "phase", "status", "due"], name="ctally_key")]


REPORT_SUBMITTED, REPORT_ACCEPTED, REPORT_RETURNED, REPORT_WITHDRAWN = "submitted", "accepted", "returned", "withdrawn"
REPORT_STATUSES = [
    (REPORT_SUBMITTED, "待审核"), (REPORT_ACCEPTED, "已通过"), (REPORT_RETURNED, "已退回"), (REPORT_WITHDRAWN, "已撤回"),
]


class ProgressReport(VersionedModel):
    """A unit's progress report on an assignment, with evidence; reviewed by the office."""

    history_formatters = {"period_label": _period_display}

    assignment = models.ForeignKey(Assignment, verbose_name="任务分解", on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    period_label = models.CharField("报送期", max_length=20, blank=True)
    text = models.TextField("进展情况")
    status = models.CharField("状态", max_length=12, choices=REPORT_STATUSES, default=REPORT_SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报送人", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("报送时间", auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_reason = models.TextField("审核意见", blank=True)

    history = history()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "进展报送"
        verbose_name_plural = "进展报送"
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["status", "submitted_at"], name="report_status_at")]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.submitted_at:%Y-%m-%d}"


FILING_FILED, FILING_RETURNED, FILING_ARCHIVED = "filed", "returned", "archived"
FILING_STATUSES = [(FILING_FILED, "已报备"), (FILING_RETURNED, "退回补正"), (FILING_ARCHIVED, "已归档")]


class WorkPlanFiling(VersionedModel):
    """A unit's creation body (一把手牵总, 分管领导, 专人) and work plan, filed with the office
    (plan 五(四): 4月底前报领导小组办公室备案; the office 收集整理归档)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="filings")
    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="filings")
    head_name = models.CharField("一把手(牵总)", max_length=40)
    head_title = models.CharField("职务", max_length=60, blank=True)
    head_phone = models.CharField("电话", max_length=32)
    deputy_name = models.CharField("分管领导", max_length=40)
    deputy_title = models.CharField("职务", max_length=60, blank=True)
    deputy_phone = models.CharField("电话", max_length=32)
    staff = models.JSONField("专人(姓名、电话)", default=list)
    plan_summary = models.TextField("工作方案摘要", blank=True)
    status = models.CharField("状态", max_length=12, choices=FILING_STATUSES, default=FILING_FILED)
    due = models.DateField("报备时限")
    filed_at = models.DateTimeField("报备时间")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报备人", on_delete=models.PROTECT, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    review_reason = models.TextField("审核意见", blank=True)

    history = history()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "工作机构和方案备案"
        verbose_name_plural = "工作机构和方案备案"
        constraints = [models.UniqueConstraint(fields=["programme", "unit"], name="filing_once")]

    def __str__(self) -> str:
        return f"{self.unit} 创建工作机构和方案"

    @property
    def filed_late(self) -> bool:
        from fazhi.programme.rules import filed_late  # the rule lives in rules.py

        return filed_late(self)

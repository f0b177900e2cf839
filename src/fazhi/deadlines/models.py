"""The legal calendar's records: office-entered yearly arrangements, rule settings, and
computed deadlines kept on business records (so a new arrangement can recompute them)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from fazhi.core.models import AppendOnlyModel, AppendOnlyQuerySetMixin, VersionedModel, VoidableModel, VoidableQuerySet, history
from fazhi.core.scoping import ReferenceQuerySet, ScopedQuerySet


class ArrangementQuerySet(ReferenceQuerySet, VoidableQuerySet):
    pass


class CalendarYear(VersionedModel, VoidableModel):
    """The State Council's holiday arrangement for one year, entered by the office
    for a year the installed `chinesecalendar` does not cover."""

    year = models.PositiveSmallIntegerField("年度")
    source = models.CharField("依据文件", max_length=300, help_text="如: 国务院办公厅关于2027年部分节假日安排的通知")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)

    history = history()
    objects = ArrangementQuerySet.as_manager()

    class Meta:
        verbose_name = "年度放假安排"
        verbose_name_plural = "年度放假安排"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["year"], condition=Q(voided_at__isnull=True), name="deadlines_one_active_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} 年放假安排"


class CalendarDay(models.Model):
    HOLIDAY = "holiday"
    WORKDAY = "workday"
    KIND_CHOICES = [(HOLIDAY, "放假"), (WORKDAY, "调休上班")]

    arrangement = models.ForeignKey(CalendarYear, on_delete=models.PROTECT, related_name="days")
    date = models.DateField("日期")
    kind = models.CharField("类型", max_length=10, choices=KIND_CHOICES)
    name = models.CharField("节日", max_length=40, blank=True)

    class Meta:
        verbose_name = "放假安排日"
        verbose_name_plural = "放假安排日"
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["arrangement", "date"], name="deadlines_day_once")]


class RuleSettingQuerySet(ReferenceQuerySet):
    pass


class RuleSetting(VersionedModel):
    """The office's value for a configurable rule's period (the catalogue keeps the default)."""

    rule_id = models.CharField("规则", max_length=64, unique=True)
    period = models.PositiveIntegerField("期限")
    basis_note = models.TextField("调整依据", blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", on_delete=models.PROTECT, related_name="+")

    history = history()
    objects = RuleSettingQuerySet.as_manager()

    class Meta:
        verbose_name = "期限规则设置"
        verbose_name_plural = "期限规则设置"

    def __str__(self) -> str:
        return f"{self.rule_id} = {self.period}"


class DeadlineQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(status=Deadline.OPEN)

    def touching_year(self, year: int):
        return self.filter(first_year__lte=year, last_year__gte=year)


class Deadline(models.Model):
    """A deadline computed for a business record. It keeps its explanation, and is
    recomputed when an arrangement for a year it touches is entered."""

    OPEN, MET, CANCELLED = "open", "met", "cancelled"
    STATUS_CHOICES = [(OPEN, "进行中"), (MET, "已完成"), (CANCELLED, "已撤销")]

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    purpose = models.CharField("事项", max_length=64, help_text="同一记录上多个期限的区分,如 reply、decide")
    rule_id = models.CharField("规则", max_length=64, db_index=True)
    start = models.DateField("起算日")
    period = models.PositiveIntegerField("期限")
    due = models.DateField("届满日", db_index=True)
    provisional = models.BooleanField("暂定", default=False)
    first_year = models.PositiveSmallIntegerField()
    last_year = models.PositiveSmallIntegerField()
    explanation = models.JSONField("计算说明", default=dict)
    status = models.CharField("状态", max_length=10, choices=STATUS_CHOICES, default=OPEN, db_index=True)
    # Replayed from the clock's events (ClockEvent): paused since (中止, not yet resumed), closed on, late.
    paused_since = models.DateField("中止起始日", null=True, blank=True)
    closed_on = models.DateField("办结日", null=True, blank=True)
    late = models.BooleanField("逾期办结", null=True, blank=True)
    computed_at = models.DateTimeField("计算时间", auto_now=True)

    history = history()
    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = "期限"
        verbose_name_plural = "期限"
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "purpose"], name="deadlines_one_per_purpose")
        ]
        indexes = [models.Index(fields=["status", "first_year", "last_year"]),
                   # The open clocks of one kind of record by due date (selectors.overdue_records: the lists' and
                   # overviews' `overdue` at scale). Partial, so it stays small; `late IS NULL` (always true of an
                   # open clock) keeps SQLite's planner from taking it for an EXISTS on one record's clocks, which
                   # the unique (content_type, object_id, purpose) answers in one probe.
                   models.Index(fields=["content_type", "due"], name="deadline_open_by_due",
                                condition=Q(status="open", late__isnull=True))]

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.start} → {self.due}"

    @property
    def state(self) -> str:
        """open / paused / met / cancelled."""
        return PAUSED if self.status == self.OPEN and self.paused_since else self.status

    @property
    def state_display(self) -> str:
        return STATE_LABELS[self.state]


PAUSED = "paused"
STATE_LABELS = {Deadline.OPEN: "进行中", PAUSED: "暂停中", Deadline.MET: "已办结", Deadline.CANCELLED: "已撤销"}


class ClockEventQuerySet(AppendOnlyQuerySetMixin, ScopedQuerySet):
    unit_path_lookup = "deadline__unit__path"
    append_only_message = "期限事件只能追加,不能修改或删除"


class ClockEvent(AppendOnlyModel):
    """What happened to a deadline's clock, in the order entered: the due date and explanation are
    always these events replayed through the engine (deadlines/clock.py `replay`)."""

    OPEN, PAUSE, RESUME, RESTART, EXTEND, CLOSE = "open", "pause", "resume", "restart", "extend", "close"
    KIND_CHOICES = [(OPEN, "起算"), (PAUSE, "中止"), (RESUME, "恢复"), (RESTART, "重新起算"), (EXTEND, "延长"),
                    (CLOSE, "办结")]

    deadline = models.ForeignKey(Deadline, verbose_name="期限", on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("事项", max_length=10, choices=KIND_CHOICES)
    on = models.DateField("日期", help_text="行为发生之日: 起算日、中止起始日、恢复计算之日、办结日等")
    days = models.PositiveIntegerField("延长期间", null=True, blank=True)
    met = models.BooleanField("办结", null=True, blank=True, help_text="办结为是, 撤销为否")
    reason = models.TextField("原因", blank=True)
    approver = models.CharField("批准人", max_length=60, blank=True)
    basis = models.CharField("依据", max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = ClockEventQuerySet.as_manager()
    append_only_message = ClockEventQuerySet.append_only_message

    class Meta:
        verbose_name = "期限事件"
        verbose_name_plural = "期限事件"
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


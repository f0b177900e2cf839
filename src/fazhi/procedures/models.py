"""Procedures as data: versioned definitions with ordered steps, the run of a record through one
version, and the append-only step records that are the truth of what happened.

Every table here is append-only (the database refuses UPDATE and DELETE, core/append_only.py): a
published version is never edited — a change is a new version — and a run keeps the version it
started with.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from fazhi.core.models import AppendOnlyModel, AppendOnlyQuerySetMixin
from fazhi.core.scoping import ReferenceQuerySet, ScopedQuerySet
from fazhi.procedures.rules import DEADLINE_ACTIONS, RECORD_KINDS, STEP_ROLES


class AppendOnly(AppendOnlyModel):
    append_only_message = "程序定义和步骤记录只能追加,不能修改或删除;修改程序请发布新版本"

    class Meta:
        abstract = True


class DefinitionQuerySet(AppendOnlyQuerySetMixin, ReferenceQuerySet):
    append_only_message = AppendOnly.append_only_message

    def latest_versions(self):
        """The version in force of each procedure: its highest version."""
        newer = ProcedureDefinition.objects.filter(code=models.OuterRef("code"), version__gt=models.OuterRef("version"))
        return self.filter(~models.Exists(newer))


class ProcedureDefinition(AppendOnly):
    """One version of a procedure. The highest version of a code is in force for records started now."""

    code = models.CharField("程序编码", max_length=64)
    version = models.PositiveIntegerField("版本")
    name = models.CharField("名称", max_length=200)
    note = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("发布时间", default=timezone.now)

    objects = DefinitionQuerySet.as_manager()

    class Meta:
        verbose_name = "程序定义"
        verbose_name_plural = "程序定义"
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="procedure_version_once")]

    def __str__(self) -> str:
        return f"{self.name}(第 {self.version} 版)"


class StepQuerySet(AppendOnlyQuerySetMixin, ReferenceQuerySet):
    append_only_message = AppendOnly.append_only_message


class ProcedureStep(AppendOnly):
    definition = models.ForeignKey(ProcedureDefinition, on_delete=models.PROTECT, related_name="steps")
    position = models.PositiveSmallIntegerField("顺序")
    code = models.CharField("步骤编码", max_length=40)
    name = models.CharField("步骤名称", max_length=200)
    mandatory = models.BooleanField("必经", default=True)
    condition = models.CharField("适用条件", max_length=300, blank=True)
    requires = models.JSONField("前置步骤", default=list, blank=True)
    basis = models.CharField("法律依据", max_length=500)
    role = models.CharField("办理角色", max_length=12, choices=list(STEP_ROLES.items()))
    attachments_required = models.BooleanField("须附材料", default=False)
    deadline_rule = models.CharField("期限规则", max_length=64, blank=True)
    # What completing the step does to the record's clock of `deadline_rule` (services._clock_drive).
    deadline_action = models.CharField("期限动作", max_length=8, blank=True, default="",
                                       choices=list(DEADLINE_ACTIONS.items()))
    outcomes = models.JSONField("结果", default=list, blank=True)

    objects = StepQuerySet.as_manager()

    class Meta:
        verbose_name = "程序步骤"
        verbose_name_plural = "程序步骤"
        ordering = ["definition", "position"]
        constraints = [
            models.UniqueConstraint(fields=["definition", "code"], name="procedure_step_code_once"),
            models.UniqueConstraint(fields=["definition", "position"], name="procedure_step_position_once"),
        ]

    def __str__(self) -> str:
        return self.name


class RunQuerySet(AppendOnlyQuerySetMixin, ScopedQuerySet):
    append_only_message = AppendOnly.append_only_message

    def for_object(self, obj, code: str):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk), code=code)


class ProcedureRun(AppendOnly):
    """A record following one version of a procedure (a filing, a normative document, a decision).
    Scoped by the record's unit; its state is computed from its step records, never stored."""

    definition = models.ForeignKey(ProcedureDefinition, verbose_name="程序版本", on_delete=models.PROTECT,
                                   related_name="runs")
    code = models.CharField("程序编码", max_length=64)  # = definition.code: one run per record and procedure
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField("开始时间", default=timezone.now)

    objects = RunQuerySet.as_manager()

    class Meta:
        verbose_name = "程序办理"
        verbose_name_plural = "程序办理"
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id", "code"], name="procedure_run_once")]

    def __str__(self) -> str:
        return f"{self.definition} · {self.object_id}"


class RecordQuerySet(AppendOnlyQuerySetMixin, ScopedQuerySet):
    unit_path_lookup = "run__unit__path"
    append_only_message = AppendOnly.append_only_message


class StepRecord(AppendOnly):
    """One act on a step: done (with its outcome), marked 不适用 (with the reason), or the office's
    decision on such a mark. Never changed: a correction is a new record."""

    run = models.ForeignKey(ProcedureRun, on_delete=models.PROTECT, related_name="records")
    step = models.ForeignKey(ProcedureStep, verbose_name="步骤", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=16, choices=list(RECORD_KINDS.items()))
    outcome = models.CharField("结果", max_length=40, blank=True)
    act_date = models.DateField("办理日期")
    entered_at = models.DateTimeField("录入时间", default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办理人", on_delete=models.PROTECT, related_name="+")
    note = models.TextField("说明", blank=True)
    refers_to = models.ForeignKey("self", verbose_name="所批不适用申请", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="decisions")

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = "步骤记录"
        verbose_name_plural = "步骤记录"
        ordering = ["run", "id"]

    def __str__(self) -> str:
        return f"{self.step} · {self.get_kind_display()} · {self.act_date}"

"""执法全过程记录 (国办发〔2018〕118号 三): the written and audio-visual records of a case's steps — a file with the
time, place and recording officer — on any case (penalty, licence, …: a generic link), and per case the state of
its records (RecordCheck: what was required and what is missing, and when the case closed), which the
records-complete rate counts.

`unit` (the case's unit) is the scoping field of both. RecordCheck is written by services.records_sync only."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from fazhi.core.models import VoidableModel, VoidableQuerySet, history
from fazhi.core.scoping import ScopedQuerySet
from fazhi.enforcement.records.registry import KINDS, WRITTEN

__all__ = ["ProcessRecord", "RecordCheck"]


class ProcessRecordQuerySet(VoidableQuerySet):
    def for_case(self, case):
        return self.filter(content_type=ContentType.objects.get_for_model(case), object_id=str(case.pk))


class ProcessRecord(VoidableModel):
    """One record of one step of a case: its file (core.Attachment, attached to this record), when and where it
    was made, by which officer of the case's unit. Never deleted: voided with a reason."""

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    case = GenericForeignKey("content_type", "object_id")
    step = models.CharField("环节", max_length=32)
    kind = models.CharField("记录形式", max_length=8, choices=KINDS, default=WRITTEN)
    # Set in the transaction that creates the record (the file is attached to the record, so it needs its id).
    attachment = models.ForeignKey("core.Attachment", verbose_name="记录文件", null=True, on_delete=models.PROTECT,
                                   related_name="+")
    recorded_at = models.DateTimeField("记录时间")
    place = models.CharField("记录地点", max_length=200)
    officer = models.ForeignKey("enforcement.Officer", verbose_name="记录人(执法人员)", on_delete=models.PROTECT,
                                related_name="+")
    note = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    history = history()
    objects = ProcessRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "执法全过程记录"
        verbose_name_plural = "执法全过程记录"
        ordering = ["recorded_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "step"], name="process_record_case"),
                   models.Index(fields=["unit", "recorded_at"], name="process_record_unit")]

    def __str__(self) -> str:
        return f"{self.step} {self.get_kind_display()} {self.recorded_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        case = self.case
        url = case.get_absolute_url() if case is not None and hasattr(case, "get_absolute_url") else ""
        return f"{url}#record-{self.pk}"


class RecordCheck(models.Model):
    """The records of one case against what its module requires, kept current by services.records_sync (on every
    record added or voided, and when the module closes the case): the records-complete rate counts these."""

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    case = GenericForeignKey("content_type", "object_id")
    title = models.CharField("案件", max_length=300)
    required = models.JSONField("应有记录", default=list)  # ["step:kind", …]
    missing = models.JSONField("缺少记录", default=list)  # [{"step", "kind", "label"}]
    complete = models.BooleanField("记录齐全", default=False)
    closed_on = models.DateField("结案日期", null=True, blank=True, db_index=True)
    checked_at = models.DateTimeField("核对时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "全过程记录核对"
        verbose_name_plural = "全过程记录核对"
        ordering = ["-closed_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="record_check_once")]
        indexes = [models.Index(fields=["unit", "closed_on"], name="record_check_unit_closed")]

    def __str__(self) -> str:
        return self.title

    @property
    def missing_text(self) -> str:
        from fazhi.enforcement.records.registry import KIND_LABELS

        return "、".join(f"{m['label']}({KIND_LABELS.get(m['kind'], m['kind'])})" for m in self.missing) or "—"

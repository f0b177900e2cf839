"""Base models shared by every module: unit scoping, versions, voiding, history, events."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from simple_history.manager import HistoricalQuerySet
from simple_history.models import HistoricalRecords

from fazhi.core.scoping import ScopedQuerySet


class AppendOnlyQuerySetMixin:
    """Queryset `update()`/`delete()` refused too; the database's triggers (core/append_only.py)
    refuse whatever gets past Python."""

    append_only_message = "历史记录只能追加,不能修改或删除"

    def update(self, **kwargs):
        raise PermissionDenied(self.append_only_message)

    def delete(self):
        raise PermissionDenied(self.append_only_message)


class AppendOnlyQuerySet(AppendOnlyQuerySetMixin, models.QuerySet):
    """`HistoricalX.objects`."""


class AppendOnlyHistoryQuerySet(AppendOnlyQuerySetMixin, HistoricalQuerySet):
    """`record.history` of a business record."""


class AppendOnlyHistory(models.Model):
    """Base of every historical table: rows are written once, never changed or removed."""

    append_only = True  # the database refuses UPDATE and DELETE too (core/append_only.py)
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("历史记录只能追加,不能修改")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("历史记录不能删除")


def history() -> HistoricalRecords:
    """Field history for a business model: who, when, before → after, append-only."""
    return HistoricalRecords(bases=[AppendOnlyHistory], cascade_delete_history=False, inherit=False,
                             historical_queryset=AppendOnlyHistoryQuerySet)


class VersionedModel(models.Model):
    """Optimistic locking: an edit carries the version it was made from; a stale one is refused."""

    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        abstract = True


class VoidableQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(voided_at__isnull=True)


class VoidableModel(models.Model):
    """Users never delete a business record: they void it with a reason."""

    voided_at = models.DateTimeField("作废时间", null=True, blank=True, editable=False)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="作废人", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", editable=False,
    )
    void_reason = models.TextField("作废原因", blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


class AppendOnlyModel(models.Model):
    """A record that is only ever added: saving an existing one or deleting one is refused here, and
    the database's triggers (core/append_only.py, for every model with `append_only = True`) refuse
    whatever gets past Python. A correction is a new record."""

    append_only = True
    append_only_message = "该记录只能追加,不能修改或删除"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied(self.append_only_message)
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(self.append_only_message)


class EventQuerySet(AppendOnlyQuerySetMixin, ScopedQuerySet):
    unit_path_lookup = "unit__path"
    append_only_message = "业务事件只能追加,不能修改或删除"

    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))


class Event(AppendOnlyModel):
    """A domain event (submitted, returned, accepted, overdue …): what happened legally, by whom."""

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    unit = models.ForeignKey("org.Unit", verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    verb = models.CharField("事件", max_length=64, db_index=True)
    summary = models.CharField("摘要", max_length=500)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64, blank=True)
    reason = models.TextField("理由", blank=True)
    data = models.JSONField("数据", default=dict, blank=True)

    objects = EventQuerySet.as_manager()
    append_only_message = "业务事件只能追加,不能修改或删除"

    class Meta:
        verbose_name = "业务事件"
        verbose_name_plural = "业务事件"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.summary}"



def attachment_path(instance, filename: str) -> str:
    # Generated names only: the uploader's file name is kept in the database, never on disk.
    import uuid

    return f"evidence/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{instance.kind}"


class AttachmentQuerySet(VoidableQuerySet):
    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))


class Attachment(VoidableModel):
    """Evidence (佐证材料) on any record; belongs to the record's unit, so it is scoped with it."""

    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    file = models.FileField("文件", upload_to=attachment_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=255)
    kind = models.CharField("类型", max_length=8)
    size = models.PositiveBigIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    history = history()
    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.original_name


def gongwen_template_path(instance, filename: str) -> str:
    import uuid

    return f"gongwen/{timezone.localdate():%Y}/{uuid.uuid4().hex}.docx"


class GongwenTemplateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The office's own records (for the history page): the office sees them, nobody else."""
        from fazhi.core.scoping import scope_for

        return self.all() if user.is_authenticated and scope_for(user).is_office else self.none()

    def active(self):
        return self.filter(voided_at__isnull=True)

    def current(self):
        """The template in force: the one most recently uploaded or restored, not voided."""
        return self.active().order_by("-activated_at", "-id").first()


class GongwenTemplate(VoidableModel):
    """A .docx the office uploaded for 公文 output. Never deleted: a newer upload or a restore makes
    one current; a void (with reason) withdraws it, and the previous one is current again."""

    file = models.FileField("文件", upload_to=gongwen_template_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=255)
    size = models.PositiveBigIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    note = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    activated_at = models.DateTimeField("启用时间", default=timezone.now)

    history = history()
    objects = GongwenTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = "公文模板"
        verbose_name_plural = "公文模板"

    def __str__(self) -> str:
        return self.original_name


class NumberSeries(models.Model):
    """The last serial taken of a numbering series in a year (文号: `normdoc:<unit>` 2026 → 7). Written only
    through `core.numbering.number_take`, which locks the row inside the caller's transaction."""

    series = models.CharField("编号序列", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已取最大号", default=0)

    class Meta:
        verbose_name = "编号序列"
        verbose_name_plural = "编号序列"
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="number_series_year_once")]

    def __str__(self) -> str:
        return f"{self.series} {self.year}: {self.last}"

"""Public submissions (公众来件): one record type for every form the public uses — suggestions on the
creation programme (意见建议) now; opinions on drafts (征求意见) and complaints (投诉举报) next.

A submission belongs to its handling unit (the office's unit until the office assigns it), so the
one scoping rule applies. What identifies the person (name, phone, e-mail, address) sits in a
separate table without field history, read only through `selectors.contact_for` (handling unit and
office), so neither the record history page nor a list can show it to anyone else."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.functional import cached_property

from fazhi.core.models import VersionedModel, history
from fazhi.core.scoping import ScopedQuerySet

SUGGESTION, OPINION, COMPLAINT = "suggestion", "opinion", "complaint"
KIND_CHOICES = [(SUGGESTION, "意见建议"), (OPINION, "草案意见"), (COMPLAINT, "投诉举报")]
KIND_LABELS = dict(KIND_CHOICES)

RECEIVED, ASSIGNED, REPLIED = "received", "assigned", "replied"
STATUS_CHOICES = [(RECEIVED, "已收到,待交办"), (ASSIGNED, "办理中"), (REPLIED, "已答复")]
STATUS_LABELS = dict(STATUS_CHOICES)

# The answer to an opinion on a draft (意见采纳情况); its reason is the submission's `reply`.
ADOPTED, PARTLY, NOT_ADOPTED = "adopted", "partly", "not_adopted"
ADOPTION_CHOICES = [(ADOPTED, "采纳"), (PARTLY, "部分采纳"), (NOT_ADOPTED, "不予采纳")]
ADOPTION_LABELS = dict(ADOPTION_CHOICES)


class SubmissionQuerySet(ScopedQuerySet):
    pass


class Submission(VersionedModel):
    """One public submission with its tracking number (受理编号) and hashed query code (查询码)."""

    tracking_no = models.CharField("受理编号", max_length=24, unique=True)
    query_code_hash = models.CharField("查询码(摘要)", max_length=128, editable=False)
    kind = models.CharField("类型", max_length=12, choices=KIND_CHOICES)
    # What it is about (the programme, a draft …), if anything.
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=64, blank=True)
    title = models.CharField("主题", max_length=200)
    content = models.TextField("内容")
    unit = models.ForeignKey("org.Unit", verbose_name="办理单位", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=12, choices=STATUS_CHOICES, default=RECEIVED, db_index=True)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    assigned_at = models.DateTimeField("交办时间", null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="交办人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    assign_note = models.TextField("交办意见", blank=True)
    reply = models.TextField("答复", blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    reply_published = models.BooleanField("答复在公众查询页公开", default=False)
    adoption = models.CharField("采纳情况", max_length=12, choices=ADOPTION_CHOICES, blank=True)

    history = history()
    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = "公众来件"
        verbose_name_plural = "公众来件"
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["unit", "status", "submitted_at"], name="portal_sub_unit_status")]

    def __str__(self) -> str:
        return f"{self.tracking_no} {self.title}"


# ------------------------------------------------------------------ public consultation (公开征求意见)

CONSULT_RULES = {
    "normdoc.consult": "规范性文件(一般)",
    "normdoc.consult_business": "涉企规范性文件",
    "decision.consult": "重大行政决策",
}
NOT_STARTED, OPEN, CLOSED = "not_started", "open", "closed"
CONSULT_STATE_LABELS = {NOT_STARTED: "未开始", OPEN: "征求中", CLOSED: "已截止"}


class ConsultationQuerySet(ScopedQuerySet):
    def started(self, today):
        return self.filter(starts_on__lte=today)


class Consultation(VersionedModel):
    """One public consultation on a draft (a normative document, a major decision …), owned by the drafting
    unit. Its state follows from the dates; its opinions are Submissions (kind OPINION) targeting it."""

    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=64)
    unit = models.ForeignKey("org.Unit", verbose_name="起草单位", on_delete=models.PROTECT, related_name="+")
    # The id on the public site: random, so a page never shows a record id and ids are not guessed in turn.
    public_code = models.CharField("公开编号", max_length=16, unique=True, editable=False)
    title = models.CharField("标题", max_length=200)
    summary = models.TextField("起草说明(摘要)", blank=True)
    text = models.TextField("征求意见稿")
    rule_id = models.CharField("期限规则", max_length=40, choices=list(CONSULT_RULES.items()))
    starts_on = models.DateField("开始日期", db_index=True)
    ends_on = models.DateField("截止日期", db_index=True)
    shorter_reason = models.TextField("缩短征求意见期的理由", blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT,
                                  related_name="+")
    opened_at = models.DateTimeField("发布时间", auto_now_add=True)

    history = history()
    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = "公开征求意见"
        verbose_name_plural = "公开征求意见"
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="portal_consult_target")]

    def __str__(self) -> str:
        return self.title

    def state(self, today=None) -> str:
        from django.utils import timezone

        today = today or timezone.localdate()
        if today < self.starts_on:
            return NOT_STARTED
        return OPEN if today <= self.ends_on else CLOSED

    @property
    def state_label(self) -> str:
        return CONSULT_STATE_LABELS[self.state()]

    @property
    def is_open(self) -> bool:
        return self.state() == OPEN

    @property
    def is_closed(self) -> bool:
        return self.state() == CLOSED

    @cached_property
    def opinion_counts(self):
        """Opinions received and answered, by adoption (one query; for the record pages' include)."""
        from fazhi.portal.selectors import OpinionCounts, opinion_counts

        return opinion_counts([self]).get(self.pk, OpinionCounts())

    @cached_property
    def missing(self) -> list[str]:
        from fazhi.portal.services import consultation_missing

        return consultation_missing(self)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("consultation-detail", args=[self.pk])

    def get_public_url(self) -> str:
        from django.urls import reverse

        return reverse("public-consultation", args=[self.public_code])


class SubmissionContact(models.Model):
    """Who sent it. No field history and no scoped manager on purpose: only `selectors.contact_for` reads it."""

    submission = models.OneToOneField(Submission, on_delete=models.PROTECT, related_name="contact")
    name = models.CharField("姓名", max_length=40, blank=True)
    phone = models.CharField("电话", max_length=32, blank=True)
    email = models.EmailField("电子邮箱", max_length=120, blank=True)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)

    class Meta:
        verbose_name = "来件联系方式"
        verbose_name_plural = "来件联系方式"


def submission_file_path(instance, filename: str) -> str:
    import uuid

    from django.utils import timezone

    return f"public/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{instance.kind}"


class SubmissionFile(models.Model):
    """An attachment sent with a submission, checked by content (core/uploads.py). Like the contact it may
    identify the person, so the same rule decides who downloads it."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="files")
    file = models.FileField("文件", upload_to=submission_file_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=255)
    kind = models.CharField("类型", max_length=8)
    size = models.PositiveBigIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "来件附件"
        verbose_name_plural = "来件附件"


class PublicCounter(models.Model):
    """How often one address did one thing (submit, a failed query) in one clock hour. Counted with an
    atomic UPDATE in the database, so every app process sees the same count."""

    ip = models.GenericIPAddressField()
    action = models.CharField(max_length=20)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ip", "action", "window_start"], name="portal_counter_once")]
        indexes = [models.Index(fields=["window_start"], name="portal_counter_window")]

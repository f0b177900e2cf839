"""Writes of public submissions, in transactions: receive (with the per-address limit, attachment checks,
tracking number and query code, the acceptance clock), assign to a unit (the handling clock), reply,
and the public lookup by tracking number and query code (which counts failures per address).

Every public form goes through `submission_receive`; a module adds its own kind and target."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from fazhi.core.errors import InvalidInput, NotAllowed, RateLimited
from fazhi.core.services import event_record, versioned_update
from fazhi.core.uploads import check_upload
from fazhi.portal import rules
from fazhi.portal.models import (
    ASSIGNED, KIND_LABELS, RECEIVED, REPLIED, PublicCounter, Submission, SubmissionContact, SubmissionFile,
)

SUBMIT, QUERY_FAIL = "submit", "query_fail"
TITLE_MAX, CONTENT_MAX, REPLY_MAX, NOTE_MAX = 200, 5000, 5000, 2000
FILES_MAX = 5
PHONE_RE = re.compile(r"^[0-9+\-() ]{5,32}$")
NOT_FOUND = "受理编号或查询码不正确,请核对后重新输入(受理编号形如 20260517-K7QX3M9P,查询码为 8 位字母数字)"


# ------------------------------------------------------------------ limits per address and hour


def _window(now: datetime) -> datetime:
    """The clock hour (China Standard Time) `now` falls in: the unit every limit counts in."""
    return timezone.localtime(now).replace(minute=0, second=0, microsecond=0)


def _limit_message(action: str, limit: int, window: datetime) -> str:
    retry = window + timedelta(hours=1)
    when = f"{retry:%H:%M}" if retry.date() == timezone.localdate() else f"{retry:%Y-%m-%d %H:%M}"
    if action == SUBMIT:
        return f"提交过于频繁:同一网络地址每小时最多提交 {limit} 次,本小时已达上限。请于 {when} 后再提交。"
    return f"查询失败次数过多:同一网络地址每小时最多输错 {limit} 次。请于 {when} 后再查询。"


def limit_check(*, ip: str, action: str, limit: int, now: datetime | None = None) -> None:
    """Refuse (RateLimited) when the address used up `limit` in this hour; records nothing."""
    window = _window(now or timezone.now())
    used = (PublicCounter.objects.filter(ip=ip, action=action, window_start=window)
            .values_list("count", flat=True).first() or 0)
    if used >= limit:
        raise RateLimited(_limit_message(action, limit, window), retry_at=window + timedelta(hours=1))


@transaction.atomic
def limit_hit(*, ip: str, action: str, limit: int, now: datetime | None = None) -> int:
    """Count one more for the address in this hour, or refuse once the limit is used up. The increment is an
    UPDATE of one row (row-locked), so concurrent requests in several processes never both get the last one."""
    now = now or timezone.now()
    window = _window(now)
    try:
        with transaction.atomic():
            counter, _ = PublicCounter.objects.get_or_create(ip=ip, action=action, window_start=window)
    except IntegrityError:  # created by a concurrent request between the get and the create
        counter = PublicCounter.objects.get(ip=ip, action=action, window_start=window)
    PublicCounter.objects.filter(pk=counter.pk).update(count=F("count") + 1)
    used = PublicCounter.objects.filter(pk=counter.pk).values_list("count", flat=True).get()
    if used > limit:  # the raise rolls the increment back
        raise RateLimited(_limit_message(action, limit, window), retry_at=window + timedelta(hours=1))
    # Hours long gone are of no use to anyone.
    PublicCounter.objects.filter(window_start__lt=window - timedelta(days=2)).delete()
    return used


# ------------------------------------------------------------------ receive


def _clean(value: str | None, *, field: str, label: str, max_len: int, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"请填写{label}", field=field)
    if len(value) > max_len:
        raise InvalidInput(f"{label}最多 {max_len} 字,现有 {len(value)} 字;请删减后再提交", field=field)
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in value):
        raise InvalidInput(f"{label}含有不可见的控制字符;请删除后再提交", field=field)
    return value


def _clean_contact(contact: dict) -> dict:
    name = _clean(contact.get("name"), field="name", label="姓名", max_len=40, required=False)
    phone = _clean(contact.get("phone"), field="phone", label="联系电话", max_len=32, required=False)
    if phone and not PHONE_RE.match(phone):
        raise InvalidInput("联系电话只能含数字、空格、+、- 和括号,如 13800000000 或 0915-3200000", field="phone")
    email = _clean(contact.get("email"), field="email", label="电子邮箱", max_len=120, required=False)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput("电子邮箱格式不正确,应形如 name@example.com", field="email") from None
    return {"name": name, "phone": phone, "email": email}


@transaction.atomic
def submission_receive(*, kind: str, title: str, content: str, contact: dict, files, ip: str, target=None,
                       handling_unit=None, today: date | None = None) -> tuple[Submission, str]:
    """Receive a public submission. Returns it with its query code (shown once; only its hash is kept).
    Refuses (RateLimited) past the per-address hourly limit; the count only grows for a submission kept."""
    if kind not in KIND_LABELS:
        raise InvalidInput(f"未知的来件类型「{kind}」", field="kind")
    today = today or timezone.localdate()
    limit_hit(ip=ip, action=SUBMIT, limit=rules.submit_limit())
    title = _clean(title, field="title", label="主题", max_len=TITLE_MAX, required=True)
    content = _clean(content, field="content", label="内容", max_len=CONTENT_MAX, required=True)
    person = _clean_contact(contact or {})
    files = list(files or [])
    if len(files) > FILES_MAX:
        raise InvalidInput(f"附件最多 {FILES_MAX} 个,现有 {len(files)} 个;请合并或删减后再提交", field="files")
    checked = [(f, *check_upload(f, field="files")) for f in files]
    unit = handling_unit or rules.office_unit()
    if unit is None:
        raise InvalidInput("系统尚未设置受理单位(领导小组办公室),暂不能受理;请联系法制办", field="kind")
    code = rules.new_query_code()
    from django.contrib.contenttypes.models import ContentType

    for _ in range(5):  # a clash of random numbers on the same day is next to impossible; try again if so
        tracking_no = rules.new_tracking_no(today)
        if not Submission.objects.filter(tracking_no=tracking_no).exists():
            break
    submission = Submission.objects.create(
        tracking_no=tracking_no, query_code_hash=make_password(code), kind=kind, title=title, content=content,
        unit=unit, target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
    )
    SubmissionContact.objects.create(submission=submission, ip=ip or None, **person)
    for upload, file_kind, digest, size in checked:
        stored = SubmissionFile(submission=submission, original_name=upload.name[:255], kind=file_kind, size=size,
                                sha256=digest)
        stored.file.save(upload.name, upload, save=False)
        stored.save()
    from fazhi.deadlines.services import deadline_open

    deadline_open(obj=submission, unit=unit, purpose=rules.ACCEPT_PURPOSE, rule_id=rules.ACCEPT_RULE, start=today)
    event_record(verb="portal.received", summary=f"收到{KIND_LABELS[kind]}「{title[:60]}」({tracking_no})",
                 unit=unit, obj=submission, data={"tracking_no": tracking_no, "files": len(checked)})
    return submission, code


# ------------------------------------------------------------------ handle


def _clock(submission: Submission, purpose: str):
    from fazhi.portal.selectors import clock_of

    return clock_of(submission, purpose)


@transaction.atomic
def submission_assign(*, submission: Submission, unit, actor, note: str = "", expected_version: int | None,
                      today: date | None = None) -> Submission:
    """The office assigns a received submission to a unit: acceptance clock met, the handling clock starts."""
    if not rules.can_assign(actor):
        raise NotAllowed("只有法制办可以交办公众来件")
    if submission.status != RECEIVED:
        raise InvalidInput(f"该来件已{'答复' if submission.status == REPLIED else '交办'},不能再交办", field="unit")
    if unit is None or not unit.active:
        raise InvalidInput("请选择承办单位", field="unit")
    note = _clean(note, field="note", label="交办意见", max_len=NOTE_MAX, required=False)
    today = today or timezone.localdate()
    submission = versioned_update(submission, expected_version=expected_version, reason=f"交办{unit.name}",
                                  changes={"unit": unit, "status": ASSIGNED, "assigned_at": timezone.now(),
                                           "assigned_by": actor, "assign_note": note})
    from fazhi.deadlines.services import deadline_close, deadline_open

    accept = _clock(submission, rules.ACCEPT_PURPOSE)
    if accept is not None:
        deadline_close(deadline=accept, met=True, actor=actor)
    deadline_open(obj=submission, unit=unit, purpose=rules.HANDLE_PURPOSE, rule_id=rules.HANDLE_RULE, start=today,
                  actor=actor)
    event_record(verb="portal.assigned", summary=f"交办{unit.name}:{submission.tracking_no}", actor=actor,
                 unit=unit, obj=submission, reason=note)
    return submission


@transaction.atomic
def submission_reply(*, submission: Submission, actor, reply: str, publish: bool,
                     expected_version: int | None) -> Submission:
    """The handling unit replies; the handling clock is met. `publish` shows the reply (masked) to whoever
    holds the tracking number and query code."""
    if not rules.can_reply(actor, submission):
        if submission.status != ASSIGNED:
            raise InvalidInput("该来件尚未交办或已答复,不能答复", field="reply")
        raise NotAllowed("只有承办单位可以答复该来件")
    reply = _clean(reply, field="reply", label="答复", max_len=REPLY_MAX, required=True)
    submission = versioned_update(submission, expected_version=expected_version, reason="答复",
                                  changes={"status": REPLIED, "reply": reply, "replied_at": timezone.now(),
                                           "replied_by": actor, "reply_published": bool(publish)})
    from fazhi.deadlines.services import deadline_close

    handle = _clock(submission, rules.HANDLE_PURPOSE)
    if handle is not None:
        deadline_close(deadline=handle, met=True, actor=actor)
    event_record(verb="portal.replied", summary=f"答复{submission.tracking_no}" + ("(公开)" if publish else ""),
                 actor=actor, unit=submission.unit, obj=submission)
    return submission


# ------------------------------------------------------------------ public lookup


def submission_lookup(*, tracking_no: str, code: str, ip: str) -> Submission:
    """The submission for a tracking number and its query code. An unknown number and a wrong code get the
    same message (and take as long), and both count as a failure of the address; past the limit even a right
    code is refused until the hour is over."""
    limit = rules.query_failure_limit()
    limit_check(ip=ip, action=QUERY_FAIL, limit=limit)
    number, code = rules.normalise_tracking_no(tracking_no), rules.normalise_code(code)
    submission = Submission.objects.filter(tracking_no=number).select_related("unit").first() if number else None
    if submission is not None and code and check_password(code, submission.query_code_hash):
        return submission
    if submission is None:
        make_password(code or "-")  # the same work as a check, so timing does not tell a number exists
    limit_hit(ip=ip, action=QUERY_FAIL, limit=limit)
    raise InvalidInput(NOT_FOUND, field="tracking_no")

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
    Refuses (RateLimited) past the per-address hourly limit; the count only grows for a submission kept.
    Without `handling_unit` it waits for the office (acceptance clock); with one it is that unit's at once
    (状态 办理中, handling clock from today)."""
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
    # Sent to a named unit (an opinion on that unit's draft): nothing for the office to assign, so it is
    # with the unit at once, without an acceptance clock, and the handling clock runs from receipt.
    direct = handling_unit is not None
    submission = Submission.objects.create(
        tracking_no=tracking_no, query_code_hash=make_password(code), kind=kind, title=title, content=content,
        unit=unit, target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        status=ASSIGNED if direct else RECEIVED, assigned_at=timezone.now() if direct else None,
    )
    SubmissionContact.objects.create(submission=submission, ip=ip or None, **person)
    for upload, file_kind, digest, size in checked:
        stored = SubmissionFile(submission=submission, original_name=upload.name[:255], kind=file_kind, size=size,
                                sha256=digest)
        stored.file.save(upload.name, upload, save=False)
        stored.save()
    from fazhi.deadlines.services import deadline_open

    if direct:
        deadline_open(obj=submission, unit=unit, purpose=rules.HANDLE_PURPOSE, rule_id=rules.HANDLE_RULE, start=today)
    else:
        deadline_open(obj=submission, unit=unit, purpose=rules.ACCEPT_PURPOSE, rule_id=rules.ACCEPT_RULE,
                      start=today)
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


# ------------------------------------------------------------------ public consultation (公开征求意见)


def _day(value, *, field: str, label: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise InvalidInput(f"请填写{label},格式为 YYYY-MM-DD,如 2026-05-11", field=field) from None


def _target_ct_id(target) -> tuple:
    from django.contrib.contenttypes.models import ContentType

    if target is None or target.pk is None:
        raise InvalidInput("征求意见须针对一项已保存的记录(文件草案或决策事项)", field="target")
    return ContentType.objects.get_for_model(target), str(target.pk)


def consultation_minimum(rule_id: str, starts_on: date):
    """The earliest end day the rule allows, from the deadline engine (never counted here)."""
    from fazhi.deadlines.services import deadline_compute

    return deadline_compute(rule_id, starts_on)


@transaction.atomic
def consultation_open(*, target, unit, title: str, text: str, rule_id: str, starts_on, ends_on, actor,
                      summary: str = "", shorter_reason: str = "", today: date | None = None):
    """Open a public consultation on `target` (a draft) for its drafting `unit`. The period is at least the
    rule's (deadlines engine); only decision.consult may be shorter, and only with `shorter_reason`.
    One consultation at a time per target: a new one only once the last has ended."""
    from fazhi.deadlines.catalogue import get_rule
    from fazhi.portal.models import CONSULT_RULES, Consultation

    if not rules.can_open_consultation(actor, unit):
        raise NotAllowed("只有起草单位或法制办可以发布征求意见")
    if rule_id not in CONSULT_RULES:
        raise InvalidInput(f"征求意见的期限规则应为 {'、'.join(CONSULT_RULES)} 之一,收到「{rule_id}」", field="rule_id")
    ct, target_id = _target_ct_id(target)
    title = _clean(title, field="title", label="标题", max_len=TITLE_MAX, required=True)
    text = _clean(text, field="text", label="征求意见稿", max_len=rules.CONSULT_TEXT_MAX, required=True)
    summary = _clean(summary, field="summary", label="起草说明", max_len=CONTENT_MAX, required=False)
    shorter_reason = _clean(shorter_reason, field="shorter_reason", label="缩短理由", max_len=NOTE_MAX,
                            required=False)
    today = today or timezone.localdate()
    starts_on = _day(starts_on, field="starts_on", label="开始日期")
    ends_on = _day(ends_on, field="ends_on", label="截止日期")
    if starts_on < today:
        raise InvalidInput(f"开始日期不能早于今天({today:%Y-%m-%d}):公众只能从发布之日起提出意见", field="starts_on")
    if ends_on <= starts_on:
        raise InvalidInput(f"截止日期应晚于开始日期({starts_on:%Y-%m-%d})", field="ends_on")
    minimum = consultation_minimum(rule_id, starts_on)
    rule = get_rule(rule_id)
    if ends_on < minimum.due:
        basis = f"{rule.name}自 {starts_on:%Y-%m-%d} 起不少于{rule.period_text(minimum.period)}(依据 {rule.basis})"
        if rule_id not in rules.SHORTER_ALLOWED:
            raise InvalidInput(f"截止日期不得早于 {minimum.due:%Y-%m-%d}:{basis},不得缩短", field="ends_on")
        if not shorter_reason:
            raise InvalidInput(f"截止日期早于 {minimum.due:%Y-%m-%d}:{basis};因情况紧急等原因缩短的,"
                               f"请在「缩短理由」中说明理由,否则截止日期不得早于 {minimum.due:%Y-%m-%d}",
                               field="shorter_reason")
    else:
        shorter_reason = ""  # not shorter: nothing to justify
    # One at a time per target; the target's row lock makes two concurrent opens wait for each other.
    type(target)._default_manager.select_for_update().filter(pk=target.pk).first()
    running = Consultation.objects.filter(target_type=ct, target_id=target_id, ends_on__gte=today).first()
    if running is not None:
        raise InvalidInput(f"该事项已有征求意见({running.starts_on:%Y-%m-%d} 至 {running.ends_on:%Y-%m-%d}),"
                           f"截止后才能再次征求意见", field="starts_on")
    for _ in range(5):
        code = rules.new_public_code()
        if not Consultation.objects.filter(public_code=code).exists():
            break
    consultation = Consultation.objects.create(
        target_type=ct, target_id=target_id, unit=unit, public_code=code, title=title, summary=summary, text=text,
        rule_id=rule_id, starts_on=starts_on, ends_on=ends_on, shorter_reason=shorter_reason, opened_by=actor)
    event_record(verb="portal.consultation_opened",
                 summary=f"公开征求意见「{title[:60]}」{starts_on:%Y-%m-%d} 至 {ends_on:%Y-%m-%d}"
                         + ("(缩短)" if shorter_reason else ""),
                 actor=actor, unit=unit, obj=consultation, reason=shorter_reason,
                 data={"rule": rule_id, "minimum_due": minimum.due.isoformat()})
    return consultation


def consultation_for(target):
    """The latest consultation on a record, or None."""
    from django.contrib.contenttypes.models import ContentType

    from fazhi.portal.models import Consultation

    if target is None or target.pk is None:
        return None
    return (Consultation.objects.filter(target_type=ContentType.objects.get_for_model(target),
                                        target_id=str(target.pk))
            .select_related("unit").order_by("-starts_on", "-id").first())


def consultation_missing(consultation, today: date | None = None) -> list[str]:
    """What stops the consultation counting as done: [] once its period is over and every opinion has its
    adoption answer; else one Chinese message per thing missing."""
    from fazhi.portal.selectors import opinions_of

    if consultation is None:
        return ["尚未公开征求意见"]
    today = today or timezone.localdate()
    missing = []
    if today <= consultation.ends_on:
        missing.append(f"征求意见期至 {consultation.ends_on:%Y-%m-%d} 届满")
    unanswered = opinions_of(consultation).filter(adoption="").count()
    if unanswered:
        missing.append(f"尚有 {unanswered} 条意见未反馈采纳情况")
    return missing


@transaction.atomic
def opinion_receive(*, target, unit, title: str, content: str, contact: dict, files, ip: str,
                    today: date | None = None) -> tuple[Submission, str]:
    """One public opinion, straight to `unit` (the drafting unit; its handling clock starts). On a
    consultation only while it is open; on any other record (a published document) the caller's view
    has already decided the public may see it."""
    from fazhi.portal.models import OPINION, Consultation

    today = today or timezone.localdate()
    if isinstance(target, Consultation):
        state = target.state(today)
        if state != "open":
            when = (f"于 {target.starts_on:%Y-%m-%d} 开始" if state == "not_started"
                    else f"已于 {target.ends_on:%Y-%m-%d}(截止日期)截止")
            raise InvalidInput(f"「{target.title}」的征求意见{when},现在不接收意见", field="ends_on")
        unit = target.unit
    if unit is None:
        raise InvalidInput("未指定接收意见的单位", field="unit")
    return submission_receive(kind=OPINION, title=title, content=content, contact=contact, files=files, ip=ip,
                              target=target, handling_unit=unit, today=today)


@transaction.atomic
def opinion_answer(*, submission: Submission, adoption: str, reason: str, actor,
                   expected_version: int | None) -> Submission:
    """The drafting unit (or the office) answers an opinion: 采纳 / 部分采纳 / 不予采纳, with the reason
    (required unless adopted). Answering again corrects it; the field history keeps each answer."""
    from fazhi.portal.models import ADOPTION_LABELS

    if not rules.can_answer_opinion(actor, submission):
        raise NotAllowed("只有接收该意见的起草单位或法制办可以反馈采纳情况")
    if adoption not in ADOPTION_LABELS:
        raise InvalidInput("请选择采纳情况:采纳、部分采纳或不予采纳", field="adoption")
    label = ADOPTION_LABELS[adoption]
    reason = _clean(reason, field="reason", label="理由", max_len=REPLY_MAX, required=False)
    if rules.adoption_reason_required(adoption) and not reason:
        raise InvalidInput(f"「{label}」须说明理由(采纳情况表将公开)", field="reason")
    first = not submission.adoption
    submission = versioned_update(
        submission, expected_version=expected_version, reason=f"{'反馈' if first else '修改'}采纳情况:{label}",
        changes={"status": REPLIED, "adoption": adoption, "reply": reason, "replied_at": timezone.now(),
                 "replied_by": actor})
    handle = _clock(submission, rules.HANDLE_PURPOSE)
    if handle is not None and handle.status == handle.OPEN:
        from fazhi.deadlines.services import deadline_close

        deadline_close(deadline=handle, met=True, actor=actor)
    event_record(verb="portal.opinion_answered", summary=f"意见{submission.tracking_no}:{label}", actor=actor,
                 unit=submission.unit, obj=submission, reason=reason)
    return submission

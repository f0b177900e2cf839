"""Public submissions: tracking number and query code, limits per address and hour, attachments, clocks,
who assigns and who replies, and the lookup that tells an unknown number from a wrong code by nothing."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.hashers import check_password
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.core.errors import InvalidInput, NotAllowed, RateLimited
from fazhi.core.models import Event
from fazhi.deadlines.models import Deadline
from fazhi.deadlines.services import deadline_compute
from fazhi.portal import rules, selectors, services
from fazhi.portal.models import ASSIGNED, RECEIVED, REPLIED, PublicCounter, SubmissionContact, SubmissionFile
from fazhi.portal.tests.conftest import IP, pdf, receive

CST = ZoneInfo("Asia/Shanghai")


def test_tracking_number_is_date_plus_random_and_the_code_is_kept_hashed(world):
    first, code = receive()
    second, code2 = receive()
    assert re.fullmatch(r"\d{8}-[2-9A-HJ-NP-Z]{8}", first.tracking_no)
    assert first.tracking_no[:8] == second.tracking_no[:8]
    assert first.tracking_no[9:] != second.tracking_no[9:]  # not sequential
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{8}", code) and code != code2
    assert code not in first.query_code_hash and check_password(code, first.query_code_hash)


def test_many_tracking_numbers_never_repeat_and_spread_over_the_alphabet():
    from datetime import date

    numbers = {rules.new_tracking_no(date(2026, 5, 17)) for _ in range(2000)}
    assert len(numbers) == 2000
    assert set("".join(n[9:] for n in numbers)) == set(rules.ALPHABET)


def test_receive_keeps_contact_apart_opens_the_acceptance_clock_at_the_office(received, world):
    submission, _ = received
    assert submission.status == RECEIVED and submission.unit == world.unit("LGO")
    contact = SubmissionContact.objects.get(submission=submission)
    assert (contact.name, contact.phone, contact.email, contact.ip) == ("张明", "13912345678", "zm@example.com", IP)
    clock = selectors.clock_of(submission, rules.ACCEPT_PURPOSE)
    assert clock.rule_id == "complaint.accept" and clock.unit.code == "LGO" and clock.status == Deadline.OPEN
    assert clock.due == deadline_compute("complaint.accept", clock.start).due  # 15 days, by the one engine
    assert Event.objects.for_object(submission).filter(verb="portal.received").exists()
    # The record's field history holds no contact detail (it is shown on the history page to every reader).
    fields = {f.name for f in submission.history.model._meta.fields}
    assert not fields & {"name", "phone", "email", "ip"}


def test_assign_closes_acceptance_and_starts_the_handling_clock_at_the_unit(assigned, world):
    submission, _ = assigned
    assert submission.status == ASSIGNED and submission.unit.code == "D01"
    accept = selectors.clock_of(submission, rules.ACCEPT_PURPOSE)
    handle = selectors.clock_of(submission, rules.HANDLE_PURPOSE)
    assert accept.status == Deadline.MET
    assert handle.rule_id == "complaint.handle" and handle.unit.code == "D01" and handle.status == Deadline.OPEN
    assert handle.due == deadline_compute("complaint.handle", handle.start).due
    assert submission.history.filter(history_change_reason__startswith="交办").exists()


def test_only_the_office_assigns_and_only_once(received, world):
    submission, _ = received
    for username in ("leader", "inspector", "d01"):
        with pytest.raises(NotAllowed):
            services.submission_assign(submission=submission, unit=world.unit("D01"), actor=world.user(username),
                                       expected_version=submission.version)
    with pytest.raises(InvalidInput, match="承办单位"):
        services.submission_assign(submission=submission, unit=None, actor=world.user("fzb"),
                                   expected_version=submission.version)
    submission = services.submission_assign(submission=submission, unit=world.unit("D02"), actor=world.user("fzb"),
                                            expected_version=submission.version)
    with pytest.raises(InvalidInput, match="已交办"):
        services.submission_assign(submission=submission, unit=world.unit("D01"), actor=world.user("fzb"),
                                   expected_version=submission.version)


def test_the_handling_unit_replies_and_meets_the_clock(assigned, world):
    submission, _ = assigned
    for username in ("d02", "leader", "fzb"):
        with pytest.raises(NotAllowed):
            services.submission_reply(submission=submission, actor=world.user(username), reply="答复",
                                      publish=True, expected_version=submission.version)
    with pytest.raises(InvalidInput, match="请填写答复"):
        services.submission_reply(submission=submission, actor=world.user("d01"), reply="  ", publish=True,
                                  expected_version=submission.version)
    # Staff of a section under D01 act for D01 too (the same rule as scoping: a unit and its sub-units)? No:
    # D01-ZD's staff hold a role below D01, so D01's submission is not theirs.
    with pytest.raises(NotAllowed):
        services.submission_reply(submission=submission, actor=world.user("d01-zd"), reply="答复", publish=True,
                                  expected_version=submission.version)
    submission = services.submission_reply(submission=submission, actor=world.user("d01"), reply="已公布。",
                                           publish=True, expected_version=submission.version)
    assert submission.status == REPLIED and submission.reply_published
    assert selectors.clock_of(submission, rules.HANDLE_PURPOSE).status == Deadline.MET
    with pytest.raises(InvalidInput, match="尚未交办或已答复"):
        services.submission_reply(submission=submission, actor=world.user("d01"), reply="再答复", publish=False,
                                  expected_version=submission.version)


@pytest.mark.parametrize("field, kwargs, message", [
    ("title", {"title": " "}, "请填写主题"),
    ("content", {"content": ""}, "请填写内容"),
    ("title", {"title": "长" * 201}, "主题最多 200 字"),
    ("content", {"content": "a\x00b"}, "控制字符"),
    ("phone", {"contact": {"phone": "电话号码"}}, "联系电话只能含数字"),
    ("email", {"contact": {"email": "not-an-email"}}, "电子邮箱格式不正确"),
    ("files", {"files": [pdf(f"{i}.pdf") for i in range(6)]}, "附件最多 5 个"),
])
def test_bad_input_is_refused_naming_the_field(world, field, kwargs, message):
    with pytest.raises(InvalidInput, match=message) as e:
        receive(**kwargs)
    assert e.value.field == field


def test_attachments_are_checked_by_content_and_size(world, settings):
    with pytest.raises(InvalidInput, match="不是允许的类型"):
        receive(files=[SimpleUploadedFile("照片.jpg", b"<html>not an image</html>")])
    with pytest.raises(InvalidInput, match="空文件"):
        receive(files=[SimpleUploadedFile("空.pdf", b"")])
    settings.FAZHI = {**settings.FAZHI, "MAX_UPLOAD_MB": 1}
    big = SimpleUploadedFile("大.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    with pytest.raises(InvalidInput, match="超过 1 MB"):
        receive(files=[big])
    assert not SubmissionFile.objects.exists()
    submission, _ = receive(files=[pdf("现场照片.pdf")])
    stored = SubmissionFile.objects.get(submission=submission)
    assert stored.kind == "pdf" and stored.original_name == "现场照片.pdf" and not stored.file.name.endswith("现场照片.pdf")


def test_limit_per_address_and_hour_with_the_time_to_retry(world, settings):
    settings.FAZHI = {**settings.FAZHI, "PUBLIC_SUBMIT_PER_HOUR": 2}
    receive()
    receive()
    with pytest.raises(RateLimited) as e:
        receive()
    assert e.value.status == 429
    assert "同一网络地址每小时最多提交 2 次" in e.value.message
    retry = e.value.retry_at.astimezone(CST)
    assert retry.minute == 0 and f"{retry:%H:%M}" in e.value.message
    receive(ip="203.0.113.8")  # another address is not held back
    # A refused or invalid submission does not use up the allowance.
    settings.FAZHI = {**settings.FAZHI, "PUBLIC_SUBMIT_PER_HOUR": 3}
    with pytest.raises(InvalidInput):
        receive(title="")
    receive()
    assert PublicCounter.objects.get(ip=IP, action=services.SUBMIT).count == 3


def test_the_limit_counts_by_clock_hour_in_china_standard_time(world):
    at = datetime(2026, 5, 17, 23, 40, tzinfo=CST)
    for _ in range(3):
        services.limit_hit(ip=IP, action=services.SUBMIT, limit=3, now=at)
    with pytest.raises(RateLimited, match=r"请于 2026-05-18 00:00 后再提交"):
        services.limit_hit(ip=IP, action=services.SUBMIT, limit=3, now=at + timedelta(minutes=15))
    assert services.limit_hit(ip=IP, action=services.SUBMIT, limit=3, now=at + timedelta(minutes=21)) == 1


def test_lookup_unknown_number_and_wrong_code_get_the_same_message_and_count(received, world, settings):
    submission, code = received
    settings.FAZHI = {**settings.FAZHI, "PUBLIC_QUERY_FAILURES_PER_HOUR": 3}
    assert services.submission_lookup(tracking_no=submission.tracking_no.lower(), code=code.lower(), ip=IP) == submission
    with pytest.raises(InvalidInput) as wrong:
        services.submission_lookup(tracking_no=submission.tracking_no, code="AAAAAAAA", ip=IP)
    with pytest.raises(InvalidInput) as unknown:
        services.submission_lookup(tracking_no="20200101-AAAAAAAA", code=code, ip=IP)
    assert wrong.value.message == unknown.value.message == services.NOT_FOUND
    with pytest.raises(InvalidInput):
        services.submission_lookup(tracking_no="", code="", ip=IP)
    # Three failures: now even the right code waits for the next hour.
    with pytest.raises(RateLimited, match="查询失败次数过多.*每小时最多输错 3 次"):
        services.submission_lookup(tracking_no=submission.tracking_no, code=code, ip=IP)
    assert services.submission_lookup(tracking_no=submission.tracking_no, code=code, ip="203.0.113.99") == submission


def test_client_ip_trusts_forwarded_for_only_when_configured(rf, settings):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9", REMOTE_ADDR="10.0.0.1")
    settings.FAZHI = {**settings.FAZHI, "TRUSTED_PROXY_COUNT": 0}
    assert rules.client_ip(request) == "10.0.0.1"
    settings.FAZHI = {**settings.FAZHI, "TRUSTED_PROXY_COUNT": 1}
    assert rules.client_ip(request) == "198.51.100.9"  # what our proxy saw, not what the client claimed
    settings.FAZHI = {**settings.FAZHI, "TRUSTED_PROXY_COUNT": 3}
    assert rules.client_ip(request) == "10.0.0.1"  # fewer hops than proxies: the header is not ours
    bad = rf.get("/", HTTP_X_FORWARDED_FOR="not-an-ip", REMOTE_ADDR="10.0.0.1")
    settings.FAZHI = {**settings.FAZHI, "TRUSTED_PROXY_COUNT": 1}
    assert rules.client_ip(bad) == "10.0.0.1"


def test_public_status_is_masked_and_shows_a_reply_only_when_published(assigned, world):
    submission, _ = assigned
    status = selectors.public_status(submission)
    assert "13912345678" not in status.content and "139****5678" in status.content
    assert status.handled_by == "城管局" and status.due is not None and status.reply == ""
    submission = services.submission_reply(submission=submission, actor=world.user("d01"),
                                           reply="张明同志:已公布,咨询电话 0915-3212345。", publish=False,
                                           expected_version=submission.version)
    hidden = selectors.public_status(submission)
    assert hidden.reply == "" and "未在网上公开" in hidden.status
    from fazhi.portal.models import Submission

    Submission.objects.filter(pk=submission.pk).update(reply_published=True)
    shown = selectors.public_status(Submission.objects.get(pk=submission.pk))
    assert shown.reply == "张**同志:已公布,咨询电话 0915-****45。"


def test_the_clocks_are_on_the_units_work_list_linked_to_the_submission(assigned, world):
    from django.urls import reverse
    from django.utils import timezone

    from fazhi.deadlines import worklist

    submission, _ = assigned
    today = timezone.localdate()
    mine = [i for i in worklist.items(worklist.worklist(user=world.user("d01"), today=today), today=today)
            if i.record_type == "portal.submission"]
    assert [(i.type_label, i.url) for i in mine] == [("公众来件", reverse("submission-detail", args=[submission.pk]))]
    assert mine[0].title.startswith(submission.title)
    others = worklist.items(worklist.worklist(user=world.user("d02"), today=today), today=today)
    assert not [i for i in others if i.record_type == "portal.submission"]


def test_demo_loads_three_suggestions_once(world):
    from fazhi.portal import demo
    from fazhi.portal.models import Submission

    made = demo.load()
    assert sorted(s.status for s in made) == [ASSIGNED, RECEIVED, REPLIED]
    assert len(demo.load()) == 3 and Submission.objects.count() == 3

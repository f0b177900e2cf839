"""The programme's rules and services: due dates, warnings, reports and review, tallies, files."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from fazhi.core.errors import InvalidInput, NotAllowed, StaleEdit
from fazhi.core.models import Attachment, Event
from fazhi.programme import rules, selectors, services
from fazhi.programme.models import Assignment, CategoryTally, Programme, Tally
from fazhi.programme.tests.conftest import pdf


@pytest.mark.parametrize("status, due_in, level", [
    ("not_started", -1, "red"),
    ("in_progress", 0, "yellow"),      # due today: not overdue until tomorrow (ends at 24:00)
    ("returned", 7, "yellow"),
    ("in_progress", 8, ""),
    ("submitted", -30, ""),            # waiting for the office: nothing owed by the unit
    ("done", -30, ""),
])
def test_warning_levels(status, due_in, level):
    today = date(2026, 6, 1)
    assert rules.warning_level(status=status, due=today + timedelta(days=due_in), today=today) == level


@override_settings(FAZHI={**__import__("django.conf").conf.settings.FAZHI, "WARNING_DAYS": 3})
def test_warning_window_is_configurable():
    today = date(2026, 6, 1)
    assert rules.warning_level(status="in_progress", due=today + timedelta(days=5), today=today) == ""
    assert rules.warning_level(status="in_progress", due=today + timedelta(days=3), today=today) == "yellow"


def test_quarterly_periods_follow_the_calendar():
    p = Programme(start=date(2026, 2, 10), end=date(2027, 5, 31))
    labels = rules.periods(p, "quarterly")
    assert labels[0] == ("2026Q1", date(2026, 3, 31))
    assert labels[-1] == ("2027Q2", date(2027, 5, 31))  # the last period ends with the programme
    assert len(labels) == 6
    assert rules.periods(p, "yearly") == [("2026", date(2026, 12, 31)), ("2027", date(2027, 5, 31))]
    assert rules.periods(p, "monthly")[1] == ("2026-03", date(2026, 3, 31))


def test_due_dates_come_from_the_rules(programme):
    due = {a.task.code: a.due for a in Assignment.objects.filter(unit__code="D02").select_related("task")}
    phases = services.phase_ends(programme)
    assert due["4.1"] == date(programme.start.year, 4, 30)   # programme.workplan_file
    assert due["1.1"] == phases["implementation"]
    assert due["3.1"] == phases["acceptance"]
    quarter_end = rules.periods(programme, "quarterly")[0][1]
    assert due["1.2"] == quarter_end


def test_import_creates_one_assignment_per_task_and_unit(programme):
    assert programme.tasks.count() == 16
    assert Assignment.objects.filter(task__code="1.4").count() == 12 + 1    # D01..D12 + lead LGO
    assert Assignment.objects.filter(task__code="4.2").get().unit.code == "D07"   # lead only
    assert Assignment.objects.filter(task__code="3.1", is_lead=False).count() == 27
    assert Assignment.objects.get(task__code="1.5", unit__code="JCJ").is_lead


def report(assignment, user, text="进展"):
    return services.report_submit(assignment=assignment, actor=user, text=text, files=[pdf()],
                                  expected_version=assignment.version)


def test_submit_return_resubmit_accept(world, assignment):
    d01, fzb = world.user("d01"), world.user("fzb")
    r1 = report(assignment, d01)
    assignment.refresh_from_db()
    assert assignment.status == "submitted"
    services.report_review(report=r1, actor=fzb, accept=False, reason="缺少会议纪要")
    assignment.refresh_from_db()
    assert assignment.status == "returned"
    r2 = report(assignment, d01, "补充了会议纪要")
    services.report_review(report=r2, actor=fzb, accept=True)
    assignment.refresh_from_db()
    assert assignment.status == "done" and assignment.completed_at
    verbs = list(Event.objects.for_object(assignment).order_by("at", "id").values_list("verb", flat=True))
    assert verbs == ["programme.report_submitted", "programme.report_returned", "programme.report_submitted",
                     "programme.report_accepted"]
    returned = Event.objects.get(verb="programme.report_returned")
    assert returned.reason == "缺少会议纪要" and returned.actor == fzb


def test_continuous_task_moves_to_the_next_period(world, programme):
    a = programme.tasks.get(code="1.2").assignments.get(unit__code="D03")
    first_label, first_due = a.period_label, a.due
    services.report_review(report=report(a, world.user("d03")), actor=world.user("fzb"), accept=True)
    a.refresh_from_db()
    assert a.status == "in_progress"
    assert a.due > first_due and a.period_label != first_label
    assert (a.period_label, a.due) == rules.next_period(a.task, programme, first_label)


def test_a_return_needs_a_reason(world, submitted):
    with pytest.raises(InvalidInput, match="理由"):
        services.report_review(report=submitted, actor=world.user("fzb"), accept=False, reason=" ")


def test_only_the_office_reviews(world, submitted):
    for username in ["d01", "leader", "inspector"]:
        with pytest.raises(NotAllowed):
            services.report_review(report=submitted, actor=world.user(username), accept=True)


def test_other_units_cannot_report(world, assignment):
    with pytest.raises(NotAllowed):
        report(assignment, world.user("d02"))


def test_second_report_while_one_waits_is_refused(world, assignment, submitted):
    assignment.refresh_from_db()
    with pytest.raises(InvalidInput, match="等待审核"):
        report(assignment, world.user("d01"))


def test_two_people_editing_the_same_assignment_second_is_refused(world, assignment):
    stale_version = assignment.version
    services.assignment_start(assignment=assignment, actor=world.user("d01"), expected_version=stale_version)
    with pytest.raises(StaleEdit):
        services.report_submit(assignment=assignment, actor=world.user("fzb"), text="x", files=[pdf()],
                               expected_version=stale_version)
    assert not assignment.reports.exists()


def test_stale_report_form_is_refused_with_a_message(world, assignment):
    from django.urls import reverse

    url = reverse("assignment-report", args=[assignment.pk])
    version = assignment.version
    first = world.client("d01").post(url, {"text": "一", "files": [pdf()], "version": version})
    assert first.status_code == 302
    Assignment.objects.filter(pk=assignment.pk).update(status="in_progress")  # as if withdrawn meanwhile
    second = world.client("fzb").post(url, {"text": "二", "files": [pdf()], "version": version})
    assert second.status_code == 409
    assert "已被他人修改" in second.content.decode()
    assert assignment.reports.count() == 1


def test_withdraw_puts_the_assignment_back(world, assignment, submitted):
    services.report_withdraw(report=submitted, actor=world.user("d01"), reason="选错了报送期")
    assignment.refresh_from_db()
    submitted.refresh_from_db()
    assert assignment.status == "in_progress" and submitted.status == "withdrawn"


def test_bulk_review_is_all_or_nothing(world, programme):
    d01, d02, fzb = world.user("d01"), world.user("d02"), world.user("fzb")
    r1 = report(programme.tasks.get(code="1.1").assignments.get(unit__code="D01"), d01)
    r2 = report(programme.tasks.get(code="1.1").assignments.get(unit__code="D02"), d02)
    services.report_review(report=r2, actor=fzb, accept=True)  # r2 no longer reviewable
    from fazhi.programme.models import ProgressReport

    with pytest.raises(InvalidInput):
        services.reports_review_bulk(report_ids=[r1.pk, r2.pk], actor=fzb, accept=False, reason="统一退回",
                                     visible=ProgressReport.objects.visible_to(fzb))
    r1.refresh_from_db()
    assert r1.status == "submitted"
    r3 = report(programme.tasks.get(code="1.3").assignments.get(unit__code="D02"), d02)
    n = services.reports_review_bulk(report_ids=[r1.pk, r3.pk], actor=fzb, accept=False, reason="统一退回",
                                     visible=ProgressReport.objects.visible_to(fzb))
    assert n == 2
    assert set(ProgressReport.objects.filter(pk__in=[r1.pk, r3.pk]).values_list("status", flat=True)) == {"returned"}


def test_bulk_review_page(world, programme):
    from django.urls import reverse

    r1 = report(programme.tasks.get(code="1.1").assignments.get(unit__code="D01"), world.user("d01"))
    client = world.client("fzb")
    missing_reason = client.post(reverse("programme-reviews"), {"reports": [r1.pk], "decision": "return"})
    assert missing_reason.status_code == 400 and "退回必须填写理由" in missing_reason.content.decode()
    ok = client.post(reverse("programme-reviews"), {"reports": [r1.pk], "decision": "return", "reason": "请补充"})
    assert ok.status_code == 302
    r1.refresh_from_db()
    assert r1.status == "returned" and r1.review_reason == "请补充"


def test_tallies_always_equal_a_recount(world, programme):
    d01, fzb = world.user("d01"), world.user("fzb")
    for code in ["1.1", "1.2", "1.3"]:
        a = programme.tasks.get(code=code).assignments.get(unit__code="D01")
        r = report(a, d01)
        services.report_review(report=r, actor=fzb, accept=code != "1.3", reason="x")
    a = programme.tasks.get(code="1.4").assignments.get(unit__code="D01")
    services.assignment_start(assignment=a, actor=d01, expected_version=a.version)

    def snapshot():
        return (sorted((t.unit_id, t.category, t.phase, t.status, t.due, t.count)
                       for t in Tally.objects.filter(count__gt=0)),
                sorted((t.category, t.phase, t.status, t.due, t.count)
                       for t in CategoryTally.objects.filter(count__gt=0)))

    before = snapshot()
    services.tallies_rebuild(programme)
    assert snapshot() == before


def test_totals_from_tallies_match_counting(world, programme):
    fzb = world.user("fzb")
    today = timezone.localdate()
    for f in [selectors.TableFilters(), selectors.TableFilters(status="not_started"),
              selectors.TableFilters(overdue=True), selectors.TableFilters(unit="D01"),
              selectors.TableFilters(category="建章立制", phase="implementation")]:
        qs, total = selectors.assignment_table(user=fzb, programme=programme, filters=f, today=today)
        assert total == qs.count(), f
    qs, total = selectors.assignment_table(user=world.user("d01"), programme=programme,
                                           filters=selectors.TableFilters(), today=today)
    assert total == qs.count() == Assignment.objects.filter(unit__code="D01").count()


# ---------------------------------------------------------------- evidence files


def upload(name, content):
    return SimpleUploadedFile(name, content)


EXE = b"MZ\x90\x00" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


@pytest.mark.parametrize("name, content, ok", [
    ("材料.pdf", b"%PDF-1.4\n%...", True),
    ("照片.png", PNG, True),
    ("照片.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100, True),
    ("病毒.pdf", EXE, False),             # the name lies: refused by content
    ("文本.pdf", "只是文字".encode(), False),
])
def test_evidence_type_is_checked_by_content(world, assignment, name, content, ok):
    if ok:
        report = services.report_submit(assignment=assignment, actor=world.user("d01"), text="x",
                                        files=[upload(name, content)], expected_version=assignment.version)
        att = Attachment.objects.for_object(report).get()
        assert att.original_name == name and name not in att.file.name  # stored under a generated name
    else:
        with pytest.raises(InvalidInput, match=name):
            services.report_submit(assignment=assignment, actor=world.user("d01"), text="x",
                                   files=[upload(name, content)], expected_version=assignment.version)
        assignment.refresh_from_db()
        assert assignment.status == "not_started" and not assignment.reports.exists()  # nothing half-saved


def test_office_documents_by_content(world, assignment, tmp_path):
    import zipfile

    from openpyxl import Workbook

    xlsx = tmp_path / "a.xlsx"
    Workbook().save(xlsx)
    docx = tmp_path / "a.docx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    ofd = tmp_path / "a.ofd"
    with zipfile.ZipFile(ofd, "w") as z:
        z.writestr("OFD.xml", "<ofd:OFD/>")
    files = [upload("表.xlsx", xlsx.read_bytes()), upload("文.docx", docx.read_bytes()),
             upload("版式.ofd", ofd.read_bytes())]
    report = services.report_submit(assignment=assignment, actor=world.user("d01"), text="x", files=files,
                                    expected_version=assignment.version)
    assert sorted(Attachment.objects.for_object(report).values_list("kind", flat=True)) == ["docx", "ofd", "xlsx"]
    other_zip = tmp_path / "b.zip"
    with zipfile.ZipFile(other_zip, "w") as z:
        z.writestr("readme.txt", "x")
    other = assignment.task.programme.tasks.get(code="1.3").assignments.get(unit__code="D01")
    with pytest.raises(InvalidInput, match="不是允许的类型"):
        services.report_submit(assignment=other, actor=world.user("d01"), text="x",
                               files=[upload("伪装.docx", other_zip.read_bytes())], expected_version=other.version)


def test_size_limit_is_configurable(world, assignment, settings):
    settings.FAZHI = {**settings.FAZHI, "MAX_UPLOAD_MB": 1}
    big = upload("大.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    with pytest.raises(InvalidInput, match="1 MB"):
        services.report_submit(assignment=assignment, actor=world.user("d01"), text="x", files=[big],
                               expected_version=assignment.version)


def test_upload_page_shows_a_clear_error(world, assignment):
    from django.urls import reverse

    response = world.client("d01").post(reverse("assignment-report", args=[assignment.pk]),
                                        {"text": "x", "files": [upload("病毒.pdf", EXE)], "version": assignment.version})
    assert response.status_code == 400
    assert "「病毒.pdf」的内容不是允许的类型" in response.content.decode()


def test_api_report_with_evidence(world, assignment):
    from django.urls import reverse

    client = world.client("d01")
    url = reverse("api:assignment-reports", args=[assignment.pk])
    bad = client.post(url, {"text": "x", "version": assignment.version})
    assert bad.status_code == 400 and "files" in bad.json()["errors"]
    ok = client.post(url, {"text": "进展", "files": [pdf()], "version": assignment.version})
    assert ok.status_code == 201, ok.content
    body = ok.json()
    assert body["status"] == "submitted" and body["evidence"][0]["original_name"] == "材料.pdf"
    assert client.get(body["evidence"][0]["url"]).status_code == 200
    stale = client.post(url, {"text": "again", "files": [pdf()], "version": assignment.version})
    assert stale.status_code in (400, 409)


def test_api_filters_and_unknown_ids(world, programme, assignment):
    client = world.client("d01")
    data = client.get("/api/v1/assignments/?unit=D01&page_size=200").json()
    assert data["count"] == len(data["results"]) == Assignment.objects.filter(unit__code="D01").count()
    assert {r["unit"] for r in data["results"]} == {"D01"}
    assert {"id", "unit", "task", "status", "due", "overdue"} <= set(data["results"][0])
    other = Assignment.objects.filter(unit__code="D02").first()
    assert client.get(f"/api/v1/assignments/{other.pk}/").status_code == 404
    assert client.get("/api/v1/assignments/?overdue=maybe").status_code == 400
    assert world.client("fzb").get("/api/v1/assignments/?status=done").json()["count"] == 0


def test_api_review_accept_and_return(world, submitted):
    client = world.client("fzb")
    url = f"/api/v1/reports/{submitted.pk}/review/"
    assert client.post(url, {"decision": "return"}, content_type="application/json").status_code == 400
    response = client.post(url, {"decision": "return", "reason": "请补充"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "returned"
    again = client.post(url, {"decision": "accept"}, content_type="application/json")
    assert again.status_code == 400 and "不能再审核" in again.json()["detail"]


def test_huge_ids_and_versions_are_a_clear_refusal_not_an_overflow(world, assignment, submitted):
    client = world.client("fzb")
    huge = "9" * 25
    assert client.get(f"/programme/assignments/{huge}/").status_code == 404
    assert client.get(f"/api/v1/assignments/{huge}/").status_code == 404
    assert client.get(f"/history/programme.assignment/{huge}/").status_code == 404
    response = client.post("/api/v1/reports/review/", {"reports": [10**30], "decision": "accept"},
                           content_type="application/json")
    assert response.status_code == 400 and "reports" in response.json()["errors"]
    response = client.post(f"/api/v1/reports/{submitted.pk}/review/", {"decision": "accept", "version": 10**30},
                           content_type="application/json")
    assert response.status_code == 400 and "version" in response.json()["errors"]
    page = world.client("d01").post(f"/programme/assignments/{assignment.pk}/report/",
                                    {"text": "x", "files": [pdf()], "version": huge})
    assert page.status_code == 400


def test_remind_records_each_overdue_assignment_once(world, programme, assignment):
    from io import StringIO

    from django.core.management import call_command

    Assignment.objects.filter(pk=assignment.pk).update(due=timezone.localdate() - timedelta(days=1))
    expected = Assignment.objects.overdue(timezone.localdate()).count()
    out = StringIO()
    call_command("remind", stdout=out)
    assert f"新记录逾期事件 {expected} 条" in out.getvalue()
    event = Event.objects.for_object(assignment).get(verb="programme.assignment_overdue")
    assert event.unit.code == "D01" and "已逾期" in event.summary
    call_command("remind", stdout=out)
    assert Event.objects.filter(verb="programme.assignment_overdue").count() == expected


def test_api_bulk_review_by_the_office(world, programme):
    r1 = report(programme.tasks.get(code="1.1").assignments.get(unit__code="D01"), world.user("d01"))
    r2 = report(programme.tasks.get(code="1.1").assignments.get(unit__code="D02"), world.user("d02"))
    response = world.client("fzb").post("/api/v1/reports/review/", {"reports": [r1.pk, r2.pk], "decision": "accept"},
                                        content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json() == {"reviewed": 2}
    r1.refresh_from_db()
    assert r1.status == "accepted" and r1.reviewed_by.username == "fzb"

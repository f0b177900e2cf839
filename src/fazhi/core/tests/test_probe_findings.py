"""What the outside probe of issue #6 found, each held by a test: every API error is the one JSON format in
Chinese (nested JSON, broken bodies, CSRF, too many fields or files, too large, unknown paths), zip bombs
refused as evidence, downloads named by their detected type, the lockout page stating the settings."""

import io
import json
import re
import struct
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from fazhi.core.errors import InvalidInput
from fazhi.core.uploads import ZIP_MAX_RATIO, check_upload

CHINESE = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_ERRORS = ("JSON parse error", "Multipart form parse error", "CSRF Failed", "Bad Request", "Not Found")


def assert_api_error(response, status: int, *words: str) -> dict:
    """The one error format: JSON {"detail": "…中文…", "errors": {…}} with the status, naming `words`."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = json.loads(response.content)
    assert set(body) == {"detail", "errors"}, body
    assert isinstance(body["errors"], dict)
    assert CHINESE.search(body["detail"]), body
    for english in ENGLISH_ERRORS:
        assert english not in body["detail"], body
    for word in words:
        assert word in body["detail"], body
    return body


def post_json(client, url, raw: str | bytes, **extra):
    return client.generic("POST", url, raw, content_type="application/json", **extra)


# 1. Deeply nested JSON -------------------------------------------------------------------------------

# (endpoint, user): the bulk review answered 500 to any signed-in user; the calendar refuses a unit first.
JSON_ENDPOINTS = [("/api/v1/reports/review/", "d01"), ("/api/v1/reports/review/", "fzb"),
                  ("/api/v1/calendar/arrangements/", "fzb")]


@pytest.mark.parametrize(("url", "username"), JSON_ENDPOINTS)
@pytest.mark.parametrize("depth", [1000, 100_000])
def test_deeply_nested_json_is_a_400_not_a_crash(world, url, username, depth):
    client = world.client(username)
    body = assert_api_error(post_json(client, url, "[" * depth + "]" * depth), 400, "嵌套过深")
    assert body["errors"] == {}


def test_json_nested_below_the_recursion_limit_but_too_deep_is_refused(world):
    nested = {"reports": [1], "decision": "accept"}
    for _ in range(40):
        nested = {"x": nested}
    assert_api_error(post_json(world.client("fzb"), "/api/v1/reports/review/", json.dumps(nested)), 400, "32 层")


@pytest.mark.parametrize(("raw", "words"), [
    ('{"reports": [1], ', ("不是有效的 JSON", "第 1 行")),
    ('{"reports": [NaN]}', ("NaN",)),
    (b'\xff\xfe{"a": 1}', ("编码",)),
])
def test_broken_json_is_refused_in_chinese(world, raw, words):
    assert_api_error(post_json(world.client("fzb"), "/api/v1/reports/review/", raw), 400, *words)


# 4. Every API error in the one format, in Chinese ---------------------------------------------------

def test_broken_multipart_body_is_refused_in_chinese(world, programme_free_assignment):
    response = world.client("d01").generic(
        "POST", f"/api/v1/assignments/{programme_free_assignment.pk}/reports/", b"--xyz\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nabc",
        content_type="multipart/form-data; boundary=")
    assert_api_error(response, 400, "表单数据")


def test_csrf_failure_on_the_api_is_in_chinese(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("fzb"))
    response = client.post("/api/v1/calendar/arrangements/", {}, content_type="application/json")
    assert_api_error(response, 403, "CSRF", "Token")


def test_too_many_fields_is_a_400_saying_so(world, settings, programme_free_assignment):
    fields = "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    client = world.client("fzb")
    assert_api_error(client.get(f"/api/v1/units/?{fields}"), 400, "字段过多",
                     str(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS))
    response = client.post(f"/api/v1/assignments/{programme_free_assignment.pk}/reports/",
                           {f"f{i}": "1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)})
    assert_api_error(response, 400, "字段过多")


def test_too_many_files_is_a_400_saying_so(world, settings, programme_free_assignment):
    files = [SimpleUploadedFile(f"{i}.pdf", b"%PDF-1.4\n") for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]
    response = world.client("d01").post(f"/api/v1/assignments/{programme_free_assignment.pk}/reports/",
                                        {"text": "x", "version": 0, "files": files})
    assert_api_error(response, 400, "文件过多", str(settings.DATA_UPLOAD_MAX_NUMBER_FILES))


def test_too_large_a_body_is_a_400_saying_so(world, settings, programme_free_assignment):
    big = json.dumps({"reason": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1), "reports": [1], "decision": "accept"})
    assert_api_error(post_json(world.client("fzb"), "/api/v1/reports/review/", big), 400, "过大")
    # Only JSON is taken where no file is uploaded: a form body is refused before it is read.
    form = "reason=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = world.client("fzb").post("/api/v1/reports/review/", form,
                                        content_type="application/x-www-form-urlencoded")
    assert_api_error(response, 415)
    # Multipart (the upload): Django's own limit on what is not a file.
    response = world.client("d01").post(f"/api/v1/assignments/{programme_free_assignment.pk}/reports/",
                                        {"text": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1), "version": 0})
    assert_api_error(response, 400, "过大")


def test_pages_refusing_a_request_say_why(world, settings):
    """The pages answer HTML, but the 400 page gives the reason (it had none)."""
    client = world.client("fzb")
    fields = {f"f{i}": "1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post("/units/D01/edit/", fields)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "字段过多" in response.content.decode()


@pytest.mark.parametrize("path", [
    "/api/v1/nothing-here/", "/api/v2/units/", "/api/v1/assignments/12345678901234567890/",
    "/api/v1/reports/99999999999999999999999/review/", "/api/v1/units/" + "X" * 40 + "/",
])
def test_unknown_api_paths_and_over_long_ids_are_json_404s(world, path):
    response = Client(raise_request_exception=False).get(path)
    assert_api_error(response, 404, "未找到")
    # Signed in as well (the router is the same; a DRF view's 404 also keeps the format).
    assert_api_error(world.client("fzb").get(path), 404)


def test_drf_errors_keep_the_format(world):
    assert_api_error(Client().get("/api/v1/units/"), 401)
    assert_api_error(world.client("nobody").get("/api/v1/units/"), 403, "角色")
    assert_api_error(world.client("fzb").get("/api/v1/units/NOPE/"), 404)
    assert_api_error(world.client("fzb").delete("/api/v1/units/D01/"), 405)
    assert_api_error(world.client("fzb").get("/api/v1/units/?page_size=0"), 400, "page_size")
    assert_api_error(world.client("fzb").get("/api/v1/units/?page=abc"), 400, "页码")
    assert_api_error(world.client("fzb").get("/api/v1/units/?page="), 400, "页码")
    assert_api_error(world.client("fzb").get("/api/v1/units/?page=999"), 404)


def test_a_page_refusing_a_csrf_token_says_so_in_chinese(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("fzb"))
    response = client.post("/units/D01/edit/", {"name": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "CSRF" in html and "刷新" in html and "Forbidden" not in html


def test_page_404s_stay_html(world):
    response = world.client("fzb").get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


# 2. Zip bombs ----------------------------------------------------------------------------------------

def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _forge_declared_size(data: bytes, member: str, size: int, compressed: int | None = None) -> bytes:
    """Rewrite a member's sizes in the central directory (what the probe's 2 GiB bomb declares)."""
    data = bytearray(data)
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46:pos + 46 + name_len].decode() == member:
            struct.pack_into("<I", data, pos + 24, size)
            if compressed is not None:
                struct.pack_into("<I", data, pos + 20, compressed)
        pos = data.find(b"PK\x01\x02", pos + 4)
    return bytes(data)


DOCX = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document>" + "正文".encode() * 200 + b"</w:document>"}


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_an_ordinary_docx_xlsx_and_ofd_are_accepted():
    assert check_upload(_upload("方案.docx", _zip(DOCX)))[0] == "docx"
    assert check_upload(_upload("表.xlsx", _zip({"xl/workbook.xml": b"<workbook/>" * 50})))[0] == "xlsx"
    assert check_upload(_upload("文.ofd", _zip({"OFD.xml": b"<ofd:OFD/>" * 50})))[0] == "ofd"


def test_a_zip_bomb_named_docx_is_refused_without_extracting():
    # A real bomb, small enough for a test: 40 MB of zeros compress to about 40 KB (ratio ~1000).
    bomb = _zip({**DOCX, "word/document.xml": bytes(40 * 1024 * 1024)})
    assert len(bomb) < 200 * 1024
    with pytest.raises(InvalidInput) as e:
        check_upload(_upload("bomb.docx", bomb))
    assert "压缩比" in e.value.message and str(ZIP_MAX_RATIO) in e.value.message and "bomb.docx" in e.value.message


@pytest.mark.parametrize("kind_members", [DOCX, {"xl/workbook.xml": b"<workbook/>"}, {"OFD.xml": b"<ofd/>"}])
def test_declared_sizes_over_the_limits_are_refused(kind_members):
    """The probe's bomb: 2 MB declaring 2 GiB (here forged into the zip's directory)."""
    member = next(n for n in kind_members if n != "[Content_Types].xml")
    forged = _forge_declared_size(_zip(kind_members), member, 2 * 1024 ** 3 - 1)
    with pytest.raises(InvalidInput) as e:
        check_upload(_upload("poly.docx", forged))
    assert "上限" in e.value.message and e.value.field == "files"
    # Many members, each under the per-member limit, together over the total.
    many = _zip({**{f"word/media/{i}.bin": b"x" for i in range(3)}, **DOCX})
    for i in range(3):
        many = _forge_declared_size(many, f"word/media/{i}.bin", 200 * 1024 ** 2, compressed=100 * 1024 ** 2)
    with pytest.raises(InvalidInput, match="解压后共"):
        check_upload(_upload("many.docx", many))


def test_a_zip_bomb_is_refused_through_the_api(world, programme_free_assignment):
    assignment = programme_free_assignment
    bomb = _forge_declared_size(_zip(DOCX), "word/document.xml", 2 * 1024 ** 3 - 1)
    response = world.client("d01").post(f"/api/v1/assignments/{assignment.pk}/reports/", {
        "text": "见附件", "version": assignment.version, "files": [_upload("bomb.docx", bomb)]})
    body = assert_api_error(response, 400, "bomb.docx", "上限")
    assert "files" in body["errors"]
    assert not assignment.reports.exists()


@pytest.fixture
def programme_free_assignment(world):
    """D01's assignment of a one-task programme (the core tests do not load the whole table)."""
    from django.utils import timezone

    from fazhi.programme import services
    from fazhi.programme.demo import programme_dates

    start, end, phases = programme_dates(timezone.localdate())
    p = services.programme_create(name="测试", start=start, end=end, phases=phases, actor=world.user("fzb"))
    units = {"D01": world.unit("D01")}
    task, _, _ = services.task_upsert(programme=p, units_by_code=units, row={
        "code": "1.1", "category": "建章立制", "title": "任务", "requirement": "", "lead_spec": "D01",
        "responsible_spec": "D01", "due_kind": "phase", "due_phase": "implementation", "due_month_day": "",
        "report_period": "", "evidence": ""})
    return task.assignments.get()


# 3. Downloads named by the detected type ------------------------------------------------------------

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def _download(world, assignment, name: str, data: bytes):
    from fazhi.core.models import Attachment
    from fazhi.programme import services

    report = services.report_submit(assignment=assignment, actor=world.user("d01"), text="见附件",
                                    files=[_upload(name, data)], expected_version=assignment.version)
    attachment = Attachment.objects.for_object(report).get()
    return attachment, world.client("d01").get(f"/files/{attachment.pk}/")


def test_a_png_uploaded_as_html_downloads_as_png(world, programme_free_assignment):
    attachment, response = _download(world, programme_free_assignment, "poly.html", PNG)
    assert attachment.kind == "png"
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="poly.png"' in disposition and "filename*=UTF-8''poly.png" in disposition
    assert ".html" not in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PNG


def test_a_chinese_name_keeps_its_base_in_rfc5987(world, programme_free_assignment):
    from urllib.parse import quote

    _, response = _download(world, programme_free_assignment, '整改"方案".final.htm', PNG)
    disposition = response["Content-Disposition"]
    assert f"filename*=UTF-8''{quote('整改方案.final.png', safe='')}" in disposition
    ascii_part = disposition.split('filename="', 1)[1].split('"', 1)[0]
    assert ascii_part.isascii() and ascii_part.endswith(".png")


# 8. The lockout page states the configured wait -----------------------------------------------------

def _fail(username, ip="10.9.9.9", password="wrong"):
    return Client(REMOTE_ADDR=ip).post("/login/", {"username": username, "password": password})


@override_settings(AXES_COOLOFF_TIME=timedelta(minutes=7), AXES_FAILURE_LIMIT=2)
def test_the_lockout_page_states_the_configured_minutes_and_the_restart(world):
    login_page = Client().get("/login/").content.decode()
    assert "2 次" in login_page and "7 分钟" in login_page and "15 分钟" not in login_page
    for _ in range(2):
        _fail("d05")
    locked = _fail("d05", password="fazhi-demo-2026")
    page = locked.content.decode()
    assert locked.status_code == 429
    assert "7 分钟" in page and "15 分钟" not in page
    assert "重新计算" in page


@override_settings(AXES_COOLOFF_TIME=timedelta(minutes=7), AXES_FAILURE_LIMIT=2)
def test_each_attempt_during_the_lock_restarts_the_wait(world):
    """What the page says is what django-axes does: an attempt while locked moves the lock's start."""
    from axes.models import AccessAttempt
    from django.utils import timezone

    for _ in range(2):
        _fail("d06")
    AccessAttempt.objects.filter(username="d06").update(attempt_time=timezone.now() - timedelta(minutes=6))
    assert _fail("d06", password="fazhi-demo-2026").status_code == 429
    restarted = AccessAttempt.objects.get(username="d06").attempt_time
    assert timezone.now() - restarted < timedelta(minutes=1)


# 6. The schema says what the API does ----------------------------------------------------------------

@pytest.fixture
def openapi(db) -> dict:
    return json.loads(Client().get("/api/v1/openapi.json").content)


def test_every_operation_documents_its_errors_in_the_one_format(openapi):
    error = openapi["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"detail", "errors"}
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            expected = {"400", "401"} | ({"404"} if "{" in path or "page" in str(operation.get("parameters"))
                                         else set()) | ({"403", "409"} if method == "post" else set())
            assert expected <= set(responses), (method, path, sorted(responses))
            for code in expected:
                ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error" and CHINESE.search(responses[code]["description"])


def test_limits_are_in_the_schema(openapi):
    for path, operations in openapi["paths"].items():
        for param in operations.get("get", {}).get("parameters", []):
            if param["name"] == "page_size":
                assert (param["schema"]["minimum"], param["schema"]["maximum"]) == (1, 200), path
            if param["name"] == "page":
                assert param["schema"]["minimum"] == 1
    year = openapi["components"]["schemas"]["CalendarYearRequest"]["properties"]["year"]
    assert (year["minimum"], year["maximum"]) == (2000, 2100)
    start = next(p for p in openapi["paths"]["/api/v1/deadlines/compute"]["get"]["parameters"] if p["name"] == "start")
    assert re.fullmatch(start["schema"]["pattern"], "2200-01-01") and not re.fullmatch(start["schema"]["pattern"], "2201-01-01")
    units = {p["name"]: p for p in openapi["paths"]["/api/v1/units/"]["get"]["parameters"]}
    assert units["demonstration_key_unit"]["schema"]["type"] == "boolean" and units["parent"]["schema"]["pattern"]


def test_the_reports_of_an_assignment_are_documented_paginated(openapi):
    ok = openapi["paths"]["/api/v1/assignments/{id}/reports/"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/PaginatedReportList"

"""Portal pages: the public ones (anonymous, own layout, masked, CAPTCHA, limits) and the staff ones
(scoped; contact details to the office and the handling unit only)."""

import re

import pytest
from captcha.models import CaptchaStore
from django.urls import reverse

from fazhi.core.testing.public import PublicCases, assert_public_page
from fazhi.core.testing.scoping import ScopedCases
from fazhi.portal import services
from fazhi.portal.models import ASSIGNED, REPLIED, Submission, SubmissionFile
from fazhi.portal.tests.conftest import pdf, receive
from fazhi.programme.tests.conftest import programme  # noqa: F401  (fixture)


def captcha_answer(body: str) -> tuple[str, str]:
    """The CAPTCHA on a page and its answer, read from django-simple-captcha's store."""
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', body).group(1)
    return key, CaptchaStore.objects.get(hashkey=key).response


def suggestion_data(client, **extra):
    page = client.get(reverse("public-suggest"))
    key, answer = captcha_answer(page.content.decode())
    data = {"title": "建议公开执法投诉电话", "content": "请在办事大厅公布投诉电话。我的电话 13912345678,身份证 610102199001011234。",
            "name": "张明", "phone": "13912345678", "email": "zm@example.com", "captcha_0": key, "captcha_1": answer}
    data.update(extra)
    return data


# ---------------------------------------------------------------- public pages: reachable, own layout


class TestPublicHome(PublicCases):
    url_name = "public-home"

    def url(self, world):
        return reverse("public-home")


class TestPublicSuggest(PublicCases):
    url_name = "public-suggest"

    def url(self, world):
        return reverse("public-suggest")


class TestPublicTrack(PublicCases):
    url_name = "public-track"

    def url(self, world):
        return reverse("public-track")


class TestPublicProgress(PublicCases):
    url_name = "public-progress"

    def url(self, world):
        return reverse("public-progress")


class TestCaptchaImage(PublicCases):
    url_name = "captcha-image"
    check_page = False

    def url(self, world):
        return reverse("captcha-image", args=[CaptchaStore.generate_key()])


class TestCaptchaImage2x(TestCaptchaImage):
    url_name = "captcha-image-2x"

    def url(self, world):
        return reverse("captcha-image-2x", args=[CaptchaStore.generate_key()])


class TestCaptchaAudio(PublicCases):
    url_name = "captcha-audio"
    status = 404  # no speech synthesiser installed: no audio CAPTCHA
    check_page = False

    def url(self, world):
        return reverse("captcha-audio", args=[CaptchaStore.generate_key()])


class TestCaptchaRefresh(PublicCases):
    url_name = "captcha-refresh"
    status = 404  # only answers the page's own script (X-Requested-With)
    check_page = False

    def url(self, world):
        return reverse("captcha-refresh")

    def test_the_page_script_gets_a_new_captcha(self, world):
        response = world.client().get(self.url(world), HTTP_X_REQUESTED_WITH="XMLHttpRequest")
        body = response.json()
        assert body["image_url"].startswith("/public/captcha/image/") and CaptchaStore.objects.filter(
            hashkey=body["key"]).exists()


def test_public_pages_use_local_assets_and_the_mobile_viewport(world):
    body = world.client().get(reverse("public-suggest")).content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in body
    assert "/static/vendor/bootstrap/bootstrap.min.css" in body and "/static/portal/portal.css" in body
    assert "http://" not in body and "https://" not in body
    assert 'alt="验证码图片' in body and 'src="/public/captcha/image/' in body


# ---------------------------------------------------------------- submitting


def test_suggestion_with_right_captcha_gives_tracking_number_and_code(world, programme):  # noqa: F811
    client = world.client()
    response = client.post(reverse("public-suggest"), suggestion_data(client, files=[pdf()]))
    assert response.status_code == 200, response.content.decode()[:2000]
    body = response.content.decode()
    submission = Submission.objects.get()
    assert submission.tracking_no in body
    code = re.search(r'data-testid="query-code">([2-9A-Z]{8})<', body).group(1)
    assert services.submission_lookup(tracking_no=submission.tracking_no, code=code, ip="198.51.100.1") == submission
    assert submission.target_id == str(programme.pk) and submission.contact.ip == "127.0.0.1"
    assert SubmissionFile.objects.filter(submission=submission).count() == 1
    assert_public_page(body)


def test_wrong_captcha_is_refused_with_a_new_one_and_nothing_kept(world):
    client = world.client()
    data = suggestion_data(client, captcha_1="wrong")
    response = client.post(reverse("public-suggest"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "「验证码」验证码不正确,请按图片重新输入" in body
    assert "建议公开执法投诉电话" in body  # what was typed is kept
    new_key, _ = captcha_answer(body)
    assert new_key != data["captcha_0"] and not CaptchaStore.objects.filter(hashkey=data["captcha_0"]).exists()
    assert not Submission.objects.exists()
    # The CAPTCHA is good for one try: replaying the right answer after a wrong one fails too.
    again = client.post(reverse("public-suggest"), {**data, "captcha_1": CaptchaStore.objects.get(hashkey=new_key).response,
                                                    "captcha_0": data["captcha_0"]})
    assert again.status_code == 400 and not Submission.objects.exists()


def test_missing_fields_and_bad_attachment_name_the_field(world):
    client = world.client()
    response = client.post(reverse("public-suggest"), suggestion_data(client, title="", email="x@"))
    body = response.content.decode()
    assert response.status_code == 400
    assert "「主题」请填写主题" in body and "「电子邮箱」格式不正确" in body
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("照片.png", b"MZ\x90\x00 an executable")
    response = client.post(reverse("public-suggest"), suggestion_data(client, files=[fake]))
    assert response.status_code == 400
    assert "文件「照片.png」的内容不是允许的类型" in response.content.decode()
    assert not Submission.objects.exists()


def test_the_hourly_limit_answers_429_with_when_to_retry(world, settings):
    settings.FAZHI = {**settings.FAZHI, "PUBLIC_SUBMIT_PER_HOUR": 1}
    client = world.client()
    assert client.post(reverse("public-suggest"), suggestion_data(client)).status_code == 200
    response = client.post(reverse("public-suggest"), suggestion_data(client))
    assert response.status_code == 429
    body = response.content.decode()
    assert re.search(r"同一网络地址每小时最多提交 1 次,本小时已达上限。请于 (\d{4}-\d\d-\d\d )?\d\d:00 后再提交", body)
    assert Submission.objects.count() == 1


# ---------------------------------------------------------------- tracking


def test_track_shows_status_and_published_reply_masked(world):
    submission, code = receive()
    submission = services.submission_assign(submission=submission, unit=world.unit("D01"), actor=world.user("fzb"),
                                            expected_version=submission.version)
    services.submission_reply(submission=submission, actor=world.user("d01"), publish=True,
                              reply="张明同志:已在大厅公布投诉电话 0915-3212345,您的身份证号 610102199001011234 已登记。",
                              expected_version=submission.version)
    response = world.client().post(reverse("public-track"), {"tracking_no": submission.tracking_no, "code": code})
    assert response.status_code == 200
    body = response.content.decode()
    assert "已答复" in body and "城管局" in body
    assert "张**同志:已在大厅公布投诉电话 0915-****45,您的身份证号 610102********1234 已登记。" in body
    for secret in ("13912345678", "张明", "zm@example.com", "3212345", "199001011234", code):
        assert secret not in body, secret
    assert_public_page(body)


def test_track_wrong_code_and_unknown_number_same_message_and_limited(world, settings):
    settings.FAZHI = {**settings.FAZHI, "PUBLIC_QUERY_FAILURES_PER_HOUR": 2}
    submission, code = receive()
    client = world.client()
    wrong = client.post(reverse("public-track"), {"tracking_no": submission.tracking_no, "code": "AAAAAAAA"})
    unknown = client.post(reverse("public-track"), {"tracking_no": "20200101-AAAAAAAA", "code": code})
    assert wrong.status_code == unknown.status_code == 400
    assert services.NOT_FOUND in wrong.content.decode() and services.NOT_FOUND in unknown.content.decode()
    limited = client.post(reverse("public-track"), {"tracking_no": submission.tracking_no, "code": code})
    assert limited.status_code == 429 and "查询失败次数过多" in limited.content.decode()
    assert "办理状态" not in limited.content.decode()


def test_track_refuses_empty_fields_by_name(world):
    response = world.client().post(reverse("public-track"), {"tracking_no": "", "code": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "「受理编号」请填写受理编号" in body and "「查询码」请填写查询码" in body


# ---------------------------------------------------------------- public progress


def test_progress_shows_rates_by_unit_with_a_dash_for_no_data(world, programme):  # noqa: F811
    from fazhi.programme.models import DONE, Assignment

    d01 = Assignment.objects.filter(programme=programme, unit__code="D01")
    first = d01.order_by("id").first()
    Assignment.objects.filter(pk=first.pk).update(status=DONE)
    total = d01.count()
    from fazhi.org.models import Unit

    Unit.objects.create(code="D99", name="新设局", kind="department", parent=world.unit("GOV"))
    body = world.client().get(reverse("public-progress")).content.decode()
    row = re.search(r"<tr><th scope=\"row\" class=\"fw-normal\">城管局[^<]*</th>(.*?)</tr>", body)
    row = row or re.search(r"<tr><th scope=\"row\" class=\"fw-normal\">[^<]*城市管理[^<]*</th>(.*?)</tr>", body)
    assert row, body[:3000]
    assert f'<td class="text-end">1</td><td class="text-end">{total}</td><td class="text-end">{100 / total:.1f}%</td>' in row.group(1)
    assert ('<th scope="row" class="fw-normal">新设局</th><td class="text-end">0</td><td class="text-end">0</td>'
            '<td class="text-end">—</td>') in body
    assert_public_page(body)


# ---------------------------------------------------------------- staff pages: the four cases


class SubmissionCases(ScopedCases):
    """A suggestion assigned to the unit; the marker is its title (shown only to who may see it)."""

    def submission_of(self, world, unit):
        submission, _ = receive(title=f"{unit.name}的来件", ip=f"198.51.100.{unit.pk % 250}")
        return services.submission_assign(submission=submission, unit=unit, actor=world.user("fzb"),
                                          expected_version=submission.version)

    def marker(self, world, unit):
        return f"{unit.name}的来件"


class TestSubmissionList(SubmissionCases):
    url_name = "submission-list"
    is_list = True

    def url(self, world, unit):
        self.submission_of(world, unit)
        return reverse("submission-list")


class TestSubmissionDetail(SubmissionCases):
    url_name = "submission-detail"

    def url(self, world, unit):
        return reverse("submission-detail", args=[self.submission_of(world, unit).pk])


class TestSubmissionReply(SubmissionCases):
    url_name = "submission-reply"
    method = "post"

    def url(self, world, unit):
        self.submission = self.submission_of(world, unit)
        return reverse("submission-reply", args=[self.submission.pk])

    def data(self, world, unit):
        return {"reply": f"{unit.name}的来件已办理", "publish": "on", "version": self.submission.version}

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 302
        assert Submission.objects.get(pk=self.submission.pk).status == REPLIED


class TestSubmissionAssign(SubmissionCases):
    url_name = "submission-assign"
    method = "post"

    def url(self, world, unit):
        self.submission, _ = receive(title=f"{unit.name}的来件")
        return reverse("submission-assign", args=[self.submission.pk])

    def data(self, world, unit):
        return {"unit": unit.code, "version": self.submission.version}

    def test_same_unit(self, world):
        # A unit does not assign (the office does): its user does not even see what the office holds.
        response, _ = self.get(world, "d01")
        assert response.status_code == 404
        response = world.client("fzb").post(self.url(world, world.unit("D01")), self.data(world, world.unit("D01")))
        assert response.status_code == 302
        assert Submission.objects.get(pk=self.submission.pk).status == ASSIGNED


class TestSubmissionFile(SubmissionCases):
    url_name = "submission-file"

    def url(self, world, unit):
        submission, _ = receive(title=f"{unit.name}的来件", files=[pdf(f"{unit.name}的来件.pdf")])
        services.submission_assign(submission=submission, unit=unit, actor=world.user("fzb"),
                                   expected_version=submission.version)
        return reverse("submission-file", args=[SubmissionFile.objects.get(submission=submission).pk])

    def marker(self, world, unit):
        return "%PDF"

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")


# ---------------------------------------------------------------- contact details: who sees them


@pytest.mark.parametrize("username, sees", [
    ("fzb", True), ("d01", True), ("leader", False), ("inspector", False), ("d02", None), ("d01-zd", None),
])
def test_contact_details_only_to_the_office_and_the_handling_unit(world, username, sees):
    submission, _ = receive(files=[pdf("身份证复印件.pdf")])
    submission = services.submission_assign(submission=submission, unit=world.unit("D01"), actor=world.user("fzb"),
                                            expected_version=submission.version)
    file_id = SubmissionFile.objects.get(submission=submission).pk
    client = world.client(username)
    response = client.get(reverse("submission-detail", args=[submission.pk]))
    download = client.get(reverse("submission-file", args=[file_id]))
    history = client.get(reverse("record-history", args=["portal.submission", submission.pk]))
    if sees is None:  # another unit (or a section below the handling unit): the record itself is hidden
        assert response.status_code == 404 and download.status_code == 404 and history.status_code == 404
        return
    body = response.content.decode()
    assert response.status_code == 200
    assert ("13912345678" in body and "zm@example.com" in body and "身份证复印件.pdf" in body) is sees
    if not sees:
        assert "张明" not in body and "zm@example.com" not in body and "身份证复印件" not in body
    assert download.status_code == (200 if sees else 404)
    assert history.status_code == 200 and "zm@example.com" not in history.content.decode()


def test_anonymous_cannot_reach_staff_pages_or_unpublished_records(world):
    submission, _ = receive()
    client = world.client()
    for url in (reverse("submission-list"), reverse("submission-detail", args=[submission.pk]),
                reverse("record-history", args=["portal.submission", submission.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    # No public page lists or shows a submission without its tracking number and query code.
    for name in ("public-home", "public-track", "public-progress", "public-suggest"):
        assert submission.title not in client.get(reverse(name)).content.decode()


def test_office_assigns_from_the_detail_page_and_unit_replies(world):
    submission, code = receive()
    fzb = world.client("fzb")
    page = fzb.get(reverse("submission-detail", args=[submission.pk])).content.decode()
    assert "交办" in page and 'name="unit"' in page and "13912345678" in page
    bad = fzb.post(reverse("submission-assign", args=[submission.pk]), {"unit": "", "version": submission.version})
    assert bad.status_code == 400 and "「承办单位」请选择承办单位" in bad.content.decode()
    ok = fzb.post(reverse("submission-assign", args=[submission.pk]), {"unit": "D01", "version": submission.version})
    assert ok.status_code == 302
    submission.refresh_from_db()
    d01 = world.client("d01")
    listing = d01.get(reverse("submission-list")).content.decode()
    assert submission.tracking_no in listing
    page = d01.get(reverse("submission-detail", args=[submission.pk])).content.decode()
    assert "提交答复" in page and "答复:" in page
    empty = d01.post(reverse("submission-reply", args=[submission.pk]), {"reply": "", "version": submission.version})
    assert empty.status_code == 400 and "「答复」请填写答复内容" in empty.content.decode()
    stale = d01.post(reverse("submission-reply", args=[submission.pk]), {"reply": "好", "version": submission.version - 1})
    assert stale.status_code == 400 and "该记录已被他人修改" in stale.content.decode()
    done = d01.post(reverse("submission-reply", args=[submission.pk]),
                    {"reply": "已办理", "publish": "on", "version": submission.version})
    assert done.status_code == 302
    submission.refresh_from_db()
    assert submission.status == REPLIED and submission.reply_published
    history = d01.get(reverse("record-history", args=["portal.submission", submission.pk])).content.decode()
    assert "已答复" in history and "交办" in history

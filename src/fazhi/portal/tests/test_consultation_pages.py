"""Pages of public consultation: the staff list and page (the four cases; the drafting unit answers, another
unit neither sees nor answers), the Excel adoption table, and the public pages (only started consultations,
the opinion form with CAPTCHA while open, the masked adoption table once closed, contact details never)."""

import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fazhi.core.testing.public import PublicCases, assert_public_page
from fazhi.core.testing.scoping import ScopedCases
from fazhi.deadlines.services import deadline_compute
from fazhi.portal import selectors, services
from fazhi.portal.models import ADOPTED, NOT_ADOPTED, OPINION, PARTLY, Submission
from fazhi.portal.tests.test_pages import captcha_answer


def consult(world, unit, *, closed=False, later=False, title=None, user=None, target=None):
    """A consultation of `unit` on the unit itself (any saved record will do as the target): open today,
    closed (ran two months ago) or starting tomorrow."""
    today = timezone.localdate()
    start = today - timedelta(days=70) if closed else today + timedelta(days=1) if later else today
    users = {"D01": "d01", "D02": "d02"}
    return services.consultation_open(
        target=target or unit, unit=unit, title=title or f"{unit.name}的征求意见稿", text="第一条 为了规范……\n第二条 本办法适用于……",
        summary="起草说明摘要", rule_id="normdoc.consult", starts_on=start,
        ends_on=deadline_compute("normdoc.consult", start).due, actor=world.user(user or users.get(unit.code, "fzb")),
        today=start)


def send(c, *, content="建议第二条写明适用范围。联系电话 13912345678。", name="张明", ip="203.0.113.40"):
    submission, _ = services.opinion_receive(target=c, unit=c.unit, title="对第二条的意见", content=content,
                                             contact={"name": name, "phone": "13912345678", "email": "zm@example.com"},
                                             files=[], ip=ip, today=c.starts_on)
    return submission


# ---------------------------------------------------------------- staff pages: the four cases


class ConsultationCases(ScopedCases):
    def marker(self, world, unit):
        return f"{unit.name}的征求意见稿"


class TestConsultationList(ConsultationCases):
    url_name = "consultation-list"
    is_list = True

    def url(self, world, unit):
        consult(world, unit)
        return reverse("consultation-list")


class TestConsultationDetail(ConsultationCases):
    url_name = "consultation-detail"

    def url(self, world, unit):
        return reverse("consultation-detail", args=[consult(world, unit).pk])


class TestConsultationExport(ConsultationCases):
    url_name = "consultation-export"

    def url(self, world, unit):
        c = consult(world, unit)
        send(c)
        return reverse("consultation-export", args=[c.pk])

    def marker(self, world, unit):
        return ""

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 200
        from openpyxl import load_workbook

        ws = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
        rows = [r for r in ws.iter_rows(values_only=True) if any(r)]
        assert rows[0] == ("序号", "受理编号", "收到日期", "意见内容", "采纳情况", "理由", "反馈日期")
        assert rows[1][0] == 1 and rows[1][4] == "待反馈" and "13912345678" in rows[1][3]  # for the record: unmasked


class TestConsultationAnswer(ConsultationCases):
    url_name = "consultation-answer"
    method = "post"

    def url(self, world, unit):
        self.opinion = send(consult(world, unit))
        return reverse("consultation-answer", args=[int(self.opinion.target_id)])

    def data(self, world, unit):
        p = f"o{self.opinion.pk}"
        return {"opinion": self.opinion.pk, f"{p}-submission": self.opinion.pk, f"{p}-adoption": NOT_ADOPTED,
                f"{p}-reason": f"{unit.name}的征求意见稿不涉及", f"{p}-version": self.opinion.version}

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 302
        assert Submission.objects.get(pk=self.opinion.pk).adoption == NOT_ADOPTED

    def test_other_unit(self, world):
        super().test_other_unit(world)
        assert Submission.objects.get(pk=self.opinion.pk).adoption == ""


# ---------------------------------------------------------------- staff pages: behaviour


def test_the_drafting_unit_answers_on_the_page_reason_required_and_stale_refused(world):
    c = consult(world, world.unit("D01"))
    opinion = send(c)
    d01 = world.client("d01")
    url = reverse("consultation-detail", args=[c.pk])
    page = d01.get(url).content.decode()
    assert "待反馈" in page and "反馈采纳情况" in page and opinion.tracking_no in page
    assert "尚有 1 条意见未反馈采纳情况" in page and "征求意见期至" in page
    p, answer = f"o{opinion.pk}", reverse("consultation-answer", args=[c.pk])
    base = {"opinion": opinion.pk, f"{p}-submission": opinion.pk, f"{p}-version": opinion.version}
    bad = d01.post(answer, {**base, f"{p}-adoption": PARTLY, f"{p}-reason": ""})
    assert bad.status_code == 400 and "「理由」「部分采纳」须说明理由" in bad.content.decode()
    none = d01.post(answer, {**base, f"{p}-adoption": "", f"{p}-reason": ""})
    assert none.status_code == 400 and "「采纳情况」请选择采纳情况" in none.content.decode()
    ok = d01.post(answer, {**base, f"{p}-adoption": ADOPTED, f"{p}-reason": ""})
    assert ok.status_code == 302
    stale = d01.post(answer, {**base, f"{p}-adoption": NOT_ADOPTED, f"{p}-reason": "不涉及"})
    assert stale.status_code == 400 and "该记录已被他人修改" in stale.content.decode()
    assert Submission.objects.get(pk=opinion.pk).adoption == ADOPTED
    history = d01.get(reverse("record-history", args=["portal.consultation", c.pk]))
    assert history.status_code == 200 and c.title in history.content.decode()
    assert world.client("d02").get(reverse("record-history", args=["portal.consultation", c.pk])).status_code == 404
    # Leaders read, do not answer: no form, and a post is refused.
    leader = world.client("leader")
    assert "反馈采纳情况</button>" not in leader.get(url).content.decode()
    assert leader.post(answer, {**base, f"{p}-adoption": NOT_ADOPTED, f"{p}-reason": "x"}).status_code == 403
    # An opinion of another consultation cannot be answered through this one.
    other = send(consult(world, world.unit("D01"), title="另一份草案", target=world.unit("D05")), ip="203.0.113.41")
    wrong = d01.post(answer, {"opinion": other.pk, f"o{other.pk}-submission": other.pk,
                              f"o{other.pk}-adoption": ADOPTED, f"o{other.pk}-version": other.version})
    assert wrong.status_code == 302 and Submission.objects.get(pk=other.pk).adoption == ""


def test_the_include_shows_period_state_counts_and_link(world):
    from django.template.loader import render_to_string

    c = consult(world, world.unit("D01"))
    send(c)
    html = render_to_string("portal/_consultation.html", {"consultation": c})
    assert f"{c.starts_on:%Y-%m-%d} 至 {c.ends_on:%Y-%m-%d}" in html and "征求中" in html
    assert "1 条" in html and "待反馈 1" in html and reverse("consultation-detail", args=[c.pk]) in html
    assert "尚未公开征求意见" in render_to_string("portal/_consultation.html", {"consultation": None})


@pytest.mark.parametrize("username", ["fzb", "d01"])
def test_the_staff_list_takes_the_same_queries_for_one_or_many(world, username):
    unit = world.unit("D01")
    consult(world, unit, title="第一份")
    client = world.client(username)
    client.get(reverse("consultation-list"))  # warm the session and content types
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("consultation-list")).status_code == 200
    for i in range(6):
        c = consult(world, world.unit("D01"), closed=True, title=f"草案{i}", target=world.unit(f"T{i + 1:02d}"))
        send(c, ip=f"203.0.113.{50 + i}")
    with CaptureQueriesContext(connection) as many:
        body = client.get(reverse("consultation-list")).content.decode()
    assert "草案5" in body and len(many) == len(one), [q["sql"] for q in many.captured_queries]


# ---------------------------------------------------------------- public pages


class TestPublicConsultations(PublicCases):
    url_name = "public-consultations"

    def url(self, world):
        consult(world, world.unit("D01"))
        return reverse("public-consultations")


class TestPublicConsultation(PublicCases):
    url_name = "public-consultation"

    def url(self, world):
        return consult(world, world.unit("D01")).get_public_url()


def opinion_data(client, url, **extra):
    key, answer = captcha_answer(client.get(url).content.decode())
    data = {"title": "", "content": "第二条范围过窄。我的电话 13912345678。", "name": "张明",
            "phone": "13912345678", "captcha_0": key, "captcha_1": answer}
    data.update(extra)
    return data


def test_public_opinion_while_open_goes_to_the_drafting_unit(world):
    c = consult(world, world.unit("D01"))
    client = world.client()
    url = c.get_public_url()
    page = client.get(url).content.decode()
    assert "第二条 本办法适用于" in page and 'data-testid="opinion-form"' in page and "征求中" in page
    assert str(c.pk) not in re.findall(r'href="([^"]*)"', page)
    response = client.post(url, opinion_data(client, url))
    assert response.status_code == 200, response.content.decode()[:3000]
    body = response.content.decode()
    assert "已收到您的意见" in body
    opinion = Submission.objects.get(kind=OPINION)
    assert opinion.tracking_no in body and opinion.unit.code == "D01" and opinion.target_id == str(c.pk)
    assert opinion.title == f"对「{c.title}」的意见"
    assert_public_page(body)
    wrong = client.post(url, opinion_data(client, url, captcha_1="nope", content="再提一条"))
    assert wrong.status_code == 400 and "「验证码」验证码不正确" in wrong.content.decode()
    empty = client.post(url, opinion_data(client, url, content=""))
    assert empty.status_code == 400 and "「意见内容」请填写意见内容" in empty.content.decode()
    assert Submission.objects.count() == 1


def test_the_hourly_limit_holds_for_opinions(world, settings):
    settings.FAZHI = {**settings.FAZHI, "PUBLIC_SUBMIT_PER_HOUR": 1}
    url = consult(world, world.unit("D01")).get_public_url()
    client = world.client()
    assert client.post(url, opinion_data(client, url)).status_code == 200
    limited = client.post(url, opinion_data(client, url))
    assert limited.status_code == 429 and "每小时最多提交 1 次" in limited.content.decode()


def test_after_the_end_the_form_is_gone_a_post_is_refused_and_the_masked_table_shows(world):
    c = consult(world, world.unit("D01"), closed=True)
    s = send(c, content="张明建议:第二条增加投诉电话 0915-3212345。身份证 610102199001011234。")
    services.opinion_answer(submission=s, adoption=PARTLY, reason="已采纳张明关于投诉电话的意见,号码另行公布。",
                            actor=world.user("d01"), expected_version=s.version)
    client = world.client()
    url = c.get_public_url()
    page = client.get(url).content.decode()
    assert 'data-testid="opinion-form"' not in page and "已截止" in page and "部分采纳" in page
    assert "张**建议:第二条增加投诉电话 0915-****45。身份证 610102********1234。" in page
    assert "已采纳张**关于投诉电话的意见" in page
    for secret in ("张明", "13912345678", "zm@example.com", "3212345", s.tracking_no):
        assert secret not in page, secret
    assert_public_page(page)
    from captcha.models import CaptchaStore

    key = CaptchaStore.generate_key()
    late = client.post(url, {"content": "迟到的意见", "captcha_0": key,
                             "captcha_1": CaptchaStore.objects.get(hashkey=key).response})
    assert late.status_code == 400 and "截止日期" in late.content.decode() and "已于" in late.content.decode()
    assert Submission.objects.filter(kind=OPINION).count() == 1
    listing = client.get(reverse("public-consultations")).content.decode()
    assert c.title in listing and "部分采纳 1" in listing and "已截止" in listing


def test_a_consultation_not_yet_started_is_404_and_not_listed(world):
    c = consult(world, world.unit("D01"), later=True)
    client = world.client()
    assert client.get(c.get_public_url()).status_code == 404
    assert client.post(c.get_public_url(), {"content": "x"}).status_code == 404
    assert client.get(reverse("public-consultation", args=["NOSUCHCODE"])).status_code == 404
    assert c.title not in client.get(reverse("public-consultations")).content.decode()
    # Staff see it (with its state) all the same.
    assert "未开始" in world.client("d01").get(reverse("consultation-detail", args=[c.pk])).content.decode()


def test_the_public_list_puts_open_ones_first_and_takes_the_same_queries_for_many(world):
    closed = consult(world, world.unit("D01"), closed=True, title="已截止的草案")
    client = world.client()
    client.get(reverse("public-consultations"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("public-consultations"))
    running = consult(world, world.unit("D02"), title="征求中的草案")
    for i in range(5):
        c = consult(world, world.unit("D02"), closed=True, title=f"旧草案{i}", target=world.unit(f"T{i + 1:02d}"))
        send(c, ip=f"203.0.113.{60 + i}")
    with CaptureQueriesContext(connection) as many:
        body = client.get(reverse("public-consultations")).content.decode()
    assert len(many) == len(one)
    assert body.index(running.title) < body.index(closed.title)
    assert [c.pk for c in selectors.consultations_public()][0] == running.pk


# ---------------------------------------------------------------- API


class TestConsultationListApi(ConsultationCases):
    url_name = "api:consultation-list"
    api = True
    is_list = True

    def url(self, world, unit):
        consult(world, unit)
        return reverse("api:consultation-list")


class TestConsultationDetailApi(ConsultationCases):
    url_name = "api:consultation-detail"
    api = True

    def url(self, world, unit):
        return reverse("api:consultation-detail", args=[consult(world, unit).pk])


def test_api_detail_carries_the_adoption_table_and_the_list_filters_by_state(world):
    c = consult(world, world.unit("D01"))
    s = send(c)
    services.opinion_answer(submission=s, adoption=NOT_ADOPTED, reason="不属于本办法调整范围", actor=world.user("d01"),
                            expected_version=s.version)
    send(c, ip="203.0.113.42")
    consult(world, world.unit("D02"), later=True)
    api = world.client("fzb")
    body = api.get(reverse("api:consultation-detail", args=[c.pk])).json()
    assert (body["unit"], body["state"], body["opinions"], body["unanswered"]) == ("D01", "open", 2, 1)
    assert body["public_url"] == c.get_public_url() and body["missing"][1] == "尚有 1 条意见未反馈采纳情况"
    first = body["adoption_table"][0]
    assert (first["no"], first["tracking_no"], first["adoption"], first["adoption_label"], first["reason"]) == (
        1, s.tracking_no, NOT_ADOPTED, "不予采纳", "不属于本办法调整范围")
    assert body["adoption_table"][1]["adoption"] == "" and "13912345678" in first["content"]
    listed = api.get(reverse("api:consultation-list"), {"state": "not_started"}).json()
    assert [r["unit"] for r in listed["results"]] == ["D02"]
    bad = api.get(reverse("api:consultation-list"), {"state": "maybe"})
    assert bad.status_code == 400 and "state" in bad.json()["errors"]
    with CaptureQueriesContext(connection) as one:
        api.get(reverse("api:consultation-list"))
    for i in range(4):
        send(consult(world, world.unit("D01"), closed=True, title=f"草案{i}", target=world.unit(f"T{i + 1:02d}")),
             ip=f"203.0.113.{70 + i}")
    with CaptureQueriesContext(connection) as many:
        assert api.get(reverse("api:consultation-list")).json()["count"] == 6
    assert len(many) == len(one)


# ---------------------------------------------------------------- the sender and the submissions pages


def test_the_sender_sees_the_adoption_on_the_track_page_and_staff_find_the_consultation(world):
    c = consult(world, world.unit("D01"))
    submission, code = services.opinion_receive(target=c, unit=c.unit, title="意见", content="建议修改第一条。",
                                                contact={"name": "张明"}, files=[], ip="203.0.113.80")
    services.opinion_answer(submission=submission, adoption=PARTLY, reason="张明的意见部分采纳,第一条已修改。",
                            actor=world.user("d01"), expected_version=submission.version)
    track = world.client().post(reverse("public-track"), {"tracking_no": submission.tracking_no, "code": code})
    body = track.content.decode()
    assert "已反馈采纳情况:部分采纳" in body and "张**的意见部分采纳,第一条已修改。" in body and "城管局" in body
    page = world.client("d01").get(reverse("submission-detail", args=[submission.pk])).content.decode()
    assert "采纳情况:部分采纳" in page and reverse("consultation-detail", args=[c.pk]) in page
    assert "提交答复" not in page  # answered there, not replied here
    assert c.title not in world.client("d02").get(reverse("submission-list")).content.decode()


class TestSubmissionAnswer(ScopedCases):
    """An opinion on a published record (not a consultation) is answered on its submission page."""

    url_name = "submission-answer"
    method = "post"

    def url(self, world, unit):
        self.opinion, _ = services.opinion_receive(target=unit, unit=unit, title=f"{unit.name}的文件意见",
                                                   content="第五条不清楚。", contact={}, files=[], ip="203.0.113.95")
        return reverse("submission-answer", args=[self.opinion.pk])

    def data(self, world, unit):
        return {"submission": self.opinion.pk, "adoption": ADOPTED, "reason": "", "version": self.opinion.version}

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 302
        assert Submission.objects.get(pk=self.opinion.pk).adoption == ADOPTED
        page = world.client("d01").get(reverse("submission-detail", args=[self.opinion.pk])).content.decode()
        assert "采纳情况:采纳" in page and "修改采纳情况" in page

    def test_other_unit(self, world):
        super().test_other_unit(world)
        assert Submission.objects.get(pk=self.opinion.pk).adoption == ""


def test_answering_an_opinion_on_its_submission_page_names_the_missing_reason(world):
    unit = world.unit("D01")
    opinion, _ = services.opinion_receive(target=unit, unit=unit, title="意见", content="第五条不清楚。", contact={},
                                          files=[], ip="203.0.113.96")
    d01 = world.client("d01")
    page = d01.get(reverse("submission-detail", args=[opinion.pk])).content.decode()
    assert "反馈采纳情况</button>" in page and "提交答复" not in page
    bad = d01.post(reverse("submission-answer", args=[opinion.pk]),
                   {"submission": opinion.pk, "adoption": NOT_ADOPTED, "reason": "", "version": opinion.version})
    assert bad.status_code == 400 and "「理由」「不予采纳」须说明理由" in bad.content.decode()
    # A suggestion is replied to, never answered with an adoption.
    from fazhi.portal.tests.conftest import receive

    suggestion, _ = receive()
    assert world.client("fzb").post(reverse("submission-answer", args=[suggestion.pk]),
                                    {"submission": suggestion.pk, "adoption": ADOPTED, "version": 1}).status_code == 403

"""Pages of the publication of decisions: the four cases for every URL name, the acts through the pages (bad input
at its field, stale form refused), the public pages (masked, withdrawn ones gone, filters), constant query counts."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.core.testing.public import PublicCases
from fazhi.core.testing.scoping import ScopedCases
from fazhi.enforcement.publication import services
from fazhi.enforcement.publication.models import PUBLISHED, WITHDRAWN, Publication
from fazhi.enforcement.records.tests.conftest import make_case


def publish_due(world, code, n=0, party="张三", party_kind="person", decided_on=date(2026, 4, 20)):
    unit = world.unit(code)
    case = make_case(world, unit=code, number=f"(2026)陕0113行初{code}{n}号")
    return services.publication_due(
        case, rule="penalty.publicize", decided_on=decided_on, title=f"{unit.name}的处罚决定{n}",
        document_number=f"{code}罚〔2026〕{n}号", party=party, party_kind=party_kind,
        summary=f"{party}(电话13912345678)无照经营,罚款5000元。", actor=world.user(code.lower()))


class PubCases(ScopedCases):
    @pytest.fixture(autouse=True)
    def _pubs(self, world):
        self.pubs = {code: publish_due(world, code) for code in ("D01", "D02")}

    def pub(self, unit):
        return self.pubs[unit.code]

    def marker(self, world, unit):
        return f"{unit.name}的处罚决定0"


class TestList(PubCases):
    url_name = "publication-list"
    is_list = True

    def url(self, world, unit):
        return reverse("publication-list")

    def test_filters_and_bad_values(self, world):
        client = world.client("fzb")
        page = client.get(reverse("publication-list") + "?unit=D02&kind=penalty&year=2026&state=due").content.decode()
        assert "D02罚〔2026〕0号" in page and "D01罚〔2026〕0号" not in page
        assert "D02罚" not in client.get(reverse("publication-list") + "?year=2025").content.decode()
        for bad, field in (("state=nope", "状态"), ("year=20x", "年份"), ("kind=x", "决定类别"), ("unit=!!", "单位")):
            response = client.get(reverse("publication-list") + "?" + bad)
            assert response.status_code == 400 and f"「{field}」" in response.content.decode(), bad
        # a unit user naming another unit is refused as if it did not exist
        assert world.client("d01").get(reverse("publication-list") + "?unit=D02").status_code == 400

    def test_overdue_and_late_states(self, world):
        client = world.client("fzb")
        # decided 20 Apr 2026, due 29 Apr: overdue by now, both unpublished
        page = client.get(reverse("publication-list") + "?state=overdue").content.decode()
        assert "D01罚〔2026〕0号" in page and "D02罚〔2026〕0号" in page
        services.publication_publish(publication=self.pubs["D01"], on=date(2026, 4, 30), actor=world.user("d01"))
        page = client.get(reverse("publication-list") + "?state=late").content.decode()
        assert "D01罚〔2026〕0号" in page and "D02罚〔2026〕0号" not in page
        page = client.get(reverse("publication-list") + "?state=overdue").content.decode()
        assert "D01罚〔2026〕0号" not in page and "D02罚〔2026〕0号" in page

    def test_constant_queries(self, world):
        client = world.client("fzb")
        url = reverse("publication-list")
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        for n in range(1, 8):
            publish_due(world, "D03", n)
        with CaptureQueriesContext(connection) as many:
            assert client.get(url).status_code == 200
        assert len(many) == len(few), [q["sql"][:100] for q in many.captured_queries]


class TestDetail(PubCases):
    url_name = "publication-detail"

    def url(self, world, unit):
        return reverse("publication-detail", args=[self.pub(unit).pk])

    def test_links_the_case_and_shows_the_clock(self, world):
        page = world.client("d01").get(self.url(world, world.unit("D01"))).content.decode()
        pub = self.pubs["D01"]
        assert pub.case.get_absolute_url() in page and "行政处罚决定公开" in page and 'data-testid="publish-form"' in page
        # leaders and inspectors read, without the forms
        page = world.client("inspector").get(self.url(world, world.unit("D01"))).content.decode()
        assert pub.document_number in page and 'data-testid="publish-form"' not in page


class TestPublish(PubCases):
    url_name = "publication-publish"
    method = "post"

    def url(self, world, unit):
        return reverse("publication-publish", args=[self.pub(unit).pk])

    def data(self, world, unit):
        return {"on": "2026-04-22", "version": self.pub(unit or world.unit("D01")).version}

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 303
        pub = Publication.objects.get(pk=self.pub(unit).pk)
        assert pub.state == PUBLISHED and pub.published_late is False

    def test_leader_is_403(self, world):
        unit = world.unit("D01")
        assert world.client("leader").post(self.url(world, unit), self.data(world, unit)).status_code == 403

    def test_bad_input_and_stale_form(self, world):
        unit, client = world.unit("D01"), world.client("d01")
        response = client.post(self.url(world, unit), {"on": "2026-04-19", "version": self.pub(unit).version})
        assert response.status_code == 400 and "不能早于决定日期" in response.content.decode()
        response = client.post(self.url(world, unit), {"on": "4月22日", "version": self.pub(unit).version})
        assert response.status_code == 400 and "公开日期" in response.content.decode()
        response = client.post(self.url(world, unit), {"on": "2026-04-22", "version": 999})
        assert response.status_code == 409
        assert Publication.objects.get(pk=self.pub(unit).pk).state == "due"
        # back to a same-site page only
        response = client.post(self.url(world, unit), {"on": "2026-04-22", "version": self.pub(unit).version,
                                                       "next": "https://evil.example/"})
        assert response.status_code == 303 and response["Location"] == self.pub(unit).get_absolute_url()


class TestWithdraw(PubCases):
    url_name = "publication-withdraw"
    method = "post"

    @pytest.fixture(autouse=True)
    def _published(self, _pubs, world):
        for code, pub in self.pubs.items():
            self.pubs[code] = services.publication_publish(publication=pub, on=date(2026, 4, 22),
                                                           actor=world.user(code.lower()))

    def url(self, world, unit):
        return reverse("publication-withdraw", args=[self.pub(unit).pk])

    def data(self, world, unit):
        return {"on": "2026-04-23", "reason": "公开内容有误", "version": self.pub(unit or world.unit("D01")).version}

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 303
        assert Publication.objects.get(pk=self.pub(unit).pk).state == WITHDRAWN

    def test_reason_required(self, world):
        unit = world.unit("D01")
        response = world.client("d01").post(self.url(world, unit), {"on": "2026-04-23",
                                                                    "version": self.pub(unit).version})
        assert response.status_code == 400 and "撤回原因" in response.content.decode()


# ------------------------------------------------------------------ public pages


@pytest.mark.django_db
class TestPublicList(PublicCases):
    url_name = "public-enforcement-decisions"

    def url(self, world):
        pub = publish_due(world, "D01")
        services.publication_publish(publication=pub, on=date(2026, 4, 22), actor=world.user("d01"))
        return reverse("public-enforcement-decisions")

    def test_published_masked_and_withdrawn_gone(self, world):
        client = world.client()
        shown = services.publication_publish(publication=publish_due(world, "D01", 1), on=date(2026, 4, 22),
                                             actor=world.user("d01"))
        company = services.publication_publish(
            publication=publish_due(world, "D02", 2, party="西安某某商贸有限公司", party_kind="legal_person"),
            on=date(2026, 4, 23), actor=world.user("d02"))
        publish_due(world, "D01", 3)  # not yet published
        gone = services.publication_publish(publication=publish_due(world, "D03", 4), on=date(2026, 4, 22),
                                            actor=world.user("d03"))
        services.publication_withdraw(publication=gone, on=date(2026, 4, 24), reason="有误", actor=world.user("d03"))
        body = client.get(reverse("public-enforcement-decisions")).content.decode()
        assert shown.document_number in body and company.document_number in body
        assert "D01罚〔2026〕3号" not in body and gone.document_number not in body
        assert "张**" in body and "张三" not in body and "西安某某商贸有限公司" in body
        detail = client.get(shown.get_public_url()).content.decode()
        assert "张**" in detail and "张三" not in detail and "13912345678" not in detail and "139****5678" in detail
        assert client.get(gone.get_public_url()).status_code == 404
        # filters
        assert company.document_number not in client.get(
            reverse("public-enforcement-decisions") + "?unit=D01&kind=penalty&year=2026").content.decode()
        assert shown.document_number not in client.get(
            reverse("public-enforcement-decisions") + "?year=2025").content.decode()
        for bad in ("unit=ZZ99", "kind=nope", "year=abc", "unit=!!"):
            assert client.get(reverse("public-enforcement-decisions") + "?" + bad).status_code == 400, bad

    def test_constant_queries(self, world):
        client = world.client()
        url = self.url(world)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        for n in range(1, 8):
            services.publication_publish(publication=publish_due(world, "D02", n), on=date(2026, 4, 22),
                                         actor=world.user("d02"))
        with CaptureQueriesContext(connection) as many:
            client.get(url)
        assert len(many) == len(few)


@pytest.mark.django_db
class TestPublicDetail(PublicCases):
    url_name = "public-enforcement-decision"

    def url(self, world):
        pub = services.publication_publish(publication=publish_due(world, "D01"), on=date(2026, 4, 22),
                                           actor=world.user("d01"))
        return pub.get_public_url()

    def test_unpublished_and_ids_are_404(self, world):
        pub = publish_due(world, "D02")
        client = world.client()
        assert client.get(reverse("public-enforcement-decision", args=[pub.public_code])).status_code == 404
        assert client.get(f"/public/enforcement-decisions/{pub.pk}/").status_code == 404
        assert client.get("/public/enforcement-decisions/" + "x" * 40 + "/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["²", "٢٠٢٦", "20x6", "1"])
def test_a_malformed_year_is_refused_not_a_server_error(world, year):
    public = world.client().get("/public/enforcement-decisions/", {"year": year})
    assert public.status_code == 400
    staff = world.client("fzb").get("/enforcement/faults/", {"year": year})
    assert staff.status_code == 400

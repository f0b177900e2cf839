"""Four permission cases for every page and endpoint of normative documents (core/testing/scoping.py), and the
public pages' checks (core/testing/public.py): a unit sees and edits only its own; the public only what is
published."""

import io
from datetime import date

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from fazhi.core.testing.public import PublicCases, assert_public_page
from fazhi.core.testing.scoping import ScopedCases
from fazhi.normdocs import services
from fazhi.normdocs.models import CleanupItem, Filing
from fazhi.normdocs.tests.factories import act, draft, materials, pdf, walk

ON = date(2026, 3, 2)
TITLE = "城管局专属示例文件"


def data(world):
    """Per test: D01's published and filed document (found 存在问题, with a handling suggestion), a draft, and a
    closed cleanup campaign listing the document."""
    cached = getattr(world, "_normdocs", None)
    if cached:
        return cached
    d01, office, unit = world.user("d01"), world.user("fzb"), world.unit("D01")
    doc = walk(draft(unit, d01, title=TITLE), d01, office, upto="file", on=ON)
    filing = Filing.objects.get(document=doc)
    act(filing, office, "review", outcome="problem", note="条款不当", problem_kinds=["content"])
    act(filing, office, "opinion", correction="amend", suggestion="建议修改")
    draft_doc = draft(unit, d01, title=f"{TITLE}(草案)")
    campaign = services.campaign_start(title="2026年规范性文件清理", as_of=date(2026, 3, 31), actor=office)
    world._normdocs = {"doc": doc, "filing": Filing.objects.get(pk=filing.pk), "draft": draft_doc, "campaign": campaign}
    return world._normdocs


class Cases(ScopedCases):
    def marker(self, world, unit):
        return TITLE


@pytest.mark.django_db
class TestDocumentList(Cases):
    url_name = "normdoc-list"
    is_list = True

    def url(self, world, unit):
        data(world)
        return reverse("normdoc-list")


@pytest.mark.django_db
class TestDocumentCreate(Cases):
    url_name = "normdoc-create"
    is_list = True

    def url(self, world, unit):
        return reverse("normdoc-create")

    def marker(self, world, unit):
        return f'value="{unit.code}"'

    def test_draft_for_own_unit_only(self, world):
        response = world.client("d02").post(reverse("normdoc-create"), {"unit": "D01", "title": "越权起草"})
        assert response.status_code == 400 and "请选择「起草单位」" in response.content.decode()
        response = world.client("d01").post(reverse("normdoc-create"), {"unit": "D01", "title": "本单位起草"})
        assert response.status_code == 303  # See Other: a reload does not post again


@pytest.mark.django_db
class TestRegisterExport(Cases):
    url_name = "normdoc-export"
    is_list = True

    def url(self, world, unit):
        data(world)
        return reverse("normdoc-export", args=["register"])

    def rows(self, response):
        wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        return list(wb.worksheets[0].iter_rows(values_only=True))

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 200
        rows = self.rows(response)
        assert any(r[1] == TITLE and r[7] == "有效" for r in rows)

    def test_other_unit(self, world):
        response, _ = self.get(world, "d02")
        assert response.status_code == 200
        assert not any(TITLE in str(r[1]) for r in self.rows(response))

    def test_ledger_export(self, world):
        data(world)
        response = world.client("fzb").get(reverse("normdoc-export", args=["filings"]))
        rows = self.rows(response)
        assert rows[1][1] == TITLE and "存在问题" in rows[1][9] and rows[1][12] == "修改"


@pytest.mark.django_db
class TestDocumentDetail(Cases):
    url_name = "normdoc-detail"

    def url(self, world, unit):
        return reverse("normdoc-detail", args=[data(world)["doc"].pk])


@pytest.mark.django_db
class TestDocumentEdit(Cases):
    url_name = "normdoc-edit"

    def url(self, world, unit):
        return reverse("normdoc-edit", args=[data(world)["draft"].pk])

    def test_published_is_not_edited(self, world):
        response = world.client("d01").get(reverse("normdoc-edit", args=[data(world)["doc"].pk]))
        assert response.status_code == 403


class PostCases(Cases):
    method = "post"
    done_status = 303

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == self.done_status, response.content[:300]


@pytest.mark.django_db
class TestDocumentStep(PostCases):
    url_name = "normdoc-step"

    def url(self, world, unit):
        return reverse("normdoc-step", args=[data(world)["draft"].pk])

    def data(self, world, unit):
        return {"step": "draft"}


@pytest.mark.django_db
class TestConsultationOpen(PostCases):
    url_name = "normdoc-consultation"
    done_status = 302

    def url(self, world, unit):
        return reverse("normdoc-consultation", args=[data(world)["draft"].pk])

    def data(self, world, unit):
        from fazhi.normdocs.rules import today

        return {"starts_on": today().isoformat(), "ends_on": date(today().year + 1, 12, 31).isoformat()}

    def test_same_unit(self, world):
        super().test_same_unit(world)
        from fazhi.portal.services import consultation_for

        assert consultation_for(data(world)["draft"]) is not None


@pytest.mark.django_db
class TestEvaluationAdd(PostCases):
    url_name = "normdoc-evaluation"
    done_status = 302

    def url(self, world, unit):
        return reverse("normdoc-evaluation", args=[data(world)["doc"].pk])

    def data(self, world, unit):
        return {"evaluated_on": "2026-06-01", "evaluator": "区司法局", "findings": "实施良好", "conclusion": "continue"}

    def test_same_unit(self, world):
        super().test_same_unit(world)
        assert data(world)["doc"].evaluations.count() == 1


@pytest.mark.django_db
class TestFilingList(Cases):
    url_name = "filing-list"
    is_list = True

    def url(self, world, unit):
        data(world)
        return reverse("filing-list")


@pytest.mark.django_db
class TestFilingDetail(Cases):
    url_name = "filing-detail"

    def url(self, world, unit):
        return reverse("filing-detail", args=[data(world)["filing"].pk])


@pytest.mark.django_db
class TestFilingStep(PostCases):
    url_name = "filing-step"

    def url(self, world, unit):
        return reverse("filing-step", args=[data(world)["filing"].pk])

    def data(self, world, unit):
        return {"step": "correct", "note": "已修改第三条"}


@pytest.mark.django_db
class TestFilingSuggestion(Cases):
    url_name = "filing-suggestion"

    def url(self, world, unit):
        return reverse("filing-suggestion", args=[data(world)["filing"].pk])

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 200
        text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
        assert TITLE in text and "内容不当" in text and "建议修改" in text and "区人民政府" in text


@pytest.mark.django_db
class TestCleanupList(Cases):
    url_name = "cleanup-list"
    shared = True

    def url(self, world, unit):
        data(world)
        return reverse("cleanup-list")

    def marker(self, world, unit):
        return "2026年规范性文件清理"


@pytest.mark.django_db
class TestCleanupDetail(Cases):
    url_name = "cleanup-detail"
    is_list = True  # every role opens the campaign; a unit sees only its own documents in it

    def url(self, world, unit):
        return reverse("cleanup-detail", args=[data(world)["campaign"].pk])

    def test_no_role(self, world):
        response, _ = self.get(world, "nobody")
        assert response.status_code in (403, 404)


@pytest.mark.django_db
class TestCleanupItem(PostCases):
    url_name = "cleanup-item"
    done_status = 302

    def url(self, world, unit):
        campaign = data(world)["campaign"]
        item = CleanupItem.objects.get(campaign=campaign, document=data(world)["doc"])
        return reverse("cleanup-item", args=[campaign.pk, item.pk])

    def data(self, world, unit):
        return {"decision": "keep", "reason": "仍然适用", "reviewer": "王审查", "version": 1}

    def test_same_unit(self, world):
        super().test_same_unit(world)
        assert CleanupItem.objects.get(document=data(world)["doc"]).decision == "keep"


@pytest.mark.django_db
class TestCleanupStep(PostCases):
    url_name = "cleanup-step"

    def url(self, world, unit):
        return reverse("cleanup-step", args=[data(world)["campaign"].pk])

    def data(self, world, unit):
        return {"step": "review"}

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 403  # the office runs the cleanup

    def test_other_unit(self, world):
        response, _ = self.get(world, "d02")
        assert response.status_code == 403


@pytest.mark.django_db
class TestCleanupAnnouncement(Cases):
    url_name = "cleanup-announcement"
    shared = True

    def url(self, world, unit):
        campaign = data(world)["campaign"]
        office = world.user("fzb")
        for item in CleanupItem.objects.filter(campaign=campaign):
            services.item_decide(item=item, actor=office, decision="repeal", reason="上位法已修改", reviewer="王审查",
                                 expected_version=item.version)
        act(campaign, office, "review")
        act(campaign, office, "publish", outcome="published")
        return reverse("cleanup-announcement", args=[campaign.pk])

    def _text(self, response):
        return "\n".join(c.text for t in Document(io.BytesIO(response.content)).tables for r in t.rows for c in r.cells)

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 200 and TITLE in self._text(response) and "废止" in self._text(response)
        assert data(world)["doc"].__class__.objects.get(pk=data(world)["doc"].pk).status == "repealed"

    def test_other_unit(self, world):
        response, _ = self.get(world, "d02")
        assert response.status_code == 200 and TITLE in self._text(response)  # published results


# ---------------------------------------------------------------- API


@pytest.mark.django_db
class TestDocumentListApi(Cases):
    url_name = "api:normative-document-list"
    api = True
    is_list = True

    def url(self, world, unit):
        data(world)
        return reverse("api:normative-document-list")

    def test_fields(self, world):
        data(world)
        body = world.client("d01").get(reverse("api:normative-document-list") + "?status=in_force").json()
        row = body["results"][0]
        assert row["unit"] == "D01" and row["number"] and row["published"] == "2026-03-02" and row["filed"]
        assert row["legal_effect"] and row["filing_due"] == "2026-04-01"
        assert [s["code"] for s in row["steps"]][:2] == ["draft", "solicit"] and row["steps"][-1]["state"] == "done"


@pytest.mark.django_db
class TestDocumentDetailApi(Cases):
    url_name = "api:normative-document-detail"
    api = True

    def url(self, world, unit):
        return reverse("api:normative-document-detail", args=[data(world)["doc"].pk])


@pytest.mark.django_db
class TestDocumentStepsApi(Cases):
    url_name = "api:normative-document-steps"
    api = True
    method = "post"

    def url(self, world, unit):
        return reverse("api:normative-document-steps", args=[data(world)["draft"].pk])

    def data(self, world, unit):
        return {"step": "draft"}

    def test_missing_step_is_409_with_its_code(self, world):
        response = world.client("d01").post(self.url(world, None), {"step": "coordinate"}, content_type="application/json")
        assert response.status_code == 409 and response.json()["code"] == "procedure.step_missing"
        assert "征求意见" in response.json()["detail"]


@pytest.mark.django_db
class TestFilingListApi(Cases):
    url_name = "api:filing-list"
    api = True
    is_list = True

    def url(self, world, unit):
        data(world)
        return reverse("api:filing-list")


@pytest.mark.django_db
class TestFilingDetailApi(Cases):
    url_name = "api:filing-detail"
    api = True

    def url(self, world, unit):
        return reverse("api:filing-detail", args=[data(world)["filing"].pk])


@pytest.mark.django_db
class TestFilingStepsApi(Cases):
    url_name = "api:filing-steps"
    api = True
    method = "post"

    def url(self, world, unit):
        return reverse("api:filing-steps", args=[data(world)["filing"].pk])

    def data(self, world, unit):
        return {"step": "correct", "note": "已修改"}

    def test_multipart_refiling(self, world):
        d01, office, unit = world.user("d01"), world.user("fzb"), world.unit("D01")
        doc = walk(draft(unit, d01, title="待补正文件"), d01, office, upto="file", on=ON)
        filing = Filing.objects.get(document=doc)
        act(filing, office, "review", outcome="return", note="缺起草说明")
        response = world.client("d01").post(reverse("api:filing-steps", args=[filing.pk]),
                                            {"step": "submit", "explanation": pdf("起草说明.pdf")})
        assert response.status_code == 200 and response.json()["status"] == "pending"
        assert materials is not None


@pytest.mark.django_db
class TestCleanupListApi(Cases):
    url_name = "api:cleanup-list"
    api = True
    shared = True

    def url(self, world, unit):
        data(world)
        return reverse("api:cleanup-list")

    def marker(self, world, unit):
        return "2026年规范性文件清理"


@pytest.mark.django_db
class TestCleanupDetailApi(TestCleanupListApi):
    url_name = "api:cleanup-detail"

    def url(self, world, unit):
        return reverse("api:cleanup-detail", args=[data(world)["campaign"].pk])


@pytest.mark.django_db
class TestCleanupStepsApi(TestCleanupListApi):
    url_name = "api:cleanup-steps"
    method = "post"

    def url(self, world, unit):
        return reverse("api:cleanup-steps", args=[data(world)["campaign"].pk])

    def data(self, world, unit):
        return {"step": "review"}

    def test_same_unit(self, world):
        assert self.get(world, "d01")[0].status_code == 403

    def test_other_unit(self, world):
        assert self.get(world, "d02")[0].status_code == 403

    def test_office_refused_while_items_undecided(self, world):
        response = world.client("fzb").post(self.url(world, None), {"step": "review"}, content_type="application/json")
        assert response.status_code == 400 and "未提出清理意见" in response.json()["detail"]


# ---------------------------------------------------------------- public


@pytest.mark.django_db
class TestPublicDocuments(PublicCases):
    url_name = "public-documents"

    def url(self, world):
        data(world)
        return reverse("public-documents")

    def test_published_only_and_search(self, world):
        data(world)
        client = world.client()
        body = client.get(reverse("public-documents")).content.decode()
        assert TITLE in body and "(草案)" not in body
        assert TITLE in client.get(reverse("public-documents") + "?q=2026&year=2026&unit=D01").content.decode()
        assert TITLE not in client.get(reverse("public-documents") + "?year=2025").content.decode()
        assert client.get(reverse("public-documents") + "?status=bogus").status_code == 400
        assert client.get(reverse("public-documents") + "?year=20x6").status_code == 400


@pytest.mark.django_db
class TestPublicDocument(PublicCases):
    url_name = "public-document"

    def url(self, world):
        return reverse("public-document", args=[data(world)["doc"].public_key])

    def test_unpublished_is_404(self, world):
        client = world.client()
        assert client.get(reverse("public-document", args=[data(world)["draft"].public_key])).status_code == 404
        assert client.get(reverse("public-document", args=[str(data(world)["doc"].pk)])).status_code == 404
        assert client.get("/public/documents/0123456789abcdef0123456789abcdef/").status_code == 404

    def test_unfiled_shows_no_effect(self, world):
        d01, office = world.user("d01"), world.user("fzb")
        doc = walk(draft(world.unit("D01"), d01, title="未报备文件"), d01, office, upto="publish", on=ON)
        body = world.client().get(reverse("public-document", args=[doc.public_key])).content.decode()
        assert "未经备案审查,无行政管理效力" in body
        assert_public_page(body)


@pytest.mark.django_db
class TestPublicCleanups(PublicCases):
    url_name = "public-cleanups"

    def url(self, world):
        return reverse("public-cleanups")


@pytest.mark.django_db
class TestPublicCleanup(PublicCases):
    url_name = "public-cleanup"

    def url(self, world):
        campaign = data(world)["campaign"]
        TestCleanupAnnouncement().url(world, None)
        return reverse("public-cleanup", args=[campaign.public_key])

    def test_open_campaign_is_404(self, world):
        campaign = services.campaign_start(title="未完成清理", as_of=date(2026, 3, 31), actor=world.user("fzb"))
        assert world.client().get(reverse("public-cleanup", args=[campaign.public_key])).status_code == 404


@pytest.mark.django_db
class TestRatesByUnit(ScopedCases):
    """The three filing rates side by side: D01's row for D01 and the office, not for another unit."""

    url_name = "rates-by-unit"
    is_list = True

    def url(self, world, unit):
        data(world)
        return "/rates/by-unit/?rate=normdoc.filing&rate=normdoc.filing_on_time&rate=normdoc.filing_complete"

    def marker(self, world, unit):
        return f'data-unit="{unit.code}"'

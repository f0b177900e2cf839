"""Bad input on the pages and API of normative documents: refused with a Chinese message naming the field,
never a 500; and the validity rule applied the same way to amended documents everywhere."""

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse

from fazhi.normdocs import rules, selectors, services
from fazhi.normdocs.models import AMENDED, EXPIRED, Filing, NormativeDocument
from fazhi.normdocs.tests.factories import act, draft, walk

ON = date(2026, 3, 2)


def _api(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_step_extras_of_the_wrong_json_type_are_400_naming_the_field(world):
    d01, office = world.user("d01"), world.user("fzb")
    doc = walk(draft(world.unit("D01"), d01), d01, office, upto="decide", on=ON)
    url = f"/api/v1/normative-documents/{doc.pk}/steps/"
    c = world.client("d01")
    for body, field, label in [({"step": "publish", "channel": "网站", "valid_until": 5}, "valid_until", "有效期至"),
                               ({"step": "publish", "channel": ["网站"]}, "channel", "公布渠道"),
                               ({"step": "publish", "channel": "网站", "valid_until": "2026-13-01"}, "valid_until",
                                "有效期至")]:
        response = _api(c, url, body)
        assert response.status_code == 400, body
        assert list(response.json()["errors"]) == [field] and f"「{label}」" in response.json()["detail"]
    doc.refresh_from_db()
    assert doc.number == "" or doc.number is None

    filed = walk(draft(world.unit("D01"), d01, title="已报备"), d01, office, upto="file", on=ON)
    filing = Filing.objects.get(document=filed)
    response = _api(world.client("fzb"), f"/api/v1/filings/{filing.pk}/steps/",
                    {"step": "review", "outcome": "problem", "note": "条款不当", "problem_kinds": "content"})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["problem_kinds"]
    assert "「问题类型" in response.json()["detail"]


@pytest.mark.django_db
def test_evaluation_date_not_in_the_future_nor_before_publication(world):
    d01, office = world.user("d01"), world.user("fzb")
    doc = walk(draft(world.unit("D01"), d01), d01, office, upto="publish", on=ON)
    url = reverse("normdoc-evaluation", args=[doc.pk])
    base = {"evaluator": "区司法局", "findings": "实施良好", "conclusion": "continue"}
    for day in ("9999-12-31", (date.today() + timedelta(days=1)).isoformat(), "2026-03-01"):
        response = world.client("d01").post(url, {**base, "evaluated_on": day}, follow=True)
        shown = [str(m) for m in response.context["messages"]]
        assert any("「评估日期」" in m for m in shown), (day, shown)
    assert doc.evaluations.count() == 0
    world.client("d01").post(url, {**base, "evaluated_on": ON.isoformat()})
    assert doc.evaluations.count() == 1


@pytest.mark.django_db
def test_cleanup_item_without_version_names_it_in_chinese(world):
    d01, office = world.user("d01"), world.user("fzb")
    walk(draft(world.unit("D01"), d01), d01, office, upto="publish", on=ON)
    campaign = services.campaign_start(title="2026年清理", as_of=ON, actor=office)
    item = campaign.items.get()
    url = reverse("cleanup-item", args=[campaign.pk, item.pk])
    for version in (None, "abc", "9" * 30):
        data = {"decision": "keep", "reason": "仍然适用", "reviewer": "王审查"}
        if version is not None:
            data["version"] = version
        response = world.client("d01").post(url, data, follow=True)
        shown = [str(m) for m in response.context["messages"]]
        assert shown and all("version" not in m for m in shown) and "版本号" in shown[0], shown
    item.refresh_from_db()
    assert item.decision == ""


@pytest.mark.django_db
def test_an_amended_document_past_its_validity_is_expired_everywhere(world):
    d01, office = world.user("d01"), world.user("fzb")
    doc = walk(draft(world.unit("D01"), d01), d01, office, upto="file", on=ON, valid_until=ON + timedelta(days=30))
    filing = Filing.objects.get(document=doc)
    act(filing, office, "review", outcome="problem", note="条款不当", problem_kinds=["content"])
    act(filing, office, "opinion", correction="amend", suggestion="建议修改")
    act(filing, d01, "correct", note="已修改第三条")
    act(filing, office, "confirm", outcome="closed")
    doc.refresh_from_db()
    assert doc.status == AMENDED
    later = ON + timedelta(days=31)
    assert rules.display_status(doc, later) == EXPIRED and not rules.legal_effect(doc, later)
    # the public filter, the cleanup listing and the automatic 失效 apply the same rule
    assert not NormativeDocument.objects.filter(rules.public_status_q("amended", later), pk=doc.pk).exists()
    assert NormativeDocument.objects.filter(rules.public_status_q("expired", later), pk=doc.pk).exists()
    assert not services.in_force_on(later).filter(pk=doc.pk).exists()
    assert services.expire_due(today=later) == 1
    doc.refresh_from_db()
    assert doc.status == EXPIRED
    filters = selectors.DocumentFilters.parse({"status": "expired"}, public_statuses=True)
    assert list(selectors.public_documents(filters=filters, today=later)) == [doc]


def test_on_time_is_one_rule():
    due = date(2026, 4, 1)
    assert rules.on_time(due, due) is True and rules.on_time(due + timedelta(days=1), due) is False
    assert rules.on_time(None, due) is None and rules.on_time(due, None) is None


@pytest.mark.django_db
def test_public_search_by_issuing_unit_name_or_code(world):
    d01, office = world.user("d01"), world.user("fzb")
    doc = walk(draft(world.unit("D01"), d01, title="公开检索示例"), d01, office, upto="publish", on=ON)
    unit = world.unit("D01")
    public = world.client()
    for value in (unit.name, unit.name[:2], unit.code, unit.code.lower()):
        response = public.get("/public/documents/", {"unit": value})
        assert response.status_code == 200 and "公开检索示例" in response.content.decode(), value
    response = public.get("/public/documents/", {"unit": "不存在的单位"})
    assert response.status_code == 200 and "公开检索示例" not in response.content.decode()
    assert public.get("/public/documents/", {"unit": "\x01"}).status_code == 400
    assert doc.public_key


def test_a_public_404_leads_back_to_the_public_site_not_the_staff_one(client):
    response = client.get("/public/documents/no-such-document/")
    body = response.content.decode()
    assert response.status_code == 404 and 'href="/public/"' in body and "工作台" not in body

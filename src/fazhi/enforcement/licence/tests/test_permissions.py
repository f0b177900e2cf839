"""Four permission cases for every page and endpoint of 行政许可 (core/testing/scoping.py): the unit (D01) sees and
handles its own items and cases; another unit (D02) sees none of them; leaders and inspectors read only; the public
pages show published items only."""

import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from fazhi.core.testing.public import PublicCases, assert_public_page
from fazhi.core.testing.scoping import ScopedCases
from fazhi.enforcement.licence import services
from fazhi.enforcement.licence.tests.conftest import (
    APPLICANT, D, accept, certificate, close, decide, item, register, review,
)

ITEM = "许可专属事项"


def data(world):
    """Per test: D01's published item and a draft one; cases received, correcting, reviewing, decided (granted) and
    closed; D02's own item and case (never shown to D01)."""
    cached = getattr(world, "_licence", None)
    if cached:
        return cached
    d01 = world.user("d01")
    it = item(world, "D01", name=ITEM)
    draft = item(world, "D01", published=False, code="XK-009", name="许可草稿事项")
    received = register(world, it)
    correcting = register(world, it)
    from fazhi.enforcement.licence.tests.conftest import act

    correcting = act(correcting, d01, "accept", on=D("2026-03-03"), outcome="correction", note="场所平面图")
    reviewing = accept(register(world, it), d01)
    decided = decide(review(accept(register(world, it), d01), d01), d01)
    closed = close(certificate(decide(review(accept(register(world, it), d01), d01), d01), d01), d01)
    other = item(world, "D02", name="他单位事项")
    register(world, other, applicant="他单位申请人")
    world._licence = {"item": it, "draft": draft, "received": received, "correcting": correcting,
                      "reviewing": reviewing, "decided": decided, "closed": closed, "other_item": other}
    return world._licence


class Cases(ScopedCases):
    def marker(self, world, unit):
        return APPLICANT


class ItemCases(ScopedCases):
    def marker(self, world, unit):
        return ITEM


class WriteCases(Cases):
    """A page only the unit (and the office) may use: leaders are refused."""

    def test_leader_refused(self, world):
        client = world.client("leader")
        response = client.post(self.url(world, None), self.data(world, None)) if self.method == "post" else \
            client.get(self.url(world, None))
        assert response.status_code == 403


# ---------------------------------------------------------------- case pages


@pytest.mark.django_db
class TestList(Cases):
    url_name = "licence-list"
    is_list = True

    def url(self, world, unit):
        data(world)
        return reverse("licence-list")

    def test_filters(self, world):
        cases = data(world)
        client = world.client("fzb")
        url = reverse("licence-list")
        assert client.get(url + "?status=correcting&unit=D01&year=2026").content.decode().count(APPLICANT) == 1
        assert client.get(url + f"?item={cases['item'].pk}").content.decode().count(APPLICANT) == 5
        overdue = client.get(url + "?overdue=true").content.decode()
        assert APPLICANT in overdue and "逾期" in overdue  # March 2026 clocks are long past
        assert "他单位申请人" not in client.get(url + "?overdue=false&unit=D01").content.decode()
        for bad in ("?status=nonsense", "?overdue=maybe", "?item=abc", "?year=20x6"):
            assert client.get(url + bad).status_code == 400, bad
        assert world.client("d01").get(url + "?unit=D02").status_code == 400


@pytest.mark.django_db
class TestCreate(WriteCases):
    url_name = "licence-create"
    is_list = True

    def url(self, world, unit):
        data(world)
        return reverse("licence-create")

    def marker(self, world, unit):
        return ITEM

    def test_register_by_page(self, world):
        cases = data(world)
        client = world.client("d01")
        form = {"item": cases["item"].pk, "applicant_name": "页面申请人", "applicant_kind": "person", "matter": "新办",
                "received_on": "2026-06-01"}
        bad = client.post(reverse("licence-create"), {**form, "received_on": "2099-01-01"})
        assert bad.status_code == 400 and "收到申请材料日期" in bad.content.decode()
        draft = client.post(reverse("licence-create"), {**form, "item": cases["draft"].pk})
        assert draft.status_code == 400  # a draft item is not offered (许可法定)
        response = client.post(reverse("licence-create"), form)
        assert response.status_code == 302
        assert "城管局许申〔2026〕" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
class TestExport(Cases):
    url_name = "licence-export"
    is_list = True

    def url(self, world, unit):
        data(world)
        return reverse("licence-export")

    def rows(self, response):
        wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        return list(wb.worksheets[0].iter_rows(values_only=True))

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 200
        rows = [r for r in self.rows(response) if r[4] == APPLICANT]
        assert len(rows) == 5 and {r[13] for r in rows} == {"待受理", "补正中", "审查中", "已决定", "已办结"}
        closed = next(r for r in rows if r[13] == "已办结")
        assert closed[14] == "准予许可" and closed[16] == "是" and closed[18].startswith("JY")

    def test_other_unit(self, world):
        response, _ = self.get(world, "d02")
        assert response.status_code == 200
        assert not any(APPLICANT in str(r) for r in self.rows(response))

    def test_filtered(self, world):
        data(world)
        response = world.client("fzb").get(reverse("licence-export") + "?status=correcting")
        assert [r[13] for r in self.rows(response) if r[4] == APPLICANT] == ["补正中"]
        assert world.client("fzb").get(reverse("licence-export") + "?status=x").status_code == 400


@pytest.mark.django_db
class TestDetail(Cases):
    url_name = "licence-detail"

    def url(self, world, unit):
        return reverse("licence-detail", args=[data(world)["reviewing"].pk])

    def test_forms_by_role(self, world):
        body = world.client("d01").get(self.url(world, None)).content.decode()
        assert 'data-act="extend"' in body and 'novalidate data-step="review"' in body
        body = world.client("leader").get(self.url(world, None)).content.decode()
        assert 'data-act="extend"' not in body
        assert 'novalidate data-step="review"' not in body
        closed = world.client("d01").get(reverse("licence-detail", args=[data(world)["closed"].pk])).content.decode()
        assert "准予行政许可决定书" in closed and "已办结" in closed
        history = world.client("fzb").get(reverse("record-history", args=["enforcement.licencecase",
                                                                          data(world)["reviewing"].pk]))
        assert history.status_code == 200 and "受理" in history.content.decode()


@pytest.mark.django_db
class TestEdit(WriteCases):
    url_name = "licence-edit"

    def url(self, world, unit):
        return reverse("licence-edit", args=[data(world)["received"].pk])

    def test_stale_edit_refused(self, world):
        case = data(world)["received"]
        client = world.client("d01")
        form = {"item": case.item_id, "applicant_name": APPLICANT, "applicant_kind": "legal_person", "matter": "改",
                "received_on": "2026-03-02", "version": case.version}
        assert client.post(self.url(world, None), form).status_code == 302
        response = client.post(self.url(world, None), {**form, "matter": "再改"})
        assert response.status_code == 409


class PostCases(WriteCases):
    method = "post"


@pytest.mark.django_db
class TestStep(PostCases):
    url_name = "licence-step"

    def url(self, world, unit):
        return reverse("licence-step", args=[data(world)["received"].pk])

    def data(self, world, unit):
        return {"step": "accept", "outcome": "accept", "date": "2026-03-03", "version": data(world)["received"].version}

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 303
        case = data(world)["received"]
        case.refresh_from_db()
        assert case.status == "reviewing"


@pytest.mark.django_db
class TestAct(PostCases):
    url_name = "licence-act"

    def url(self, world, unit):
        return reverse("licence-act", args=[data(world)["correcting"].pk, "materials_received"])

    def data(self, world, unit):
        return {"on": "2026-03-10", "version": data(world)["correcting"].version}

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 303
        case = data(world)["correcting"]
        case.refresh_from_db()
        assert case.status == "received" and case.correction_received_on == D("2026-03-10")

    def test_extend_by_page(self, world):
        case = data(world)["reviewing"]
        client = world.client("d01")
        url = reverse("licence-act", args=[case.pk, "extend"])
        form = {"days": "11", "approver": "局长", "basis": "复杂", "notified_on": "2026-03-20", "version": case.version}
        client.post(url, form)
        case.refresh_from_db()
        assert not case.extended  # over the cap: refused, the message names the rule
        assert client.post(url, {**form, "days": "10"}).status_code == 303
        case.refresh_from_db()
        assert case.extended
        assert client.post(reverse("licence-act", args=[case.pk, "nothing"]), form).status_code == 404


@pytest.mark.django_db
class TestDecision(Cases):
    url_name = "licence-decision"

    def url(self, world, unit):
        return reverse("licence-decision", args=[data(world)["closed"].pk])

    def marker(self, world, unit):
        return ""

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 200
        text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
        case = data(world)["closed"]
        assert "准予行政许可决定书" in text and APPLICANT in text and case.decision_number in text
        assert "第三十八条第一款" in text and case.certificate_number in text and "第四十条" in text

    def test_only_decided(self, world):
        response = world.client("fzb").get(reverse("licence-decision", args=[data(world)["reviewing"].pk]))
        assert response.status_code == 409


# ---------------------------------------------------------------- item pages


@pytest.mark.django_db
class TestItemList(ItemCases):
    url_name = "licence-item-list"
    is_list = True

    def url(self, world, unit):
        data(world)
        return reverse("licence-item-list")

    def test_filters(self, world):
        data(world)
        client = world.client("fzb")
        assert ITEM in client.get(reverse("licence-item-list") + "?q=专属&status=published&unit=D01").content.decode()
        assert ITEM not in client.get(reverse("licence-item-list") + "?status=draft").content.decode()
        assert client.get(reverse("licence-item-list") + "?status=x").status_code == 400


@pytest.mark.django_db
class TestItemCreate(ScopedCases):
    url_name = "licence-item-create"
    is_list = True

    def url(self, world, unit):
        return reverse("licence-item-create")

    def marker(self, world, unit):
        return unit.display_name

    def test_leader_refused_and_create(self, world):
        assert world.client("leader").get(self.url(world, None)).status_code == 403
        from fazhi.enforcement.licence.tests.conftest import subject

        s = subject(world, "D01")
        client = world.client("d01")
        form = {"unit": "D01", "subject": s.pk, "code": "XK-100", "name": "页面事项", "basis_kind": "law",
                "basis": "《中华人民共和国某法》第十条", "conditions": "条件", "procedure": "程序", "materials": "申请书"}
        bad = client.post(self.url(world, None), {**form, "basis": "某部门通知"})
        assert bad.status_code == 400 and "条款" in bad.content.decode()
        response = client.post(self.url(world, None), form)
        assert response.status_code == 302


@pytest.mark.django_db
class TestItemExport(ItemCases):
    url_name = "licence-item-export"
    is_list = True

    def url(self, world, unit):
        data(world)
        return reverse("licence-item-export")

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        rows = [r for r in wb.worksheets[0].iter_rows(values_only=True) if r[3] in (ITEM, "许可草稿事项")]
        assert {r[13] for r in rows} == {"已公布", "草稿"}
        row = next(r for r in rows if r[3] == ITEM)
        assert row[9] == "20个工作日" and row[11].split("\n")[0] == "食品经营许可申请书" and row[12] == "不收费"

    def test_other_unit(self, world):
        response, _ = self.get(world, "d02")
        assert ITEM not in b"".join(response.streaming_content).decode("latin-1")


@pytest.mark.django_db
class TestItemDetail(ItemCases):
    url_name = "licence-item-detail"

    def url(self, world, unit):
        return reverse("licence-item-detail", args=[data(world)["item"].pk])

    def test_statutory_period_from_the_catalogue(self, world):
        body = world.client("d01").get(self.url(world, None)).content.decode()
        assert "20个工作日" in body and "第42条" in body and 'data-act="withdraw"' in body
        assert 'data-act="withdraw"' not in world.client("leader").get(self.url(world, None)).content.decode()


@pytest.mark.django_db
class TestItemEdit(ItemCases):
    url_name = "licence-item-edit"

    def url(self, world, unit):
        return reverse("licence-item-edit", args=[data(world)["item"].pk])

    def test_stale_edit_and_leader(self, world):
        it = data(world)["item"]
        assert world.client("leader").get(self.url(world, None)).status_code == 403
        client = world.client("d01")
        form = {"unit": "D01", "subject": it.subject_id, "code": it.code, "name": ITEM, "basis_kind": "law",
                "basis": it.basis, "conditions": "新条件", "procedure": "程序", "materials": "申请书", "version": it.version}
        assert client.post(self.url(world, None), form).status_code == 302
        assert client.post(self.url(world, None), form).status_code == 409


@pytest.mark.django_db
class TestItemAct(ItemCases):
    url_name = "licence-item-act"
    method = "post"

    def url(self, world, unit):
        return reverse("licence-item-act", args=[data(world)["draft"].pk, "publish"])

    def data(self, world, unit):
        return {"on": "2026-06-01", "version": data(world)["draft"].version}

    def test_same_unit(self, world):
        assert world.client("leader").post(self.url(world, None), self.data(world, None)).status_code == 403
        response, _ = self.get(world, "d01")
        assert response.status_code == 303
        draft = data(world)["draft"]
        draft.refresh_from_db()
        assert draft.status == "published" and draft.published_on == D("2026-06-01")


# ---------------------------------------------------------------- public pages


@pytest.mark.django_db
class TestPublicItems(PublicCases):
    url_name = "licence-public-items"

    def url(self, world):
        data(world)
        return reverse("licence-public-items")

    def test_published_only_and_search(self, world):
        data(world)
        client = world.client()
        body = client.get(reverse("licence-public-items")).content.decode()
        assert ITEM in body and "许可草稿事项" not in body and "他单位事项" in body
        assert ITEM in client.get(reverse("licence-public-items") + "?q=专属&unit=D01").content.decode()
        assert ITEM not in client.get(reverse("licence-public-items") + "?unit=D02").content.decode()
        assert client.get(reverse("licence-public-items") + "?unit=ZZZ").status_code == 400


@pytest.mark.django_db
class TestPublicItem(PublicCases):
    url_name = "licence-public-item"

    def url(self, world):
        return reverse("licence-public-item", args=[data(world)["item"].public_key])

    def test_detail_and_unpublished_404(self, world):
        client = world.client()
        body = client.get(self.url(world)).content.decode()
        assert "营业执照复印件" in body and "20个工作日" in body and "不收费" in body
        assert_public_page(body)
        assert client.get(reverse("licence-public-item", args=[data(world)["draft"].public_key])).status_code == 404
        assert client.get(reverse("licence-public-item", args=[str(data(world)["item"].pk)])).status_code == 404


# ---------------------------------------------------------------- API


class ApiCases(Cases):
    api = True


@pytest.mark.django_db
class TestApiCaseList(ApiCases):
    url_name = "api:licence-case-list"
    is_list = True

    def url(self, world, unit):
        data(world)
        return reverse("api:licence-case-list")

    def test_fields_and_filters(self, world):
        cases = data(world)
        client = world.client("d01")
        body = client.get(reverse("api:licence-case-list") + "?status=correcting").json()
        assert body["count"] == 1
        row = body["results"][0]
        assert row["unit"] == "D01" and row["item"] == cases["item"].pk and row["subject"] == cases["item"].subject_id
        notify = next(c for c in row["clocks"] if c["rule"] == "licence.notify_incomplete")
        assert notify["paused"] is True
        assert [s["code"] for s in row["steps"]] == ["receive", "accept", "review", "legal_review", "decide",
                                                    "certificate", "close"]
        assert client.get(reverse("api:licence-case-list") + f"?item={cases['item'].pk}&subject={cases['item'].subject_id}"
                          ).json()["count"] == 5
        assert client.get(reverse("api:licence-case-list") + "?unit=D02").status_code == 400
        assert client.get(reverse("api:licence-case-list") + "?overdue=x").status_code == 400

    def test_create(self, world):
        cases = data(world)
        url = reverse("api:licence-case-list")
        body = {"item": cases["item"].pk, "applicant_name": "接口申请人", "matter": "新办", "received_on": "2026-06-01"}
        assert world.client("d02").post(url, body, content_type="application/json").status_code == 400
        assert world.client("leader").post(url, body, content_type="application/json").status_code == 403
        bad = world.client("d01").post(url, {**body, "received_on": "2099-01-01"}, content_type="application/json")
        assert bad.status_code == 400 and "received_on" in bad.json()["errors"]
        refused = world.client("d01").post(url, {**body, "item": cases["draft"].pk}, content_type="application/json")
        assert refused.status_code == 409 and refused.json()["code"] == "licence.refused"
        assert "第4条" in refused.json()["detail"]
        created = world.client("d01").post(url, body, content_type="application/json")
        assert created.status_code == 201, created.content
        assert created.json()["clocks"][0]["rule"] == "licence.notify_incomplete"


@pytest.mark.django_db
class TestApiCaseDetail(ApiCases):
    url_name = "api:licence-case-detail"

    def url(self, world, unit):
        return reverse("api:licence-case-detail", args=[data(world)["closed"].pk])

    def test_closed(self, world):
        body = world.client("inspector").get(self.url(world, None)).json()
        assert body["status"] == "closed" and body["outcome"] == "grant" and body["decision_late"] is False
        assert {c["rule"]: c["state"] for c in body["clocks"]} == {
            "licence.notify_incomplete": "met", "licence.decide": "met", "licence.issue_certificate": "met"}


class ApiWriteCases(ApiCases):
    method = "post"

    def test_read_only_roles(self, world):
        for user in ("leader", "inspector"):
            response = world.client(user).post(self.url(world, None), self.data(world, None), content_type="application/json")
            assert response.status_code == 403


@pytest.mark.django_db
class TestApiCaseSteps(ApiWriteCases):
    url_name = "api:licence-case-steps"

    def url(self, world, unit):
        return reverse("api:licence-case-steps", args=[data(world)["reviewing"].pk])

    def data(self, world, unit):
        return {"step": "review", "date": "2026-03-10", "inspected": "no", "version": data(world)["reviewing"].version}

    def test_gate_and_bad_input(self, world):
        client = world.client("d01")
        received = data(world)["received"]
        gate = client.post(reverse("api:licence-case-steps", args=[received.pk]),
                           {"step": "decide", "outcome": "grant", "version": received.version},
                           content_type="application/json")
        assert gate.status_code == 409 and gate.json()["code"] == "procedure.step_missing"
        version = data(world)["reviewing"].version
        bad = client.post(self.url(world, None), {"step": "review", "inspected": "yes", "version": version},
                          content_type="application/json")
        assert bad.status_code == 400 and "inspection_on" in bad.json()["errors"]
        wrong = client.post(self.url(world, None), {"step": "review", "inspected": 1, "version": version},
                            content_type="application/json")
        assert wrong.status_code == 400


@pytest.mark.django_db
class TestApiMaterialsReceived(ApiWriteCases):
    url_name = "api:licence-case-materials-received"

    def url(self, world, unit):
        return reverse("api:licence-case-materials-received", args=[data(world)["correcting"].pk])

    def data(self, world, unit):
        return {"on": "2026-03-10", "version": data(world)["correcting"].version}

    def test_restart(self, world):
        response = world.client("d01").post(self.url(world, None), self.data(world, None), content_type="application/json")
        notify = next(c for c in response.json()["clocks"] if c["rule"] == "licence.notify_incomplete")
        assert notify["start"] == "2026-03-10" and notify["restarts"] == 1 and notify["paused"] is False
        again = world.client("d01").post(self.url(world, None), self.data(world, None), content_type="application/json")
        assert again.status_code == 409


@pytest.mark.django_db
class TestApiExtend(ApiWriteCases):
    url_name = "api:licence-case-extend"

    def url(self, world, unit):
        return reverse("api:licence-case-extend", args=[data(world)["reviewing"].pk])

    def data(self, world, unit):
        return {"days": 10, "approver": "局长 王某", "basis": "需专家评审", "notified_on": "2026-03-20",
                "version": data(world)["reviewing"].version}

    def test_cap_and_once(self, world):
        client = world.client("d01")
        over = client.post(self.url(world, None), {**self.data(world, None), "days": 11}, content_type="application/json")
        assert over.status_code == 400 and "days" in over.json()["errors"]
        done = client.post(self.url(world, None), self.data(world, None), content_type="application/json")
        assert done.status_code == 200
        again = client.post(self.url(world, None), {**self.data(world, None), "days": 1, "version": done.json()["version"]},
                            content_type="application/json")
        assert again.status_code == 409 and "第42条" in again.json()["detail"]


@pytest.mark.django_db
class TestApiItemList(ApiCases):
    url_name = "api:licence-item-list"
    is_list = True

    def url(self, world, unit):
        data(world)
        return reverse("api:licence-item-list")

    def marker(self, world, unit):
        return ITEM

    def test_fields_and_create(self, world):
        data(world)
        client = world.client("d01")
        body = client.get(reverse("api:licence-item-list") + "?status=published&q=专属").json()
        assert body["count"] == 1 and body["results"][0]["statutory_period"] == "20个工作日"
        assert body["results"][0]["materials"][1] == "营业执照复印件"
        s = data(world)["item"].subject_id
        new = {"unit": "D01", "subject": s, "code": "API-1", "name": "接口事项", "basis_kind": "law",
               "basis": "《中华人民共和国某法》第十条", "conditions": "条件", "procedure": "程序", "materials": "申请书"}
        assert world.client("leader").post(reverse("api:licence-item-list"), new, content_type="application/json"
                                           ).status_code == 403
        bad = client.post(reverse("api:licence-item-list"), {**new, "basis_kind": "notice"}, content_type="application/json")
        assert bad.status_code == 400 and "basis_kind" in bad.json()["errors"]
        assert client.post(reverse("api:licence-item-list"), new, content_type="application/json").status_code == 201


@pytest.mark.django_db
class TestApiItemDetail(ApiCases):
    url_name = "api:licence-item-detail"

    def url(self, world, unit):
        return reverse("api:licence-item-detail", args=[data(world)["item"].pk])

    def marker(self, world, unit):
        return ITEM


@pytest.mark.django_db
class TestApiItemPublish(ApiWriteCases):
    url_name = "api:licence-item-publish"

    def url(self, world, unit):
        return reverse("api:licence-item-publish", args=[data(world)["draft"].pk])

    def data(self, world, unit):
        return {"on": "2026-06-01", "version": data(world)["draft"].version}

    def marker(self, world, unit):
        return "许可草稿事项"

    def test_twice(self, world):
        client = world.client("d01")
        assert client.post(self.url(world, None), self.data(world, None), content_type="application/json").json()[
            "status"] == "published"
        assert client.post(self.url(world, None), self.data(world, None), content_type="application/json"
                           ).status_code == 409


@pytest.mark.django_db
class TestApiItemWithdraw(ApiWriteCases):
    url_name = "api:licence-item-withdraw"

    def url(self, world, unit):
        return reverse("api:licence-item-withdraw", args=[data(world)["item"].pk])

    def data(self, world, unit):
        return {"on": "2026-06-01", "reason": "设定依据已废止", "version": data(world)["item"].version}

    def marker(self, world, unit):
        return ITEM

    def test_reason_required(self, world):
        bad = world.client("d01").post(self.url(world, None), {"on": "2026-06-01", "reason": " ",
                                                               "version": data(world)["item"].version},
                                       content_type="application/json")
        assert bad.status_code == 400 and "reason" in bad.json()["errors"]


def test_services_module_has_every_act():
    assert set(services.CASE_ACTS) == {"materials_received", "extend", "withdraw", "hearing_right", "hearing_request",
                                       "hearing_notice", "hearing_held"} and set(services.ITEM_ACTS) == {"publish", "withdraw"}

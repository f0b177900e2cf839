"""The four cases (anonymous, no role, same unit, other unit) for every page and endpoint of subjects and officers,
plus the role rules: the unit registers its own subjects and officers, the office any; only the office reviews
and accepts corrections; the office or an inspector lists acts without a legal basis; leaders read only; another
unit's record is a 404; bad input names the field; a stale edit is refused."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.core.testing.public import PublicCases
from fazhi.core.testing.scoping import ScopedCases
from fazhi.enforcement.subjects import models as m
from fazhi.enforcement.subjects import services
from fazhi.enforcement.subjects.tests.conftest import days, officer, subject, today


def subject_name(unit) -> str:
    return f"{unit.name}综合执法主体"


def officer_name(unit) -> str:
    return f"执法员{unit.code}"


class Cases(ScopedCases):
    @pytest.fixture(autouse=True)
    def _records(self, world):
        self.subjects, self.officers, self.acts, self.entries = {}, {}, {}, {}
        fzb = world.user("fzb")
        for code in ("D01", "D02"):
            unit = world.unit(code)
            s = subject(world, code, name=subject_name(unit))
            self.subjects[code] = s
            self.officers[code] = officer(world, code, name=officer_name(unit), subject_=s)
            self.acts[code] = services.basisless_create(actor=fzb, data={
                "unit": unit, "acting_body": f"{unit.name}临时队", "act": "无依据扣押", "found_on": days(-3)})
            self.entries[code] = services.entry_create(unit=unit, actor=fzb, data={
                "title": f"{unit.name}较大数额罚款", "amount_from": "50000"})

    def marker(self, world, unit):
        return subject_name(unit)

    def subject(self, unit) -> m.EnforcementSubject:
        return m.EnforcementSubject.objects.get(pk=self.subjects[unit.code].pk)

    def officer_(self, unit) -> m.Officer:
        return m.Officer.objects.get(pk=self.officers[unit.code].pk)


def xlsx_rows(response):
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [r for r in wb.worksheets[0].iter_rows(values_only=True)]


# ---------------------------------------------------------------- subject pages


class TestSubjectList(Cases):
    url_name = "subject-list"
    is_list = True

    def url(self, world, unit):
        return reverse("subject-list")

    def test_filters_and_bad_values(self, world):
        client = world.client("fzb")
        body = client.get(reverse("subject-list") + "?unit=D02&review=qualified&announced=true&key_area=environment")
        assert subject_name(world.unit("D02")) in body.content.decode()
        assert subject_name(world.unit("D01")) not in body.content.decode()
        assert subject_name(world.unit("D01")) not in client.get(
            reverse("subject-list") + "?announced=false").content.decode()
        for bad in ("review=nope", "kind=x", "announced=maybe", "unit=!!", "key_area=nowhere"):
            assert client.get(reverse("subject-list") + "?" + bad).status_code == 400, bad
        assert world.client("d01").get(reverse("subject-list") + "?unit=D02").status_code == 400


class TestSubjectCreate(Cases):
    url_name = "subject-create"

    def url(self, world, unit):
        return reverse("subject-create")

    def marker(self, world, unit):
        return "登记执法主体"

    def test_other_unit(self, world):
        response, unit = self.get(world, "d02")  # d02 registers its own: D01 is not offered
        assert response.status_code == 200 and f'value="{unit.code}"' not in response.content.decode()

    def test_post_and_entrusted_validation(self, world):
        client = world.client("d01")
        data = {"unit": "D01", "name": "城管执法中队", "kind": "entrusted", "basis": "委托实施", "key_areas": ["land"]}
        response = client.post(self.url(world, None), data)
        assert response.status_code == 400 and "委托机关" in response.content.decode()
        response = client.post(self.url(world, None), {**data, "entrusted_by": world.unit("D02").pk})
        assert response.status_code == 400 and "委托书文号" in response.content.decode()
        response = client.post(self.url(world, None), {**data, "entrusted_by": world.unit("D02").pk,
                                                       "entrustment_document": "人社委〔2026〕2号"})
        assert response.status_code == 303
        s = m.EnforcementSubject.objects.get(name="城管执法中队")
        assert s.review_status == m.PENDING and [a.code for a in s.key_areas.all()] == ["land"]
        # another unit's code is not offered (refused as not chosen); a leader may not register at all
        assert client.post(self.url(world, None), {**data, "unit": "D02", "name": "x"}).status_code == 400
        assert world.client("leader").get(self.url(world, None)).status_code == 403


class TestSubjectExport(Cases):
    url_name = "subject-export"
    is_list = True

    def url(self, world, unit):
        return reverse("subject-export")

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 200
        rows = xlsx_rows(response)
        header = next(r for r in rows if r and r[0] == "单位代码")
        data = rows[rows.index(header) + 1:]
        assert [r[2] for r in data] == [subject_name(unit)]
        assert data[0][header.index("审查结论")] == "合格" and data[0][header.index("可否立案")] == "可以"
        assert data[0][header.index("在岗执法人员数")] == 1

    def test_other_unit(self, world):
        response, unit = self.get(world, "d02")
        assert response.status_code == 200
        assert subject_name(unit) not in {r[2] for r in xlsx_rows(response) if r and len(r) > 2}

    def test_filter_and_bad_filter(self, world):
        client = world.client("fzb")
        rows = xlsx_rows(client.get(self.url(world, None) + "?unit=D02"))
        assert subject_name(world.unit("D01")) not in {r[2] for r in rows if r and len(r) > 2}
        assert client.get(self.url(world, None) + "?review=x").status_code == 400


class TestSubjectDetail(Cases):
    url_name = "subject-detail"

    def url(self, world, unit):
        return reverse("subject-detail", args=[self.subject(unit).pk])

    def test_forms_per_role(self, world):
        unit = world.unit("D01")
        office = world.client("fzb").get(self.url(world, unit)).content.decode()
        assert "主体资格审查(法制办)" in office and "增加职权" in office
        own = world.client("d01").get(self.url(world, unit)).content.decode()
        assert "主体资格审查(法制办)" not in own and "增加职权" in own
        leader = world.client("leader").get(self.url(world, unit)).content.decode()
        assert "增加职权" not in leader and "撤销执法主体" not in leader and subject_name(unit) in leader


class TestSubjectEdit(Cases):
    url_name = "subject-edit"

    def url(self, world, unit):
        return reverse("subject-edit", args=[self.subject(unit).pk])

    def marker(self, world, unit):
        return f"修改执法主体:{subject_name(unit)}"

    def test_edit_resets_review_and_stale_edit(self, world):
        unit = world.unit("D01")
        s = self.subject(unit)
        data = {"name": s.name, "kind": "statutory", "basis": "《新条例》第五条", "key_areas": ["environment"],
                "version": s.version}
        client = world.client("d01")
        assert client.post(self.url(world, unit), data).status_code == 303
        s.refresh_from_db()
        assert s.review_status == m.PENDING and "待重新审查" in s.review_note
        response = client.post(self.url(world, unit), {**data, "basis": "再改"})  # the old version
        assert response.status_code == 409 and "已被他人修改" in response.content.decode()
        assert world.client("leader").post(self.url(world, unit), data).status_code == 403


class TestSubjectAct(Cases):
    url_name = "subject-act"
    method = "post"

    def url(self, world, unit):
        return reverse("subject-act", args=[self.subject(unit).pk, "revoke"])

    def data(self, world, unit):
        return {"on": str(today()), "reason": "机构撤并", "version": self.subject(unit or world.unit("D01")).version}

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 303 and self.subject(unit).revoked_on == today()

    def test_review_is_the_office_s(self, world):
        unit = world.unit("D01")
        url = reverse("subject-act", args=[self.subject(unit).pk, "review"])
        data = {"outcome": "to_correct", "on": str(today()), "note": "", "version": self.subject(unit).version}
        assert world.client("d01").post(url, data).status_code == 403
        response = world.client("fzb").post(url, data)
        assert response.status_code == 400 and "审查意见" in response.content.decode()
        assert world.client("fzb").post(url, {**data, "note": "依据不足"}).status_code == 303
        assert self.subject(unit).review_status == m.TO_CORRECT

    def test_announce_only_a_qualified_subject(self, world):
        s = subject(world, "D01", name="新主体", review=None)
        url = reverse("subject-act", args=[s.pk, "announce"])
        response = world.client("d01").post(url, {"on": str(today()), "ref": "公告1", "version": s.version})
        assert response.status_code == 400 and "只有经法制办审查合格" in response.content.decode()
        assert world.client("leader").post(url, {"on": str(today()), "ref": "公告1", "version": s.version}
                                           ).status_code == 403
        assert world.client("d01").post(reverse("subject-act", args=[s.pk, "nope"]), {}).status_code == 404


class TestPowerAdd(Cases):
    url_name = "subject-power-add"
    method = "post"

    def url(self, world, unit):
        return reverse("subject-power-add", args=[self.subject(unit).pk])

    def data(self, world, unit):
        return {"kind": "penalty", "name": "对违法建设的处罚", "basis": "《城乡规划法》第六十四条"}

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 303 and self.subject(unit).powers.get().name == "对违法建设的处罚"

    def test_bad_input_and_leader(self, world):
        unit = world.unit("D01")
        response = world.client("d01").post(self.url(world, unit), {"kind": "bogus", "name": "", "basis": ""})
        assert response.status_code == 400 and "职权类别" in response.content.decode()
        assert world.client("leader").post(self.url(world, unit), self.data(world, unit)).status_code == 403


class TestPowerDeactivate(Cases):
    url_name = "subject-power-deactivate"
    method = "post"

    @pytest.fixture(autouse=True)
    def _powers(self, world, _records):
        self.powers = {code: services.power_add(subject=s, actor=world.user("fzb"), data={
            "kind": "penalty", "name": "处罚权", "basis": "某法"}) for code, s in self.subjects.items()}

    def url(self, world, unit):
        return reverse("subject-power-deactivate", args=[self.powers[unit.code].pk])

    def data(self, world, unit):
        return {"on": str(today()), "reason": "职权划转", "version": 1}

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 303
        p = m.Power.objects.get(pk=self.powers["D01"].pk)
        assert not p.active and p.deactivate_reason == "职权划转"

    def test_missing_reason(self, world):
        unit = world.unit("D01")
        response = world.client("d01").post(self.url(world, unit), {"on": str(today()), "version": 1})
        assert response.status_code == 400 and "原因" in response.content.decode()


# ---------------------------------------------------------------- officer pages


class OfficerCases(Cases):
    def marker(self, world, unit):
        return officer_name(unit)


class TestOfficerList(OfficerCases):
    url_name = "officer-list"
    is_list = True

    def url(self, world, unit):
        return reverse("officer-list")

    def test_states_coloured_and_filtered(self, world):
        expiring = officer(world, "D01", name="孙快到", expires=30)
        expired = officer(world, "D01", name="钱老证", issued=-800, expires=-2)
        client = world.client("fzb")
        body = client.get(reverse("officer-list") + "?unit=D01").content.decode()
        assert 'class="table-warning"' in body and 'class="table-danger"' in body
        body = client.get(reverse("officer-list") + "?state=expiring").content.decode()
        assert expiring.name in body and expired.name not in body and officer_name(world.unit("D01")) not in body
        body = client.get(reverse("officer-list") + "?state=expired&q=钱老").content.decode()
        assert expired.name in body and expiring.name not in body
        for bad in ("state=x", "active=maybe", "unit=!!", "q=%01"):
            assert client.get(reverse("officer-list") + "?" + bad).status_code == 400, bad


class TestOfficerCreate(OfficerCases):
    url_name = "officer-create"

    def url(self, world, unit):
        return reverse("officer-create")

    def marker(self, world, unit):
        return "登记执法人员"

    def test_other_unit(self, world):
        response, unit = self.get(world, "d02")
        assert response.status_code == 200 and f'value="{unit.code}"' not in response.content.decode()

    def test_post(self, world):
        client = world.client("d01")
        response = client.post(self.url(world, None), {"unit": "D01", "name": "", "subject": ""})
        assert response.status_code == 400 and "姓名" in response.content.decode()
        # another unit's subject is not offered
        response = client.post(self.url(world, None), {"unit": "D01", "name": "李",
                                                       "subject": self.subjects["D02"].pk})
        assert response.status_code == 400
        assert client.post(self.url(world, None), {"unit": "D01", "name": "李"}).status_code == 303
        assert world.client("leader").get(self.url(world, None)).status_code == 403


class TestOfficerDetail(OfficerCases):
    url_name = "officer-detail"

    def url(self, world, unit):
        return reverse("officer-detail", args=[self.officer_(unit).pk])


class TestOfficerEdit(OfficerCases):
    url_name = "officer-edit"

    def url(self, world, unit):
        return reverse("officer-edit", args=[self.officer_(unit).pk])

    def test_stale_edit(self, world):
        unit = world.unit("D01")
        o = self.officer_(unit)
        client = world.client("d01")
        data = {"name": o.name, "post": "副队长", "version": o.version}
        assert client.post(self.url(world, unit), data).status_code == 303
        assert client.post(self.url(world, unit), {**data, "post": "队长"}).status_code == 409


class TestOfficerLeave(OfficerCases):
    url_name = "officer-leave"
    method = "post"

    def url(self, world, unit):
        return reverse("officer-leave", args=[self.officer_(unit).pk])

    def data(self, world, unit):
        return {"on": str(today()), "reason": "调离", "version": self.officer_(unit or world.unit("D01")).version}

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 303 and not self.officer_(unit).active

    def test_future_date_refused(self, world):
        unit = world.unit("D01")
        response = world.client("d01").post(self.url(world, unit), {**self.data(world, unit), "on": str(days(3))})
        assert response.status_code == 400 and "晚于今天" in response.content.decode()


class TestCertificateAdd(OfficerCases):
    url_name = "officer-certificate-add"
    method = "post"

    def url(self, world, unit):
        return reverse("officer-certificate-add", args=[self.officer_(unit).pk])

    def data(self, world, unit):
        return {"number": "陕A-0001", "kind": "enforcement", "issued_on": str(days(-1)),
                "expires_on": str(days(1000))}

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 303 and self.officer_(unit).certificates.count() == 2

    def test_bad_input(self, world):
        unit = world.unit("D01")
        client = world.client("d01")
        response = client.post(self.url(world, unit), {**self.data(world, unit), "expires_on": str(days(-2))})
        assert response.status_code == 400 and "有效期至" in response.content.decode()
        existing = self.officer_(unit).certificates.get().number
        response = client.post(self.url(world, unit), {**self.data(world, unit), "number": existing})
        assert response.status_code == 400 and "已经登记" in response.content.decode()


class TestCertificateAct(OfficerCases):
    url_name = "officer-certificate-act"
    method = "post"

    def cert(self, unit):
        return self.officer_(unit).certificates.get()

    def url(self, world, unit):
        return reverse("officer-certificate-act", args=[self.cert(unit).pk, "status"])

    def data(self, world, unit):
        return {"status": "suspended", "on": str(today()), "reason": "违规执法",
                "version": self.cert(unit or world.unit("D01")).version}

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 303
        cert = self.cert(unit)
        assert cert.status == m.CERT_SUSPENDED and cert.status_since == today()

    def test_review(self, world):
        unit = world.unit("D01")
        cert = self.cert(unit)
        url = reverse("officer-certificate-act", args=[cert.pk, "review"])
        client = world.client("d01")
        response = client.post(url, {"year": str(cert.reviewed_year or 2000), "version": cert.version})
        assert response.status_code == 400
        assert client.post(url, {"year": str(today().year), "version": cert.version}).status_code == 303
        assert self.cert(unit).reviewed_year == today().year


# ---------------------------------------------------------------- acts without a legal basis, catalogue


class BasislessCases(Cases):
    def marker(self, world, unit):
        return f"{unit.name}临时队"


class TestBasislessList(BasislessCases):
    url_name = "subject-basisless-list"
    is_list = True

    def url(self, world, unit):
        return reverse("subject-basisless-list")

    def test_bad_filter(self, world):
        assert world.client("fzb").get(self.url(world, None) + "?status=x").status_code == 400


class TestBasislessCreate(BasislessCases):
    url_name = "subject-basisless-create"

    def url(self, world, unit):
        return reverse("subject-basisless-create")

    def marker(self, world, unit):
        return "登记没有合法依据的执法行为"

    def test_same_unit(self, world):  # a unit does not list its own: the office or an inspector does
        assert self.get(world, "d01")[0].status_code == 403

    def test_other_unit(self, world):
        assert self.get(world, "d02")[0].status_code == 403

    def test_inspector_registers(self, world):
        client = world.client("inspector")
        assert client.get(self.url(world, None)).status_code == 200
        response = client.post(self.url(world, None), {"unit": "D03", "acting_body": "某协管队", "act": "罚款",
                                                       "found_on": str(today())})
        assert response.status_code == 303 and m.BasislessAct.objects.filter(acting_body="某协管队").exists()
        response = client.post(self.url(world, None), {"unit": "D03", "acting_body": "", "act": "",
                                                       "found_on": "昨天"})
        assert response.status_code == 400 and "实施机构" in response.content.decode()


class TestBasislessDetail(BasislessCases):
    url_name = "subject-basisless-detail"

    def url(self, world, unit):
        return reverse("subject-basisless-detail", args=[self.acts[unit.code].pk])


class TestBasislessAct(BasislessCases):
    url_name = "subject-basisless-act"
    method = "post"

    def url(self, world, unit):
        return reverse("subject-basisless-act", args=[self.acts[unit.code].pk, "correct"])

    def data(self, world, unit):
        return {"on": str(today()), "correction": "已退还扣押物品并撤销行为", "version": 1}

    def test_same_unit(self, world):
        response, unit = self.get(world, "d01")
        assert response.status_code == 303
        act = m.BasislessAct.objects.get(pk=self.acts["D01"].pk)
        assert act.status == m.ACT_CORRECTED

        decide = reverse("subject-basisless-act", args=[act.pk, "decide"])
        data = {"decision": "return", "on": str(today()), "reason": "", "version": act.version}
        assert world.client("d01").post(decide, data).status_code == 403
        response = world.client("fzb").post(decide, data)
        assert response.status_code == 400 and "退回理由" in response.content.decode()
        assert world.client("fzb").post(decide, {**data, "decision": "accept"}).status_code == 303
        assert m.BasislessAct.objects.get(pk=act.pk).status == m.ACT_ACCEPTED


class EntryCases(Cases):
    def marker(self, world, unit):
        return f"{unit.name}较大数额罚款"


class TestCatalogue(EntryCases):
    url_name = "subject-catalogue"
    is_list = True

    def url(self, world, unit):
        return reverse("subject-catalogue")


class TestEntryCreate(EntryCases):
    url_name = "subject-catalogue-create"

    def url(self, world, unit):
        return reverse("subject-catalogue-create")

    def marker(self, world, unit):
        return "增加重大执法决定目录事项"

    def test_same_unit(self, world):
        # The catalogue is the office's (review #7): the unit reads it, never edits it.
        assert self.get(world, "d01")[0].status_code == 403
        response = world.client("fzb").get(self.url(world, None))
        assert response.status_code == 200 and "增加重大执法决定目录事项" in response.content.decode()
        response = world.client("d01").post(self.url(world, None), {"unit": "D01", "decision_kind": "penalty",
                                                                     "title": "停产停业", "measures": ["order_stop"]})
        assert response.status_code == 403 and not m.MajorDecisionEntry.objects.filter(title="停产停业").exists()

    def test_other_unit(self, world):
        assert self.get(world, "d02")[0].status_code == 403

    def test_post(self, world):
        client = world.client("fzb")
        response = client.post(self.url(world, None), {"unit": "D01", "decision_kind": "penalty", "title": "停产停业"})
        assert response.status_code == 400 and "处理措施" in response.content.decode()
        response = client.post(self.url(world, None), {"unit": "D01", "decision_kind": "penalty", "title": "停产停业",
                                                       "measures": ["order_stop"], "active": "on"})
        assert response.status_code == 303
        assert m.MajorDecisionEntry.objects.get(title="停产停业").measures == ["order_stop"]


class TestEntryEdit(EntryCases):
    url_name = "subject-catalogue-edit"

    def url(self, world, unit):
        return reverse("subject-catalogue-edit", args=[self.entries[unit.code].pk])

    def test_same_unit(self, world):
        # The office edits the unit's catalogue; the unit itself may not (a line dropped just before deciding).
        assert self.get(world, "d01")[0].status_code == 403
        response = world.client("fzb").get(self.url(world, world.unit("D01")))
        assert response.status_code == 200 and self.marker(world, world.unit("D01")) in response.content.decode()


# ---------------------------------------------------------------- public


@pytest.mark.django_db
class TestPublicSubjects(PublicCases):
    url_name = "public-enforcement-subjects"

    def url(self, world):
        return reverse("public-enforcement-subjects")

    def test_only_announced_qualified_not_revoked(self, world):
        shown = subject(world, "D01", name="公告主体")
        subject(world, "D01", name="未公告主体", announce=False)
        subject(world, "D01", name="待审主体", review=None)
        gone = subject(world, "D02", name="撤销主体")
        services.subject_revoke(subject=gone, actor=world.user("fzb"), on=today(), reason="撤并",
                                expected_version=gone.version)
        officer(world, "D01", name="王亮证", subject_=shown, number="陕A-9")
        officer(world, "D01", name="赵过期", subject_=shown, issued=-900, expires=-1)
        body = world.client().get(self.url(world)).content.decode()
        assert "公告主体" in body and "未公告主体" not in body and "待审主体" not in body and "撤销主体" not in body
        assert "王亮证 陕A-9" in body and "赵过期" not in body
        assert "/enforcement/" not in body  # no staff link
        assert "公告主体" not in world.client().get(self.url(world) + "?unit=D02").content.decode()
        assert "公告主体" in world.client().get(self.url(world) + "?key_area=environment").content.decode()
        assert world.client().get(self.url(world) + "?unit=ZZZ").status_code == 400
        assert world.client().get(self.url(world) + "?key_area=bogus").status_code == 400


class TestOfficerExport(OfficerCases):
    url_name = "officer-export"
    is_list = True

    def url(self, world, unit):
        return reverse("officer-export")

    def test_same_unit(self, world):
        officer(world, "D01", name="孙快到", expires=30)
        response, unit = self.get(world, "d01")
        assert response.status_code == 200
        rows = xlsx_rows(response)
        header = next(r for r in rows if r and r[0] == "单位代码")
        data = {r[2]: r for r in rows[rows.index(header) + 1:]}
        assert set(data) == {officer_name(unit), "孙快到"}
        assert data["孙快到"][header.index("证件状态")] == "即将到期"
        assert data[officer_name(unit)][header.index("证件状态")] == "有效"

    def test_other_unit(self, world):
        response, unit = self.get(world, "d02")
        assert response.status_code == 200
        assert officer_name(unit) not in {r[2] for r in xlsx_rows(response) if r and len(r) > 2}

    def test_bad_filter(self, world):
        assert world.client("fzb").get(self.url(world, None) + "?state=x").status_code == 400

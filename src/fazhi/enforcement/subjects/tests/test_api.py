"""The API of subjects and officers: the four cases per endpoint, the roles, bad input naming the field, 404 for
another unit's record, 409 for a stale edit."""

import pytest
from django.urls import reverse

from fazhi.enforcement.subjects import models as m
from fazhi.enforcement.subjects.tests.conftest import days, today
from fazhi.enforcement.subjects.tests.test_permissions import Cases, officer_name, subject_name


class ApiCases(Cases):
    api = True


class TestSubjectList(ApiCases):
    url_name = "api:enforcement-subject-list"
    is_list = True

    def url(self, world, unit):
        return reverse("api:enforcement-subject-list")

    def test_fields_and_filters(self, world):
        client = world.client("fzb")
        body = client.get(self.url(world, None) + "?unit=D01").json()
        assert body["count"] == 1
        row = body["results"][0]
        assert row["unit"] == "D01" and row["review_status"] == "qualified" and row["may_open_case"] is True
        assert row["refusal"] is None and row["key_areas"] == ["environment"] and row["powers"] == []
        for bad in ("review=nope", "announced=maybe", "unit=ZZZ", "key_area=x"):
            response = client.get(self.url(world, None) + "?" + bad)
            assert response.status_code == 400 and bad.split("=")[0] in response.json()["errors"], bad


class TestSubjectDetail(ApiCases):
    url_name = "api:enforcement-subject-detail"

    def url(self, world, unit):
        return reverse("api:enforcement-subject-detail", args=[self.subject(unit).pk])

    def test_patch(self, world):
        unit = world.unit("D01")
        s = self.subject(unit)
        client = world.client("d01")
        response = client.patch(self.url(world, unit), {"kind": "entrusted", "version": s.version},
                                content_type="application/json")
        assert response.status_code == 400 and "entrusted_by" in response.json()["errors"]
        response = client.patch(self.url(world, unit), {"basis": "新依据", "version": s.version},
                                content_type="application/json")
        assert response.status_code == 200 and response.json()["review_status"] == "pending"
        assert response.json()["may_open_case"] is False and "待审查" in response.json()["refusal"]
        response = client.patch(self.url(world, unit), {"basis": "又改", "version": s.version},
                                content_type="application/json")
        assert response.status_code == 409
        assert world.client("leader").patch(self.url(world, unit), {"basis": "x", "version": s.version + 1},
                                            content_type="application/json").status_code == 403
        assert world.client("d02").patch(self.url(world, unit), {"basis": "x"},
                                         content_type="application/json").status_code == 404


class TestSubjectCreate(ApiCases):
    url_name = "api:enforcement-subject-list-create"  # the list's POST
    method = "post"

    def url(self, world, unit):
        return reverse("api:enforcement-subject-list")

    def data(self, world, unit):
        return {"unit": "D01", "name": "API主体", "kind": "statutory", "basis": "某法第1条", "key_areas": ["land"]}

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 201 and response.json()["review_status"] == "pending"

    def test_no_role(self, world):
        assert self.get(world, "nobody")[0].status_code in (400, 403)

    def test_other_unit(self, world):
        response, _ = self.get(world, "d02")
        assert response.status_code == 400 and "unit" in response.json()["errors"]

    def test_roles_and_bad_input(self, world):
        unit = world.unit("D01")
        post = lambda who, data: world.client(who).post(self.url(world, unit), data,  # noqa: E731
                                                         content_type="application/json")
        assert post("leader", self.data(world, unit)).status_code == 403
        assert post("inspector", self.data(world, unit)).status_code == 403
        response = post("d01", {**self.data(world, unit), "kind": "entrusted", "entrusted_by": "D02"})
        assert response.status_code == 400 and "entrustment_document" in response.json()["errors"]
        response = post("d01", {**self.data(world, unit), "key_areas": ["moon"]})
        assert response.status_code == 400 and "key_areas" in response.json()["errors"]
        response = post("d01", {**self.data(world, unit), "name": subject_name(unit)})
        assert response.status_code == 400 and "name" in response.json()["errors"]
        assert post("fzb", self.data(world, unit)).status_code == 201


class SubjectActCases(ApiCases):
    method = "post"
    act = ""

    def url(self, world, unit):
        return reverse(f"api:enforcement-subject-{self.act}", args=[self.subject(unit).pk])


class TestSubjectReview(SubjectActCases):
    url_name = "api:enforcement-subject-review"
    act = "review"

    def data(self, world, unit):
        return {"outcome": "unqualified", "on": str(today()), "note": "无法定依据",
                "version": self.subject(unit or world.unit("D01")).version}

    def test_same_unit(self, world):  # the unit may not review its own subject
        response, _ = self.get(world, "d01")
        assert response.status_code == 403

    def test_office(self, world):
        unit = world.unit("D01")
        response = world.client("fzb").post(self.url(world, unit), self.data(world, unit),
                                            content_type="application/json")
        assert response.status_code == 200 and response.json()["review_status"] == "unqualified"
        assert "不合格" in response.json()["refusal"]
        response = world.client("fzb").post(self.url(world, unit), {**self.data(world, unit), "outcome": "x"},
                                            content_type="application/json")
        assert response.status_code == 400 and "outcome" in response.json()["errors"]


class TestSubjectAnnounce(SubjectActCases):
    url_name = "api:enforcement-subject-announce"
    act = "announce"

    def data(self, world, unit):
        return {"on": str(today()), "ref": "公告2", "version": self.subject(unit or world.unit("D01")).version}

    def test_same_unit(self, world):  # already announced: refused naming why
        response, _ = self.get(world, "d01")
        assert response.status_code == 400 and "已于" in response.json()["detail"]

    def test_unqualified_refused_naming_the_rule(self, world):
        from fazhi.enforcement.subjects.tests.conftest import subject

        s = subject(world, "D01", name="不合格主体", review=m.UNQUALIFIED)
        response = world.client("d01").post(reverse("api:enforcement-subject-announce", args=[s.pk]),
                                            {"on": str(today()), "ref": "x", "version": s.version},
                                            content_type="application/json")
        assert response.status_code == 400 and "行政处罚法" in response.json()["detail"]


class TestSubjectRevoke(SubjectActCases):
    url_name = "api:enforcement-subject-revoke"
    act = "revoke"

    def data(self, world, unit):
        return {"on": str(days(-1)), "reason": "撤并", "version": self.subject(unit or world.unit("D01")).version}

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 200 and response.json()["revoked_on"] == str(days(-1))
        assert "撤销" in response.json()["refusal"]


class TestSubjectPowers(SubjectActCases):
    url_name = "api:enforcement-subject-powers"
    act = "powers"

    def data(self, world, unit):
        return {"kind": "inspection", "name": "监督检查", "basis": "某法第9条"}

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 201 and response.json()["powers"][0]["name"] == "监督检查"

    def test_bad_and_leader(self, world):
        unit = world.unit("D01")
        response = world.client("d01").post(self.url(world, unit), {"kind": "x", "name": "a", "basis": "b"},
                                            content_type="application/json")
        assert response.status_code == 400 and "kind" in response.json()["errors"]
        assert world.client("leader").post(self.url(world, unit), self.data(world, unit),
                                           content_type="application/json").status_code == 403


# ---------------------------------------------------------------- officers


class OfficerApiCases(ApiCases):
    def marker(self, world, unit):
        return officer_name(unit)


class TestOfficerList(OfficerApiCases):
    url_name = "api:officer-list"
    is_list = True

    def url(self, world, unit):
        return reverse("api:officer-list")

    def test_fields_and_filters(self, world):
        client = world.client("fzb")
        row = client.get(self.url(world, None) + "?unit=D01").json()["results"][0]
        assert row["certificate_state"] == "valid" and row["certificates"][0]["valid_today"] is True
        assert client.get(self.url(world, None) + "?state=expired").json()["count"] == 0
        for bad in ("state=x", "active=maybe", "unit=ZZZ"):
            response = client.get(self.url(world, None) + "?" + bad)
            assert response.status_code == 400 and bad.split("=")[0] in response.json()["errors"], bad


class TestOfficerDetail(OfficerApiCases):
    url_name = "api:officer-detail"

    def url(self, world, unit):
        return reverse("api:officer-detail", args=[self.officer_(unit).pk])


class TestOfficerCreate(OfficerApiCases):
    url_name = "api:officer-list-create"
    method = "post"

    def url(self, world, unit):
        return reverse("api:officer-list")

    def data(self, world, unit):
        return {"unit": "D01", "name": "新人", "subject": self.subjects["D01"].pk}

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 201 and response.json()["certificate_state"] == "none"

    def test_no_role(self, world):
        assert self.get(world, "nobody")[0].status_code in (400, 403)

    def test_other_unit(self, world):
        response, _ = self.get(world, "d02")
        assert response.status_code == 400

    def test_subject_of_another_unit(self, world):
        response = world.client("fzb").post(self.url(world, None), {**self.data(world, None),
                                                                     "subject": self.subjects["D02"].pk},
                                            content_type="application/json")
        assert response.status_code == 400 and "subject" in response.json()["errors"]


class OfficerActCases(OfficerApiCases):
    method = "post"
    act = ""

    def url(self, world, unit):
        return reverse(f"api:officer-{self.act}", args=[self.officer_(unit).pk])

    def cert(self, unit):
        return self.officer_(unit or self.unit_d01).certificates.get()

    @pytest.fixture(autouse=True)
    def _d01(self, world):
        self.unit_d01 = world.unit("D01")


class TestOfficerLeave(OfficerActCases):
    url_name = "api:officer-leave"
    act = "leave"

    def data(self, world, unit):
        return {"on": str(today()), "reason": "退休", "version": self.officer_(unit or self.unit_d01).version}

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 200 and response.json()["active"] is False


class TestOfficerCertificates(OfficerActCases):
    url_name = "api:officer-certificates"
    act = "certificates"

    def data(self, world, unit):
        return {"number": "API-C1", "issued_on": str(days(-1)), "expires_on": str(days(30))}

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 201 and len(response.json()["certificates"]) == 2

    def test_bad_dates(self, world):
        response = world.client("d01").post(self.url(world, self.unit_d01), {
            "number": "X", "issued_on": str(days(1)), "expires_on": str(days(30))}, content_type="application/json")
        assert response.status_code == 400 and "issued_on" in response.json()["errors"]


class TestOfficerCertificateReview(OfficerActCases):
    url_name = "api:officer-certificate-review"
    act = "certificate-review"

    def data(self, world, unit):
        cert = self.cert(unit)
        return {"certificate": cert.pk, "year": today().year, "version": cert.version}

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 200 and response.json()["certificates"][0]["reviewed_year"] == today().year

    def test_another_officer_s_certificate(self, world):
        other = self.officer_(world.unit("D02")).certificates.get()
        response = world.client("fzb").post(self.url(world, self.unit_d01), {
            "certificate": other.pk, "year": today().year, "version": other.version}, content_type="application/json")
        assert response.status_code == 400 and "certificate" in response.json()["errors"]


class TestOfficerCertificateStatus(OfficerActCases):
    url_name = "api:officer-certificate-status"
    act = "certificate-status"

    def data(self, world, unit):
        cert = self.cert(unit)
        return {"certificate": cert.pk, "status": "revoked", "on": str(today()), "reason": "违法执法",
                "version": cert.version}

    def test_same_unit(self, world):
        response, _ = self.get(world, "d01")
        assert response.status_code == 200 and response.json()["certificate_state"] == "expired"
        response, _ = self.get(world, "d01")  # stale version now
        assert response.status_code in (400, 409)

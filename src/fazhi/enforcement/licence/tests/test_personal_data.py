"""A natural person's ID number and phone: in clear for the case's unit and the office, masked for those who only
read (leaders, inspectors) — on the page, in the API and in the decision document, as for a penalty's party."""

import pytest
from django.urls import reverse

from fazhi.enforcement.licence.tests.conftest import item, register

pytestmark = pytest.mark.django_db

ID, PHONE = "610102199001011234", "13912345678"


def test_a_persons_id_and_phone_are_masked_for_readers(world):
    case = register(world, item(world, "D01"), applicant="王五", applicant_kind="person", applicant_code=ID,
                    applicant_contact=PHONE)
    page = reverse("licence-detail", args=[case.pk])
    api = f"/api/v1/licence-cases/{case.pk}/"
    for who in ("d01", "fzb"):
        assert ID in world.client(who).get(page).content.decode()
        assert world.client(who).get(api).json()["applicant_code"] == ID
    for who in ("leader", "inspector"):
        body = world.client(who).get(page).content.decode()
        assert ID not in body and PHONE not in body and "610102********1234" in body
        data = world.client(who).get(api).json()
        assert data["applicant_code"] == "610102********1234" and PHONE not in data["applicant_contact"]


def test_an_organisations_registered_code_stays_in_clear(world):
    case = register(world, item(world, "D01"))
    assert world.client("leader").get(f"/api/v1/licence-cases/{case.pk}/").json()["applicant_code"] == \
        "91610000123456789X"

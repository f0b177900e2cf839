"""Mends from the review of issue #10: personal data stays masked for read-only roles in the documents too; a
person's home address never reaches the public summary; 第68条 serves only on-the-spot decisions."""

from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document

from fazhi.core.errors import Conflict
from fazhi.enforcement.penalty import scripted, services
from fazhi.enforcement.penalty.tests import cases
from fazhi.enforcement.publication.models import Publication

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return "\n".join(p.text for p in Document(BytesIO(response.content)).paragraphs)


def test_the_decision_document_masks_a_persons_id_and_address_for_those_who_only_read(world):
    decided = cases.data(world)["decided"]
    url = reverse("penalty-document", args=[decided.pk, "decision"])
    unit = _text(world.client("d01").get(url))
    assert "610102199001011234" in unit and "新城区幸福路1号" in unit
    for reader in ("leader", "inspector"):
        body = _text(world.client(reader).get(url))
        assert "610102199001011234" not in body and "幸福路1号" not in body
        assert "610102********1234" in body


def test_a_persons_address_in_the_facts_is_left_out_of_the_publication(world):
    u = cases.units_setup(world)["D01"]
    d01, office = world.user("d01"), world.user("fzb")
    case = scripted.file_case(d01, u.subject, filed=cases.days(60), officers=u.officers[:2], party="李四")
    case = scripted.act(case, d01, "investigate", on=cases.days(50), facts="当事人在新城区幸福路1号门前占道经营。",
                        evidence="现场检查笔录", basis_violation="某条例第五条")
    case = scripted.notify(case, d01, cases.days(45), fine="5000")
    case = scripted.decide(case, office, cases.days(30))
    pub = Publication.objects.get(object_id=str(case.pk))
    assert "幸福路1号" not in pub.summary_masked and "(住址略)" in pub.summary_masked
    assert "李四" not in pub.summary_masked + pub.party_masked


def test_section_68_collection_is_refused_for_a_general_procedure_decision(world):
    served = cases.data(world)["served"]
    with pytest.raises(Conflict) as e:
        services.payment_record(case=served, actor=world.user("d01"), amount_paid="100", paid_on=cases.days(27),
                                channel="on_the_spot", receipt_number="SX-9", spot_reason="small")
    assert "第69条" in e.value.message and "第51条" in e.value.message


def test_one_remedy_notice_for_penalty_and_licence_naming_the_district_government(world):
    from fazhi.remedies.notice import reconsideration_organ, remedy_notice

    decided = cases.data(world)["decided"]
    organ = reconsideration_organ()
    assert organ and f"向{organ}申请行政复议" in decided.remedy_notice
    assert decided.remedy_notice == remedy_notice(addressee="当事人")
    licence = remedy_notice(addressee="申请人", suspends_execution_note=False)
    assert licence.startswith("申请人对本决定不服的") and "60日" in licence and "6个月" in licence

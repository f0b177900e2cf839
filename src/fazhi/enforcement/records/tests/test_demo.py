"""The demos of records, publication and fault: they run on whatever cases exist, show each state, and a second
run adds nothing."""

from datetime import date

import pytest

from fazhi.enforcement.fault import demo as fault_demo
from fazhi.enforcement.fault.models import FaultRecord
from fazhi.enforcement.publication import demo as publication_demo
from fazhi.enforcement.publication import services as publication
from fazhi.enforcement.publication.models import Publication
from fazhi.enforcement.records import demo as records_demo
from fazhi.enforcement.records.models import ProcessRecord, RecordCheck
from fazhi.enforcement.records.tests.conftest import make_case, make_officer

pytestmark = pytest.mark.django_db


def test_records_and_publication_demo(world, required):
    cases = [make_case(world, number=f"(2026)陕0113行初{n}号") for n in range(5)]
    make_officer(world)
    for n, case in enumerate(cases):
        publication.publication_due(case, rule="penalty.publicize", decided_on=date(2026, 3, 2 + n), title=f"决定{n}",
                                    document_number=f"罚〔2026〕{n}号", party="张三", party_kind="person",
                                    summary="罚款", actor=world.user("d01"))
    for _ in range(2):
        records_demo.load()
        publication_demo.load()
    assert ProcessRecord.objects.count() == 5  # the first missing record of each case, once
    assert RecordCheck.objects.count() == 5 and not RecordCheck.objects.filter(complete=True).exists()
    states = sorted(Publication.objects.values_list("state", flat=True))
    assert states == ["due", "due", "published", "published", "withdrawn"]
    assert Publication.objects.filter(published_late=True).count() == 1


def test_fault_demo(world):
    from fazhi.enforcement.fault.tests.conftest import penalty_case

    for n in range(4):
        penalty_case(world, "D01", n)
    fault_demo.load()
    fault_demo.load()
    assert FaultRecord.objects.count() == 2
    decided = FaultRecord.objects.get(status="decided")
    assert decided.sanction == "warning" and decided.compensation_paid == 3200

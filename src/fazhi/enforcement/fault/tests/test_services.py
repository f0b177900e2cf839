"""Fault accountability: open (the office or an inspector; officers of the case's unit), decide, compensation,
void; refusals naming their field; records kept queryable for the assessment."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.core.errors import InvalidInput, NotAllowed, StaleEdit
from fazhi.enforcement.fault import services
from fazhi.enforcement.fault.models import DECIDED, FaultRecord
from fazhi.enforcement.fault.tests.conftest import open_fault, penalty_case
from fazhi.programme.demo import DEMO_PDF

pytestmark = pytest.mark.django_db


def pdf():
    return SimpleUploadedFile("赔偿决定书.pdf", DEMO_PDF, content_type="application/pdf")


def test_open_decide_compensate(world, fault):
    assert fault.unit == world.unit("D01") and fault.penalty_case.number == "D01罚立〔2026〕1号"
    assert sorted(o.name for o in fault.officers.all()) == ["D01执法员1", "D01执法员2"]
    fault = services.fault_decide(record=fault, sanction="warning", on=date(2026, 5, 20), ref="区监委〔2026〕3号",
                                  note="", actor=world.user("inspector"), expected_version=fault.version)
    assert fault.status == DECIDED and fault.get_sanction_display() == "警告"
    fault = services.fault_compensation(record=fault, amount="12,000.50", on=date(2026, 5, 25),
                                        ref="区市监赔〔2026〕1号", files=[pdf()], actor=world.user("d01"),
                                        expected_version=fault.version)
    assert fault.compensation_paid == Decimal("12000.50")
    # the assessment's questions are plain queries
    assert FaultRecord.objects.filter(unit__code="D01", found_on__year=2026, responsibility="direct",
                                      sanction="warning", compensation_paid__gt=0).count() == 1


def test_refusals(world, fault):
    case = penalty_case(world, "D02", 2)
    with pytest.raises(NotAllowed):
        open_fault(world, "D01", user="d01", n=3)
    with pytest.raises(InvalidInput, match="不是") as e:
        services.officers_find(case=case, names=["D01执法员1"])
    assert e.value.field == "officers"
    with pytest.raises(InvalidInput) as e:
        services.case_find(user=world.user("fzb"), kind="penalty", number="不存在")
    assert e.value.field == "case_number"
    with pytest.raises(InvalidInput) as e:  # d02 cannot find a D01 case
        services.case_find(user=world.user("d02"), kind="penalty", number=fault.penalty_case.number)
    for over, field in (({"fault_kind": "x"}, "fault_kind"), ({"responsibility": "x"}, "responsibility"),
                        ({"fault": " "}, "fault"), ({"found_on": date(2099, 1, 1)}, "found_on")):
        with pytest.raises(InvalidInput) as e:
            open_fault(world, "D02", n=10 + len(field), **over)
        assert e.value.field == field
    with pytest.raises(NotAllowed):
        services.fault_decide(record=fault, sanction="warning", on=date(2026, 5, 20), ref="x", note="",
                              actor=world.user("d01"), expected_version=fault.version)
    with pytest.raises(InvalidInput) as e:
        services.fault_decide(record=fault, sanction="warning", on=date(2026, 5, 1), ref="x", note="",
                              actor=world.user("fzb"), expected_version=fault.version)
    assert e.value.field == "sanction_on"
    with pytest.raises(StaleEdit):
        services.fault_decide(record=fault, sanction="warning", on=date(2026, 5, 20), ref="x", note="",
                              actor=world.user("fzb"), expected_version=fault.version + 5)
    for amount in ("-1", "0", "abc", "1.234", "NaN", "1e30"):
        with pytest.raises(InvalidInput) as e:
            services.fault_compensation(record=fault, amount=amount, on=date(2026, 5, 25), ref="r", files=[pdf()],
                                        actor=world.user("d01"), expected_version=fault.version)
        assert e.value.field == "compensation_paid", amount
    with pytest.raises(InvalidInput) as e:
        services.fault_compensation(record=fault, amount="100", on=date(2026, 5, 25), ref="r", files=[],
                                    actor=world.user("d01"), expected_version=fault.version)
    assert e.value.field == "files"
    with pytest.raises(NotAllowed):
        services.fault_compensation(record=fault, amount="100", on=date(2026, 5, 25), ref="r", files=[pdf()],
                                    actor=world.user("d02"), expected_version=fault.version)
    fault.refresh_from_db()
    assert fault.compensation_paid is None and fault.status == "open"  # nothing half-saved
    fault = services.fault_void(record=fault, reason="重复登记", actor=world.user("fzb"), expected_version=fault.version)
    assert fault.is_voided and fault.status_label == "已作废"

"""The pure rules: the surcharge (第72条), the hearing threshold (第63条), the simplified procedure (第51条) and
on-the-spot collection (第68条/第69条)."""

from datetime import date
from decimal import Decimal

from fazhi.enforcement.penalty import rules

D = date.fromisoformat


def test_surcharge_first_day_cap_and_none():
    due = D("2026-05-10")
    assert rules.surcharge(Decimal("1000"), due, due) == Decimal("0.00")  # paid on the due date
    assert rules.surcharge(Decimal("1000"), due, D("2026-05-11")) == Decimal("30.00")  # first day late: 3%
    assert rules.surcharge(Decimal("1000"), due, D("2026-05-20")) == Decimal("300.00")
    assert rules.surcharge(Decimal("1000"), due, D("2026-06-12")) == Decimal("990.00")  # 33 days
    assert rules.surcharge(Decimal("1000"), due, D("2026-06-13")) == Decimal("1000.00")  # 34 days: capped at the fine
    assert rules.surcharge(Decimal("1000"), due, D("2027-01-01")) == Decimal("1000.00")
    assert rules.surcharge(Decimal("333.33"), due, D("2026-05-11")) == Decimal("10.00")  # rounded to the fen
    assert rules.surcharge(Decimal("1000"), None, D("2027-01-01")) == Decimal("0.00")


def test_hearing_qualifies():
    assert rules.hearing_qualifies("person", ["fine"], Decimal("10000"), None)
    assert not rules.hearing_qualifies("person", ["fine"], Decimal("9999.99"), None)
    assert not rules.hearing_qualifies("legal", ["fine"], Decimal("99999"), None)
    assert rules.hearing_qualifies("legal", ["fine"], Decimal("100000"), None)
    assert rules.hearing_qualifies("other", ["confiscate_income"], None, Decimal("100000"))
    assert rules.hearing_qualifies("person", ["warning", "revoke_licence"], None, None)
    assert rules.hearing_qualifies("legal", ["order_stop"], None, None)
    assert not rules.hearing_qualifies("person", ["warning"], None, None)


def test_simple_limits():
    assert rules.simple_refusal("person", ["fine"], Decimal("200")) is None
    assert "第51条" in rules.simple_refusal("person", ["fine"], Decimal("200.01"))
    assert rules.simple_refusal("legal", ["fine", "warning"], Decimal("3000")) is None
    assert "第51条" in rules.simple_refusal("other", ["fine"], Decimal("3001"))
    assert "第51条" in rules.simple_refusal("person", ["revoke_licence"], None)
    assert rules.simple_refusal("person", ["warning"], None) is None


def test_spot_collection():
    assert "第68条" in rules.spot_refusal("", Decimal("50"), Decimal("50"))
    assert rules.spot_refusal("small", Decimal("100"), Decimal("100")) is None
    assert "第68条" in rules.spot_refusal("small", Decimal("150"), Decimal("150"))
    assert rules.spot_refusal("remote", Decimal("150"), Decimal("150")) is None

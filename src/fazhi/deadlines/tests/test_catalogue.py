import re

from fazhi.deadlines.catalogue import RULES


def test_every_rule_has_a_unique_chinese_name():
    names = [r.name for r in RULES.values()]
    assert all(re.search(r"[\u4e00-\u9fff]", n) and not re.search(r"[a-z_.]", n) for n in names), names
    assert len(set(names)) == len(names)
    assert RULES["penalty.decide"].name == "行政处罚决定"

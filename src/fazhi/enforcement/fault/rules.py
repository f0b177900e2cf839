"""The rules of fault accountability, once: who opens and decides a record (the office or an inspector: the
supervision of enforcement), who records the compensation paid (the unit — the 赔偿义务机关, 国家赔偿法 第7条 — or
the office), who reads (the unit its own, through the scoping)."""

from fazhi.core.scoping import INSPECTOR, scope_for

BASIS = ("工作方案 五(一)3–4(落实行政执法责任制,严格执行过错责任追究和赔偿制度);国家赔偿法 第7条、第16条;"
         "行政机关公务员处分条例")


def can_open(user) -> bool:
    """法制办 or 督查: the enforcement supervisors find the fault and decide how it is pursued."""
    scope = scope_for(user)
    return scope.is_office or scope.has_role(INSPECTOR)


def can_decide(user) -> bool:
    return can_open(user)


def can_record_compensation(user, record) -> bool:
    scope = scope_for(user)
    return scope.is_office or scope.acts_for(record.unit)

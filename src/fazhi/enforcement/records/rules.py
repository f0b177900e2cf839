"""The rules of 执法全过程记录, once: which required records a case lacks, the refusal to close it while one is
missing, who may add or void a record, and what a record needs (time, place, an officer of the case's unit)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from fazhi.core.scoping import scope_for
from fazhi.enforcement.records.registry import Requirement, requirements

BASIS = "国办发〔2018〕118号 执法全过程记录制度"
BASIS_AV = "国办发〔2018〕118号 三(三):对查封扣押财产、强制拆除等直接涉及生命健康、重大财产权益的现场执法活动和执法办案场所,要推行全程音像记录"
FORMULA_COMPLETE = "结案时全过程记录齐全的案件数 ÷ 已结案件数 × 100%(行政处罚、行政许可案件合计)"


def _have(case) -> set[tuple[str, str]]:
    from fazhi.enforcement.records.models import ProcessRecord

    return set(ProcessRecord.objects.for_case(case).active().values_list("step", "kind").distinct())


def records_missing(case) -> list[Requirement]:
    """The required records (registry) the case has no active record for, in the module's order."""
    required = requirements(case)
    if not required:
        return []
    have = _have(case)
    return [r for r in required if (r.step, r.kind) not in have]


def records_missing_bulk(cases) -> dict:
    """records_missing for a page of cases of one model: one query for their records (pk -> list)."""
    from fazhi.enforcement.records.models import ProcessRecord

    cases = list(cases)
    if not cases:
        return {}
    ct = ContentType.objects.get_for_model(cases[0])
    have: dict[str, set] = {}
    for oid, step, kind in (ProcessRecord.objects.filter(content_type=ct, object_id__in=[str(c.pk) for c in cases])
                            .active().values_list("object_id", "step", "kind").distinct()):
        have.setdefault(oid, set()).add((step, kind))
    return {c.pk: [r for r in requirements(c) if (r.step, r.kind) not in have.get(str(c.pk), set())] for c in cases}


def missing_text(missing: list[Requirement]) -> str:
    return "、".join(r.text for r in missing)


def close_refusal(case) -> str | None:
    """None when every required record is there; else the refusal naming each missing one and the basis."""
    missing = records_missing(case)
    if not missing:
        return None
    return f"结案前须补齐全过程记录:{missing_text(missing)}(依据:{BASIS})"


CLOSED_CODE = "records.closed"


def closed_refusal(case) -> str | None:
    """A closed case (`closed_on` set) takes no new record and voids none: its completeness was judged at 结案."""
    if getattr(case, "closed_on", None) is not None:
        return f"已结案的案件不能增补或作废记录(结案日期 {case.closed_on.isoformat()};依据:{BASIS})"
    return None


def can_add(user, case) -> bool:
    """The case unit's staff (or a unit above it) and the office; leaders and inspectors read only."""
    scope = scope_for(user)
    return scope.is_office or scope.acts_for(case.unit)


def officer_refusal(officer, case) -> str | None:
    """The recording officer is one of the case unit's officers, active."""
    if officer.unit_id != case.unit_id:
        return "「记录人」应为本案所属单位的执法人员"
    if not officer.active:
        return f"「记录人」{officer.name} 已不在岗,请选择在岗执法人员"
    return None

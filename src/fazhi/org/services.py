"""Writes on units, users and roles."""

import csv
from importlib import resources

from django.db import transaction
from django.utils import timezone

from fazhi.core.errors import InvalidInput
from fazhi.core.services import event_record, versioned_update
from fazhi.org.models import RoleGrant, Unit, User

# The plan's bodies hang under the district government; the office under the leading group.
PARENT_OF_KIND = {"leading_group": "GOV", "supervision": "GOV", "department": "GOV",
                  "subdistrict": "GOV", "town": "GOV", "office": "LG"}
UNIT_EDITABLE_FIELDS = ("name", "short_name", "note", "sort_order", "active", "demonstration_key_unit")


def units_from_csv_rows(rows: list[dict]) -> list[dict]:
    return [
        {
            "code": r["code"].strip().upper(),
            "name": r["name"].strip(),
            "short_name": r.get("short_name", "").strip(),
            "kind": r["kind"].strip(),
            "demonstration_key_unit": r.get("demonstration_key_unit", "").strip().lower() == "true",
            "note": r.get("note", "").strip(),
            "sort_order": i,
        }
        for i, r in enumerate(rows, start=1)
    ]


def key_areas_load(model=None) -> int:
    """The plan's 12 key areas from org/data/key_areas.csv (idempotent; names already changed by the office stay).
    The migration calls it with its historical model; the demo again, since a test database may have been flushed."""
    if model is None:
        from fazhi.org.models import KeyArea as model
    with resources.files("fazhi.org").joinpath("data/key_areas.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for i, row in enumerate(rows, start=1):
        model.objects.get_or_create(code=row["code"].strip(), defaults={"name": row["name"].strip(), "sort_order": i})
    return len(rows)


def bundled_units() -> list[dict]:
    with resources.files("fazhi.org").joinpath("data/units.csv").open(encoding="utf-8") as f:
        return units_from_csv_rows(list(csv.DictReader(f)))


@transaction.atomic
def unit_upsert(*, code: str, parent_code: str | None = None, **fields) -> tuple[Unit, bool]:
    """Create a unit or bring an existing one to these values (idempotent)."""
    parent = Unit.objects.get(code=parent_code) if parent_code else None
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        unit = Unit(code=code, parent=parent, **fields)
        unit.full_clean()
        unit.save()
        return unit, True
    changed = [k for k, v in fields.items() if getattr(unit, k) != v]
    if unit.parent_id != (parent.pk if parent else None):
        unit.parent = parent
        changed.append("parent")
    if changed:
        for k in changed:
            if k != "parent":
                setattr(unit, k, fields[k])
        unit.full_clean()
        unit.save()
    return unit, False


def units_load_bundled() -> int:
    """The 33 bodies of the plan, as a tree. Returns how many were created."""
    created = 0
    rows = bundled_units()
    by_kind_first = sorted(rows, key=lambda r: (r["kind"] != "government", r["kind"] != "leading_group"))
    for row in by_kind_first:
        parent = PARENT_OF_KIND.get(row["kind"]) if row["code"] != "GOV" else None
        _, was_created = unit_upsert(parent_code=parent, **row)
        created += was_created
    return created


def unit_update(*, unit: Unit, actor: User, expected_version: int | None, changes: dict, reason: str = "") -> Unit:
    unknown = set(changes) - set(UNIT_EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(f"字段不可修改: {', '.join(sorted(unknown))}", field=sorted(unknown)[0])
    unit = versioned_update(unit, expected_version=expected_version, changes=changes, reason=reason)
    event_record(verb="unit.updated", summary=f"修改单位信息: {unit.name}", actor=actor, unit=unit, obj=unit,
                 reason=reason, data={"fields": sorted(changes)})
    return unit


@transaction.atomic
def role_grant(*, user: User, unit: Unit, role: str, granted_by: User | None = None) -> RoleGrant:
    grant = RoleGrant.objects.active().filter(user=user, unit=unit, role=role).first()
    if grant:
        return grant
    grant = RoleGrant(user=user, unit=unit, role=role, granted_by=granted_by)
    grant.full_clean()
    grant.save()
    event_record(verb="role.granted", summary=f"授予 {user.username} 角色 {grant.get_role_display()}",
                 actor=granted_by, unit=unit, obj=grant)
    return grant


@transaction.atomic
def role_revoke(*, grant: RoleGrant, actor: User, reason: str) -> RoleGrant:
    if not reason.strip():
        raise InvalidInput("撤销角色必须填写原因", field="reason")
    grant.revoked_at = timezone.now()
    grant.revoke_reason = reason
    grant.save()
    event_record(verb="role.revoked", summary=f"撤销 {grant.user.username} 的角色 {grant.get_role_display()}",
                 actor=actor, unit=grant.unit, obj=grant, reason=reason)
    return grant

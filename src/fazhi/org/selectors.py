"""Reads on units and users, all through the scoping rule."""

from django.db.models import Count, Q

from fazhi.org.models import RoleGrant, Unit


def unit_list(*, user, kind: str | None = None, key_only: bool = False):
    qs = Unit.objects.visible_to(user).filter(active=True).select_related("parent")
    if kind:
        qs = qs.filter(kind=kind)
    if key_only:
        qs = qs.filter(demonstration_key_unit=True)
    return qs.annotate(children_count=Count("children", filter=Q(children__active=True))).order_by("sort_order", "code")


def unit_people(*, unit: Unit):
    return RoleGrant.objects.active().filter(unit=unit).select_related("user").order_by("role", "user__username")


def writable_units(user, *, kinds=None, below_root: bool = False) -> list:
    """THE units a user may register records for: every active unit for the office, else the units they act for
    (their own and those below). `kinds` narrows to unit kinds; `below_root` leaves out the top unit."""
    from fazhi.core.scoping import scope_for

    scope = scope_for(user)
    qs = Unit.objects.visible_to(user).filter(active=True).order_by("sort_order", "code")
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if below_root:
        qs = qs.filter(parent__isnull=False)
    return list(qs) if scope.is_office else [u for u in qs if scope.acts_for(u)]


def may_register(user) -> bool:
    """Whether `writable_units(user)` is non-empty, without loading every unit (a button's condition)."""
    from fazhi.core.scoping import UNIT_ROLES, scope_for

    scope = scope_for(user)
    return scope.is_office or bool(scope.roles & UNIT_ROLES and scope.unit_paths)


def picked_unit(units: list, code: str):
    """The unit a create form posted (`code`) among `units`; with no code, the only one there is, else None."""
    if code:
        return next((u for u in units if u.code == code), None)
    return units[0] if len(units) == 1 else None

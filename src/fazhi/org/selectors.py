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

"""The one scoping rule: which units' records a user may see.

Every page, API endpoint, export, search and dashboard count goes through
`Model.objects.visible_to(user)`. Office, inspectors and leaders see every unit;
unit admins and staff see the unit they hold a role on and its sub-units
(a path-prefix filter on the unit tree, never a list of ids); anyone else nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
import operator

from django.db import models
from django.db.models import Q

# Roles, each granted on a unit. The office label is data (法制办 → 司法局 after 2018).
LEADER = "leader"
OFFICE = "office"
INSPECTOR = "inspector"
UNIT_ADMIN = "unit_admin"
UNIT_STAFF = "unit_staff"
ROLE_CHOICES = [
    (OFFICE, "法制办(创建办)"),
    (LEADER, "领导"),
    (INSPECTOR, "督查"),
    (UNIT_ADMIN, "单位管理员"),
    (UNIT_STAFF, "单位工作人员"),
]
ROLE_LABELS = dict(ROLE_CHOICES)
ALL_UNITS_ROLES = frozenset({LEADER, OFFICE, INSPECTOR})
UNIT_ROLES = frozenset({UNIT_ADMIN, UNIT_STAFF})


@dataclass(frozen=True)
class Scope:
    all_units: bool
    unit_paths: tuple[str, ...]
    roles: frozenset[str]
    is_sysadmin: bool = False

    def has_role(self, *roles: str) -> bool:
        return self.is_sysadmin or bool(self.roles.intersection(roles))


NO_SCOPE = Scope(all_units=False, unit_paths=(), roles=frozenset())


def scope_for(user) -> Scope:
    """The user's scope, computed once per user object (one query)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_SCOPE
    cached = getattr(user, "_fazhi_scope", None)
    if cached is not None:
        return cached
    grants = list(user.role_grants.active().values_list("role", "unit__path"))
    roles = frozenset(role for role, _ in grants)
    paths = tuple(sorted({path for role, path in grants if role in UNIT_ROLES}))
    scope = Scope(
        all_units=user.is_superuser or bool(roles & ALL_UNITS_ROLES),
        unit_paths=paths,
        roles=roles,
        is_sysadmin=user.is_superuser,
    )
    user._fazhi_scope = scope
    return scope


class ScopedQuerySet(models.QuerySet):
    """Base queryset of every unit-owned model. Set `unit_path_lookup` on the subclass
    or the model (`"unit__path"` by default; the Unit model itself uses `"path"`)."""

    unit_path_lookup = "unit__path"

    def _path_lookup(self) -> str:
        return getattr(self.model, "unit_path_lookup", None) or self.unit_path_lookup

    def visible_to(self, user):
        scope = scope_for(user)
        if scope.all_units:
            return self
        if not scope.unit_paths:
            return self.none()
        lookup = f"{self._path_lookup()}__startswith"
        return self.filter(reduce(operator.or_, (Q(**{lookup: p}) for p in scope.unit_paths)))


class ReferenceQuerySet(models.QuerySet):
    """Reference data shared by all units (the legal calendar, rule settings):
    every signed-in user holding a role may read it; nobody else."""

    def visible_to(self, user):
        scope = scope_for(user)
        return self if (scope.all_units or scope.unit_paths or scope.is_sysadmin) else self.none()

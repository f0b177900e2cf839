"""The one scoping rule: which units' records a user may see.

Every page, API endpoint, export, search and dashboard count goes through
`Model.objects.visible_to(user)`. Office, inspectors and leaders see every unit;
unit admins and staff see the unit they hold a role on and its sub-units
(a path-prefix filter on the unit tree, never a list of ids); anyone else nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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


# Up to this many units, a scope is passed to the database as the units' ids (read once per
# request from the path rule): the planner then uses each table's unit index. Larger scopes
# (a city of thousands of units) use the same rule as a subquery.
ID_LIST_LIMIT = 1000


def subtree_q(paths, field: str = "path") -> Q:
    """Units whose materialised path starts with one of `paths`, in the form each engine answers
    from an index: PostgreSQL a LIKE 'prefix%' on the varchar_pattern_ops index (byte order,
    whatever the database's collation); SQLite a range ("/GOV/D01/" ≤ path < "/GOV/D010")."""
    from django.db import connection

    if connection.vendor == "postgresql":
        parts = (Q(**{f"{field}__startswith": p}) for p in paths)
    else:
        parts = (Q(**{f"{field}__gte": p, f"{field}__lt": p[:-1] + chr(ord(p[-1]) + 1)}) for p in paths)
    return reduce(operator.or_, parts, Q(pk__in=[]))


def subtree_units(paths):
    """The ids of the units in these subtrees, for `unit_id__in` (a subquery, not a list)."""
    from fazhi.org.models import Unit

    return Unit.objects.filter(subtree_q(paths)).values("pk")


@dataclass(frozen=True)
class Scope:
    all_units: bool
    unit_paths: tuple[str, ...]
    roles: frozenset[str]
    is_sysadmin: bool = False
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def has_role(self, *roles: str) -> bool:
        return self.is_sysadmin or bool(self.roles.intersection(roles))

    @property
    def has_any_role(self) -> bool:
        """Holds a role on some unit, or is the system administrator: may use the platform at all."""
        return self.all_units or bool(self.unit_paths) or self.is_sysadmin

    @property
    def is_office(self) -> bool:
        """法制办 (or the system administrator): runs the programme, keeps the units and the legal calendar."""
        return self.has_role(OFFICE)

    def covers(self, unit) -> bool:
        """The same rule as `visible_to`, for one unit already in memory."""
        return self.all_units or any(unit.path.startswith(p) for p in self.unit_paths)

    def acts_for(self, unit) -> bool:
        """Holds a unit role (admin or staff) on this unit or one above it."""
        return bool(self.roles & UNIT_ROLES) and any(unit.path.startswith(p) for p in self.unit_paths)

    def unit_filter(self):
        """What `unit_id__in` receives: the ids (small scopes) or the subquery (large ones)."""
        if "units" not in self._cache:
            ids = list(subtree_units(self.unit_paths).values_list("pk", flat=True)[: ID_LIST_LIMIT + 1])
            self._cache["units"] = ids if len(ids) <= ID_LIST_LIMIT else subtree_units(self.unit_paths)
        return self._cache["units"]


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
    """Base queryset of every unit-owned model. `unit_path_lookup` names the path of the
    record's unit: `"unit__path"` by default (the FK `unit`); the Unit model itself uses `"path"`."""

    unit_path_lookup = "unit__path"

    def _path_lookup(self) -> str:
        return getattr(self.model, "unit_path_lookup", None) or self.unit_path_lookup

    def visible_to(self, user):
        scope = scope_for(user)
        if scope.all_units:
            return self
        if not scope.unit_paths:
            return self.none()
        lookup = self._path_lookup()
        if lookup == "path":  # the Unit table itself
            return self.filter(subtree_q(scope.unit_paths))
        fk = lookup.removesuffix("__path")
        return self.filter(**{f"{fk}__in": scope.unit_filter()})

    def in_subtree(self, path: str):
        """Records of one unit and its sub-units (a filter such as ?unit=D01), by the same rule."""
        lookup = self._path_lookup()
        if lookup == "path":
            return self.filter(subtree_q([path]))
        return self.filter(**{f"{lookup.removesuffix('__path')}__in": subtree_units([path])})


class ReferenceQuerySet(models.QuerySet):
    """Reference data shared by all units (the legal calendar, rule settings):
    every signed-in user holding a role may read it; nobody else."""

    def visible_to(self, user):
        return self if scope_for(user).has_any_role else self.none()

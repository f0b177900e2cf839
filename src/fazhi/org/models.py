"""Units (a tree: bodies and their 股室), users, and roles granted on units."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from fazhi.core.models import VersionedModel, history
from fazhi.core.scoping import ROLE_CHOICES, ROLE_LABELS, ScopedQuerySet

UNIT_KIND_CHOICES = [
    ("government", "区政府"),
    ("leading_group", "领导小组"),
    ("office", "领导小组办公室"),
    ("supervision", "监督机关"),
    ("department", "区政府工作部门"),
    ("subdistrict", "街道办事处"),
    ("town", "镇人民政府"),
    ("section", "股室/内设机构"),
    ("other", "其他单位"),
]
UNIT_KIND_LABELS = dict(UNIT_KIND_CHOICES)

# The units the plan addresses as 各镇办、区政府各工作部门 (ALL in the responsibility table;
# the ones that file a work plan).
PLAN_UNIT_KINDS = ("department", "subdistrict", "town")

code_validator = RegexValidator(r"^[A-Z0-9][A-Z0-9_-]{0,31}$", "单位代码只能由大写字母、数字、- 和 _ 组成,最长 32 位")


class UnitQuerySet(ScopedQuerySet):
    unit_path_lookup = "path"

    def active(self):
        return self.filter(active=True)

    def demonstration_key(self):
        return self.filter(demonstration_key_unit=True)


class Unit(VersionedModel):
    """A body of the district (or a 股室 under one). Names are data: a district may rename them."""

    code = models.CharField("单位代码", max_length=32, unique=True, validators=[code_validator])
    name = models.CharField("单位名称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True)
    kind = models.CharField("类别", max_length=20, choices=UNIT_KIND_CHOICES)
    demonstration_key_unit = models.BooleanField("示范重点单位", default=False)
    note = models.TextField("说明", blank=True)
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path ("/GOV/D01/") so a subtree is one indexed prefix filter.
    path = models.CharField("路径", max_length=500, unique=True, blank=True, editable=False)
    depth = models.PositiveSmallIntegerField("层级", default=0, editable=False)
    sort_order = models.PositiveIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)

    history = history()
    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["sort_order", "code"]
        indexes = [
            models.Index(fields=["path"], name="org_unit_path_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["sort_order", "code"], name="org_unit_order"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def build_path(self) -> str:
        return f"{self.parent.path if self.parent_id else '/'}{self.code}/"

    def save(self, *args, **kwargs):
        # The path is derived from the parent; keep the subtree's paths in step when it moves.
        old_path = self.path
        self.path = self.build_path()
        self.depth = self.path.count("/") - 2
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            for child in self.children.all():
                child.save()


class User(AbstractUser):
    """A person who signs in. What they may see and do comes from their role grants."""

    phone = models.CharField("电话", max_length=32, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class RoleGrantQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class RoleGrant(models.Model):
    """A role held by a user on a unit. Revoked with a reason, never deleted."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.PROTECT, related_name="role_grants")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="role_grants")
    role = models.CharField("角色", max_length=20, choices=ROLE_CHOICES)
    granted_at = models.DateTimeField("授予时间", auto_now_add=True)
    granted_by = models.ForeignKey(
        User, verbose_name="授予人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoke_reason = models.TextField("撤销原因", blank=True)

    history = history()
    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        verbose_name = "角色授权"
        verbose_name_plural = "角色授权"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"], condition=Q(revoked_at__isnull=True), name="org_rolegrant_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {ROLE_LABELS.get(self.role, self.role)}"


class KeyArea(models.Model):
    """One of the plan's 12 key areas of enforcement and supervision (工作方案 五(五): 国土资源、公共卫生 …).
    Loaded from org/data/key_areas.csv by a migration; names are data the office may rename."""

    code = models.CharField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=40)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)

    history = history()

    class Meta:
        verbose_name = "重点领域"
        verbose_name_plural = "重点领域"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

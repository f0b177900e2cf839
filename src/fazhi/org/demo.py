"""Demo units, sub-units and users. Only the demo loader calls this, never a migration."""

from django.db import transaction

from fazhi.core.scoping import INSPECTOR, LEADER, OFFICE, UNIT_ADMIN, UNIT_STAFF
from fazhi.org.models import Unit, User
from fazhi.org.services import key_areas_load, role_grant, unit_upsert, units_load_bundled

DEMO_PASSWORD = "fazhi-demo-2026"

# A few 股室 so the tree and sub-unit scoping show in the demo.
DEMO_SECTIONS = [
    ("D01-FZ", "城管局政策法规股", "法规股", "D01"),
    ("D01-ZD", "城管执法大队", "执法大队", "D01"),
    ("D03-FZ", "司法局法制股", "法制股", "D03"),
    ("T05-ZH", "五里镇综合执法办", "综合执法办", "T05"),
]


def _user(username: str, full_name: str, *, superuser: bool = False) -> User:
    user, _ = User.objects.get_or_create(username=username)
    user.first_name = full_name
    user.is_superuser = superuser
    user.is_staff = superuser
    user.is_active = True
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


@transaction.atomic
def load() -> list[tuple[str, str]]:
    """Load (or bring up to date) the demo organisation. Returns (username, description) pairs."""
    units_load_bundled()
    key_areas_load()
    for i, (code, name, short, parent) in enumerate(DEMO_SECTIONS, start=100):
        unit_upsert(code=code, parent_code=parent, name=name, short_name=short, kind="section",
                    demonstration_key_unit=False, note="", sort_order=i)

    logins = []
    admin = _user("admin", "系统管理员", superuser=True)
    logins.append(("admin", "系统管理员"))
    for username, full, unit_code, role, label in [
        ("fzb", "法制办 王主任", "LGO", OFFICE, "法制办(创建办)"),
        ("leader", "区长 李区长", "GOV", LEADER, "领导(只读)"),
        ("inspector", "督查室 赵督查", "DCS", INSPECTOR, "督查"),
    ]:
        role_grant(user=_user(username, full), unit=Unit.objects.get(code=unit_code), role=role, granted_by=admin)
        logins.append((username, label))
    for unit in Unit.objects.filter(demonstration_key_unit=True).order_by("code"):
        username = unit.code.lower()
        role_grant(user=_user(username, f"{unit.display_name} 管理员"), unit=unit, role=UNIT_ADMIN, granted_by=admin)
        logins.append((username, f"{unit.name} 单位管理员"))
    staff = _user("d01-zd", "城管执法大队 工作人员")
    role_grant(user=staff, unit=Unit.objects.get(code="D01-ZD"), role=UNIT_STAFF, granted_by=admin)
    logins.append(("d01-zd", "城管执法大队(城管局股室)工作人员"))
    return logins

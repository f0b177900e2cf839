from django.core.management import call_command

from fazhi.core.models import Event
from fazhi.org.models import RoleGrant, Unit, User


def test_demo_loads_the_plan_units_and_users(world):
    assert Unit.objects.exclude(kind="section").count() == 33
    assert Unit.objects.filter(demonstration_key_unit=True).count() == 27
    for name in ["fzb", "leader", "inspector", "d01", "d12", "t01", "t15"]:
        user = User.objects.get(username=name)
        assert user.check_password("fazhi-demo-2026")
    assert RoleGrant.objects.get(user__username="t15").unit.code == "T15"


def test_demo_twice_duplicates_nothing(world, capsys):
    counts = (Unit.objects.count(), User.objects.count(), RoleGrant.objects.count(), Event.objects.count(),
              Unit.history.count())
    call_command("demo")
    out = capsys.readouterr().out
    assert "fazhi-demo-2026" in out and "d01" in out and "fzb" in out
    assert (Unit.objects.count(), User.objects.count(), RoleGrant.objects.count(), Event.objects.count(),
            Unit.history.count()) == counts


def test_migrations_create_no_users(db):
    assert not User.objects.exists()
    assert not Unit.objects.exists()

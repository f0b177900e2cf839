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


def test_demo_twice_duplicates_nothing(db, capsys):
    from fazhi.core.models import Attachment
    from fazhi.programme.models import Assignment, Programme, ProgressReport, Task, WorkPlanFiling

    def counts():
        return [m.objects.count() for m in (Unit, User, RoleGrant, Event, Programme, Task, Assignment,
                                            ProgressReport, WorkPlanFiling, Attachment)] + [Unit.history.count()]

    call_command("demo")
    out = capsys.readouterr().out
    assert "fazhi-demo-2026" in out and "d01" in out and "fzb" in out
    # the printed tracking number and query code open the replied suggestion on the public query page
    import re

    from fazhi.portal import services as portal_services

    number, code = re.search(r"受理编号 (\S+) 查询码 (\S+)", out).groups()
    assert portal_services.submission_lookup(tracking_no=number, code=code, ip="203.0.113.9").reply_published
    first = counts()
    assert first[6] > 300  # the responsibility table's assignments
    call_command("demo")
    assert counts() == first


def test_migrations_create_no_users(db):
    assert not User.objects.exists()
    assert not Unit.objects.exists()

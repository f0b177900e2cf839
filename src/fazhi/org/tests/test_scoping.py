import pytest

from fazhi.core.scoping import scope_for
from fazhi.org.models import Unit
from fazhi.org.services import role_grant, unit_upsert


def visible_codes(world, username):
    return set(Unit.objects.visible_to(world.user(username)).values_list("code", flat=True))


@pytest.mark.parametrize("username", ["fzb", "leader", "inspector", "admin"])
def test_office_leader_inspector_and_sysadmin_see_every_unit(world, username):
    assert visible_codes(world, username) == set(Unit.objects.values_list("code", flat=True))


def test_unit_admin_sees_own_unit_and_its_sections_only(world):
    assert visible_codes(world, "d01") == {"D01", "D01-FZ", "D01-ZD"}
    assert visible_codes(world, "t05") == {"T05", "T05-ZH"}


def test_section_staff_see_their_section_not_the_parent(world):
    assert visible_codes(world, "d01-zd") == {"D01-ZD"}


def test_user_without_role_sees_nothing(world):
    assert visible_codes(world, "nobody") == set()


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Unit.objects.visible_to(AnonymousUser()).exists()


def test_revoked_role_no_longer_scopes(world):
    from fazhi.org.models import RoleGrant
    from fazhi.org.services import role_revoke

    grant = RoleGrant.objects.get(user__username="d02")
    role_revoke(grant=grant, actor=world.user("fzb"), reason="调离")
    assert visible_codes(world, "d02") == set()


def test_two_unit_roles_add_up(world):
    user = world.user("d01")
    role_grant(user=user, unit=world.unit("T01"), role="unit_staff")
    assert visible_codes(world, "d01") == {"D01", "D01-FZ", "D01-ZD", "T01"}


def test_code_prefix_is_not_a_subtree(world):
    # D01 must not see a unit whose code merely starts with "D01" (D010 is a sibling, not a child).
    unit_upsert(code="D010", parent_code="GOV", name="另一个局", short_name="", kind="department",
                demonstration_key_unit=False, note="", sort_order=999)
    assert "D010" not in visible_codes(world, "d01")


def test_moving_a_unit_moves_its_subtree_and_its_scope(world):
    zd = world.unit("D01-ZD")
    zd.parent = world.unit("D03")
    zd.save()
    assert world.unit("D01-ZD").path == "/GOV/D03/D01-ZD/"
    assert "D01-ZD" in visible_codes(world, "d03")
    assert "D01-ZD" not in visible_codes(world, "d01")


def test_scope_is_computed_once_per_user_object(world, django_assert_num_queries):
    user = world.user("d01")
    with django_assert_num_queries(1):
        scope_for(user)
        scope_for(user)

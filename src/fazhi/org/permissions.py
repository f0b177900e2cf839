"""Who may change units and roles. Leaders read everything and edit nothing."""

from fazhi.core.scoping import scope_for


def can_edit_unit(user, unit) -> bool:
    return scope_for(user).is_office

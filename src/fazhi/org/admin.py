from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from fazhi.org.models import RoleGrant, Unit, User


class NoDeleteMixin:
    """Business records are voided or deactivated with a reason, never deleted."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Unit)
class UnitAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "demonstration_key_unit", "parent", "active"]
    list_filter = ["kind", "demonstration_key_unit", "active"]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["parent"]


@admin.register(RoleGrant)
class RoleGrantAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["user", "unit", "role", "granted_at", "revoked_at"]
    list_filter = ["role"]
    list_select_related = ["user", "unit"]
    autocomplete_fields = ["user", "unit"]


@admin.register(User)
class UserAdmin(NoDeleteMixin, BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (("联系方式", {"fields": ["phone"]}),)

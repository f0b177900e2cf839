import django_filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.core.api import ScopedReadOnlyViewSet
from fazhi.core.filters import FilterError, FilterSet, StrictBooleanFilter, UnitCodeFilter, visible_unit_path
from fazhi.core.scoping import ROLE_LABELS, scope_for
from fazhi.org.models import UNIT_KIND_CHOICES, RoleGrant, Unit


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Unit
        fields = ["code", "name", "short_name", "kind", "kind_display", "demonstration_key_unit", "parent", "depth", "active", "version"]


class UnitFilter(FilterSet):
    kind = django_filters.ChoiceFilter(choices=UNIT_KIND_CHOICES, label="类别")
    demonstration_key_unit = StrictBooleanFilter(label="示范重点单位")
    parent = UnitCodeFilter(label="上级单位代码", method="filter_parent")

    def filter_parent(self, queryset, name, value):
        if value:
            try:
                visible_unit_path(self.request.user, value)
            except FilterError as e:
                raise ValidationError({"parent": [str(e)]}) from None
        return queryset.filter(parent__code=value) if value else queryset

    class Meta:
        model = Unit
        fields = ["kind", "demonstration_key_unit", "parent"]


class UnitViewSet(ScopedReadOnlyViewSet):
    """Units the caller may see (unit staff: their unit and its sub-units)."""

    queryset = Unit.objects.filter(active=True)
    serializer_class = UnitSerializer
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z0-9_-]{1,32}"
    filterset_class = UnitFilter

    def base_queryset(self):
        return Unit.objects.filter(active=True).select_related("parent").order_by("sort_order", "code")


class RoleSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    role_display = serializers.CharField(source="get_role_display")

    class Meta:
        model = RoleGrant
        fields = ["role", "role_display", "unit"]


class MeView(APIView):
    """The caller: user, roles (each on a unit) and the units they may see."""

    permission_classes = [IsAuthenticated]  # a user without roles may still ask who they are

    @extend_schema(responses=inline_serializer("Me", {
        "username": serializers.CharField(),
        "display_name": serializers.CharField(),
        "is_sysadmin": serializers.BooleanField(),
        "all_units": serializers.BooleanField(),
        "roles": RoleSerializer(many=True),
        "units": serializers.ListField(child=serializers.CharField()),
    }))
    def get(self, request):
        user = request.user
        scope = scope_for(user)
        grants = RoleGrant.objects.active().filter(user=user).select_related("unit").order_by("role")
        return Response({
            "username": user.username,
            "display_name": user.display_name,
            "is_sysadmin": scope.is_sysadmin,
            "all_units": scope.all_units,
            "roles": RoleSerializer(grants, many=True).data,
            "role_labels": [ROLE_LABELS[g.role] for g in grants],
            "units": sorted({g.unit.code for g in grants}),
        })

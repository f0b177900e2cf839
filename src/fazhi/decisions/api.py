"""API of major decisions: /api/v1/decisions/ (each with its procedure's `steps`; POST {id}/steps/ acts on one
through procedures.actions) and /api/v1/decision-catalogues/. Every queryset through the scoping."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from fazhi.core.api import ScopedReadOnlyViewSet
from fazhi.core.filters import UNIT_CODE_PATTERN, FilterError, clean_unit_code, visible_unit_path
from fazhi.decisions import models as m
from fazhi.decisions import selectors
from fazhi.decisions.actions import STEP_ACTIONS
from fazhi.procedures.api import StepActionsMixin, StepsField


class FlagsSerializer(serializers.Serializer):
    professional = serializers.BooleanField(help_text="专业性、技术性较强:须专家论证")
    stability = serializers.BooleanField(help_text="涉及社会稳定:须风险评估")
    hearing = serializers.BooleanField(help_text="拟举行听证")


class DecisionSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True, help_text="承办单位代码")
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    year = serializers.IntegerField(source="catalogue.year", read_only=True, help_text="目录年度")
    status_label = serializers.CharField(read_only=True)
    flags = serializers.SerializerMethodField(help_text="目录标明的情形(相应条件性步骤必须办理)")
    steps = StepsField()

    class Meta:
        model = m.Decision
        fields = ["id", "year", "seq", "title", "summary", "unit", "unit_name", "maker", "maker_head", "planned",
                  "flags", "status", "status_label", "legality_sent_on", "legality_reply_by", "hearing_on",
                  "hearing_materials_on", "meeting", "meeting_on", "conclusion", "published_on",
                  "publication_channel", "version", "steps"]

    @extend_schema_field(FlagsSerializer)
    def get_flags(self, d) -> dict:
        return {"professional": d.professional, "stability": d.stability, "hearing": d.hearing}


DECISION_PARAMS = [
    OpenApiParameter("year", {"type": "string", "pattern": r"^(\d{4})?$"}, description="目录年度,如 2026"),
    OpenApiParameter("unit", {"type": "string", "pattern": UNIT_CODE_PATTERN},
                     description="承办单位代码(含下级单位);须为您可查看的单位,否则 400"),
    OpenApiParameter("status", OpenApiTypes.STR, enum=["", *(s for s, _ in m.STATUSES)], description="状态"),
]


class DecisionViewSet(StepActionsMixin, ScopedReadOnlyViewSet):
    """Major decisions the caller may see (a unit: those it leads), by year and sequence, each with its
    procedure `steps`. POST {id}/steps/: `consult` (counts once the public consultation is over and every
    opinion answered), `hearing` (+ `materials_on`, at least 7 days before the hearing = `date`),
    `legality_submit` (+ `reply_by`, not before 7 working days), `legality_review` (office; outcome
    lawful / lawful_amend / unlawful), `decide` (+ `meeting`, `conclusion`, minutes as files; outcome
    approve / approve_amend / defer / reject), `publish` (+ `channel`, `text`), `implement`, `evaluate`.
    A conditional step flagged in the catalogue may not be 不适用 (400 on not_applicable)."""

    queryset = m.Decision.objects.all()
    serializer_class = DecisionSerializer
    step_actions = STEP_ACTIONS
    filter_backends = []

    def base_queryset(self):
        return m.Decision.objects.select_related("unit", "catalogue").order_by("catalogue__year", "seq", "id")

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action != "list":
            return qs
        params = self.request.query_params
        errors = {}
        year = params.get("year", "")
        if year:
            if year.isascii() and year.isdigit() and len(year) == 4:
                qs = qs.filter(catalogue__year=int(year))
            else:
                errors["year"] = ["应为四位年份,如 2026"]
        try:
            code = clean_unit_code(params.get("unit", ""))
            if code:
                qs = qs.in_subtree(visible_unit_path(self.request.user, code))
        except FilterError as e:
            errors["unit"] = [str(e)]
        status = params.get("status", "")
        if status:
            if status in m.STATUS_LABELS:
                qs = qs.filter(status=status)
            else:
                errors["status"] = [f"应为 {'、'.join(m.STATUS_LABELS)} 之一"]
        if errors:
            raise ValidationError(errors)
        return qs

    @extend_schema(parameters=DECISION_PARAMS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class CatalogueSerializer(serializers.ModelSerializer):
    items = serializers.SerializerMethodField(help_text="目录中(未调出)的、调用者可查看的事项数")

    class Meta:
        model = m.Catalogue
        fields = ["id", "year", "title", "status", "published_on", "note", "items", "version"]

    def get_items(self, c) -> int:
        return self.context.get("counts", {}).get(c.pk, 0)


class CatalogueViewSet(ScopedReadOnlyViewSet):
    """The yearly catalogues (年度重大行政决策事项目录); the items are /api/v1/decisions/?year=."""

    queryset = m.Catalogue.objects.all()
    serializer_class = CatalogueSerializer
    filter_backends = []

    def base_queryset(self):
        return m.Catalogue.objects.order_by("-year")

    def get_serializer_context(self):
        from django.db.models import Count

        counts = dict(selectors.decisions(user=self.request.user).exclude(status=m.REMOVED)
                      .order_by().values_list("catalogue").annotate(n=Count("id")).values_list("catalogue", "n"))
        return {**super().get_serializer_context(), "counts": counts}

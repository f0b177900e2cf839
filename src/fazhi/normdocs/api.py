"""API of normative documents: documents, filings and cleanups, each with its steps through the procedure
mechanism (procedures.api.StepActionsMixin: POST …/{id}/steps/). Every queryset through the scoping."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers

from fazhi.core.api import ScopedReadOnlyViewSet
from fazhi.core.filters import NO_CONTROL_PATTERN, UNIT_CODE_PATTERN
from fazhi.deadlines.api import ClocksField, ClocksMixin
from fazhi.normdocs import rules, selectors, services, steps
from fazhi.normdocs.models import FILING_STATES, STATUSES, CleanupCampaign, Filing, NormativeDocument
from fazhi.procedures.api import StepActionsMixin, StepsField


class DocumentSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status = serializers.SerializerMethodField(help_text="起草中 drafting、有效 in_force、已修改 amended、已废止 repealed、"
                                                         "失效 expired、停止执行 suspended(有效期届满即为 expired)")
    status_label = serializers.SerializerMethodField(help_text="状态的中文;公布而未报备的为「未经备案审查」")
    steps = StepsField()
    clocks = ClocksField()
    published = serializers.DateField(source="published_on", read_only=True, allow_null=True, help_text="公布日期")
    filed = serializers.BooleanField(read_only=True, help_text="是否已报送备案")
    legal_effect = serializers.SerializerMethodField(help_text="false:未公布、未经备案审查(未报备或退回补正)或已不再有效")

    class Meta:
        model = NormativeDocument
        fields = ["id", "unit", "unit_name", "title", "status", "status_label", "stage", "public_interest",
                  "business_related", "number", "published", "channel", "valid_until", "filing_due", "filed",
                  "filed_on", "filing_state", "legal_effect", "steps", "clocks", "version"]

    def get_status(self, d) -> str:
        return rules.display_status(d)

    def get_status_label(self, d) -> str:
        return rules.status_label(d)

    def get_legal_effect(self, d) -> bool:
        return rules.legal_effect(d)


DOCUMENT_PARAMS = [
    OpenApiParameter("q", {"type": "string", "maxLength": 100, "pattern": NO_CONTROL_PATTERN},
                     description="文件名称或文号包含"),
    OpenApiParameter("unit", {"type": "string", "pattern": UNIT_CODE_PATTERN},
                     description="单位代码(含下级单位);须为您可查看的单位,否则 400"),
    OpenApiParameter("status", OpenApiTypes.STR, enum=[s for s, _ in STATUSES]),
    OpenApiParameter("year", {"type": "string", "pattern": r"^\d{4}$"}, description="公布年份,如 2026"),
]


@extend_schema_view(list=extend_schema(parameters=DOCUMENT_PARAMS))
class DocumentViewSet(ClocksMixin, StepActionsMixin, ScopedReadOnlyViewSet):
    """Normative documents (a unit sees its own; the office all), each with its procedure's steps."""

    queryset = NormativeDocument.objects.all()
    serializer_class = DocumentSerializer
    step_actions = steps.DOCUMENT
    filter_backends = []

    def base_queryset(self):
        return NormativeDocument.objects.select_related("unit").order_by("-published_on", "-id")

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        filters = selectors.DocumentFilters.parse(self.request.query_params)
        return filters.apply(queryset, user=self.request.user)

    def get_procedure_run(self, obj):
        return services.document_run(obj)


class FilingSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    document = serializers.IntegerField(source="document_id", read_only=True)
    title = serializers.CharField(source="document.title", read_only=True)
    number = serializers.CharField(source="document.number", read_only=True)
    status = serializers.CharField(source="state", read_only=True, help_text="pending 待审查、returned 退回补正、lawful 合法、"
                                                                              "problem 存在问题、corrected 已纠正")
    filing_due = serializers.DateField(source="document.filing_due", read_only=True)
    on_time = serializers.SerializerMethodField()
    steps = StepsField()
    clocks = ClocksField()

    class Meta:
        model = Filing
        fields = ["id", "unit", "document", "title", "number", "status", "filed_on", "filing_due", "on_time",
                  "refiled_on", "returned_count", "problem_kinds", "review_note", "suggestion", "correction",
                  "correction_due", "corrected_on", "steps", "clocks", "version"]

    def get_on_time(self, f) -> bool:
        return bool(rules.filed_on_time(f.document))


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("state", OpenApiTypes.STR, enum=[s for s, _ in FILING_STATES if s])]))
class FilingViewSet(ClocksMixin, StepActionsMixin, ScopedReadOnlyViewSet):
    """Filings (报备) and their review (备案审查). Steps: submit (补正后重新报送, multipart: report, text,
    explanation, legality), review (outcome lawful/problem/return; problem_kinds), opinion (correction,
    suggestion), correct, confirm."""

    queryset = Filing.objects.all()
    serializer_class = FilingSerializer
    step_actions = steps.FILING
    filter_backends = []

    def base_queryset(self):
        return Filing.objects.select_related("unit", "document").order_by("-filed_on", "-id")

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        from fazhi.core.errors import InvalidInput

        state = self.request.query_params.get("state", "")
        if state and state not in dict(FILING_STATES):
            raise InvalidInput(f"「state」{state[:20]} 无效,可选:{'、'.join(s for s, _ in FILING_STATES if s)}",
                               field="state")
        return queryset.filter(state=state) if state else queryset

    def get_procedure_run(self, obj):
        return services.filing_run(obj)


class CampaignSerializer(serializers.ModelSerializer):
    unit = serializers.SerializerMethodField(help_text="清理由法制办组织,为空")
    items = serializers.SerializerMethodField(help_text="清理事项数")
    undecided = serializers.SerializerMethodField(help_text="尚未提出清理意见的事项数")
    steps = StepsField()

    class Meta:
        model = CleanupCampaign
        fields = ["id", "unit", "title", "as_of", "status", "closed_on", "items", "undecided", "steps", "version"]

    def get_unit(self, c) -> str | None:
        return None

    def get_items(self, c) -> int:
        n = getattr(c, "n_items", None)
        return c.items.count() if n is None else n

    def get_undecided(self, c) -> int:
        n = getattr(c, "n_open", None)
        return c.items.filter(decision="").count() if n is None else n


class CampaignViewSet(StepActionsMixin, ScopedReadOnlyViewSet):
    """Cleanup campaigns (清理); steps review (every item decided) and publish (closes, applies, publishes)."""

    queryset = CleanupCampaign.objects.all()
    serializer_class = CampaignSerializer
    step_actions = steps.CLEANUP
    filter_backends = []

    def base_queryset(self):
        from django.db.models import Count, Q

        return CleanupCampaign.objects.annotate(n_items=Count("items"),
                                                n_open=Count("items", filter=Q(items__decision=""))).order_by("-as_of", "-id")

    def get_procedure_run(self, obj):
        return services.cleanup_run(obj)

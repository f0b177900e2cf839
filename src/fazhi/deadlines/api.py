from datetime import date

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.core.api import ScopedViewSetMixin, StrictJSONMixin
from fazhi.core.errors import InvalidInput, NotAllowed
from fazhi.deadlines import services
from fazhi.deadlines.catalogue import RULES
from fazhi.deadlines.engine import MAX_PAUSES, InvalidClock, parse_pause
from fazhi.deadlines.models import CalendarDay, CalendarYear, RuleSetting

ComputationSchema = inline_serializer("DeadlineComputation", {
    "rule": serializers.CharField(),
    "rule_name": serializers.CharField(),
    "start": serializers.DateField(),
    "due": serializers.DateField(),
    "provisional": serializers.BooleanField(),
    "basis": serializers.CharField(),
    "period": serializers.IntegerField(),
    "mode": serializers.CharField(),
    "explanation": serializers.ListField(child=serializers.CharField()),
    "pauses": serializers.ListField(child=inline_serializer("DeadlinePause", {
        "from": serializers.DateField(), "to": serializers.DateField()})),
    "extend": serializers.IntegerField(help_text="延长的日数(或工作日数),未延长为 0"),
    "original_due": serializers.DateField(allow_null=True, help_text="延长前的届满日,未延长为 null"),
})


START_YEARS = (1900, 2200)
START_PATTERN = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-[0-9]{2}-[0-9]{2}$"  # START_YEARS, for the schema


class ComputeQuery(serializers.Serializer):
    rule = serializers.ChoiceField(choices=sorted(RULES), label="规则",
                                   error_messages={"invalid_choice": "未知的期限规则「{input}」"})
    start = serializers.DateField(label="起算日", input_formats=["%Y-%m-%d"],
                                  error_messages={"invalid": "日期格式错误,请使用 YYYY-MM-DD"})

    pause = serializers.ListField(child=serializers.CharField(), required=False, max_length=MAX_PAUSES, label="中止期间",
                                  error_messages={"max_length": f"中止最多 {MAX_PAUSES} 段"})
    extend = serializers.IntegerField(required=False, min_value=1, max_value=3650, label="延长",
                                      error_messages={"invalid": "延长应为正整数(日数)",
                                                      "min_value": "延长应为正整数(日数)",
                                                      "max_value": "延长不得超过 3650"})

    def validate_pause(self, value: list[str]):
        try:
            return tuple(parse_pause(p) for p in value)
        except InvalidClock as e:
            raise serializers.ValidationError(str(e)) from None

    def validate_start(self, value: date):
        if not START_YEARS[0] <= value.year <= START_YEARS[1]:
            raise serializers.ValidationError(f"起算日应在 {START_YEARS[0]} 至 {START_YEARS[1]} 年之间")
        return value


class DeadlineComputeView(APIView):
    """Compute a legal deadline with the calendar and settings in force, with its explanation."""

    @extend_schema(parameters=[
        OpenApiParameter("rule", OpenApiTypes.STR, required=True, enum=sorted(RULES), description="规则编号"),
        OpenApiParameter("start", OpenApiTypes.DATE, required=True, pattern=START_PATTERN,
                         description=f"起算日 YYYY-MM-DD,{START_YEARS[0]} 至 {START_YEARS[1]} 年"),
        OpenApiParameter("pause", OpenApiTypes.STR, many=True, explode=True, pattern=r"^\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}$",
                         description=f"中止期间 FROM/TO(起止两日均不计入期间),可重复,最多 {MAX_PAUSES} 段;"
                                     "不得早于起算日、不得晚于届满日、不得重叠"),
        OpenApiParameter("extend", {"type": "integer", "minimum": 1, "maximum": 3650}, description="经批准延长的日数(或工作日数),自原届满日起算;"
                         "仅可延长的规则(如 reconsideration.decide),不超过其最长延长期限"),
    ], responses=ComputationSchema)
    def get(self, request):
        query = ComputeQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        try:
            result = services.deadline_compute(data["rule"], data["start"], pauses=data.get("pause", ()),
                                               extend=data.get("extend"))
        except InvalidInput as e:  # a pause or extension the rule refuses: same form as the parameters' errors
            raise serializers.ValidationError({e.field or "non_field_errors": [e.message]}) from e
        return Response(result.as_dict())


class RuleSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    trigger = serializers.CharField()
    act = serializers.CharField()
    period = serializers.IntegerField()
    default_period = serializers.IntegerField()
    mode = serializers.CharField()
    basis = serializers.CharField()
    configurable = serializers.BooleanField()


class RuleListView(APIView):
    """The catalogue of legal periods, with the office's setting for configurable ones."""

    @extend_schema(responses=RuleSerializer(many=True))
    def get(self, request):
        settings_by_rule = dict(RuleSetting.objects.values_list("rule_id", "period"))
        rows = [
            {"id": r.id, "name": r.name, "trigger": r.trigger, "act": r.act, "period": settings_by_rule.get(r.id, r.period),
             "default_period": r.period, "mode": r.mode, "basis": r.basis, "configurable": r.configurable}
            for r in RULES.values()
        ]
        return Response(RuleSerializer(rows, many=True).data)


class CalendarDaySerializer(StrictJSONMixin, serializers.ModelSerializer):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name"]


class CalendarYearSerializer(StrictJSONMixin, serializers.ModelSerializer):
    days = CalendarDaySerializer(many=True)
    entered_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = CalendarYear
        fields = ["id", "year", "source", "days", "entered_by", "entered_at", "voided_at", "void_reason", "version"]
        read_only_fields = ["entered_by", "entered_at", "voided_at", "void_reason", "version"]
        # The service's limits, so the schema states them too.
        extra_kwargs = {"year": {"min_value": services.ARRANGEMENT_YEARS[0], "max_value": services.ARRANGEMENT_YEARS[1]}}


class VoidSerializer(StrictJSONMixin, serializers.Serializer):
    reason = serializers.CharField(label="作废原因", max_length=1000)
    version = serializers.IntegerField(label="版本", min_value=0, max_value=2**31 - 1)


class CalendarYearViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Yearly holiday arrangements the office enters (years `chinesecalendar` does not cover).
    Entering one recomputes every open deadline that touched the year."""

    queryset = CalendarYear.objects.all()
    serializer_class = CalendarYearSerializer
    def base_queryset(self):
        return CalendarYear.objects.select_related("entered_by").prefetch_related("days").order_by("-year", "-id")

    def _require_office(self):
        # Refuse before validating the body; the services enforce the same rule.
        if not services.can_maintain_calendar(self.request.user):
            raise NotAllowed("只有法制办可以维护放假安排")

    def create(self, request, *args, **kwargs):
        self._require_office()
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        arrangement, changed = services.arrangement_enter(
            year=ser.validated_data["year"], source=ser.validated_data["source"],
            days=ser.validated_data["days"], actor=request.user)
        data = self.get_serializer(self.base_queryset().get(pk=arrangement.pk)).data
        return Response({**data, "recomputed": changed}, status=201)

    @extend_schema(request=VoidSerializer, responses={200: inline_serializer("VoidResult", {"recomputed": serializers.IntegerField()})})
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        self._require_office()
        arrangement = self.get_object()
        ser = VoidSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        changed = services.arrangement_void(arrangement=arrangement, actor=request.user,
                                            reason=ser.validated_data["reason"],
                                            expected_version=ser.validated_data["version"])
        return Response({"recomputed": changed})


class WorkItemSerializer(serializers.Serializer):
    record_type = serializers.CharField(help_text="记录类型,如 programme.assignment、programme.workplan,或期限所在记录的模型")
    type_label = serializers.CharField(help_text="类型(中文)")
    record_id = serializers.CharField(help_text="记录编号(工作方案备案为单位代码)")
    url = serializers.CharField(allow_null=True, help_text="记录页面的链接,没有页面时为 null")
    unit = serializers.CharField(source="unit.code", help_text="单位代码")
    unit_name = serializers.CharField(source="unit.display_name")
    title = serializers.CharField()
    due = serializers.DateField(allow_null=True, help_text="期限届满日;暂停中(中止)的期限为 null")
    state = serializers.CharField(help_text="open、paused(暂停中)、not_started、in_progress、returned、unfiled")
    state_label = serializers.CharField()
    level = serializers.ChoiceField(choices=["red", "yellow", ""], help_text="red 逾期, yellow 临期, 空为正常")


class WorkListView(APIView):
    """Everything the caller's units owe, from every module, by due date (deadlines/worklist.py):
    open assignments, work-plan filings owed and every open stored clock; scoped and paginated."""

    @extend_schema(parameters=[
        OpenApiParameter("unit", {"type": "string", "pattern": r"^[A-Za-z0-9_-]{0,32}$"}, allow_blank=True,
                         description="单位代码(含下级单位);须为您可查看的单位;留空为全部"),
        OpenApiParameter("state", OpenApiTypes.STR, enum=["open", "overdue", "due_soon", ""], allow_blank=True,
                         description="open 全部待办(默认), overdue 逾期, due_soon 临期(期限前 FAZHI_WARNING_DAYS 日内)"),
    ], responses=inline_serializer("PaginatedWorkItemList", {
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": WorkItemSerializer(many=True),
    }))
    def get(self, request):
        from django.utils import timezone

        from fazhi.core.drf import Pagination
        from fazhi.core.pagination import KnownCountPaginator
        from fazhi.deadlines import worklist

        today = timezone.localdate()
        _, path, state, errors = worklist.parse_filters(request.query_params, request.user)
        if errors:
            raise serializers.ValidationError({k: [v] for k, v in errors.items()})
        total = worklist.worklist_counts(user=request.user, today=today, unit_path=path)[state]
        paginator = Pagination()
        paginator.django_paginator_class = lambda rows, per_page: KnownCountPaginator(rows, per_page, count=total)
        page = paginator.paginate_queryset(worklist.worklist(user=request.user, today=today, unit_path=path, state=state),
                                           request, view=self)
        data = WorkItemSerializer(worklist.items(page, today=today), many=True).data
        return paginator.get_paginated_response(data)

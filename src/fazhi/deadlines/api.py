from datetime import date

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
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
from fazhi.deadlines.selectors import BRIEF_STATES

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


# ------------------------------------------------------------------ one stored clock: read and act

class ClockEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["open", "pause", "resume", "restart", "extend", "close"])
    kind_label = serializers.CharField(source="get_kind_display")
    on = serializers.DateField(help_text="行为发生之日")
    days = serializers.IntegerField(allow_null=True, help_text="延长期间(延长时)")
    met = serializers.BooleanField(allow_null=True, help_text="办结为 true, 撤销为 false(办结事件)")
    reason = serializers.CharField()
    approver = serializers.CharField(help_text="批准人(延长时)")
    basis = serializers.CharField(help_text="依据(延长时)")
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None, help_text="录入人,系统记录为 null")
    entered_at = serializers.DateTimeField(help_text="录入时间")


class ExtensionSerializer(serializers.Serializer):
    rule = serializers.CharField(source="rule.id", help_text="给出最长延长期限的规则,如 reconsideration.extend")
    basis = serializers.CharField(source="rule.basis")
    maximum = serializers.IntegerField(help_text="自原届满日起最长延长的日数(或工作日数)")
    used = serializers.IntegerField(help_text="本次起算以来已延长的")
    left = serializers.IntegerField(help_text="尚可延长的")


class ClockSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    record_type = serializers.CharField(help_text="期限所在记录的模型,如 portal.submission")
    record_id = serializers.CharField()
    url = serializers.CharField(allow_null=True, help_text="记录页面的链接,没有页面时为 null")
    unit = serializers.CharField(help_text="单位代码")
    purpose = serializers.CharField(help_text="同一记录上多个期限的区分,如 accept、handle")
    rule = serializers.CharField()
    rule_name = serializers.CharField()
    basis = serializers.CharField()
    start = serializers.DateField()
    due = serializers.DateField(allow_null=True, help_text="届满日;暂停中(中止)为 null(待恢复计算后确定)")
    due_at_least = serializers.DateField(help_text="暂停中时届满日不早于此日;否则同 due")
    state = serializers.ChoiceField(choices=["open", "paused", "met", "cancelled"])
    state_label = serializers.CharField(help_text="进行中、暂停中、已办结(按时/逾期 N 日)、已撤销")
    paused_since = serializers.DateField(allow_null=True)
    closed_on = serializers.DateField(allow_null=True)
    late = serializers.BooleanField(allow_null=True, help_text="办结时是否逾期")
    explanation = serializers.ListField(child=serializers.CharField(), help_text="计算说明(含每段中止、延长、重新起算)")
    extension = ExtensionSerializer(allow_null=True, help_text="可延长的规则:最长期限及已用;不能延长为 null")
    last_event = serializers.IntegerField(help_text="最新事件的 id:操作时作为 last_event 提交,期限已变更则 409")
    actions = serializers.ListField(child=serializers.ChoiceField(choices=["pause", "resume", "restart", "extend"]),
                                    help_text="您现在可以进行的操作")
    events = ClockEventSerializer(many=True, help_text="期限事件(只增不改),按录入先后")


def clock_data(panel) -> dict:
    from django.contrib.contenttypes.models import ContentType

    d = panel.deadline
    ct = ContentType.objects.get_for_id(d.content_type_id)
    return {
        "id": d.pk, "record_type": f"{ct.app_label}.{ct.model}", "record_id": d.object_id, "url": panel.record_url,
        "unit": d.unit.code, "purpose": d.purpose, "rule": d.rule_id,
        "rule_name": panel.rule.name if panel.rule else d.rule_id, "basis": panel.rule.basis if panel.rule else "",
        "start": d.start, "due": None if d.paused_since else d.due, "due_at_least": d.due, "state": d.state,
        "state_label": panel.state_text, "paused_since": d.paused_since, "closed_on": d.closed_on, "late": d.late,
        "explanation": list((d.explanation or {}).get("explanation", [])), "extension": panel.extension,
        "last_event": panel.last_event, "actions": list(panel.actions), "events": panel.events,
    }


LAST_EVENT = serializers.IntegerField(required=False, min_value=0, max_value=2**63 - 1, label="last_event",
                                      help_text="您看到的最新事件 id(GET 返回的 last_event);期限其后已变更则 409,不执行")
ACT_DATE = {"input_formats": ["%Y-%m-%d"], "error_messages": {"invalid": "日期格式错误,请使用 YYYY-MM-DD"}}


class PauseSerializer(StrictJSONMixin, serializers.Serializer):
    on = serializers.DateField(label="中止起始日", help_text="该日起中止计算(含该日),不得早于起算日", **ACT_DATE)
    reason = serializers.CharField(label="中止原因", max_length=1000)
    last_event = LAST_EVENT


class ResumeSerializer(StrictJSONMixin, serializers.Serializer):
    on = serializers.DateField(label="恢复计算之日", help_text="该日起重新计入期限,应晚于中止起始日", **ACT_DATE)
    last_event = LAST_EVENT


class RestartSerializer(StrictJSONMixin, serializers.Serializer):
    on = serializers.DateField(label="重新起算日", help_text="如收到补正材料之日,不得早于当前起算日", **ACT_DATE)
    reason = serializers.CharField(label="重新起算原因", max_length=1000)
    last_event = LAST_EVENT


class ExtendSerializer(StrictJSONMixin, serializers.Serializer):
    days = serializers.IntegerField(label="延长期间", min_value=1, max_value=3650,
                                    help_text="自原届满日起延长的日数(或工作日数),累计不超过规则的最长延长期限")
    approver = serializers.CharField(label="批准人", max_length=60, help_text="批准延长的负责人姓名")
    basis = serializers.CharField(label="依据", max_length=300, help_text="如「行政复议法第六十二条」及批准文书")
    last_event = LAST_EVENT


def _clock(request, pk: int):
    from django.http import Http404

    from fazhi.deadlines import selectors

    deadline = selectors.clock_get(user=request.user, pk=pk)
    if deadline is None:
        raise Http404
    return deadline


def _clock_response(request, deadline):
    from fazhi.deadlines import selectors

    panel = selectors.clock_panels(user=request.user, deadlines=[deadline])[0]
    return Response(ClockSerializer(clock_data(panel)).data)


class ClockDetailView(APIView):
    """One stored clock with its explanation and events (scoped: another unit's clock is 404)."""

    @extend_schema(responses=ClockSerializer, operation_id="deadlines_clock_retrieve")
    def get(self, request, pk: int):
        return _clock_response(request, _clock(request, pk))


class _ClockActView(APIView):
    """Shared by the four acts: the one permission rule (deadlines/rules.py), then the services."""

    action = ""
    serializer = serializers.Serializer

    def post(self, request, pk: int):
        from fazhi.deadlines import rules

        deadline = _clock(request, pk)
        if not rules.may_act(request.user, deadline, self.action):
            raise NotAllowed(rules.act_refusal(self.action))
        kept = rules.kept_by_module(deadline)
        if kept:
            raise NotAllowed(kept)
        ser = self.serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        expected = data.pop("last_event", None)
        try:
            deadline = services.deadline_act(self.action, deadline=deadline, actor=request.user,
                                             expected_last_event=expected, **data)
        except InvalidInput as e:  # the engine's field "extend" is the body's "days"
            if e.field == "extend":
                raise InvalidInput(e.message, field="days") from e
            raise
        return _clock_response(request, deadline)


class ClockPauseView(_ClockActView):
    action, serializer = "pause", PauseSerializer

    @extend_schema(request=PauseSerializer, responses=ClockSerializer, summary="中止期限")
    def post(self, request, pk: int):
        """中止 from `on` (inclusive): no paused day counts. 法制办, or the clock unit's admin or staff."""
        return super().post(request, pk)


class ClockResumeView(_ClockActView):
    action, serializer = "resume", ResumeSerializer

    @extend_schema(request=ResumeSerializer, responses=ClockSerializer, summary="恢复计算")
    def post(self, request, pk: int):
        """恢复计算 from `on`; refused (400, `on`) when the clock is not paused."""
        return super().post(request, pk)


class ClockRestartView(_ClockActView):
    action, serializer = "restart", RestartSerializer

    @extend_schema(request=RestartSerializer, responses=ClockSerializer, summary="重新起算")
    def post(self, request, pk: int):
        """重新起算 from `on` (e.g. receipt of 补正 materials); the old start stays in the events."""
        return super().post(request, pk)


class ClockExtendView(_ClockActView):
    action, serializer = "extend", ExtendSerializer

    @extend_schema(request=ExtendSerializer, responses=ClockSerializer, summary="延长期限")
    def post(self, request, pk: int):
        """延长 by `days` from the original due date, at most the rule's maximum in total (400 on `days` naming the
        rule and its basis). 法制办 or the clock unit's admin enters it, naming the approver and basis."""
        return super().post(request, pk)


# ------------------------------------------------------------------ a record's clocks in brief (every module)


class ClockBriefSerializer(serializers.Serializer):
    """One clock of a record in brief (deadlines.selectors.clock_brief); the full clock is /api/v1/deadlines/{id}/."""

    id = serializers.IntegerField(help_text="期限编号(详情及操作见 /api/v1/deadlines/{id}/)")
    purpose = serializers.CharField(help_text="同一记录上多个期限的区分,如 accept、decide")
    rule = serializers.CharField(help_text="期限规则编号,见 /api/v1/deadlines/rules/")
    rule_name = serializers.CharField()
    basis = serializers.CharField(help_text="法律依据")
    mode = serializers.CharField(help_text="计算方式:days 日、workdays 工作日、months 月等")
    start = serializers.DateField(help_text="起算日(重新起算后为最近一次起算之日)")
    due = serializers.DateField(allow_null=True, help_text="届满日(含批准的延长);中止期间为 null")
    due_at_least = serializers.DateField(help_text="中止期间届满日不早于此日;否则同 due")
    remaining_days = serializers.IntegerField(allow_null=True,
                                              help_text="今天到届满日的自然日数,负数为已逾期日数;中止或已办结为 null")
    overdue = serializers.BooleanField(help_text="进行中且已过届满日")
    paused_days = serializers.IntegerField(help_text="本次起算以来中止(不计入期限)的自然日数,含正在进行的中止至今天")
    extended_days = serializers.IntegerField(help_text="经批准延长的期间(按延长规则的单位,见 extension_mode),未延长为 0")
    extension_mode = serializers.CharField(help_text="延长期间的单位:days 日、workdays 工作日;不能延长的规则为空")
    restarts = serializers.IntegerField(help_text="重新起算的次数(如收到补正材料后重新起算)")
    state = serializers.ChoiceField(choices=list(BRIEF_STATES),
                                    help_text="open 进行中(含中止)、met 按时办结、late 逾期办结、stopped 已终止(撤销)")
    state_label = serializers.CharField()
    paused = serializers.BooleanField(help_text="正在中止")
    paused_since = serializers.DateField(allow_null=True, help_text="正在中止时的中止起始日,否则为 null")
    closed_on = serializers.DateField(allow_null=True, help_text="办结或撤销之日")


CLOCKS_BULK_KEY = "deadline_clocks"


@extend_schema_field(ClockBriefSerializer(many=True))
class ClocksField(serializers.Field):
    """A record's `clocks` (read-only): each clock kept on it, oldest first, in brief. A list uses what
    `ClocksMixin` computed for the whole page; one record asks for its own."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, obj):
        from fazhi.deadlines.selectors import record_clocks_brief

        bulk = self.context.get(CLOCKS_BULK_KEY)
        briefs = bulk[obj.pk] if bulk is not None and obj.pk in bulk else record_clocks_brief(obj)
        return ClockBriefSerializer(briefs, many=True).data


class ClocksMixin:
    """For a (read-only) model viewset whose serializer has a ClocksField: a list computes every record's clocks
    once for the page (clocks_brief_bulk, constant queries). Combines with procedures' StepActionsMixin."""

    def get_serializer(self, *args, **kwargs):
        if kwargs.get("many") and args:
            from fazhi.deadlines.selectors import clocks_brief_bulk

            objs = list(args[0])
            context = kwargs.setdefault("context", self.get_serializer_context())
            context[CLOCKS_BULK_KEY] = clocks_brief_bulk(objs)
            args = (objs, *args[1:])
        return super().get_serializer(*args, **kwargs)

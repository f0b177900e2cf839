"""API of the programme: tasks, assignments (with reports and review), work-plan filings.
Every queryset through the scoping; list totals from the tallies."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.core.converters import MAX_ID
from fazhi.core.api import ScopedReadOnlyViewSet, ScopedViewSetMixin, StrictJSONMixin
from fazhi.core.drf import ErrorSerializer, JSONParser, MultiPartParser, Pagination
from fazhi.core.filters import NO_CONTROL_PATTERN, UNIT_CODE_PATTERN
from fazhi.core.models import Attachment
from fazhi.core.pagination import KnownCountPaginator
from fazhi.procedures.api import StepActionsMixin, StepsField
from fazhi.programme import bulletin, rules, selectors, services
from fazhi.programme.models import (
    ASSIGNMENT_STATUSES, PHASES, Assignment, ProgressReport, Task, WorkPlanFiling,
)


def _programme():
    programme = selectors.current_programme()
    if programme is None:
        raise NotFound("还没有当前的创建周期")
    return programme


class TaskSerializer(serializers.ModelSerializer):
    lead_units = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    due = serializers.CharField(source="due_spec", read_only=True)

    class Meta:
        model = Task
        fields = ["id", "code", "category", "title", "requirement", "lead_units", "responsible_spec", "due",
                  "report_period", "evidence", "version"]


class TaskViewSet(ScopedReadOnlyViewSet):
    """Tasks of the current programme's responsibility table."""

    queryset = Task.objects.all()
    serializer_class = TaskSerializer
    filterset_fields = ["category", "code"]

    def base_queryset(self):
        programme = selectors.current_programme()
        return (Task.objects.filter(programme=programme).active().prefetch_related("lead_units")
                .order_by("code"))


class AssignmentSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    task = serializers.CharField(source="task.code", read_only=True)
    task_title = serializers.CharField(source="task.title", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    overdue = serializers.SerializerMethodField()
    warning = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = ["id", "unit", "unit_name", "task", "task_title", "category", "phase", "is_lead", "status",
                  "status_display", "due", "period_label", "overdue", "warning", "version"]

    def get_overdue(self, a) -> bool:
        return rules.warning_level(status=a.status, due=a.due, today=self.context["today"]) == "red"

    def get_warning(self, a) -> str:
        return rules.warning_level(status=a.status, due=a.due, today=self.context["today"])


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "kind", "size", "sha256", "url"]

    def get_url(self, a) -> str:
        return f"/files/{a.pk}/"


class ReportSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    submitted_by = serializers.CharField(source="submitted_by.username", read_only=True)
    reviewed_by = serializers.CharField(source="reviewed_by.username", read_only=True, allow_null=True, default=None)
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReport
        fields = ["id", "assignment", "unit", "period_label", "text", "status", "submitted_by", "submitted_at",
                  "reviewed_by", "reviewed_at", "review_reason", "evidence", "version"]

    def get_evidence(self, r) -> list[dict]:
        files = self.context.get("files", {}).get(r.pk, [])
        return AttachmentSerializer(files, many=True).data


class ReportCreateSerializer(StrictJSONMixin, serializers.Serializer):
    text = serializers.CharField(label="进展情况", max_length=5000)
    files = serializers.ListField(child=serializers.FileField(), label="佐证材料", allow_empty=False,
                                  error_messages={"empty": "请上传佐证材料(至少一个文件)"})
    version = serializers.IntegerField(label="版本", min_value=0, max_value=2**31 - 1)


class ReviewSerializer(StrictJSONMixin, serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accept", "return"], label="审核")
    reason = serializers.CharField(label="理由", required=False, allow_blank=True, max_length=2000, default="")
    version = serializers.IntegerField(label="版本", min_value=0, max_value=2**31 - 1, required=False)


# Validated by selectors.TableFilters, the same rule as the table page and its export.
ASSIGNMENT_PARAMS = [
    OpenApiParameter("unit", {"type": "string", "pattern": UNIT_CODE_PATTERN},
                     description="单位代码(含下级单位);须为您可查看的单位,否则 400"),
    OpenApiParameter("category", {"type": "string", "maxLength": 40, "pattern": NO_CONTROL_PATTERN},
                     description="类别;须为当前创建周期已有的类别,否则 400"),
    OpenApiParameter("status", OpenApiTypes.STR, enum=[s for s, _ in ASSIGNMENT_STATUSES]),
    OpenApiParameter("phase", OpenApiTypes.STR, enum=[p for p, _ in PHASES]),
    OpenApiParameter("overdue", OpenApiTypes.BOOL, description="true: 仅逾期;false: 仅未逾期"),
    OpenApiParameter("due_soon", OpenApiTypes.BOOL, description="true: 仅临期(预警期内、尚未完成);false: 除去临期"),
]


class AssignmentViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Assignments (task × unit) of the current programme. A unit user sees only their units'."""

    queryset = Assignment.objects.all()
    serializer_class = AssignmentSerializer
    filter_backends = []

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def base_queryset(self):
        return Assignment.objects.select_related("unit", "task").order_by("due", "id")

    @extend_schema(parameters=ASSIGNMENT_PARAMS)
    def list(self, request, *args, **kwargs):
        programme = _programme()
        filters = selectors.TableFilters.from_query(request.query_params, user=request.user, programme=programme)
        if filters.errors:
            raise ValidationError({name: [message] for name, message in filters.errors.items()})
        today = timezone.localdate()
        qs, total = selectors.assignment_table(user=request.user, programme=programme, filters=filters, today=today)
        paginator = Pagination()
        paginator.django_paginator_class = lambda object_list, per_page: KnownCountPaginator(object_list, per_page, count=total)
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(methods=["get"], responses=ReportSerializer(many=True))
    @extend_schema(methods=["post"], request={"multipart/form-data": ReportCreateSerializer}, responses={201: ReportSerializer})
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, JSONParser])
    def reports(self, request, pk=None):
        assignment = self.get_object()
        if request.method == "POST":
            ser = ReportCreateSerializer(data=request.data)
            ser.is_valid(raise_exception=True)
            report = services.report_submit(assignment=assignment, actor=request.user, text=ser.validated_data["text"],
                                            files=ser.validated_data["files"],
                                            expected_version=ser.validated_data["version"])
            return Response(_report_data(request, [report])[0], status=201)
        page = self.paginate_queryset(assignment.reports.select_related("unit", "submitted_by", "reviewed_by")
                                      .order_by("-submitted_at", "-id"))
        return self.get_paginated_response(_report_data(request, page))


def _report_data(request, reports) -> list:
    files = selectors.report_files(user=request.user, reports=reports)
    return ReportSerializer(reports, many=True, context={"files": files}).data


class ReportViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Progress reports; `?status=submitted` is the office's review queue."""

    queryset = ProgressReport.objects.all()
    serializer_class = ReportSerializer
    filterset_fields = ["status"]

    def base_queryset(self):
        return ProgressReport.objects.select_related("unit", "submitted_by", "reviewed_by").order_by("submitted_at", "id")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(_report_data(request, page))

    def retrieve(self, request, *args, **kwargs):
        return Response(_report_data(request, [self.get_object()])[0])

    @extend_schema(request=ReviewSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Accept, or return with a reason (法制办 only)."""
        report = self.get_object()
        ser = ReviewSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        report = services.report_review(report=report, actor=request.user,
                                        accept=ser.validated_data["decision"] == "accept",
                                        reason=ser.validated_data["reason"],
                                        expected_version=ser.validated_data.get("version"))
        return Response(_report_data(request, [report])[0])

    @extend_schema(operation_id="reports_review_bulk", request=inline_serializer("BulkReview", {
        "reports": serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), min_length=1),
        "decision": serializers.ChoiceField(choices=["accept", "return"]),
        "reason": serializers.CharField(required=False, allow_blank=True)}),
        responses=inline_serializer("BulkReviewResult", {"reviewed": serializers.IntegerField()}))
    @action(detail=False, methods=["post"], url_path="review")
    def review_bulk(self, request):
        """Review many reports at once, all or nothing (法制办 only)."""
        if not isinstance(request.data, dict):
            raise ValidationError({"non_field_errors": ["请求体应为 JSON 对象: {\"reports\": [...], \"decision\": ...}"]})
        ids = request.data.get("reports")
        if not isinstance(ids, list) or not all(
                isinstance(i, int) and not isinstance(i, bool) and 0 < i <= MAX_ID for i in ids):
            raise ValidationError({"reports": ["应为报送编号(正整数)的列表"]})
        ser = ReviewSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        if not rules.can_review(request.user):
            from fazhi.core.errors import NotAllowed

            raise NotAllowed("只有法制办可以审核进展报送")
        n = services.reports_review_bulk(report_ids=ids, actor=request.user,
                                         accept=ser.validated_data["decision"] == "accept",
                                         reason=ser.validated_data["reason"], visible=self.get_queryset())
        return Response({"reviewed": n})


class WorkPlanSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    filed_by = serializers.CharField(source="filed_by.username", read_only=True)
    filed_late = serializers.BooleanField(read_only=True)
    steps = StepsField(code=rules.WORKPLAN_PROCEDURE)

    class Meta:
        model = WorkPlanFiling
        fields = ["id", "unit", "status", "head_name", "head_title", "head_phone", "deputy_name", "deputy_title",
                  "deputy_phone", "staff", "plan_summary", "due", "filed_at", "filed_by", "filed_late",
                  "review_reason", "version", "steps"]


class WorkPlanViewSet(StepActionsMixin, ScopedReadOnlyViewSet):
    """Work organisation and plan filings of the current programme, each with its procedure's `steps`;
    POST {id}/steps/ acts on a step (`file` again with files, `review` with outcome archive/return)."""

    queryset = WorkPlanFiling.objects.all()
    serializer_class = WorkPlanSerializer
    step_actions = services.WORKPLAN_STEP_ACTIONS
    filterset_fields = ["status"]

    def base_queryset(self):
        return (WorkPlanFiling.objects.filter(programme=selectors.current_programme())
                .select_related("unit", "filed_by").order_by("unit__sort_order", "unit__code"))

    @extend_schema(request=ReviewSerializer, responses=WorkPlanSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Archive, or return with a reason (法制办 only): the procedure's step `review`. Refused with 409 and
        `code` procedure.step_missing while the filing step does not count (e.g. returned, not filed again)."""
        filing = self.get_object()
        ser = ReviewSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        filing = services.workplan_review(filing=filing, actor=request.user,
                                          archive=ser.validated_data["decision"] == "accept",
                                          reason=ser.validated_data["reason"],
                                          expected_version=ser.validated_data.get("version"))
        return Response(WorkPlanSerializer(filing).data)


class BulletinView(APIView):
    """The programme 通报 for a period, as a Word (.docx) file in 公文 format; scoped like every read."""

    @extend_schema(parameters=[
        OpenApiParameter("from", OpenApiTypes.DATE, description="起始日期 YYYY-MM-DD(默认创建周期开始日)"),
        OpenApiParameter("to", OpenApiTypes.DATE, description="截止日期 YYYY-MM-DD(默认创建周期结束日)"),
        OpenApiParameter("number", {"type": "string", "pattern": r"^\d{0,4}$"},
                         description="发文字号序号 1–9999(生成〔成文年份〕N号);不填则发文字号留空"),
    ], responses={(200, bulletin.CONTENT_TYPE): OpenApiTypes.BINARY,
                  404: OpenApiResponse(ErrorSerializer, description="还没有当前的创建周期")})
    def get(self, request):
        programme = _programme()
        start, end = bulletin.parse_period(request.query_params, programme)
        return bulletin.response(user=request.user, programme=programme, start=start, end=end,
                                 today=timezone.localdate(), number=bulletin.parse_number(request.query_params))

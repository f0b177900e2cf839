"""API of 行政复议 cases: /api/v1/reconsiderations/ (scoped: a respondent unit sees its own cases), each with its
procedure's `steps` (POST {id}/steps/ through procedures.actions) and the case acts outside the step chain
(POST {id}/correction-received/, withdraw/, suspend/, resume/, extend/, terminate/, schedule-hearing/,
hearing-notice/). Only the office writes,
except the respondent's 答复 step."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from fazhi.core.api import ScopedReadOnlyViewSet, StrictJSONMixin
from fazhi.core.drf import JSONParser
from fazhi.core.errors import InvalidInput, NotAllowed
from fazhi.core.filters import UNIT_CODE_PATTERN
from fazhi.deadlines.api import ClocksField, ClocksMixin
from fazhi.procedures.api import StepActionsMixin, StepsField
from fazhi.remedies.reconsideration import rules, selectors, services, steps
from fazhi.remedies.reconsideration.models import APPLICANT_KINDS, OUTCOMES, STATUSES, Reconsideration


class ReconsiderationPartySerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, help_text="姓名或名称")
    kind = serializers.ChoiceField(choices=APPLICANT_KINDS, help_text="person 自然人、legal 法人、other 其他组织")
    contact = serializers.CharField(max_length=100, allow_blank=True, required=False, help_text="联系方式")


class ReconsiderationCaseSerializer(serializers.ModelSerializer):
    respondent = serializers.CharField(source="unit.code", read_only=True, help_text="被申请人(单位代码)")
    respondent_name = serializers.CharField(source="unit.name", read_only=True)
    applicants = ReconsiderationPartySerializer(many=True, read_only=True)
    third_parties = ReconsiderationPartySerializer(many=True, read_only=True)
    status = serializers.ChoiceField(choices=STATUSES, read_only=True,
                                     help_text="reviewing 审查中、correcting 补正中、hearing 审理中、suspended 中止、decided 已决定、"
                                               "rejected 不予受理、withdrawn 视为撤回、terminated 终止")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)
    late_application = serializers.SerializerMethodField(help_text="申请日期晚于申请期限届满日(第20条):受理时决定")
    steps = StepsField()
    clocks = ClocksField()

    class Meta:
        model = Reconsideration
        fields = ["id", "number", "respondent", "respondent_name", "applicants", "third_parties", "act_name",
                  "act_number", "act_date", "known_on", "apply_due", "late_application", "applied_on", "received_on",
                  "request", "grounds", "status", "status_label", "procedure_kind", "correction_notice_on",
                  "correction_notice_late", "correction_received_on", "accepted_on", "copy_sent_on",
                  "copy_received_on", "reply_on", "hearing_on", "hearing_place", "hearing_notice_on",
                  "hearing_notice_due", "hearing_notice_late", "leader_attended", "leader_name", "leader_post",
                  "leader_absence_reason", "outcome", "outcome_label", "decided_on", "decision_late", "ended_on",
                  "end_reason", "steps", "clocks", "version"]

    def get_late_application(self, c) -> bool:
        return rules.late_application(c)


class ReconsiderationCaseCreateSerializer(StrictJSONMixin, serializers.Serializer):
    respondent = serializers.CharField(max_length=32, help_text="被申请人(区属单位代码,如 D01)")
    applicants = ReconsiderationPartySerializer(many=True, help_text="申请人(至少一人)")
    third_parties = ReconsiderationPartySerializer(many=True, required=False)
    act_name = serializers.CharField(max_length=200, help_text="被申请复议的行政行为")
    act_number = serializers.CharField(max_length=100, required=False, allow_blank=True, help_text="文书号")
    act_date = serializers.DateField(required=False, allow_null=True, help_text="行政行为作出日期")
    known_on = serializers.DateField(required=False, allow_null=True, help_text="申请人知道该行政行为之日(核对申请期限)")
    applied_on = serializers.DateField(help_text="申请日期")
    received_on = serializers.DateField(help_text="收到申请日期(受理审查期限起算)")
    request = serializers.CharField(max_length=5000, help_text="申请请求")
    grounds = serializers.CharField(max_length=20000, help_text="事实和理由")


class _ReconsiderationVersioned(StrictJSONMixin, serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1,
                                       help_text="所见的案件版本号;案件已变更则 409,不执行")


class ReconsiderationOnSerializer(_ReconsiderationVersioned):
    on = serializers.DateField(help_text="日期 YYYY-MM-DD,不晚于今天")


class ReconsiderationNoteSerializer(ReconsiderationOnSerializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ReconsiderationSuspendSerializer(ReconsiderationNoteSerializer):
    reason = serializers.ChoiceField(choices=rules.SUSPEND_REASONS, help_text="中止事由(第39条)")


class ReconsiderationTerminateSerializer(ReconsiderationNoteSerializer):
    reason = serializers.ChoiceField(choices=rules.TERMINATE_REASONS, help_text="终止事由(第41条)")


class ReconsiderationExtendSerializer(_ReconsiderationVersioned):
    days = serializers.IntegerField(min_value=1, max_value=3650, help_text="延长日数(最长见 reconsideration.extend)")
    approver = serializers.CharField(max_length=60, help_text="批准人(行政复议机构负责人)")
    basis = serializers.CharField(max_length=300, help_text="延长理由及依据")
    notified_on = serializers.DateField(help_text="书面告知当事人日期")


class ReconsiderationHearingPlanSerializer(_ReconsiderationVersioned):
    on = serializers.DateField(help_text="拟听证日期 YYYY-MM-DD(今天或以后)")
    place = serializers.CharField(max_length=200, help_text="听证地点")


CASE_PARAMS = [
    OpenApiParameter("respondent", {"type": "string", "pattern": UNIT_CODE_PATTERN},
                     description="被申请人单位代码(含下级单位);须为您可查看的单位,否则 400"),
    OpenApiParameter("status", OpenApiTypes.STR, enum=["", *(s for s, _ in STATUSES)]),
    OpenApiParameter("outcome", OpenApiTypes.STR, enum=["", *(s for s, _ in OUTCOMES)]),
    OpenApiParameter("year", {"type": "string", "pattern": r"^(\d{4})?$"}, description="收案年份,如 2026"),
]

ACT_DOC = ("案件事项(法制办):成功时返回案件;字段错误 400(指明字段);无权 403;他单位的案件 404;"
           "案件状态不允许或版本已变更 409。")


@extend_schema_view(list=extend_schema(parameters=CASE_PARAMS))
class ReconsiderationViewSet(ClocksMixin, StepActionsMixin, ScopedReadOnlyViewSet):
    """行政复议案件。POST {id}/steps/:accept(outcome accept + procedure_kind normal/simple;reject + note;correction +
    note + notice_received_on)、send_copy(copy_received_on)、reply(被申请人,multipart:reply_letter、evidence)、
    hearing(date 为听证日期;hearing_place、notice_on、leader_attended yes/no、leader_name、leader_post、
    absence_reason)、decide(outcome 八种之一;facts、reasoning)。"""

    queryset = Reconsideration.objects.all()
    serializer_class = ReconsiderationCaseSerializer
    step_actions = steps.STEPS
    filter_backends = []

    def base_queryset(self):
        return Reconsideration.objects.select_related("unit").order_by("-received_on", "-id")

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return selectors.CaseFilters.parse(self.request.query_params).apply(queryset, user=self.request.user)

    def get_procedure_run(self, obj):
        return services.case_run(obj)

    def _office(self):
        if not rules.can_act(self.request.user):
            raise NotAllowed("只有法制办(行政复议机构)可以办理此事项")

    @extend_schema(request=ReconsiderationCaseCreateSerializer, responses={201: ReconsiderationCaseSerializer},
                   description="登记行政复议案件(法制办);案号自动编排。")
    def create(self, request, *args, **kwargs):
        self._office()
        ser = ReconsiderationCaseCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        data["unit"] = data.pop("respondent")
        try:
            case = services.case_create(actor=request.user, data=data)
        except InvalidInput as e:  # the API names the respondent `respondent`
            if e.field != "unit":
                raise
            raise InvalidInput(e.message, field="respondent") from None
        return Response(self.get_serializer(self.base_queryset().get(pk=case.pk)).data, status=201)

    def _act(self, request, kind: str, serializer_class):
        case = self.get_object()
        self._office()
        ser = serializer_class(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        version = data.pop("version", None)
        services.CASE_ACTS[kind](case=case, actor=request.user, expected_version=version, **data)
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=ReconsiderationOnSerializer, responses={200: ReconsiderationCaseSerializer},
                   description="收到补正材料:补正期限办结,受理审查期限自此日重新计算。" + ACT_DOC)
    @action(detail=True, methods=["post"], url_path="correction-received", parser_classes=[JSONParser])
    def correction_received(self, request, pk=None):
        return self._act(request, "correction_received", ReconsiderationOnSerializer)

    @extend_schema(request=ReconsiderationNoteSerializer, responses={200: ReconsiderationCaseSerializer},
                   description="视为撤回:仅补正期限届满仍未补正时。" + ACT_DOC)
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def withdraw(self, request, pk=None):
        return self._act(request, "withdraw", ReconsiderationNoteSerializer)

    @extend_schema(request=ReconsiderationSuspendSerializer, responses={200: ReconsiderationCaseSerializer},
                   description="中止(第39条事由):审理期限暂停计算。" + ACT_DOC)
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def suspend(self, request, pk=None):
        return self._act(request, "suspend", ReconsiderationSuspendSerializer)

    @extend_schema(request=ReconsiderationOnSerializer, responses={200: ReconsiderationCaseSerializer},
                   description="恢复审理:审理期限自此日恢复计算。" + ACT_DOC)
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def resume(self, request, pk=None):
        return self._act(request, "resume", ReconsiderationOnSerializer)

    @extend_schema(request=ReconsiderationExtendSerializer, responses={200: ReconsiderationCaseSerializer},
                   description="延长审理期限(普通程序,最长见规则 reconsideration.extend;简易程序不能延长,409 reconsideration.state)。"
                               + ACT_DOC)
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def extend(self, request, pk=None):
        return self._act(request, "extend", ReconsiderationExtendSerializer)

    @extend_schema(request=ReconsiderationHearingPlanSerializer, responses={200: ReconsiderationCaseSerializer},
                   description="安排听证:自拟听证日期倒数五个工作日为最迟通知日(reconsideration.hearing_notice),列入期限;"
                               "再次安排即改期,期限重新计算。" + ACT_DOC)
    @action(detail=True, methods=["post"], url_path="schedule-hearing", parser_classes=[JSONParser])
    def schedule_hearing(self, request, pk=None):
        return self._act(request, "schedule_hearing", ReconsiderationHearingPlanSerializer)

    @extend_schema(request=ReconsiderationOnSerializer, responses={200: ReconsiderationCaseSerializer},
                   description="送达听证通知:通知期限办结(按时或逾期)。" + ACT_DOC)
    @action(detail=True, methods=["post"], url_path="hearing-notice", parser_classes=[JSONParser])
    def hearing_notice(self, request, pk=None):
        return self._act(request, "hearing_notice", ReconsiderationOnSerializer)

    @extend_schema(request=ReconsiderationTerminateSerializer, responses={200: ReconsiderationCaseSerializer},
                   description="终止(第41条事由):所有进行中的期限撤销,案件以「终止」结案。" + ACT_DOC)
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def terminate(self, request, pk=None):
        return self._act(request, "terminate", ReconsiderationTerminateSerializer)

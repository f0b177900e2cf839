"""API of 行政处罚 cases: /api/v1/penalty-cases/ (scoped: a unit sees its own cases; office, leaders and inspectors
all), each with its `unit`, `subject`, `key_area`, `status`, `officers`, `payments`, the procedure's `steps`
(POST {id}/steps/ through procedures.actions) and `clocks`; POST creates (立案); case acts: {id}/officers/,
{id}/officers/remove/, {id}/hearing-request/, {id}/hearing-schedule/, {id}/hearing-notice/, {id}/payments/,
{id}/payments/void/, {id}/handover/, {id}/seizure/, {id}/seizure-end/, {id}/enforce/, {id}/decision-undone/
(multipart, with the document's `files`). The case's unit and the office write
(法制审核: the office only); every write carries the case `version` it saw (missing 400, stale 409); a rule's
refusal names its article (400/409)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from fazhi.core.api import ScopedReadOnlyViewSet, StrictJSONMixin
from fazhi.core.drf import JSONParser, MultiPartParser
from fazhi.core.errors import NotAllowed
from fazhi.core.filters import UNIT_CODE_PATTERN
from fazhi.core.drf import CappedPagination
from fazhi.deadlines.api import ClocksField, ClocksMixin
from fazhi.enforcement.penalty import rules, selectors, services, steps
from fazhi.enforcement.penalty.models import (
    CHANNELS, CLOSE_OUTCOMES, OFFICER_ROLES, PARTY_KINDS, PENALTY_MEASURES, PROCEDURE_KINDS, SOURCES, STATUSES,
    UNDONE_KINDS, PenaltyCase, PenaltyOfficer, PenaltyPayment,
)
from fazhi.enforcement.penalty.selectors import party_view
from fazhi.procedures import actions
from fazhi.procedures.api import BULK_KEY, StepActionsMixin, StepsField


class PenaltySubjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PenaltyOfficerSerializer(serializers.ModelSerializer):
    officer = serializers.IntegerField(source="officer_id", help_text="执法人员编号")
    name = serializers.CharField(source="officer.name")
    role = serializers.ChoiceField(choices=OFFICER_ROLES, help_text="lead 主办、assist 协办")
    certified = serializers.BooleanField(help_text="立案日持有有效执法证件(系统据执法证件判断)")

    class Meta:
        model = PenaltyOfficer
        fields = ["id", "officer", "name", "role", "added_on", "certified", "certificate_number", "removed_on",
                  "removed_reason"]


class PenaltyPaymentSerializer(serializers.ModelSerializer):
    channel = serializers.ChoiceField(choices=CHANNELS, help_text="bank 指定银行、electronic 电子支付、on_the_spot 当场收缴")

    class Meta:
        model = PenaltyPayment
        fields = ["id", "amount", "surcharge", "paid_on", "channel", "receipt_number", "payee", "spot_reason",
                  "handed_over_on", "handover_receipt", "recorded_at", "voided_at", "void_reason"]


class PenaltyCaseSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True, help_text="办案单位代码")
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    subject = serializers.SerializerMethodField(help_text="执法主体:id、name")
    key_area = serializers.CharField(source="key_area.code", read_only=True, help_text="执法领域(重点领域代码)")
    key_area_name = serializers.CharField(source="key_area.name", read_only=True)
    procedure_kind = serializers.ChoiceField(choices=PROCEDURE_KINDS, read_only=True)
    status = serializers.ChoiceField(choices=STATUSES, read_only=True,
                                     help_text="、".join(f"{k} {v}" for k, v in STATUSES))
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    party_id_number = serializers.SerializerMethodField(help_text="只读角色看到的自然人证件号码已隐去部分")
    party_address = serializers.SerializerMethodField()
    party_phone = serializers.SerializerMethodField()
    measures = serializers.ListField(child=serializers.ChoiceField(choices=PENALTY_MEASURES), read_only=True)
    officers = PenaltyOfficerSerializer(many=True, read_only=True)
    payments = serializers.SerializerMethodField(help_text="缴款记录(含已作废的,voided_at 非空;合计不计作废的)")
    hearing_host = serializers.SerializerMethodField(help_text="听证主持人:id(执法人员编号)、name")
    decision_undone_kind = serializers.ChoiceField(choices=UNDONE_KINDS, read_only=True, allow_blank=True)
    steps = StepsField()
    clocks = ClocksField()

    class Meta:
        model = PenaltyCase
        fields = ["id", "number", "unit", "unit_name", "subject", "key_area", "key_area_name", "procedure_kind",
                  "source", "party_name", "party_kind", "party_id_number", "party_address", "party_phone", "cause",
                  "found_on", "filed_on", "facts", "evidence", "basis_violation", "basis_penalty", "measures",
                  "fine_amount", "confiscation_amount", "status", "status_label", "investigated_on", "notified_on",
                  "hearing_qualifies", "hearing_notified", "hearing_requested_on", "hearing_planned_on",
                  "hearing_place", "hearing_notice_on", "hearing_notice_due", "hearing_on", "hearing_host", "major",
                  "major_entry_title", "legal_review_on", "legal_reviewer", "legal_review_opinion", "decided_on",
                  "decision_number", "decision_late", "late_reason", "remedy_notice", "served_on", "executed_on",
                  "seized_on", "seizure_count", "enforced_count", "refund_amount", "closed_on", "close_outcome",
                  "decision_undone_on", "decision_undone_kind",
                  "decision_undone_basis", "officers", "payments", "steps", "clocks", "version"]

    @extend_schema_field(PenaltySubjectSerializer)
    def get_subject(self, c):
        return {"id": c.subject_id, "name": c.subject.name}

    def _party(self, c) -> dict:
        cache = self.context.setdefault("_party", {})
        if c.pk not in cache:
            cache[c.pk] = party_view(c, self.context["request"].user)
        return cache[c.pk]

    def get_party_id_number(self, c) -> str:
        return self._party(c)["id_number"]

    def get_party_address(self, c) -> str:
        return self._party(c)["address"]

    def get_party_phone(self, c) -> str:
        return self._party(c)["phone"]

    @extend_schema_field(PenaltyPaymentSerializer(many=True))
    def get_payments(self, c):
        return PenaltyPaymentSerializer(list(c.payments.all()), many=True).data

    @extend_schema_field(PenaltySubjectSerializer(allow_null=True))
    def get_hearing_host(self, c):
        return {"id": c.hearing_host_id, "name": c.hearing_host.name} if c.hearing_host_id else None


class PenaltyCaseCreateSerializer(StrictJSONMixin, serializers.Serializer):
    procedure_kind = serializers.ChoiceField(choices=PROCEDURE_KINDS, required=False, help_text="默认 general")
    subject = serializers.IntegerField(min_value=1, max_value=2**62, help_text="执法主体编号(本单位经审查合格并已公告)")
    key_area = serializers.CharField(max_length=40, help_text="执法领域(重点领域代码)")
    source = serializers.ChoiceField(choices=SOURCES, required=False)
    party_name = serializers.CharField(max_length=100)
    party_kind = serializers.ChoiceField(choices=PARTY_KINDS, required=False)
    party_id_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    party_address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    party_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    cause = serializers.CharField(max_length=200, help_text="案由")
    found_on = serializers.DateField()
    filed_on = serializers.DateField(help_text="立案日期(办案期限起算)")
    facts = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    officers = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**62), required=False,
                                     max_length=20, help_text="承办人员(执法人员编号),须持有立案日有效的执法证件")


class _Versioned(StrictJSONMixin, serializers.Serializer):
    version = serializers.IntegerField(min_value=0, max_value=2**31 - 1,
                                       error_messages={"required": "缺少「版本号」(version):请提交您所见的案件版本号",
                                                       "null": "缺少「版本号」(version):请提交您所见的案件版本号"},
                                       help_text="必填:所见的案件版本号;案件已变更则 409,不执行")


class PenaltyOfficerAddSerializer(_Versioned):
    officer = serializers.IntegerField(min_value=1, max_value=2**62, help_text="执法人员编号")
    role = serializers.ChoiceField(choices=OFFICER_ROLES, required=False, default="assist")
    on = serializers.DateField(required=False, allow_null=True, help_text="承办日期,默认今天")


class PenaltyOfficerRemoveSerializer(_Versioned):
    row = serializers.IntegerField(min_value=1, max_value=2**62, help_text="officers[].id")
    on = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(max_length=300)


class PenaltyOnSerializer(_Versioned):
    on = serializers.DateField(help_text="日期 YYYY-MM-DD")


class PenaltyHearingScheduleSerializer(_Versioned):
    on = serializers.DateField(help_text="拟听证日期")
    place = serializers.CharField(max_length=200)


class PenaltyPaymentCreateSerializer(_Versioned):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, help_text="缴纳罚款(元)")
    paid_on = serializers.DateField()
    channel = serializers.ChoiceField(choices=CHANNELS)
    receipt_number = serializers.CharField(max_length=60, help_text="银行回单、电子缴款凭证或专用票据号码")
    payee = serializers.CharField(max_length=100, required=False, allow_blank=True, help_text="收款银行或支付平台")
    spot_reason = serializers.ChoiceField(choices=rules.SPOT_REASONS, required=False, allow_blank=True,
                                          help_text="当场收缴事由(第68条、第69条)")


class PenaltyPaymentVoidSerializer(_Versioned):
    payment = serializers.IntegerField(min_value=1, max_value=2**62, help_text="payments[].id(有效的缴款记录)")
    reason = serializers.CharField(max_length=500, help_text="作废原因")


class PenaltySeizureSerializer(_Versioned):
    on = serializers.DateField(help_text="查封扣押日期")
    place = serializers.CharField(max_length=200)
    items = serializers.CharField(max_length=2000, help_text="查封扣押的场所、设施或者财物")


class PenaltyDecisionUndoneSerializer(_Versioned):
    kind = serializers.ChoiceField(choices=UNDONE_KINDS,
                                   help_text="revoked 撤销、changed 变更、confirmed_illegal 确认违法、confirmed_void 确认无效")
    on = serializers.DateField(help_text="复议决定、判决生效或本机关更正之日(撤回公开的期限自此起算)")
    document = serializers.CharField(max_length=200, help_text="文书及文号(复议决定书、判决书等)")
    fine_amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True,
                                           help_text="决定被变更且罚款减少时:变更后的罚款金额")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    files = serializers.ListField(child=serializers.FileField(), required=False,
                                  help_text="文书文件(复议决定书、判决书或撤销、变更决定),必须上传")


class PenaltySeizureEndSerializer(_Versioned):
    seizure = serializers.IntegerField(min_value=1, max_value=2**62, help_text="查封扣押事项的 id(acts 中 kind=seizure)")
    on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=rules.SEIZURE_ENDS)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class PenaltyEnforceSerializer(_Versioned):
    on = serializers.DateField()
    kind = serializers.ChoiceField(choices=rules.ENFORCE_KINDS)
    place = serializers.CharField(max_length=200)
    content = serializers.CharField(max_length=2000)


class PenaltyHandoverSerializer(_Versioned):
    payment = serializers.IntegerField(min_value=1, max_value=2**62, help_text="payments[].id(当场收缴)")
    on = serializers.DateField()
    receipt = serializers.CharField(max_length=60, help_text="上缴银行回单号")


CASE_PARAMS = [
    OpenApiParameter("unit", {"type": "string", "pattern": UNIT_CODE_PATTERN},
                     description="办案单位代码(含下级单位);须为您可查看的单位,否则 400"),
    OpenApiParameter("status", OpenApiTypes.STR, enum=["", *(s for s, _ in STATUSES)]),
    OpenApiParameter("key_area", OpenApiTypes.STR, description="执法领域代码"),
    OpenApiParameter("subject", {"type": "string", "pattern": r"^(\d{1,12})?$"}, description="执法主体编号"),
    OpenApiParameter("year", {"type": "string", "pattern": r"^(\d{4})?$"}, description="立案年份,如 2026"),
    OpenApiParameter("overdue", OpenApiTypes.STR, enum=["", "true", "false"], description="有逾期的期限"),
]
ACT_DOC = ("案件事项(办案单位或法制办):成功时返回案件;字段错误 400(指明字段);无权 403;他单位的案件 404;"
           "规则不允许(载明依据条款)或版本已变更 409。")
STEPS_DOC = ("POST {id}/steps/:investigate(facts、evidence、basis_violation;须两名以上持有效证件的承办人员,第42条)、"
             "notify(measures、fine_amount、confiscation_amount、basis_penalty)、hearing(date 为听证日期;host 为本单位非本案"
             "承办人员的执法人员编号)、legal_review(仅法制办;outcome pass/return;opinion;须附法制审核意见书 files)、decide(measures、fine_amount、confiscation_amount 可选,"
             "不得重于告知;late_reason 超过办案期限时必填)、serve、execute、close(outcome " +
             "、".join(k for k, _ in CLOSE_OUTCOMES) + ")。简易程序 decide:measures、fine_amount、facts、basis_penalty。"
             "每个步骤都须提交 version(所见的案件版本号):缺少 400,已变更 409。")


@extend_schema_view(list=extend_schema(parameters=CASE_PARAMS))
class PenaltyCaseViewSet(ClocksMixin, StepActionsMixin, ScopedReadOnlyViewSet):
    __doc__ = "行政处罚案件。" + STEPS_DOC

    queryset = PenaltyCase.objects.all()
    serializer_class = PenaltyCaseSerializer
    pagination_class = CappedPagination  # a register of millions: the total counts to a cap
    step_actions = steps.STEPS
    filter_backends = []

    def base_queryset(self):
        return (PenaltyCase.objects.select_related("unit", "subject", "key_area", "hearing_host")
                .prefetch_related("payments", "officers__officer").order_by("-filed_on", "-id"))

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return selectors.CaseFilters.parse(self.request.query_params).apply(queryset, user=self.request.user)

    def get_serializer(self, *args, **kwargs):
        # Two procedures (普通 / 简易): each record's steps by its own code; a page's steps and clocks in a constant
        # number of queries (what StepActionsMixin and ClocksMixin do for one procedure).
        if args and isinstance(args[0], PenaltyCase | list | QuerySet):
            from fazhi.deadlines.api import CLOCKS_BULK_KEY
            from fazhi.deadlines.selectors import clocks_brief_bulk

            objs = list(args[0]) if kwargs.get("many") else [args[0]]
            context = kwargs.setdefault("context", self.get_serializer_context())
            bulk = {}
            for kind, code in rules.PROCEDURES.items():
                bulk.update(actions.steps_state_bulk([o for o in objs if o.procedure_kind == kind], code))
            context[BULK_KEY] = bulk
            if kwargs.get("many"):
                context[CLOCKS_BULK_KEY] = clocks_brief_bulk(objs)
                args = (objs, *args[1:])
        return super(StepActionsMixin, self).get_serializer(*args, **kwargs)

    def get_procedure_run(self, obj):
        self.step_actions = steps.steps_for(obj)
        return services.case_run(obj)

    def _may_act(self, case=None):
        if case is None:
            if not rules.can_register(self.request.user):
                raise NotAllowed("只有办案单位的工作人员或法制办可以登记行政处罚案件")
        elif not rules.can_act(self.request.user, case):
            raise NotAllowed("只有本案办案单位的工作人员或法制办可以办理;领导、督查人员只能查看")

    def _answer(self, pk, status=200):
        return Response(self.get_serializer(self.base_queryset().get(pk=pk)).data, status=status)

    @extend_schema(request=PenaltyCaseCreateSerializer, responses={201: PenaltyCaseSerializer},
                   description="立案(办案单位或法制办):执法主体须经审查合格并已公告(立案日);案号自动编排;"
                               "承办人员须持有立案日有效的执法证件。")
    def create(self, request, *args, **kwargs):
        self._may_act()
        ser = PenaltyCaseCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        case = services.case_create(actor=request.user, data=dict(ser.validated_data))
        return self._answer(case.pk, 201)

    def _act(self, request, serializer_class, call):
        case = self.get_object()
        self._may_act(case)
        ser = serializer_class(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        version = data.pop("version", None)
        call(case, data, version)
        return self._answer(case.pk)

    @extend_schema(request=PenaltyOfficerAddSerializer, responses={200: PenaltyCaseSerializer},
                   description="增加承办人员:须为本单位在岗执法人员,且承办日持有有效执法证件(第42条)。" + ACT_DOC)
    @action(detail=True, methods=["post"], url_path="officers", parser_classes=[JSONParser])
    def officers(self, request, pk=None):
        return self._act(request, PenaltyOfficerAddSerializer, lambda c, d, v: services.officer_add(
            case=c, actor=request.user, officer=d["officer"], role=d.get("role") or "assist", on=d.get("on"),
            expected_version=v))

    @extend_schema(request=PenaltyOfficerRemoveSerializer, responses={200: PenaltyCaseSerializer},
                   description="调离承办人员(记录保留)。" + ACT_DOC)
    @action(detail=True, methods=["post"], url_path="officers/remove", parser_classes=[JSONParser])
    def officers_remove(self, request, pk=None):
        return self._act(request, PenaltyOfficerRemoveSerializer, lambda c, d, v: services.officer_remove(
            case=c, actor=request.user, row_id=d["row"], on=d.get("on"), reason=d["reason"], expected_version=v))

    @extend_schema(request=PenaltyOnSerializer, responses={200: PenaltyCaseSerializer},
                   description="当事人要求听证:告知后 penalty.hearing_request 期限内;逾期 409 载明第64条。" + ACT_DOC)
    @action(detail=True, methods=["post"], url_path="hearing-request", parser_classes=[JSONParser])
    def hearing_request(self, request, pk=None):
        return self._act(request, PenaltyOnSerializer, lambda c, d, v: services.hearing_request(
            case=c, actor=request.user, on=d["on"], expected_version=v))

    @extend_schema(request=PenaltyHearingScheduleSerializer, responses={200: PenaltyCaseSerializer},
                   description="安排听证:自拟听证日期倒数 penalty.hearing_notice 为最迟通知日,列入期限;再次安排即改期。" + ACT_DOC)
    @action(detail=True, methods=["post"], url_path="hearing-schedule", parser_classes=[JSONParser])
    def hearing_schedule(self, request, pk=None):
        return self._act(request, PenaltyHearingScheduleSerializer, lambda c, d, v: services.hearing_schedule(
            case=c, actor=request.user, on=d["on"], place=d["place"], expected_version=v))

    @extend_schema(request=PenaltyOnSerializer, responses={200: PenaltyCaseSerializer},
                   description="送达听证通知:晚于最迟通知日 409(第64条第2项),请改期。" + ACT_DOC)
    @action(detail=True, methods=["post"], url_path="hearing-notice", parser_classes=[JSONParser])
    def hearing_notice(self, request, pk=None):
        return self._act(request, PenaltyOnSerializer, lambda c, d, v: services.hearing_notice(
            case=c, actor=request.user, on=d["on"], expected_version=v))

    @extend_schema(request=PenaltyPaymentCreateSerializer, responses={200: PenaltyCaseSerializer},
                   description="登记缴款(罚缴分离):录入处罚决定者不能登记银行、电子缴款(409 penalty.separation,第67条);"
                               "当场收缴须选择第68条、第69条事由;加处罚款(第72条)由系统计算。" + ACT_DOC)
    @action(detail=True, methods=["post"], url_path="payments", parser_classes=[JSONParser])
    def payments(self, request, pk=None):
        return self._act(request, PenaltyPaymentCreateSerializer, lambda c, d, v: services.payment_record(
            case=c, actor=request.user, amount_paid=d["amount"], paid_on=d["paid_on"], channel=d["channel"],
            receipt_number=d["receipt_number"], payee=d.get("payee", ""), spot_reason=d.get("spot_reason", ""),
            expected_version=v))

    @extend_schema(request=PenaltyPaymentVoidSerializer, responses={200: PenaltyCaseSerializer},
                   description="作废缴款记录(须填原因;记录保留,合计和加处罚款不再计入;登记执行完毕后不能作废)。" + ACT_DOC)
    @action(detail=True, methods=["post"], url_path="payments/void", parser_classes=[JSONParser])
    def payments_void(self, request, pk=None):
        return self._act(request, PenaltyPaymentVoidSerializer, lambda c, d, v: services.payment_void(
            case=c, actor=request.user, payment_id=d["payment"], reason=d["reason"], expected_version=v))

    @extend_schema(request=PenaltySeizureSerializer, responses={200: PenaltyCaseSerializer},
                   description="登记查封扣押(行政强制法):此后结案须有查封扣押的文字记录和音像记录(国办发〔2018〕118号)。" + ACT_DOC)
    @action(detail=True, methods=["post"], url_path="seizure", parser_classes=[JSONParser])
    def seizure(self, request, pk=None):
        return self._act(request, PenaltySeizureSerializer, lambda c, d, v: services.seizure_record(
            case=c, actor=request.user, on=d["on"], place=d["place"], items=d["items"], expected_version=v))

    @extend_schema(request=PenaltyDecisionUndoneSerializer, responses={200: PenaltyCaseSerializer},
                   description="登记决定被撤销、变更或确认违法(复议、诉讼或本机关更正;结案后也可登记):已公开的决定"
                               "自该日起在 penalty.withdraw_publication 期限内撤回(行政处罚法 第48条);变更不得加重。" + ACT_DOC)
    @action(detail=True, methods=["post"], url_path="decision-undone", parser_classes=[MultiPartParser])
    def decision_undone(self, request, pk=None):
        return self._act(request, PenaltyDecisionUndoneSerializer, lambda c, d, v: services.decision_undone(
            case=c, actor=request.user, kind=d["kind"], on=d["on"], document=d["document"], note=d.get("note", ""),
            fine_amount=d.get("fine_amount"), files=d.get("files") or [], expected_version=v))

    @extend_schema(request=PenaltySeizureEndSerializer, responses={200: PenaltyCaseSerializer},
                   description="解除查封扣押或作出处理决定:关闭该查封扣押的 penalty.seizure 期限(行政强制法 第25条、第27条、"
                               "第28条)。" + ACT_DOC)
    @action(detail=True, methods=["post"], url_path="seizure-end", parser_classes=[JSONParser])
    def seizure_end(self, request, pk=None):
        return self._act(request, PenaltySeizureEndSerializer, lambda c, d, v: services.seizure_end(
            case=c, actor=request.user, seizure=d["seizure"], on=d["on"], outcome=d["outcome"], note=d.get("note", ""),
            expected_version=v))

    @extend_schema(request=PenaltyEnforceSerializer, responses={200: PenaltyCaseSerializer},
                   description="行政机关强制执行(代履行、强制拆除、划拨等,行政强制法 第四章):此后结案须有该次执行的文字记录和"
                               "全程音像记录(国办发〔2018〕118号 三(三));申请人民法院强制执行是结案情形,不在此登记。" + ACT_DOC)
    @action(detail=True, methods=["post"], url_path="enforce", parser_classes=[JSONParser])
    def enforce(self, request, pk=None):
        return self._act(request, PenaltyEnforceSerializer, lambda c, d, v: services.enforcement_record(
            case=c, actor=request.user, on=d["on"], kind=d["kind"], place=d["place"], content=d["content"],
            expected_version=v))

    @extend_schema(request=PenaltyHandoverSerializer, responses={200: PenaltyCaseSerializer},
                   description="当场收缴的罚款上缴指定银行(penalty.hand_over_cash)。" + ACT_DOC)
    @action(detail=True, methods=["post"], url_path="handover", parser_classes=[JSONParser])
    def handover(self, request, pk=None):
        return self._act(request, PenaltyHandoverSerializer, lambda c, d, v: services.cash_handover(
            case=c, actor=request.user, payment_id=d["payment"], on=d["on"], receipt=d["receipt"],
            expected_version=v))

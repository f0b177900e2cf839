"""API of 行政许可: /api/v1/licence-items/ (the items register; POST creates, {id}/publish/, {id}/withdraw/) and
/api/v1/licence-cases/ (POST creates = 收件; {id}/steps/ through procedures.actions; {id}/materials-received/,
{id}/extend/), scoped: a unit sees and handles its own, the office all, leaders and inspectors read."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from fazhi.core.api import ScopedReadOnlyViewSet, StrictJSONMixin
from fazhi.core.drf import JSONParser, MultiPartParser
from fazhi.core.errors import NotAllowed
from fazhi.core.filters import NO_CONTROL_PATTERN, UNIT_CODE_PATTERN
from fazhi.core.drf import CappedPagination
from fazhi.deadlines.api import ClocksField, ClocksMixin
from fazhi.enforcement.licence import rules, selectors, services, steps
from fazhi.enforcement.licence.models import (
    APPLICANT_KINDS, BASIS_KINDS, HEARING_KINDS, HEARING_REQUESTED, ITEM_STATUSES, OUTCOMES, STATUSES, LicenceCase,
    LicenceItem,
)
from fazhi.procedures import actions
from fazhi.procedures.api import StepActMultipartSerializer, StepActSerializer, StepActionsMixin, StepsField


class LicenceItemSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True, help_text="实施单位代码")
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    subject = serializers.IntegerField(source="subject_id", read_only=True, help_text="实施主体编号")
    subject_name = serializers.CharField(source="subject.name", read_only=True)
    basis_kind = serializers.ChoiceField(choices=BASIS_KINDS, read_only=True)
    status = serializers.ChoiceField(choices=ITEM_STATUSES, read_only=True,
                                     help_text="draft 草稿、published 已公布、withdrawn 已停止实施")
    materials = serializers.ListField(source="materials_list", child=serializers.CharField(), read_only=True,
                                      help_text="申请材料目录")
    statutory_period = serializers.SerializerMethodField(help_text="法定办理时限(期限规则 licence.decide)")

    class Meta:
        model = LicenceItem
        fields = ["id", "unit", "unit_name", "subject", "subject_name", "code", "name", "basis_kind", "basis",
                  "conditions", "quantity_limit", "procedure", "statutory_period", "promised_days", "materials",
                  "fee_charged", "fee_amount", "fee_basis", "status", "published_on", "withdrawn_on",
                  "withdraw_reason", "version"]

    def get_statutory_period(self, obj) -> str:
        from fazhi.deadlines.catalogue import get_rule

        rule = get_rule(rules.CLOCK_RULES[rules.DECIDE])
        return rule.period_text(rule.period)


class LicenceItemWriteSerializer(StrictJSONMixin, serializers.Serializer):
    unit = serializers.CharField(max_length=32, help_text="实施单位代码,如 D01")
    subject = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="本单位的实施主体编号")
    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    basis_kind = serializers.ChoiceField(choices=BASIS_KINDS, help_text="第14–17条:只有这四类可以设定许可")
    basis = serializers.CharField(max_length=2000, help_text="法律、法规名称及条款")
    conditions = serializers.CharField(max_length=5000)
    quantity_limit = serializers.CharField(max_length=300, required=False, allow_blank=True)
    procedure = serializers.CharField(max_length=5000)
    promised_days = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=365)
    materials = serializers.CharField(max_length=5000, help_text="申请材料目录,每行一项")
    fee_charged = serializers.BooleanField(default=False)
    fee_amount = serializers.CharField(max_length=300, required=False, allow_blank=True)
    fee_basis = serializers.CharField(max_length=300, required=False, allow_blank=True)


VERSION_ERRORS = {"required": "请提供「version」(所见记录的版本号),以免覆盖他人已办理的变更",
                  "null": "请提供「version」(所见记录的版本号)", "invalid": "「version」应为整数(记录的 version 字段)"}


class _Versioned(StrictJSONMixin, serializers.Serializer):
    version = serializers.IntegerField(min_value=0, max_value=2**31 - 1, error_messages=VERSION_ERRORS,
                                       help_text="必填:所见的版本号;缺少 400,记录已变更 409,均不执行")


class LicenceItemPublishSerializer(_Versioned):
    on = serializers.DateField(help_text="公布日期 YYYY-MM-DD,不晚于今天")


class LicenceItemWithdrawSerializer(LicenceItemPublishSerializer):
    reason = serializers.CharField(max_length=2000, help_text="停止实施原因")


ITEM_PARAMS = [
    OpenApiParameter("unit", {"type": "string", "pattern": UNIT_CODE_PATTERN}, description="实施单位代码(含下级单位)"),
    OpenApiParameter("status", OpenApiTypes.STR, enum=["", *(s for s, _ in ITEM_STATUSES)]),
    OpenApiParameter("subject", {"type": "string", "pattern": r"^(\d{1,18})?$"}, description="实施主体编号"),
    OpenApiParameter("q", {"type": "string", "maxLength": 100, "pattern": NO_CONTROL_PATTERN},
                     description="事项名称或编码包含"),
]
WRITE_DOC = "字段错误 400(指明字段);无权 403;他单位的记录 404;状态不允许或版本已变更 409。"


@extend_schema_view(list=extend_schema(parameters=ITEM_PARAMS))
class LicenceItemViewSet(ScopedReadOnlyViewSet):
    """行政许可事项目录(许可法定、许可公示)。"""

    queryset = LicenceItem.objects.all()
    serializer_class = LicenceItemSerializer
    filter_backends = []

    def base_queryset(self):
        return LicenceItem.objects.select_related("unit", "subject").order_by("unit__sort_order", "code", "id")

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return selectors.ItemFilters.parse(self.request.query_params, user=self.request.user).apply(queryset)

    @extend_schema(request=LicenceItemWriteSerializer, responses={201: LicenceItemSerializer},
                   description="登记许可事项(草稿;法制办或本单位)。" + WRITE_DOC)
    def create(self, request, *args, **kwargs):
        ser = LicenceItemWriteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        item = services.item_create(actor=request.user, data=dict(ser.validated_data))
        return Response(self.get_serializer(self.base_queryset().get(pk=item.pk)).data, status=201)

    def _act(self, request, kind, serializer_class):
        item = self.get_object()
        if not rules.can_edit_item(request.user, item.unit):
            raise NotAllowed("只有法制办或该单位的工作人员可以公布或停止实施本单位的许可事项")
        ser = serializer_class(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        version = data.pop("version")
        services.ITEM_ACTS[kind](item=item, actor=request.user, expected_version=version, **data)
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=LicenceItemPublishSerializer, responses={200: LicenceItemSerializer},
                   description="公布许可事项(草稿 → 已公布);实施主体须经审查合格并已公告。" + WRITE_DOC)
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def publish(self, request, pk=None):
        return self._act(request, "publish", LicenceItemPublishSerializer)

    @extend_schema(request=LicenceItemWithdrawSerializer, responses={200: LicenceItemSerializer},
                   description="停止实施许可事项(不再受理新申请;在办案件继续)。" + WRITE_DOC)
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def withdraw(self, request, pk=None):
        return self._act(request, "withdraw", LicenceItemWithdrawSerializer)


class LicenceCaseSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True, help_text="实施单位代码")
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    item = serializers.IntegerField(source="item_id", read_only=True, help_text="许可事项编号")
    item_name = serializers.CharField(source="item.name", read_only=True)
    subject = serializers.IntegerField(source="subject_id", read_only=True, help_text="实施主体编号")
    applicant_kind = serializers.ChoiceField(choices=APPLICANT_KINDS, read_only=True)
    status = serializers.ChoiceField(choices=STATUSES, read_only=True,
                                     help_text="received 待受理、correcting 补正中、reviewing 审查中、decided 已决定、"
                                               "not_accepted 不予受理、closed 已办结")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    outcome = serializers.ChoiceField(choices=[("", ""), *OUTCOMES], read_only=True, help_text="grant 准予、deny 不予")
    inspection_officers = serializers.ListField(source="inspection_officer_data", child=serializers.DictField(),
                                                read_only=True, help_text="现场核查人员:id、name、certificate(核查当日的执法证号)")
    hearing_kind = serializers.ChoiceField(choices=[("", ""), *HEARING_KINDS], read_only=True,
                                           help_text="听证事由:statutory、public_interest(第46条)、requested(第47条)")
    hearing_host = serializers.IntegerField(source="hearing_host_id", read_only=True, allow_null=True,
                                            help_text="听证主持人(执法人员编号)")
    major_entry = serializers.IntegerField(source="major_entry_id", read_only=True, allow_null=True,
                                           help_text="据以认定为重大执法决定的目录事项编号")
    steps = StepsField()
    clocks = ClocksField()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None:  # personal data masked for read-only roles, as on the page
            shown = selectors.applicant_view(instance, request.user)
            data["applicant_code"], data["applicant_contact"] = shown["code"], shown["contact"]
        return data

    class Meta:
        model = LicenceCase
        fields = ["id", "number", "unit", "unit_name", "item", "item_name", "subject", "applicant_name",
                  "applicant_kind", "applicant_code", "applicant_contact", "matter", "received_on", "status",
                  "status_label", "correction_notice_on", "correction_materials", "correction_notice_late",
                  "correction_received_on", "deemed_accepted", "accepted_on", "not_accepted_reason", "reviewed_on",
                  "inspected", "inspection_on", "inspection_place", "inspection_officers", "extended", "major",
                  "major_entry", "major_entry_title", "legal_review_on", "legal_reviewer", "legal_review_opinion",
                  "hearing_kind", "hearing_right_on", "hearing_requested_on", "hearing_requested_by",
                  "hearing_notice_on", "hearing_on", "hearing_place", "hearing_host", "hearing_host_name",
                  "hearing_held_on", "hearing_record", "outcome",
                  "decided_on", "decision_number", "decision_reason", "remedy_notice", "decision_late", "late_reason",
                  "withdrawn_on", "withdraw_reason",
                  "certificate_number", "certificate_issued_on", "certificate_valid_from", "certificate_valid_until",
                  "certificate_late", "closed_on", "steps", "clocks", "version"]


class LicenceCaseCreateSerializer(StrictJSONMixin, serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="已公布的许可事项编号")
    applicant_name = serializers.CharField(max_length=100)
    applicant_kind = serializers.ChoiceField(choices=APPLICANT_KINDS, required=False)
    applicant_code = serializers.CharField(max_length=40, required=False, allow_blank=True)
    applicant_contact = serializers.CharField(max_length=100, required=False, allow_blank=True)
    matter = serializers.CharField(max_length=5000, help_text="申请事项")
    received_on = serializers.DateField(help_text="收到申请材料日期(补正告知期限起算)")


class LicenceOnSerializer(_Versioned):
    on = serializers.DateField(help_text="收到补正材料日期 YYYY-MM-DD,不晚于今天")


class LicenceExtendSerializer(_Versioned):
    days = serializers.IntegerField(min_value=1, max_value=3650, help_text="延长工作日数(最多见 licence.extend;只能延长一次)")
    approver = serializers.CharField(max_length=60, help_text="批准人(本机关负责人)")
    basis = serializers.CharField(max_length=300, help_text="延长理由及依据")
    notified_on = serializers.DateField(help_text="告知申请人延长理由日期")


class LicenceWithdrawSerializer(_Versioned):
    on = serializers.DateField(help_text="撤回申请日期(作出决定前)")
    reason = serializers.CharField(max_length=2000, help_text="撤回理由")


class LicenceHearingRightSerializer(_Versioned):
    on = serializers.DateField(help_text="告知申请人、利害关系人听证权利的日期(第47条)")


class LicenceHearingRequestSerializer(_Versioned):
    on = serializers.DateField(help_text="收到听证申请日期(告知之日起五日内;决定期限自此中止计算)")
    requested_by = serializers.CharField(max_length=200, help_text="听证申请人(申请人或利害关系人)")


class LicenceHearingNoticeSerializer(_Versioned):
    kind = serializers.ChoiceField(choices=[k for k, _ in HEARING_KINDS if k != HEARING_REQUESTED], required=False,
                                   allow_blank=True, help_text="本机关依第46条举行听证的事由(已收到听证申请的不填)")
    on = serializers.DateField(help_text="听证通知日期(不晚于听证日期前七日,licence.hearing_notice)")
    hearing_on = serializers.DateField(help_text="听证日期")
    place = serializers.CharField(max_length=200, help_text="听证地点")
    host = serializers.IntegerField(min_value=1, max_value=2**63 - 1,
                                    help_text="听证主持人:本单位执法人员编号,非本案现场核查人员(第48条)")


class LicenceHearingHeldSerializer(_Versioned):
    on = serializers.DateField(help_text="举行听证日期(决定期限自次日起恢复计算)")
    record = serializers.CharField(max_length=5000, help_text="听证笔录要点")


class LicenceStepActSerializer(StepActSerializer):
    version = serializers.IntegerField(help_text="必填:所见的版本号;缺少 400,记录已变更 409,均不执行")


class LicenceStepActMultipartSerializer(StepActMultipartSerializer):
    version = serializers.IntegerField(help_text="必填:所见的版本号")


CASE_PARAMS = [
    OpenApiParameter("unit", {"type": "string", "pattern": UNIT_CODE_PATTERN}, description="实施单位代码(含下级单位)"),
    OpenApiParameter("status", OpenApiTypes.STR, enum=["", *(s for s, _ in STATUSES)]),
    OpenApiParameter("item", {"type": "string", "pattern": r"^(\d{1,18})?$"}, description="许可事项编号"),
    OpenApiParameter("subject", {"type": "string", "pattern": r"^(\d{1,18})?$"}, description="实施主体编号"),
    OpenApiParameter("year", {"type": "string", "pattern": r"^(\d{4})?$"}, description="收件年份"),
    OpenApiParameter("overdue", OpenApiTypes.STR, enum=["", "true", "false"], description="有逾期的期限"),
]


@extend_schema_view(list=extend_schema(parameters=CASE_PARAMS))
class LicenceCaseViewSet(ClocksMixin, StepActionsMixin, ScopedReadOnlyViewSet):
    """行政许可案件。每次写入须带 version(所见版本号:缺少 400,已变更 409)。POST {id}/steps/:accept(outcome accept
    受理;correction 通知补正 + note 需补正的全部内容;reject 不予受理 + note)、review(inspected yes/no;核查的
    inspection_on、inspection_place、inspection_officers 本单位执法人员编号的列表,至少两名且核查当日持证)、
    legal_review(法制办;outcome pass/return + note 审核意见 + files 法制审核意见书;仅重大执法决定)、decide(outcome
    grant/deny;deny 须 reason;超过决定期限须 late_reason)、certificate(certificate_number、valid_from、valid_until)、
    close。案件事项:materials-received、extend、withdraw(撤回申请)、hearing-right、hearing-request、hearing-notice、
    hearing-held(听证,第45–48条)。"""

    queryset = LicenceCase.objects.all()
    pagination_class = CappedPagination  # a register of millions: the total counts to a cap
    serializer_class = LicenceCaseSerializer
    step_actions = steps.STEPS
    filter_backends = []

    def base_queryset(self):
        return LicenceCase.objects.select_related("unit", "item").order_by("-received_on", "-id")

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return selectors.CaseFilters.parse(self.request.query_params, user=self.request.user).apply(queryset)

    def get_procedure_run(self, obj):
        return services.case_run(obj)

    @extend_schema(request=LicenceCaseCreateSerializer, responses={201: LicenceCaseSerializer},
                   description="收件:登记行政许可申请(本单位或法制办);许可事项须已公布、实施主体须可执法,否则 409 licence.refused。"
                               + WRITE_DOC)
    def create(self, request, *args, **kwargs):
        ser = LicenceCaseCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        case = services.case_create(actor=request.user, data=dict(ser.validated_data))
        return Response(self.get_serializer(self.base_queryset().get(pk=case.pk)).data, status=201)

    def _act(self, request, kind, serializer_class):
        case = self.get_object()
        if not rules.can_act(request.user, case.unit):
            raise NotAllowed("只有该案件的实施单位(或法制办)可以办理此事项")
        ser = serializer_class(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        version = data.pop("version")
        services.CASE_ACTS[kind](case=case, actor=request.user, expected_version=version, **data)
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        request={"application/json": LicenceStepActSerializer, "multipart/form-data": LicenceStepActMultipartSerializer},
        description="办理许可程序的一个步骤(见上);须带 version:缺少 400,记录已变更 409 不执行。前置步骤未完成 → 409 "
                    "procedure.step_missing;无权办理该步骤 → 403;他单位的记录 → 404。")
    @action(detail=True, methods=["post"], url_path="steps", parser_classes=[JSONParser, MultiPartParser])
    def steps(self, request, pk=None):
        case = self.get_object()
        data = request.data
        officers = data.get("inspection_officers") if hasattr(data, "get") else None
        if isinstance(officers, list) and all(isinstance(v, int) and not isinstance(v, bool) for v in officers):
            data = {**data, "inspection_officers": [str(v) for v in officers]}  # ids as numbers: the form reads text
        with transaction.atomic():
            run = self.get_procedure_run(case)
            act = actions.act_parse(data, request.FILES, self.step_actions, run, actor=request.user)
            if act.decide is not None or act.not_applicable:  # no step extras: perform checks the others' version
                services.check_case_version(case, data.get("version"))  # after the role check: a reader gets 403
            actions.act_perform(record_obj=case, run=run, act=act, actions=self.step_actions, actor=request.user)
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=LicenceOnSerializer, responses={200: LicenceCaseSerializer},
                   description="收到补正材料:受理审查期限自此日重新起算。" + WRITE_DOC)
    @action(detail=True, methods=["post"], url_path="materials-received", parser_classes=[JSONParser])
    def materials_received(self, request, pk=None):
        return self._act(request, "materials_received", LicenceOnSerializer)

    @extend_schema(request=LicenceExtendSerializer, responses={200: LicenceCaseSerializer},
                   description="延长决定期限(第42条:经本机关负责人批准,只能一次,至多见 licence.extend;超过 400 days)。"
                               + WRITE_DOC)
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def extend(self, request, pk=None):
        return self._act(request, "extend", LicenceExtendSerializer)

    @extend_schema(request=LicenceWithdrawSerializer, responses={200: LicenceCaseSerializer},
                   description="申请人撤回申请(作出决定前):案件终结(withdrawn),各项期限停止计算;决定后 409。" + WRITE_DOC)
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def withdraw(self, request, pk=None):
        return self._act(request, "withdraw", LicenceWithdrawSerializer)

    @extend_schema(request=LicenceHearingRightSerializer, responses={200: LicenceCaseSerializer},
                   description="告知听证权利(第47条):自告知之日起五日内可申请听证(licence.hearing_request)。" + WRITE_DOC)
    @action(detail=True, methods=["post"], url_path="hearing-right", parser_classes=[JSONParser])
    def hearing_right(self, request, pk=None):
        return self._act(request, "hearing_right", LicenceHearingRightSerializer)

    @extend_schema(request=LicenceHearingRequestSerializer, responses={200: LicenceCaseSerializer},
                   description="收到听证申请(第47条):逾期 409;二十日内组织听证(licence.hearing),决定期限中止计算(第45条)。"
                               + WRITE_DOC)
    @action(detail=True, methods=["post"], url_path="hearing-request", parser_classes=[JSONParser])
    def hearing_request(self, request, pk=None):
        return self._act(request, "hearing_request", LicenceHearingRequestSerializer)

    @extend_schema(request=LicenceHearingNoticeSerializer, responses={200: LicenceCaseSerializer},
                   description="通知听证(第48条):听证七日前通知;主持人为非现场核查人员的本单位执法人员;本机关依第46条"
                               "举行的须 kind,决定期限自通知之日起中止计算。" + WRITE_DOC)
    @action(detail=True, methods=["post"], url_path="hearing-notice", parser_classes=[JSONParser])
    def hearing_notice(self, request, pk=None):
        return self._act(request, "hearing_notice", LicenceHearingNoticeSerializer)

    @extend_schema(request=LicenceHearingHeldSerializer, responses={200: LicenceCaseSerializer},
                   description="举行听证:登记听证笔录要点,决定期限自次日起恢复计算。" + WRITE_DOC)
    @action(detail=True, methods=["post"], url_path="hearing-held", parser_classes=[JSONParser])
    def hearing_held(self, request, pk=None):
        return self._act(request, "hearing_held", LicenceHearingHeldSerializer)

"""API of fault accountability: /api/v1/fault-records/ (list with the register's filters, retrieve; POST creates —
the office or an inspector —; POST {id}/decide/ the sanction, {id}/compensation/ the state compensation paid
(multipart with the document), {id}/void/). Every queryset through the scoping; refusals from the services."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from fazhi.core.api import ScopedReadOnlyViewSet, StrictJSONMixin
from fazhi.core.drf import JSONParser, MultiPartParser
from fazhi.core.errors import InvalidInput, NotAllowed
from fazhi.core.filters import UNIT_CODE_PATTERN
from fazhi.enforcement.fault import rules, selectors, services
from fazhi.enforcement.fault import models as m


class FaultOfficerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    staff_number = serializers.CharField()


class FaultRecordSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True, help_text="责任单位代码")
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    case_kind = serializers.SerializerMethodField(help_text="penalty 行政处罚 / licence 行政许可")
    case_number = serializers.CharField(read_only=True)
    officers = FaultOfficerSerializer(many=True, read_only=True)
    status_label = serializers.CharField(read_only=True)
    voided = serializers.BooleanField(source="is_voided", read_only=True)

    class Meta:
        model = m.FaultRecord
        fields = ["id", "unit", "unit_name", "case_kind", "penalty_case", "licence_case", "case_number", "officers",
                  "found_on", "source", "fault_kind", "fault", "responsibility", "status", "status_label", "sanction",
                  "sanction_on", "sanction_ref", "sanction_note", "compensation_paid", "compensation_on",
                  "compensation_ref", "voided", "void_reason", "version"]

    def get_case_kind(self, obj) -> str:
        return "penalty" if obj.penalty_case_id else "licence"


class FaultCreateSerializer(StrictJSONMixin, serializers.Serializer):
    case_kind = serializers.ChoiceField(choices=[("penalty", "行政处罚"), ("licence", "行政许可")])
    case_number = serializers.CharField(max_length=60, help_text="行政处罚案号或行政许可申请编号")
    officers = serializers.ListField(child=serializers.CharField(max_length=40), min_length=1,
                                     help_text="责任人员:本案所属单位执法人员的姓名或工号")
    found_on = serializers.DateField()
    source = serializers.ChoiceField(choices=m.SOURCES, required=False)
    fault_kind = serializers.ChoiceField(choices=m.FAULT_KINDS)
    responsibility = serializers.ChoiceField(choices=m.RESPONSIBILITIES)
    fault = serializers.CharField(max_length=5000)


class FaultDecideSerializer(StrictJSONMixin, serializers.Serializer):
    sanction = serializers.ChoiceField(choices=m.SANCTIONS)
    sanction_on = serializers.DateField()
    sanction_ref = serializers.CharField(max_length=100)
    sanction_note = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    version = serializers.IntegerField(min_value=0, help_text="读取时的 version;已变更则 409")


class FaultCompensationSerializer(serializers.Serializer):
    compensation_paid = serializers.CharField(max_length=20, help_text="金额(元),最多两位小数")
    compensation_on = serializers.DateField()
    compensation_ref = serializers.CharField(max_length=100)
    files = serializers.ListField(child=serializers.FileField(), min_length=1, help_text="赔偿决定书或支付凭证")
    version = serializers.IntegerField(min_value=0)


class FaultVoidSerializer(StrictJSONMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=1000)
    version = serializers.IntegerField(min_value=0)


LIST_PARAMS = [
    OpenApiParameter("unit", {"type": "string", "pattern": UNIT_CODE_PATTERN}, description="责任单位代码(含下级单位)"),
    OpenApiParameter("year", {"type": "string", "pattern": r"^(\d{4})?$"}, description="认定年份"),
    OpenApiParameter("responsibility", OpenApiTypes.STR, enum=["", *m.RESPONSIBILITY_LABELS]),
    OpenApiParameter("sanction", OpenApiTypes.STR, enum=["", *m.SANCTION_LABELS]),
    OpenApiParameter("status", OpenApiTypes.STR, enum=["", *m.STATUS_LABELS, "voided"]),
    OpenApiParameter("compensated", OpenApiTypes.STR, enum=["", "true", "false"], description="已支付国家赔偿"),
]


class FaultRecordViewSet(ScopedReadOnlyViewSet):
    """执法过错责任追究 the caller may see (a unit: its own)."""

    queryset = m.FaultRecord.objects.all()
    serializer_class = FaultRecordSerializer
    filter_backends = []
    parser_classes = [JSONParser, MultiPartParser]

    def base_queryset(self):
        return (m.FaultRecord.objects.select_related("unit", "penalty_case", "licence_case")
                .prefetch_related("officers").order_by("-found_on", "-id"))

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action != "list":
            return qs
        try:
            return selectors.Filters.parse(self.request.query_params, self.request.user).apply(qs)
        except InvalidInput as e:
            raise ValidationError({e.field: [e.message]}) from None

    @extend_schema(parameters=LIST_PARAMS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=FaultCreateSerializer, responses={201: FaultRecordSerializer})
    def create(self, request, *args, **kwargs):
        if not rules.can_open(request.user):
            raise NotAllowed("只有法制办或督查人员可以登记执法过错责任追究")
        body = FaultCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        case = services.case_find(user=request.user, kind=data["case_kind"], number=data["case_number"])
        officers = services.officers_find(case=case, names=data["officers"])
        record = services.fault_open(case=case, officers=officers, data=data, actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data, status=201)

    @extend_schema(request=FaultDecideSerializer, responses={200: FaultRecordSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        record = self.get_object()
        if not rules.can_decide(request.user):
            raise NotAllowed("只有法制办或督查人员可以登记追究处理决定")
        body = FaultDecideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        services.fault_decide(record=record, sanction=d["sanction"], on=d["sanction_on"], ref=d["sanction_ref"],
                              note=d.get("sanction_note", ""), actor=request.user, expected_version=d["version"])
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request={"multipart/form-data": FaultCompensationSerializer},
                   responses={200: FaultRecordSerializer})
    @action(detail=True, methods=["post"])
    def compensation(self, request, pk=None):
        record = self.get_object()
        if not rules.can_record_compensation(request.user, record):
            raise NotAllowed("只有责任单位或法制办可以登记国家赔偿支付情况")
        body = FaultCompensationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        services.fault_compensation(record=record, amount=d["compensation_paid"], on=d["compensation_on"],
                                    ref=d["compensation_ref"], files=d["files"], actor=request.user,
                                    expected_version=d["version"])
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=FaultVoidSerializer, responses={200: FaultRecordSerializer})
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        record = self.get_object()
        if not rules.can_open(request.user):
            raise NotAllowed("只有法制办或督查人员可以作废执法过错责任追究记录")
        body = FaultVoidSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.fault_void(record=record, reason=body.validated_data["reason"], actor=request.user,
                            expected_version=body.validated_data["version"])
        return Response(self.get_serializer(self.get_object()).data)

"""API of 行政应诉: /api/v1/litigations/ (list, retrieve, create; each case with `defendant`, `status`, `lost`,
`hearings`, `judgments`, `clocks` and its procedure's `steps`; POST {id}/steps/ acts on one step — the
judgment or ruling is the `judgment` / `appeal_judgment` step —, POST {id}/hearings/ records a hearing) and
/api/v1/litigation-accountabilities/ (POST {id}/people/ by the unit or the office, {id}/close/ by the office).
Every queryset through the scoping; every refusal from the services (400 naming the field, 403, 409)."""

from __future__ import annotations

from django.db.models import Prefetch
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
from fazhi.deadlines.api import ClocksField, ClocksMixin
from fazhi.procedures.api import StepActionsMixin, StepsField
from fazhi.remedies.litigation import models as m
from fazhi.remedies.litigation import rules, selectors, services
from fazhi.remedies.litigation.steps import STEP_ACTIONS


class LitigationPartySerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=m.PARTY_KINDS, help_text="person 自然人、legal_person 法人、organisation 非法人组织")


class LitigationHearingSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    instance = serializers.CharField(source="court_level", read_only=True, help_text="审级:first 一审、second 二审、retrial 再审")

    class Meta:
        model = m.Hearing
        fields = ["id", "instance", "held_on", "kind", "kind_label", "notice_received", "notice_on",
                  "leader_name", "leader_post", "leader_title", "staff", "lawyers", "absence_reason", "absence_note",
                  "appeared", "leader_appeared"]
        extra_kwargs = {"appeared": {"help_text": "本单位出庭:负责人或工作人员出庭(仅律师不算)"},
                        "leader_appeared": {"help_text": "负责人(正职或副职)出庭"}}


class LitigationJudgmentSerializer(serializers.ModelSerializer):
    result_label = serializers.CharField(source="get_result_display", read_only=True)
    instance = serializers.CharField(source="court_level", read_only=True)

    class Meta:
        model = m.Judgment
        fields = ["id", "instance", "kind", "decided_on", "result", "result_label", "lost", "loss_causes", "loss_note"]


class LitigationSerializer(serializers.ModelSerializer):
    defendant = serializers.CharField(source="unit.code", read_only=True, help_text="被告单位代码")
    defendant_name = serializers.CharField(source="unit.name", read_only=True)
    status_label = serializers.CharField(read_only=True)
    instance = serializers.CharField(source="court_level", read_only=True, help_text="审级:first 一审、second 二审、retrial 再审")
    plaintiffs = LitigationPartySerializer(many=True, read_only=True)
    third_parties = LitigationPartySerializer(many=True, read_only=True)
    hearings = LitigationHearingSerializer(many=True, read_only=True)
    judgments = LitigationJudgmentSerializer(many=True, read_only=True)
    accountability = serializers.SerializerMethodField(help_text="败诉责任追究记录的编号;无则为 null")
    answer_state = serializers.SerializerMethodField(
        help_text="答辩举证情况:on_time 按期、late 逾期答辩、missed 未答辩(逾期,答辩期限届满未答辩即结案)、"
                  "owed 待答辩举证(期限是否已过见 clocks 的 overdue)、not_owed 期限届满前已结案")
    answer_label = serializers.CharField(read_only=True)
    clocks = ClocksField()
    steps = StepsField()

    class Meta:
        model = m.Litigation
        fields = ["id", "defendant", "defendant_name", "court", "case_number", "cause", "instance", "plaintiffs",
                  "third_parties", "act_name", "act_number", "act_date", "after_reconsideration",
                  "reconsideration_number", "received_on", "note", "status", "status_label", "answered_on",
                  "answer_on_time", "answer_state", "answer_label", "appealed_by", "appealed_on", "appeal_court", "appeal_number", "result",
                  "lost", "loss_causes", "loss_note", "effective_on", "hearings", "judgments", "accountability",
                  "version", "clocks", "steps"]
        extra_kwargs = {"lost": {"help_text": "败诉(生效裁判;由裁判结果按规则得出);未生效为 null"}}

    def get_answer_state(self, obj) -> str:
        return rules.answer_state(obj)

    def get_accountability(self, obj) -> int | None:
        acc = obj.accountability if hasattr(obj, "accountability") else None  # absent: no record
        return acc.pk if acc else None


class LitigationCreateSerializer(StrictJSONMixin, serializers.Serializer):
    """The body of POST /api/v1/litigations/ (documentation and types; the service checks the rest)."""

    defendant = serializers.CharField(required=False, allow_blank=True, max_length=32,
                                      help_text="被告单位代码;本单位人员只有一个单位时可不填")
    court = serializers.CharField(max_length=100)
    case_number = serializers.CharField(max_length=60, help_text="法院案号,同一法院内唯一")
    cause = serializers.CharField(max_length=200)
    instance = serializers.ChoiceField(choices=m.INSTANCES, required=False)
    plaintiffs = serializers.ListField(child=serializers.DictField(), help_text="原告:[{name, kind}]")
    third_parties = serializers.ListField(child=serializers.DictField(), required=False)
    act_name = serializers.CharField(max_length=200)
    act_number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    act_date = serializers.DateField(required=False, allow_null=True)
    after_reconsideration = serializers.BooleanField(required=False)
    reconsideration_number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    received_on = serializers.DateField(help_text="收到起诉状副本和应诉通知书的日期;答辩举证期限自此起算")
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class LitigationHearingCreateSerializer(StrictJSONMixin, serializers.Serializer):
    held_on = serializers.DateField(help_text="庭审日期,不晚于今天")
    kind = serializers.ChoiceField(choices=m.HEARING_KINDS, required=False)
    notice_received = serializers.BooleanField(required=False)
    notice_on = serializers.DateField(required=False, allow_null=True)
    leader_name = serializers.CharField(max_length=40, required=False, allow_blank=True)
    leader_post = serializers.ChoiceField(choices=[("", "—"), *m.LEADER_POSTS], required=False, allow_blank=True)
    leader_title = serializers.CharField(max_length=60, required=False, allow_blank=True)
    staff = serializers.ListField(child=serializers.CharField(max_length=40), required=False)
    lawyers = serializers.ListField(child=serializers.CharField(max_length=40), required=False)
    absence_reason = serializers.ChoiceField(choices=[("", "—"), *m.ABSENCE_REASONS], required=False,
                                             allow_blank=True)
    absence_note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    version = serializers.IntegerField(min_value=0, help_text="案件的 version(读取时的版本号);已变更则 409,不会重复登记")


class LitigationHearingMultipartSerializer(LitigationHearingCreateSerializer):
    notice = serializers.FileField(required=False, help_text="出庭通知书")


LIST_PARAMS = [
    OpenApiParameter("defendant", {"type": "string", "pattern": UNIT_CODE_PATTERN},
                     description="被告单位代码(含下级单位);须为您可查看的单位,否则 400"),
    OpenApiParameter("status", OpenApiTypes.STR, enum=["", *m.STATUS_LABELS], description="状态"),
    OpenApiParameter("year", {"type": "string", "pattern": r"^(\d{4})?$"}, description="收案年份"),
    OpenApiParameter("lost", OpenApiTypes.STR, enum=["", "true", "false"], description="败诉"),
]


class LitigationViewSet(ClocksMixin, StepActionsMixin, ScopedReadOnlyViewSet):
    """行政应诉案件 the caller may see (a unit: its own as defendant). POST creates one (the unit's admins and
    staff, or the office; the answer clock `litigation.answer` opens from `received_on`). POST {id}/steps/:
    `answer` (multipart: `defence` 答辩状 + `evidence` 证据, one or more; stops the answer clock, on time or
    late), `judgment` / `appeal_judgment` (+ `kind` judgment/ruling/mediation, `result`, `loss_causes` and
    `loss_note` when lost; the document as `files`), `appeal` (+ `appealed_by`, `appeal_court`,
    `appeal_number`), `effective` (`outcome` effective; a case lost through not answering or not appearing
    opens its accountability record). POST {id}/hearings/ records a hearing."""

    queryset = m.Litigation.objects.all()
    serializer_class = LitigationSerializer
    step_actions = STEP_ACTIONS
    filter_backends = []
    parser_classes = [JSONParser, MultiPartParser]

    def base_queryset(self):
        return (m.Litigation.objects.select_related("unit", "accountability")
                .prefetch_related(Prefetch("hearings", queryset=m.Hearing.objects.order_by("held_on", "id")),
                                  Prefetch("judgments", queryset=m.Judgment.objects.order_by("decided_on", "id")))
                .order_by("-received_on", "-id"))

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action != "list":
            return qs
        params = self.request.query_params
        query = {"unit": params.get("defendant", ""), "status": params.get("status", ""),
                 "year": params.get("year", ""), "lost": params.get("lost", "")}
        try:
            return selectors.CaseFilters.parse(query).apply(qs, user=self.request.user)
        except InvalidInput as e:
            field = {"unit": "defendant"}.get(e.field, e.field)
            raise ValidationError({field: [e.message]}) from None

    @extend_schema(parameters=LIST_PARAMS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def _defendant(self, code: str):
        from fazhi.org.models import Unit

        user = self.request.user
        if code:
            unit = Unit.objects.visible_to(user).filter(code=code.strip().upper()).first()
            if unit is None:
                raise InvalidInput(f"「被告单位」{code[:32]} 不存在或您无权查看", field="defendant")
            return unit
        from fazhi.core.scoping import scope_for

        scope = scope_for(user)
        own = [u for u in Unit.objects.visible_to(user).filter(active=True) if scope.acts_for(u)] \
            if not scope.all_units else []
        if len(own) == 1:
            return own[0]
        raise InvalidInput("请填写「被告单位」代码", field="defendant")

    @extend_schema(request=LitigationCreateSerializer, responses={201: LitigationSerializer})
    def create(self, request, *args, **kwargs):
        body = LitigationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        unit = self._defendant(data.pop("defendant", ""))
        if not rules.can_register(request.user, unit):
            raise NotAllowed("只有被告单位的工作人员或法制办可以登记行政应诉案件")
        case = services.case_register(unit=unit, actor=request.user, data=data)
        return Response(self.get_serializer(self.get_queryset().get(pk=case.pk)).data, status=201)

    @extend_schema(request={"application/json": LitigationHearingCreateSerializer,
                            "multipart/form-data": LitigationHearingMultipartSerializer},
                   responses={201: LitigationSerializer},
                   description="登记一次庭审及本单位出庭人员;负责人未出庭须选择理由并说明。须带案件的 version:"
                               "已变更(如重复提交)则 409。403 无权,404 他单位案件。")
    @action(detail=True, methods=["post"], url_path="hearings")
    def hearings(self, request, pk=None):
        case = self.get_object()
        if not rules.can_act(request.user, case):
            raise NotAllowed("只有被告单位或法制办可以登记庭审")
        body = LitigationHearingMultipartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        notice, version = data.pop("notice", None), data.pop("version")
        services.hearing_add(case=case, actor=request.user, data=data, expected_version=version,
                             files=[notice] if notice else [])
        return Response(self.get_serializer(self.get_object()).data, status=201)


class LitigationAccountabilitySerializer(serializers.ModelSerializer):
    defendant = serializers.CharField(source="unit.code", read_only=True)
    litigation = serializers.IntegerField(source="litigation_id", read_only=True)
    case_number = serializers.CharField(source="litigation.case_number", read_only=True)

    class Meta:
        model = m.LitigationAccountability
        fields = ["id", "litigation", "case_number", "defendant", "grounds", "facts", "people", "status", "opened_on",
                  "result", "closed_on", "version"]


class LitigationPeopleSerializer(StrictJSONMixin, serializers.Serializer):
    people = serializers.ListField(child=serializers.DictField(), help_text="责任领导:[{name, post}]")
    facts = serializers.CharField(max_length=5000)
    version = serializers.IntegerField(min_value=0)


class LitigationCloseSerializer(StrictJSONMixin, serializers.Serializer):
    result = serializers.CharField(max_length=5000)
    version = serializers.IntegerField(min_value=0)


class AccountabilityViewSet(ScopedReadOnlyViewSet):
    """败诉责任追究 (opened by the service when a case is lost through not answering or not appearing)."""

    queryset = m.LitigationAccountability.objects.all()
    serializer_class = LitigationAccountabilitySerializer
    filter_backends = []

    def base_queryset(self):
        return m.LitigationAccountability.objects.select_related("unit", "litigation").order_by("-opened_on", "-id")

    @extend_schema(request=LitigationPeopleSerializer, responses={200: LitigationAccountabilitySerializer})
    @action(detail=True, methods=["post"])
    def people(self, request, pk=None):
        record = self.get_object()
        if not rules.can_register(request.user, record.unit):
            raise NotAllowed("只有被告单位或法制办可以填写责任领导")
        body = LitigationPeopleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.accountability_people(record=record, actor=request.user, people=body.validated_data["people"],
                                       facts=body.validated_data["facts"],
                                       expected_version=body.validated_data["version"])
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=LitigationCloseSerializer, responses={200: LitigationAccountabilitySerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        record = self.get_object()
        if not rules.can_close_accountability(request.user):
            raise NotAllowed("只有法制办可以办结败诉责任追究")
        body = LitigationCloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.accountability_close(record=record, actor=request.user, result=body.validated_data["result"],
                                      expected_version=body.validated_data["version"])
        return Response(self.get_serializer(self.get_object()).data)

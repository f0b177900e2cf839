"""API of subjects and officers: /api/v1/enforcement-subjects/ (with powers, `may_open_case` and its `refusal`
from rules.subject_refusal; POST creates, PATCH edits with `version`, POST {id}/review/ (office), {id}/announce/,
{id}/revoke/, {id}/powers/) and /api/v1/officers/ (with certificates and `certificate_state`; POST creates, PATCH
edits, POST {id}/leave/, {id}/certificates/, {id}/certificate-review/, {id}/certificate-status/). Every queryset
through the scoping (another unit's record is a 404); every refusal from the services (400 naming the field, 403,
409 for a stale edit)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from fazhi.core.api import ScopedReadOnlyViewSet, StrictJSONMixin
from fazhi.core.errors import InvalidInput, NotAllowed
from fazhi.core.filters import NO_CONTROL_PATTERN, UNIT_CODE_PATTERN
from fazhi.core.scoping import scope_for
from fazhi.enforcement.subjects import models as m
from fazhi.enforcement.subjects import rules, selectors, services


def _unit_for(user, code: str, *, field: str = "unit", label: str = "所属单位"):
    """The unit named in a body (one the caller may see), or the caller's only unit."""
    from fazhi.org.models import Unit

    if code:
        unit = Unit.objects.visible_to(user).filter(code=str(code).strip().upper()[:32]).first()
        if unit is None:
            raise InvalidInput(f"「{label}」{str(code)[:32]} 不存在或您无权查看", field=field)
        return unit
    from fazhi.org.selectors import writable_units

    own = writable_units(user) if not scope_for(user).all_units else []
    if len(own) == 1:
        return own[0]
    raise InvalidInput(f"请填写「{label}」代码", field=field)


def _filters(parse, query: dict):
    try:
        return parse(query)
    except InvalidInput as e:
        raise ValidationError({e.field or "detail": [e.message]}) from None


# ---------------------------------------------------------------- subjects


class SubjectPowerSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = m.Power
        fields = ["id", "kind", "kind_label", "name", "basis", "active", "deactivated_on", "deactivate_reason",
                  "version"]


class SubjectSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True, help_text="所属单位代码")
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    entrusted_by = serializers.SerializerMethodField(help_text="委托机关代码(受委托组织);否则 null")
    key_areas = serializers.SerializerMethodField(help_text="执法领域(重点领域代码)")
    review_label = serializers.CharField(source="get_review_status_display", read_only=True)
    may_open_case = serializers.SerializerMethodField(help_text="今天能否以该主体名义立案(审查合格、已公告、未撤销、在委托期内)")
    refusal = serializers.SerializerMethodField(help_text="不能立案的理由及依据;能则为 null")
    powers = SubjectPowerSerializer(many=True, read_only=True)

    class Meta:
        model = m.EnforcementSubject
        fields = ["id", "unit", "unit_name", "name", "kind", "kind_label", "basis", "entrusted_by",
                  "entrustment_document", "entrustment_until", "key_areas", "review_status", "review_label",
                  "reviewed_on", "review_note", "announced_on", "announcement_ref", "revoked_on", "revoke_reason",
                  "may_open_case", "refusal", "powers", "version"]

    def get_entrusted_by(self, obj) -> str | None:
        return obj.entrusted_by.code if obj.entrusted_by_id else None

    def get_key_areas(self, obj) -> list[str]:
        return [a.code for a in obj.key_areas.all()]

    def get_refusal(self, obj) -> str | None:
        return rules.subject_refusal(obj, timezone.localdate())

    def get_may_open_case(self, obj) -> bool:
        return self.get_refusal(obj) is None


class SubjectWriteSerializer(StrictJSONMixin, serializers.Serializer):
    unit = serializers.CharField(required=False, allow_blank=True, max_length=32,
                                 help_text="所属单位代码;本单位人员只有一个单位时可不填(创建时)")
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=m.SUBJECT_KINDS, required=False)
    basis = serializers.CharField(max_length=5000)
    entrusted_by = serializers.CharField(required=False, allow_blank=True, max_length=32,
                                         help_text="委托机关代码:受委托组织必填")
    entrustment_document = serializers.CharField(required=False, allow_blank=True, max_length=100,
                                                 help_text="委托书文号:受委托组织必填")
    entrustment_until = serializers.DateField(required=False, allow_null=True)
    key_areas = serializers.ListField(child=serializers.CharField(max_length=40), required=False, max_length=20)
    version = serializers.IntegerField(required=False, min_value=0, help_text="修改时必填:读取时的版本号")


def _subject_data(data: dict) -> dict:
    out = {k: data.get(k) for k in services.SUBJECT_FIELDS}
    code = (data.get("entrusted_by") or "").strip().upper()[:32]
    out["entrusted_by"] = None
    if code:  # the entrusting body is any unit of the district, not only one the caller sees (the form offers all)
        from fazhi.org.models import Unit

        out["entrusted_by"] = Unit.objects.filter(code=code, active=True).first()
        if out["entrusted_by"] is None:
            raise InvalidInput(f"「委托机关」{code} 不存在,请核对单位代码", field="entrusted_by")
    out["key_areas"] = data.get("key_areas") or []
    return out


class SubjectReviewSerializer(StrictJSONMixin, serializers.Serializer):
    outcome = serializers.ChoiceField(choices=list(services.REVIEW_OUTCOMES.items()))
    on = serializers.DateField(help_text="审查日期,不晚于今天")
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, help_text="审查意见;不合格、需纠正必填")
    version = serializers.IntegerField(min_value=0)


class SubjectAnnounceSerializer(StrictJSONMixin, serializers.Serializer):
    on = serializers.DateField(help_text="公告日期,不晚于今天")
    ref = serializers.CharField(max_length=200, help_text="公告文号或网址")
    version = serializers.IntegerField(min_value=0)


class EnforcementDatedReasonSerializer(StrictJSONMixin, serializers.Serializer):
    on = serializers.DateField(help_text="日期,不晚于今天")
    reason = serializers.CharField(max_length=5000)
    version = serializers.IntegerField(min_value=0)


class SubjectPowerWriteSerializer(StrictJSONMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=m.POWER_KINDS)
    name = serializers.CharField(max_length=200)
    basis = serializers.CharField(max_length=5000)


SUBJECT_PARAMS = [
    OpenApiParameter("unit", {"type": "string", "pattern": UNIT_CODE_PATTERN},
                     description="单位代码(含下级单位);须为您可查看的单位,否则 400"),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=["", *m.SUBJECT_KIND_LABELS], description="主体类别"),
    OpenApiParameter("review", OpenApiTypes.STR, enum=["", *m.REVIEW_STATE_LABELS], description="审查结论"),
    OpenApiParameter("announced", OpenApiTypes.STR, enum=["", "true", "false"], description="已公告"),
    OpenApiParameter("key_area", {"type": "string", "pattern": NO_CONTROL_PATTERN, "maxLength": 40},
                     description="执法领域(重点领域代码)"),
]


class SubjectViewSet(ScopedReadOnlyViewSet):
    """执法主体 the caller may see (a unit: its own). POST creates (the unit or the office; 待审查), PATCH edits
    (`version`; changing kind, basis or entrustment puts a reviewed subject back to 待审查). POST {id}/review/
    (office: qualified / unqualified / to_correct with `note`), {id}/announce/ (only a qualified subject),
    {id}/revoke/, {id}/powers/ (add a power)."""

    queryset = m.EnforcementSubject.objects.all()
    serializer_class = SubjectSerializer
    filter_backends = []
    http_method_names = ["get", "post", "patch", "head", "options"]

    def base_queryset(self):
        from fazhi.org.models import KeyArea

        return (m.EnforcementSubject.objects.select_related("unit", "entrusted_by")
                .prefetch_related(Prefetch("key_areas", queryset=KeyArea.objects.order_by("sort_order", "code")),
                                  Prefetch("powers", queryset=m.Power.objects.order_by("-active", "kind", "id")))
                .order_by("unit__sort_order", "unit__code", "name", "id"))

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action != "list":
            return qs
        return _filters(selectors.SubjectFilters.parse, self.request.query_params).apply(qs, user=self.request.user)

    @extend_schema(parameters=SUBJECT_PARAMS)
    def list(self, request, *args, **kwargs):
        try:
            return super().list(request, *args, **kwargs)
        except InvalidInput as e:
            raise ValidationError({e.field or "detail": [e.message]}) from None

    def _answer(self, pk, status=200):
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data, status=status)

    @extend_schema(request=SubjectWriteSerializer, responses={201: SubjectSerializer})
    def create(self, request, *args, **kwargs):
        body = SubjectWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        unit = _unit_for(request.user, data.get("unit", ""))
        subject = services.subject_create(unit=unit, actor=request.user, data=_subject_data(data))
        return self._answer(subject.pk, 201)

    @extend_schema(request=SubjectWriteSerializer, responses={200: SubjectSerializer})
    def partial_update(self, request, *args, **kwargs):
        subject = self.get_object()
        body = SubjectWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        current = {k: getattr(subject, k) for k in services.SUBJECT_FIELDS if k != "key_areas"}
        current.update(entrusted_by=subject.entrusted_by.code if subject.entrusted_by_id else "",
                       key_areas=[a.code for a in subject.key_areas.all()])
        data = current | dict(body.validated_data)  # PATCH: what is not sent stays as it is
        services.subject_update(subject=subject, actor=request.user, data=_subject_data(data),
                                expected_version=data.get("version"))
        return self._answer(subject.pk)

    @extend_schema(request=SubjectReviewSerializer, responses={200: SubjectSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        subject = self.get_object()
        body = SubjectReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        services.subject_review(subject=subject, actor=request.user, outcome=d["outcome"], on=d["on"],
                                note=d.get("note", ""), expected_version=d["version"])
        return self._answer(subject.pk)

    @extend_schema(request=SubjectAnnounceSerializer, responses={200: SubjectSerializer})
    @action(detail=True, methods=["post"])
    def announce(self, request, pk=None):
        subject = self.get_object()
        body = SubjectAnnounceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        services.subject_announce(subject=subject, actor=request.user, on=d["on"], ref=d["ref"],
                                  expected_version=d["version"])
        return self._answer(subject.pk)

    @extend_schema(request=EnforcementDatedReasonSerializer, responses={200: SubjectSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        subject = self.get_object()
        body = EnforcementDatedReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        services.subject_revoke(subject=subject, actor=request.user, on=d["on"], reason=d["reason"],
                                expected_version=d["version"])
        return self._answer(subject.pk)

    @extend_schema(request=SubjectPowerWriteSerializer, responses={201: SubjectSerializer})
    @action(detail=True, methods=["post"])
    def powers(self, request, pk=None):
        subject = self.get_object()
        body = SubjectPowerWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.power_add(subject=subject, actor=request.user, data=dict(body.validated_data))
        return self._answer(subject.pk, 201)


# ---------------------------------------------------------------- officers


class OfficerCertificateSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    valid_today = serializers.SerializerMethodField(help_text="今日有效(已发证、未过期,未暂扣或注销)")
    review_overdue = serializers.SerializerMethodField(help_text="年审逾期(上一年度年审应于次年 3 月 31 日前完成)")

    class Meta:
        model = m.Certificate
        fields = ["id", "number", "kind", "kind_label", "issued_by", "issued_on", "expires_on", "reviewed_year",
                  "status", "status_label", "status_since", "status_reason", "valid_today", "review_overdue",
                  "version"]

    def get_valid_today(self, obj) -> bool:
        return rules.certificate_valid_on(obj, timezone.localdate())

    def get_review_overdue(self, obj) -> bool:
        return rules.review_overdue(obj, timezone.localdate())


class OfficerSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    subject = serializers.IntegerField(source="subject_id", read_only=True, allow_null=True)
    subject_name = serializers.SerializerMethodField()
    certificate_state = serializers.SerializerMethodField(
        help_text="valid 有效、expiring 60 日内到期(黄)、expired 已过期或失效(红)、none 无证件")
    certificate_state_label = serializers.SerializerMethodField()
    certificates = OfficerCertificateSerializer(many=True, read_only=True)

    class Meta:
        model = m.Officer
        fields = ["id", "unit", "unit_name", "name", "staff_number", "post", "subject", "subject_name", "active",
                  "left_on", "leave_reason", "certificate_state", "certificate_state_label", "certificates", "version"]

    def get_subject_name(self, obj) -> str | None:
        return obj.subject.name if obj.subject_id else None

    def get_certificate_state(self, obj) -> str:
        return rules.certificate_state(obj.certificates.all(), timezone.localdate())

    def get_certificate_state_label(self, obj) -> str:
        return rules.CERT_STATE_LABELS[self.get_certificate_state(obj)]


class OfficerWriteSerializer(StrictJSONMixin, serializers.Serializer):
    unit = serializers.CharField(required=False, allow_blank=True, max_length=32, help_text="所属单位代码(创建时)")
    name = serializers.CharField(max_length=40)
    subject = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**31 - 1,
                                       help_text="执法主体 id(本单位的)")
    staff_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    post = serializers.CharField(max_length=60, required=False, allow_blank=True)
    version = serializers.IntegerField(required=False, min_value=0, help_text="修改时必填")


class OfficerCertificateWriteSerializer(StrictJSONMixin, serializers.Serializer):
    number = serializers.CharField(max_length=40)
    kind = serializers.ChoiceField(choices=m.CERT_KINDS, required=False)
    issued_by = serializers.CharField(max_length=100, required=False, allow_blank=True)
    issued_on = serializers.DateField()
    expires_on = serializers.DateField()
    reviewed_year = serializers.IntegerField(required=False, allow_null=True, min_value=1980, max_value=2200)


class OfficerCertificateReviewSerializer(StrictJSONMixin, serializers.Serializer):
    certificate = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="证件 id(该执法人员的)")
    year = serializers.IntegerField(min_value=1980, max_value=2200, help_text="年审通过的年度")
    version = serializers.IntegerField(min_value=0, help_text="证件的版本号")


class OfficerCertificateStatusSerializer(StrictJSONMixin, serializers.Serializer):
    certificate = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    status = serializers.ChoiceField(choices=list(services.CERT_ACTS.items()))
    on = serializers.DateField()
    reason = serializers.CharField(max_length=5000)
    version = serializers.IntegerField(min_value=0, help_text="证件的版本号")


OFFICER_PARAMS = [
    OpenApiParameter("unit", {"type": "string", "pattern": UNIT_CODE_PATTERN}, description="单位代码(含下级单位)"),
    OpenApiParameter("state", OpenApiTypes.STR, enum=["", *rules.CERT_STATE_LABELS], description="证件状态"),
    OpenApiParameter("q", {"type": "string", "pattern": NO_CONTROL_PATTERN, "maxLength": 40}, description="姓名或工号"),
    OpenApiParameter("active", OpenApiTypes.STR, enum=["", "true", "false"], description="在岗(默认 true;留空不限)"),
]


class OfficerViewSet(ScopedReadOnlyViewSet):
    """执法人员 with their certificates and `certificate_state` (rules.certificate_state). POST creates, PATCH
    edits (`version`), POST {id}/leave/, {id}/certificates/ (a new issue), {id}/certificate-review/ (年审),
    {id}/certificate-status/ (暂扣 suspended / 注销 revoked from `on`)."""

    queryset = m.Officer.objects.all()
    serializer_class = OfficerSerializer
    filter_backends = []
    http_method_names = ["get", "post", "patch", "head", "options"]

    def base_queryset(self):
        return (m.Officer.objects.select_related("unit", "subject")
                .prefetch_related(Prefetch("certificates", queryset=m.Certificate.objects.order_by("-issued_on", "-id")))
                .order_by("unit__sort_order", "unit__code", "name", "id"))

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action != "list":
            return qs
        return _filters(selectors.OfficerFilters.parse, self.request.query_params).apply(
            qs, user=self.request.user, today=timezone.localdate())

    @extend_schema(parameters=OFFICER_PARAMS)
    def list(self, request, *args, **kwargs):
        try:
            return super().list(request, *args, **kwargs)
        except InvalidInput as e:
            raise ValidationError({e.field or "detail": [e.message]}) from None

    def _answer(self, pk, status=200):
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data, status=status)

    def _data(self, unit, data: dict) -> dict:
        subject = None
        if data.get("subject"):
            subject = m.EnforcementSubject.objects.filter(pk=data["subject"], unit=unit).first()
            if subject is None:
                raise InvalidInput("「执法主体」应为本单位的执法主体", field="subject")
        return {k: data.get(k, "") for k in ("name", "staff_number", "post")} | {"subject": subject}

    @extend_schema(request=OfficerWriteSerializer, responses={201: OfficerSerializer})
    def create(self, request, *args, **kwargs):
        body = OfficerWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        unit = _unit_for(request.user, data.get("unit", ""))
        if not rules.can_manage_officers(request.user, unit):
            raise NotAllowed("只有本单位或法制办可以登记执法人员")
        officer = services.officer_create(unit=unit, actor=request.user, data=self._data(unit, data))
        return self._answer(officer.pk, 201)

    @extend_schema(request=OfficerWriteSerializer, responses={200: OfficerSerializer})
    def partial_update(self, request, *args, **kwargs):
        officer = self.get_object()
        body = OfficerWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        current = {k: getattr(officer, k) for k in ("name", "staff_number", "post")} | {"subject": officer.subject_id}
        data = current | dict(body.validated_data)
        if not rules.can_manage_officers(request.user, officer.unit):
            raise NotAllowed("只能修改本单位的执法人员")
        services.officer_update(officer=officer, actor=request.user, data=self._data(officer.unit, data),
                                expected_version=data.get("version"))
        return self._answer(officer.pk)

    @extend_schema(request=EnforcementDatedReasonSerializer, responses={200: OfficerSerializer})
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        officer = self.get_object()
        body = EnforcementDatedReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        services.officer_leave(officer=officer, actor=request.user, on=d["on"], reason=d["reason"],
                               expected_version=d["version"])
        return self._answer(officer.pk)

    @extend_schema(request=OfficerCertificateWriteSerializer, responses={201: OfficerSerializer})
    @action(detail=True, methods=["post"])
    def certificates(self, request, pk=None):
        officer = self.get_object()
        body = OfficerCertificateWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.certificate_add(officer=officer, actor=request.user, data=dict(body.validated_data))
        return self._answer(officer.pk, 201)

    def _certificate(self, officer, pk):
        cert = officer.certificates.filter(pk=pk).first()
        if cert is None:
            raise InvalidInput("「证件」不是该执法人员的证件", field="certificate")
        return cert

    @extend_schema(request=OfficerCertificateReviewSerializer, responses={200: OfficerSerializer})
    @action(detail=True, methods=["post"], url_path="certificate-review", url_name="certificate-review")
    def certificate_review(self, request, pk=None):
        officer = self.get_object()
        body = OfficerCertificateReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        services.certificate_review(certificate=self._certificate(officer, d["certificate"]), actor=request.user,
                                    year=d["year"], expected_version=d["version"])
        return self._answer(officer.pk)

    @extend_schema(request=OfficerCertificateStatusSerializer, responses={200: OfficerSerializer})
    @action(detail=True, methods=["post"], url_path="certificate-status", url_name="certificate-status")
    def certificate_status(self, request, pk=None):
        officer = self.get_object()
        body = OfficerCertificateStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        services.certificate_status(certificate=self._certificate(officer, d["certificate"]), actor=request.user,
                                    status=d["status"], on=d["on"], reason=d["reason"], expected_version=d["version"])
        return self._answer(officer.pk)

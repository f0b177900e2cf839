"""API of public consultation: /api/v1/consultations/ (scoped list; detail with the adoption table, unmasked
for staff who may see the consultation). Read-only: answers are given on the staff page."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from fazhi.core.api import ScopedReadOnlyViewSet
from fazhi.portal import selectors
from fazhi.portal.models import ADOPTION_CHOICES, CONSULT_RULES, CONSULT_STATE_LABELS, OPINION, Consultation, Submission

STATES = list(CONSULT_STATE_LABELS)


class AdoptionRowSerializer(serializers.Serializer):
    no = serializers.IntegerField(help_text="序号(按收到先后)")
    tracking_no = serializers.CharField(help_text="受理编号")
    received_on = serializers.DateField()
    content = serializers.CharField(help_text="意见内容")
    adoption = serializers.ChoiceField(choices=[c for c, _ in ADOPTION_CHOICES] + [""], help_text="空为待反馈")
    adoption_label = serializers.CharField(help_text="采纳、部分采纳、不予采纳或待反馈")
    reason = serializers.CharField(help_text="理由")
    answered_on = serializers.DateField(allow_null=True)


class ConsultationSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True, help_text="起草单位代码")
    unit_name = serializers.CharField(source="unit.display_name", read_only=True)
    rule_id = serializers.ChoiceField(choices=list(CONSULT_RULES), read_only=True)
    state = serializers.SerializerMethodField(help_text="not_started 未开始, open 征求中, closed 已截止")
    state_label = serializers.SerializerMethodField()
    opinions = serializers.IntegerField(source="opinion_total", read_only=True, help_text="收到的意见数")
    unanswered = serializers.IntegerField(source="opinion_unanswered", read_only=True, help_text="尚未反馈采纳情况的意见数")
    public_url = serializers.SerializerMethodField(help_text="公众页面(开始后可访问)")

    class Meta:
        model = Consultation
        fields = ["id", "unit", "unit_name", "title", "rule_id", "starts_on", "ends_on", "shorter_reason", "state",
                  "state_label", "opinions", "unanswered", "public_url", "version"]

    def get_state(self, c) -> str:
        return c.state(self.context["today"])

    def get_state_label(self, c) -> str:
        return CONSULT_STATE_LABELS[c.state(self.context["today"])]

    def get_public_url(self, c) -> str:
        return c.get_public_url()


class ConsultationDetailSerializer(ConsultationSerializer):
    adoption_table = serializers.SerializerMethodField(help_text="意见采纳情况表")
    missing = serializers.SerializerMethodField(help_text="尚未完成的事项(征求意见期未满、意见未反馈);空为已完成")

    class Meta(ConsultationSerializer.Meta):
        fields = ConsultationSerializer.Meta.fields + ["summary", "text", "missing", "adoption_table"]

    def get_missing(self, c) -> list[str]:
        from fazhi.portal.services import consultation_missing

        return consultation_missing(c, self.context["today"])

    @extend_schema_field(AdoptionRowSerializer(many=True))
    def get_adoption_table(self, c) -> list[dict]:
        return AdoptionRowSerializer(selectors.adoption_table(c, public=False), many=True).data


def _opinion_count(**extra):
    """Opinions on each consultation as a subquery (the generic target holds the id as text)."""
    opinions = Submission.objects.filter(kind=OPINION, target_type=ContentType.objects.get_for_model(Consultation),
                                         target_id=Cast(OuterRef("pk"), CharField()), **extra)
    counted = opinions.order_by().values("target_id").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("state", OpenApiTypes.STR, enum=STATES + [""], allow_blank=True,
                     description="not_started 未开始, open 征求中, closed 已截止;留空为全部"),
]))
class ConsultationViewSet(ScopedReadOnlyViewSet):
    """Public consultations (公开征求意见) of the units the caller may see, newest first; the detail carries the
    adoption table (unmasked: the record) and what keeps the consultation from counting as done."""

    queryset = Consultation.objects.all()

    def get_serializer_class(self):
        return ConsultationDetailSerializer if self.action == "retrieve" else ConsultationSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def base_queryset(self):
        qs = Consultation.objects.select_related("unit").annotate(
            opinion_total=_opinion_count(), opinion_unanswered=_opinion_count(adoption=""))
        if self.action == "list":
            state = self.request.query_params.get("state", "")
            if state not in STATES + [""]:
                raise serializers.ValidationError({"state": [f"只能是 {'、'.join(STATES)} 之一(留空表示不限)"]})
            qs = selectors.in_state(qs, state, timezone.localdate())
        return qs.order_by("-starts_on", "-id")

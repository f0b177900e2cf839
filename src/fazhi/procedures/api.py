"""API of procedures: the definitions in force with their steps (read by every role)."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers

from fazhi.procedures import selectors
from fazhi.procedures.rules import STEP_ROLES

MAX_VERSION = 999_999_999


class OutcomeSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField(help_text="结果名称,如 归档、退回补正")
    reopens = serializers.ListField(child=serializers.CharField(), help_text="此结果后须重新办理的步骤编码")
    closes = serializers.BooleanField(help_text="此结果办结程序")


class StepSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="步骤编码")
    name = serializers.CharField()
    mandatory = serializers.BooleanField(help_text="true 必经;false 条件性(见 condition),不适用须法制办批准")
    condition = serializers.CharField(help_text="条件性步骤的适用条件;必经步骤为空")
    requires = serializers.ListField(child=serializers.CharField(), help_text="须先完成的步骤编码")
    basis = serializers.CharField(help_text="法律依据")
    role = serializers.ChoiceField(choices=list(STEP_ROLES.items()), help_text="办理角色:unit 本单位,office 法制办")
    attachments_required = serializers.BooleanField()
    deadline_rule = serializers.CharField(help_text="开始或结束的期限规则编号(见 /api/v1/deadlines/rules/);无则为空")
    deadline_action = serializers.CharField(
        help_text="完成本步骤时对记录上该期限的动作:start 起算(退回后再办理则重新起算),stop 办结;无期限规则则为空")
    outcomes = OutcomeSerializer(many=True)


class DefinitionSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="程序编码,如 programme.workplan_filing")
    version = serializers.IntegerField(help_text="版本;列表和默认详情为现行(最高)版本")
    name = serializers.CharField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()
    steps = serializers.SerializerMethodField()

    @extend_schema_field(StepSerializer(many=True))
    def get_steps(self, obj):
        return StepSerializer([selectors.step_as_dict(s) for s in obj.steps.all()], many=True).data


class ProcedureListView(generics.ListAPIView):
    """The version in force of every procedure, each with its steps."""

    serializer_class = DefinitionSerializer

    def get_queryset(self):
        return selectors.definitions_current(user=self.request.user).prefetch_related("steps")


class ProcedureDetailView(generics.RetrieveAPIView):
    """One procedure: the version in force (or `?version=N`), with its steps in order."""

    serializer_class = DefinitionSerializer

    @extend_schema(parameters=[OpenApiParameter("version", {"type": "integer", "minimum": 1, "maximum": MAX_VERSION},
                                                description="版本号(默认现行版本)")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        raw = (self.request.query_params.get("version") or "").strip()
        version = None
        if raw:
            if not (raw.isascii() and raw.isdigit() and len(raw) <= 9 and int(raw) >= 1):
                from rest_framework.exceptions import ValidationError

                raise ValidationError({"version": ["版本号应为正整数"]})
            version = int(raw)
        definition = selectors.definition_get(user=self.request.user, code=self.kwargs["code"], version=version)
        if definition is None:
            raise Http404
        return definition

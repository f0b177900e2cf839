"""API of procedures: the definitions in force with their steps (read by every role); the step actions every
module's records get (`StepActionsMixin`: POST …/{id}/steps/) and their `steps` (`StepsField`)."""

from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from fazhi.core.drf import JSONParser, MultiPartParser
from fazhi.procedures import actions, selectors
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


# ---------------------------------------------------------------- step actions of a record (every module)


class StepStateSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="步骤编码")
    name = serializers.CharField()
    state = serializers.ChoiceField(choices=["done", "pending", "not_applicable"],
                                    help_text="done 已完成;pending 未完成(含不适用待法制办批准);not_applicable 不适用(已批准)")
    state_label = serializers.CharField(help_text="状态的中文名称")
    missing = serializers.ListField(child=serializers.CharField(), help_text="办理本步骤前须先完成而尚未完成的步骤编码")
    mandatory = serializers.BooleanField(help_text="true 必经;false 条件性")
    role = serializers.ChoiceField(choices=list(STEP_ROLES.items()), help_text="办理角色:unit 本单位,office 法制办")


@extend_schema_field(StepStateSerializer(many=True))
class StepsField(serializers.Field):
    """A record's `steps`: each step of its procedure version with its state (`actions.steps_state`). A list
    uses what `StepActionsMixin` computed for the whole page (`steps_state_bulk`); `code` defaults to the
    view's `step_actions.code`."""

    def __init__(self, code: str | None = None, **kwargs):
        self.code = code
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def _code(self) -> str:
        if self.code:
            return self.code
        declared = getattr(self.context.get("view"), "step_actions", None)
        if declared is None:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured("StepsField outside a StepActionsMixin view needs code=, e.g. StepsField(code=\"normdoc\")")
        return declared.code

    def to_representation(self, obj):
        bulk = self.context.get(BULK_KEY)
        if bulk is not None and obj.pk in bulk:
            return bulk[obj.pk]
        code = self._code()
        return actions.steps_state(selectors.run_for(obj, code), code=code)


BULK_KEY = "procedure_steps"


class StepActSerializer(serializers.Serializer):
    """The body of POST …/{id}/steps/ (documentation; `actions.act_parse` reads it)."""

    step = serializers.CharField(help_text="步骤编码(见 steps[].code)")
    date = serializers.DateField(required=False, allow_null=True, help_text="办理日期 YYYY-MM-DD,不晚于今天;不填为今天")
    outcome = serializers.CharField(required=False, allow_blank=True,
                                    help_text="结果编码:有结果的步骤必填且须为该步骤的结果之一(见 /api/v1/procedures/{code}/)")
    note = serializers.CharField(required=False, allow_blank=True, help_text="说明,至多 2000 字")
    not_applicable = serializers.BooleanField(required=False, help_text="true:申请本步骤不适用(仅条件性步骤,须填 reason,法制办批准后计入)")
    reason = serializers.CharField(required=False, allow_blank=True, help_text="不适用的理由;或驳回不适用申请的理由")
    decide = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                      help_text="法制办:所决定的不适用申请编号(与 approve 一起)")
    approve = serializers.BooleanField(required=False, allow_null=True, help_text="法制办:true 批准,false 驳回(须填 reason)")


class StepActMultipartSerializer(StepActSerializer):
    files = serializers.ListField(child=serializers.FileField(), required=False,
                                  help_text="材料(可多个);须附材料的步骤必填(此前已上传的除外)")


class StepActionsMixin:
    """POST {prefix}/{id}/steps/ for a (read-only) model viewset of records that follow a procedure: one act
    on one step (JSON, or multipart with files), through `actions.act_parse` / `act_perform`. The record
    comes through `get_object()` (scoped: another unit's is a 404); the answer is the record again. Lists get
    every record's `steps` in a constant number of queries (`StepsField` reads what this puts in context)."""

    step_actions = None  # actions.StepActions of the module

    def get_procedure_run(self, obj):
        return actions.run_for_record(obj, self.step_actions.code)

    def get_serializer(self, *args, **kwargs):
        if kwargs.get("many") and args:
            objs = list(args[0])
            context = kwargs.setdefault("context", self.get_serializer_context())
            context[BULK_KEY] = actions.steps_state_bulk(objs, self.step_actions.code)
            args = (objs, *args[1:])
        return super().get_serializer(*args, **kwargs)

    @extend_schema(
        request={"application/json": StepActSerializer, "multipart/form-data": StepActMultipartSerializer},
        description="办理记录程序的一个步骤(JSON,或带文件时 multipart/form-data):step、date、outcome、note、files;"
                    "条件性步骤申请不适用 not_applicable + reason;法制办批准或驳回不适用申请 decide + approve (+ reason);"
                    "部分步骤另有字段(见各模块说明)。前置步骤未完成 → 409,code 为 procedure.step_missing,detail 列出"
                    "未完成的步骤及其法律依据;程序已办结 → 409 procedure.closed;无权办理该步骤 → 403;"
                    "他单位的记录 → 404。成功时返回记录(含 steps)。")
    @action(detail=True, methods=["post"], url_path="steps", parser_classes=[JSONParser, MultiPartParser])
    def steps(self, request, pk=None):
        obj = self.get_object()
        with transaction.atomic():
            run = self.get_procedure_run(obj)
            act = actions.act_parse(request.data, request.FILES, self.step_actions, run, actor=request.user)
            actions.act_perform(record_obj=obj, run=run, act=act, actions=self.step_actions, actor=request.user)
        obj = self.get_object()  # again: the act may have changed the record
        return Response(self.get_serializer(obj).data)

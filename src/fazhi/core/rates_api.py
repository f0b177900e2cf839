"""GET /api/v1/rates/ and /api/v1/rates/{code}/: the registered rates, computed for the caller's scope."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.core import rates
from fazhi.core.filters import UNIT_CODE_PATTERN

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


class RateSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    formula = serializers.CharField(help_text="计算公式(文字)")
    basis = serializers.CharField(help_text="依据")
    periods = serializers.BooleanField(help_text="true: 可按 from/to 期间统计")
    cycle = serializers.CharField(allow_null=True, help_text="按哪种周期统计(如 programme:创建周期,参数同名);null:不分周期")


class RateValueSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField(allow_null=True, help_text="单位代码;未指定时为调用者可见的全部单位")
    numerator = serializers.IntegerField(help_text="分子:记录数")
    denominator = serializers.IntegerField(help_text="分母:记录数")
    value = serializers.FloatField(allow_null=True, help_text="0 至 1 的小数;分母为 0 时为 null(无数据)")
    formula = serializers.CharField()
    basis = serializers.CharField()
    programme = serializers.IntegerField(allow_null=True, help_text="所统计的创建周期编号(未指定时为当前周期);该比率不分周期时为 null")
    numerator_url = serializers.CharField(help_text="分子对应记录的列表页")
    denominator_url = serializers.CharField(help_text="分母对应记录的列表页")

    def get_fields(self):
        fields = super().get_fields()  # "from"/"to" are Python keywords, so added here
        fields["from"] = serializers.DateField(allow_null=True, help_text="所用期间起日;该比率不按期间统计时为 null")
        fields["to"] = serializers.DateField(allow_null=True, help_text="所用期间止日;该比率不按期间统计时为 null")
        return fields


class RateListView(APIView):
    """The rates Fazhi computes from records: code, name, formula and basis."""

    @extend_schema(responses=RateSerializer(many=True))
    def get(self, request):
        return Response(RateSerializer([r.as_dict() for r in rates.load().values()], many=True).data)


class RateDetailView(APIView):
    """One rate for a unit (and its sub-units) or everything the caller may see, over a period.
    A unit the caller may not see, existing or not, is 404."""

    @extend_schema(parameters=[
        OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH, enum=sorted(rates.load()),
                         description="比率代码"),
        OpenApiParameter("unit", {"type": "string", "pattern": UNIT_CODE_PATTERN},
                         description="单位代码(含下级单位);不填为您可见的全部单位"),
        OpenApiParameter("from", OpenApiTypes.DATE, pattern=DATE_PATTERN, description="期间起日(含)YYYY-MM-DD"),
        OpenApiParameter("to", OpenApiTypes.DATE, pattern=DATE_PATTERN, description="期间止日(含)YYYY-MM-DD"),
        OpenApiParameter("programme", {"type": "string", "pattern": r"^\d{0,12}$"},
                         description="创建周期编号;不填为当前周期(按周期统计的比率)"),
    ], responses=RateValueSerializer)  # 400/401/403/404: core.schema adds them
    def get(self, request, code: str):
        rate = rates.get(code)
        if rate is None:
            raise Http404
        q = rates.parse_query(rate, request.user, request.query_params)
        cycle = q.cycle.pk if q.cycle is not None else None
        body = {"code": rate.code, "name": rate.name, "unit": q.unit or None, "from": q.start, "to": q.end,
                **q.compute(request.user), "formula": rate.formula, "basis": rate.basis,
                "programme": cycle if rate.cycle == "programme" else None,
                "numerator_url": q.url("numerator"), "denominator_url": q.url("denominator")}
        return Response(RateValueSerializer(body).data)

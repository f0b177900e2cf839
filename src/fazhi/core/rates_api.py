"""GET /api/v1/rates/ and /api/v1/rates/{code}/: the registered rates, computed for the caller's scope."""

from datetime import date

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.core import rates
from fazhi.core.errors import InvalidInput
from fazhi.core.filters import UNIT_CODE_PATTERN, FilterError, clean_unit_code

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


class RateSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    formula = serializers.CharField(help_text="计算公式(文字)")
    basis = serializers.CharField(help_text="依据")
    periods = serializers.BooleanField(help_text="true: 可按 from/to 期间统计")


class RateValueSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField(allow_null=True, help_text="单位代码;未指定时为调用者可见的全部单位")
    numerator = serializers.IntegerField(help_text="分子:记录数")
    denominator = serializers.IntegerField(help_text="分母:记录数")
    value = serializers.FloatField(allow_null=True, help_text="0 至 1 的小数;分母为 0 时为 null(无数据)")
    formula = serializers.CharField()
    basis = serializers.CharField()
    numerator_url = serializers.CharField(allow_null=True, help_text="分子对应记录的列表页")
    denominator_url = serializers.CharField(allow_null=True, help_text="分母对应记录的列表页")

    def get_fields(self):
        fields = super().get_fields()  # "from"/"to" are Python keywords, so added here
        fields["from"] = serializers.DateField(allow_null=True, help_text="所用期间起日;该比率不按期间统计时为 null")
        fields["to"] = serializers.DateField(allow_null=True, help_text="所用期间止日;该比率不按期间统计时为 null")
        return fields


def _date(raw: str | None, field: str, label: str) -> date | None:
    if not raw:
        return None
    try:
        if len(raw) != 10:
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"{label}「{raw[:20]}」不是有效日期,请按 YYYY-MM-DD 填写,如 2026-04-30", field=field) from None


class RateListView(APIView):
    """The rates Fazhi computes from records: code, name, formula and basis."""

    @extend_schema(responses=RateSerializer(many=True))
    def get(self, request):
        return Response(RateSerializer([r.as_dict() for r in rates.load().values()], many=True).data)


class RateDetailView(APIView):
    """One rate for a unit (and its sub-units) or everything the caller may see, over a period."""

    @extend_schema(parameters=[
        OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH, enum=sorted(rates.load()),
                         description="比率代码"),
        OpenApiParameter("unit", {"type": "string", "pattern": UNIT_CODE_PATTERN},
                         description="单位代码(含下级单位);不填为您可见的全部单位"),
        OpenApiParameter("from", OpenApiTypes.DATE, pattern=DATE_PATTERN, description="期间起日(含)YYYY-MM-DD"),
        OpenApiParameter("to", OpenApiTypes.DATE, pattern=DATE_PATTERN, description="期间止日(含)YYYY-MM-DD"),
    ], responses=RateValueSerializer)  # 400/401/403/404: core.schema adds them
    def get(self, request, code: str):
        rate = rates.get(code)
        if rate is None:
            raise Http404
        q = request.query_params
        try:
            unit = clean_unit_code(q.get("unit", ""))
        except FilterError as e:
            raise InvalidInput(f"单位:{e}", field="unit") from None
        start, end = _date(q.get("from"), "from", "起日"), _date(q.get("to"), "to", "止日")
        if not rate.date_field:
            start = end = None  # a rate without periods counts every record; "from"/"to" say null
        # to < from is an empty period: no records, no data (null), not an error.
        unit_path = None
        if unit:
            from fazhi.org.models import Unit

            unit_path = Unit.objects.visible_to(request.user).filter(code=unit).values_list("path", flat=True).first()
            if unit_path is None:
                if Unit.objects.filter(code=unit).exists():
                    raise Http404  # another unit's rate: as if it did not exist for this caller
                raise InvalidInput(f"未找到单位「{unit}」,请核对单位代码(见 /api/v1/units/)", field="unit")
        result = rates.compute(rate, request.user, unit_path=unit_path, start=start, end=end)
        links = rate.list_urls(unit) if rate.list_urls else {}
        body = {"code": rate.code, "name": rate.name, "unit": unit or None, "from": start, "to": end, **result,
                "formula": rate.formula, "basis": rate.basis,
                "numerator_url": links.get("numerator_url"), "denominator_url": links.get("denominator_url")}
        return Response(RateValueSerializer(body).data)

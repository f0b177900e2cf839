"""The records behind a rate's number: for a rate code, the numerator's or the denominator's records,
scoped and paginated, with the rate's own columns and row links (the same query as the number)."""

from django.http import Http404
from django.views.generic import TemplateView

from fazhi.core import rates
from fazhi.core.errors import FazhiError, InvalidInput
from fazhi.core.pagination import KnownCountPaginator
from fazhi.core.views import PAGE_SIZE, RoleRequiredMixin


class RateRecordsView(RoleRequiredMixin, TemplateView):
    template_name = "core/rate_records.html"

    def get(self, request, code: str, *args, **kwargs):
        rate = rates.get(code)
        if rate is None:
            raise Http404("没有这个比率")
        part = request.GET.get("part", "denominator")
        ctx = {"rate": rate, "part": part, "parts": rates.PARTS}
        try:
            if part not in rates.PARTS:
                raise InvalidInput("「part」只能是 numerator(分子)或 denominator(分母),请从比率数字的链接进入",
                                 field="part")
            q = rates.parse_query(rate, request.user, request.GET)
        except FazhiError as e:
            return self.render_to_response({**ctx, "error": e.message}, status=400)
        result = q.compute(request.user)
        qs = rates.records(rate, request.user, part, unit_path=q.unit_path, start=q.start, end=q.end, cycle=q.cycle)
        count = result[part]  # the number the link came from is the list's length: no second COUNT
        page = KnownCountPaginator(qs, PAGE_SIZE, count=count).get_page(request.GET.get("page"))
        columns = rate.list_columns()
        rows = [([fn(obj) for _, fn in columns], rate.row_url(obj) if rate.row_url else None)
                for obj in page.object_list]
        query = request.GET.copy()
        query.pop("page", None)
        ctx.update(rq=q, result=result, value=rates.display(result["value"]), page_obj=page, rows=rows,
                   headers=[label for label, _ in columns], other=q.url("denominator" if part == "numerator" else "numerator"),
                   q=query.urlencode(), cycle=rates.CYCLES.get(rate.cycle))
        return self.render_to_response(ctx)


class RatesByUnitView(RoleRequiredMixin, TemplateView):
    """Several rates side by side, one row per unit the user may see and overall, for a period
    (`?rate=a&rate=b&from=&to=`): each number is n ÷ d linking to its records. One grouped query per rate."""

    template_name = "core/rates_by_unit.html"

    def get(self, request, *args, **kwargs):
        from fazhi.org.models import Unit

        codes = list(dict.fromkeys(request.GET.getlist("rate")))[:10]
        chosen = [rates.get(c) for c in codes]
        ctx = {"codes": codes}
        if not chosen or None in chosen:
            unknown = "、".join(c for c, r in zip(codes, chosen, strict=True) if r is None) or "(未指定)"
            ctx["error"] = f"「rate」{unknown[:80]} 不是已登记的比率编码;请从比率链接进入(如 rate=normdoc.filing)"
            return self.render_to_response(ctx, status=400)
        query = request.GET.copy()
        query.pop("unit", None)  # one row per unit: a unit filter makes no sense here
        try:
            parsed = [rates.parse_query(r, request.user, query) for r in chosen]
        except FazhiError as e:
            return self.render_to_response({**ctx, "error": e.message}, status=400)
        by_unit = [rates.compute_by_unit(q.rate, request.user, start=q.start, end=q.end, cycle=q.cycle) for q in parsed]
        unit_ids = set().union(*by_unit)
        units = list(Unit.objects.visible_to(request.user).filter(pk__in=unit_ids).order_by("path"))
        rows = []
        for unit in units:
            # A unit's row counts its sub-units too (a 股室 under a bureau), as the records page it links to does.
            within = [u.pk for u in units if u.path.startswith(unit.path)]
            cells = []
            for q, counts in zip(parsed, by_unit, strict=True):
                num = sum(counts[pk]["numerator"] for pk in within if pk in counts)
                den = sum(counts[pk]["denominator"] for pk in within if pk in counts)
                c = {"numerator": num, "denominator": den, "value": rates.fraction(num, den)} if den else None
                cells.append(self._cell(q, c, unit=unit.code))
            rows.append((unit, cells))
        total = [self._cell(q, q.compute(request.user)) for q in parsed]
        ctx.update(rates=[q.rate for q in parsed], rows=rows, total=total, start=parsed[0].start, end=parsed[0].end,
                   periods=any(q.rate.date_field for q in parsed), date_label=next(
                       (q.rate.model()._meta.get_field(q.rate.date_field).verbose_name for q in parsed
                        if q.rate.date_field), ""))
        return self.render_to_response(ctx)

    @staticmethod
    def _cell(q, counts, unit: str = ""):
        if not counts or not counts["denominator"]:
            return None
        links = {part: rates.records_url(q.rate, part, unit=unit, start=q.start, end=q.end, cycle=q.cycle)
                 for part in rates.PARTS}
        return {**counts, "display": rates.display(counts["value"]), "links": links}

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

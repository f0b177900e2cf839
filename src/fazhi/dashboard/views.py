"""Read-only pages: the home page (work list + units) and the legal calendar. Never writes."""

from datetime import date

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.views.generic import TemplateView

from fazhi.core.errors import InvalidInput
from fazhi.core.views import PAGE_SIZE, RoleRequiredMixin
from fazhi.deadlines.catalogue import RULES
from fazhi.deadlines.models import CalendarYear
from fazhi.deadlines.services import deadline_compute
from fazhi.org.selectors import unit_list


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "dashboard/home.html"

    def get_context_data(self, **kwargs):
        from django.utils import timezone

        from fazhi.programme import rules, selectors

        user = self.request.user
        units = Paginator(unit_list(user=user), PAGE_SIZE).get_page(self.request.GET.get("page"))
        today = timezone.localdate()
        programme = selectors.current_programme()
        rows, warnings, queue = [], None, 0
        if programme is not None:
            work = list(selectors.work_list(user=user, programme=programme, today=today)[:10])
            rows = [(a, rules.warning_level(status=a.status, due=a.due, today=today), rules.can_report(user, a))
                    for a in work]
            warnings = selectors.warning_counts(user=user, programme=programme, today=today)
            if rules.can_review(user):
                queue = selectors.review_queue(user=user).count()
        return super().get_context_data(rows=rows, warnings=warnings, review_queue=queue, programme=programme,
                                        units=units, **kwargs)


class CalendarView(RoleRequiredMixin, TemplateView):
    """The legal calendar: the rule catalogue, the office's arrangements, and a calculator."""

    template_name = "dashboard/calendar.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rule = self.request.GET.get("rule", "")
        start = self.request.GET.get("start", "")
        result = error = None
        if rule or start:
            try:
                start_date = date.fromisoformat(start)
            except ValueError:
                error = "「起算日」格式错误,请使用 YYYY-MM-DD"
            else:
                try:
                    result = deadline_compute(rule, start_date)
                except InvalidInput as e:
                    error = e.message
        ctx.update(
            rules=list(RULES.values()), rule=rule, start=start, result=result, error=error,
            arrangements=CalendarYear.objects.visible_to(self.request.user).select_related("entered_by")[:50],
        )
        if error:
            self.response_status = 400
        return ctx

    def render_to_response(self, context, **kwargs):
        return super().render_to_response(context, status=getattr(self, "response_status", 200), **kwargs)

"""Read-only pages: the home page (work list + units) and the legal calendar. Never writes."""

from datetime import date

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.views.generic import TemplateView

from fazhi.core.errors import InvalidInput
from fazhi.dashboard.forms import ArrangementForm
from fazhi.core.views import PAGE_SIZE, RoleRequiredMixin
from fazhi.deadlines.catalogue import RULES
from fazhi.deadlines.models import CalendarYear
from fazhi.deadlines.services import can_maintain_calendar, deadline_compute
from fazhi.org.selectors import unit_list


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "dashboard/home.html"

    def get_context_data(self, **kwargs):
        from django.utils import timezone

        from fazhi.core.scoping import scope_for
        from fazhi.deadlines import worklist
        from fazhi.programme import rules, selectors

        user = self.request.user
        units = Paginator(unit_list(user=user), PAGE_SIZE).get_page(self.request.GET.get("page"))
        today = timezone.localdate()
        programme = selectors.current_programme()
        # What is owed comes from the one work list (every module); units see their items, the
        # office, leaders and inspectors the counts and the review queue.
        counts = worklist.worklist_counts(user=user, today=today)
        warnings = {"red": counts["overdue"], "yellow": counts["due_soon"]} if programme or counts["open"] else None
        owes_work = bool(scope_for(user).unit_paths)
        rows = worklist.items(worklist.worklist(user=user, today=today)[:10], today=today) if owes_work else []
        queue = selectors.review_queue(user=user).count() if programme is not None and rules.can_review(user) else 0
        return super().get_context_data(rows=rows, warnings=warnings, review_queue=queue, programme=programme,
                                        units=units, **kwargs)


class CalendarView(RoleRequiredMixin, TemplateView):
    """The legal calendar: the rule catalogue, the office's arrangements, and a calculator."""

    template_name = "dashboard/calendar.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rule = self.request.GET.get("rule", "")
        start = self.request.GET.get("start", "")
        result = error = error_field = None
        if rule or start:
            try:
                start_date = date.fromisoformat(start)
            except ValueError:
                error, error_field = "「起算日」格式错误,请使用 YYYY-MM-DD", "start"
            else:
                try:
                    result = deadline_compute(rule, start_date)
                except InvalidInput as e:
                    error, error_field = e.message, "start" if e.field == "start" else "rule"

        can_enter = can_maintain_calendar(self.request.user)
        ctx.update(
            can_enter=can_enter, form=kwargs.get("form") or (ArrangementForm() if can_enter else None),
            rules=list(RULES.values()), rule=rule, start=start, result=result, error=error, error_field=error_field,
            arrangements=CalendarYear.objects.visible_to(self.request.user).select_related("entered_by")[:50],
        )
        if error:
            self.response_status = 400
        return ctx

    def render_to_response(self, context, **kwargs):
        return super().render_to_response(context, status=getattr(self, "response_status", 200), **kwargs)

    def post(self, request, *args, **kwargs):
        """The office enters a year's arrangement: one line per day, `YYYY-MM-DD 放假|上班 [名称]`."""
        from django.contrib import messages
        from django.core.exceptions import PermissionDenied
        from django.shortcuts import redirect

        from fazhi.deadlines.services import arrangement_enter

        if not can_maintain_calendar(request.user):
            raise PermissionDenied("只有法制办可以录入放假安排")
        form = ArrangementForm(request.POST)
        if form.is_valid():
            year = form.cleaned_data["year"]
            try:
                _, changed = arrangement_enter(year=year, source=form.cleaned_data["source"],
                                               days=form.cleaned_data["days"], actor=request.user)
            except InvalidInput as e:
                form.add_error(e.field if e.field in form.fields else None, e.message)
            else:
                messages.success(request, f"已录入 {year} 年放假安排,重新计算了 {changed} 个进行中的期限")
                return redirect("calendar")
        self.response_status = 400
        return self.render_to_response(self.get_context_data(form=form))


class WorkListView(RoleRequiredMixin, TemplateView):
    """Everything owed, from every module (deadlines/worklist.py), by the one warning rule."""

    template_name = "dashboard/worklist.html"

    def get(self, request, *args, **kwargs):
        from django.utils import timezone

        from urllib.parse import urlencode

        from fazhi.core.pagination import KnownCountPaginator
        from fazhi.deadlines import worklist
        from fazhi.deadlines.rules import warning_days

        today = timezone.localdate()
        code, path, state, errors = worklist.parse_filters(request.GET, request.user)
        if errors:
            return self.render_to_response(self.get_context_data(errors=errors, states=worklist.STATES,
                                                                 state=state, unit=code), status=400)
        counts = worklist.worklist_counts(user=request.user, today=today, unit_path=path)
        rows = worklist.worklist(user=request.user, today=today, unit_path=path, state=state)
        page = KnownCountPaginator(rows, PAGE_SIZE, count=counts[state]).get_page(request.GET.get("page"))
        q = urlencode({k: v for k, v in (("unit", code), ("state", state)) if v})
        return self.render_to_response(self.get_context_data(
            items=worklist.items(page.object_list, today=today), page_obj=page, counts=counts, states=worklist.STATES,
            state=state, unit=code, q=q, warning_days=warning_days()))

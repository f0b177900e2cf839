"""Pages of the programme: the unit's work list, the office's table and review queue, the
overview, record pages, import/export and work-plan filing. Thin: parse, call, respond."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from fazhi.core.converters import parse_id
from fazhi.core.errors import FazhiError
from fazhi.core.history import recent_changes
from fazhi.core.models import Event
from fazhi.core.pagination import KnownCountPaginator
from fazhi.core.views import PAGE_SIZE, OfficeOnlyMixin, RoleRequiredMixin, message_error
from fazhi.org.models import Unit
from fazhi.programme import exports, imports, rules, selectors, services
from fazhi.programme.forms import (
    BulkReviewForm, FilterForm, ImportForm, PhaseForm, ProgrammeForm, ReasonForm, ReportForm, ReviewForm,
    WorkPlanForm,
)
from fazhi.programme.models import PHASE_LABELS, Assignment, ProgressReport, Programme, Task, WorkPlanFiling


def _programme_or_404():
    programme = selectors.current_programme()
    if programme is None:
        raise Http404("还没有当前的创建周期")
    return programme


def _form_error(form, error: FazhiError):
    """Show a service's refusal on its field, or above the form (hidden fields such as version)."""
    field = error.field if error.field in form.fields and not form.fields[error.field].widget.is_hidden else None
    form.add_error(field, error.message)


class ProgrammeView(RoleRequiredMixin, TemplateView):
    """Base: signed in with a role; the current programme and today (China Standard Time)."""

    def dispatch(self, request, *args, **kwargs):
        self.today = timezone.localdate()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        programme = kwargs.pop("programme", None) or _programme_or_404()  # a page may choose another
        return super().get_context_data(programme=programme, today=self.today,
                                        can_review=rules.can_review(self.request.user), **kwargs)


class TableView(ProgrammeView):
    """The responsibility table with filters; totals from the tallies."""

    template_name = "programme/table.html"

    def get(self, request, *args, **kwargs):
        ctx = self.get_context_data(**kwargs)
        filters = selectors.TableFilters.from_query(request.GET, user=request.user, programme=ctx["programme"])
        form = FilterForm(request.GET or None, categories=selectors.programme_categories(ctx["programme"]),
                          units=selectors.units_with_assignments(user=request.user, programme=ctx["programme"]))
        if filters.errors:
            for field, msg in filters.errors.items():
                form.add_error(field if field in form.fields else None, msg)
            return self.render_to_response({**ctx, "form": form, "page_obj": None}, status=400)
        qs, total = selectors.assignment_table(user=request.user, programme=ctx["programme"], filters=filters,
                                               today=self.today)
        page = KnownCountPaginator(qs, PAGE_SIZE, count=total).get_page(request.GET.get("page"))
        rows = [(a, rules.warning_level(status=a.status, due=a.due, today=self.today)) for a in page.object_list]
        return self.render_to_response({**ctx, "form": form, "page_obj": page, "rows": rows,
                                        "filter_query": filters.as_query(), "phase_labels": PHASE_LABELS})


class WorkListView(ProgrammeView):
    """The unit's work list: its assignments still owing something, by due date, with warnings."""

    template_name = "programme/worklist.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, programme = self.request.user, ctx["programme"]
        qs = selectors.work_list(user=user, programme=programme, today=self.today)
        total = selectors.work_list_count(user=user, programme=programme)
        page = KnownCountPaginator(qs, PAGE_SIZE, count=total).get_page(self.request.GET.get("page"))
        ctx["rows"] = [(a, rules.warning_level(status=a.status, due=a.due, today=self.today), rules.can_report_now(self.request.user, a))
                       for a in page.object_list]
        ctx["page_obj"] = page
        return ctx


def _chosen_programme(request):
    """The programme named by `?programme=ID` (a select on the overview), else the current one."""
    raw = (request.GET.get("programme") or "").strip()
    if not raw:
        return _programme_or_404()
    pk = parse_id(raw)
    programme = Programme.objects.filter(pk=pk).first() if pk is not None else None
    if programme is None:
        raise Http404("未找到该创建周期,请从列表中选择")
    return programme


class OverviewView(ProgrammeView):
    template_name = "programme/overview.html"

    def get_context_data(self, **kwargs):
        from fazhi.core import rates

        programme = _chosen_programme(self.request)
        ctx = super().get_context_data(programme=programme, **kwargs)
        user = self.request.user
        # Every rate in the registry, counted within this programme, each number linking to its records.
        ctx["rates"] = rates.summary(user, cycle=programme)
        ctx["programmes"] = rates.CYCLES["programme"].choices()
        ctx["programme_query"] = f"programme={programme.pk}" if self.request.GET.get("programme") else ""
        units = Paginator(selectors.units_with_assignments(user=user, programme=programme), PAGE_SIZE).get_page(
            self.request.GET.get("page"))
        by_category = selectors.overview_by_category(user=user, programme=programme, today=self.today)
        ctx.update(
            by_category=by_category,
            totals=selectors.overview_totals(user=user, programme=programme, today=self.today, by_category=by_category),
            by_unit=selectors.overview_by_unit(user=user, programme=programme, today=self.today,
                                               units=list(units.object_list)),
            page_obj=units,
            warnings=selectors.warning_counts(user=user, programme=programme, today=self.today),
        )
        ctx["chart_units"] = selectors.overview_unit_chart(user=user, programme=programme)
        ctx["chart_categories"] = {
            "labels": [r["category"] for r in ctx["by_category"]],
            "done": [r["done"] for r in ctx["by_category"]],
            "open": [r["total"] - r["done"] for r in ctx["by_category"]],
        }
        return ctx


class AssignmentDetailView(ProgrammeView):
    template_name = "programme/assignment_detail.html"

    def get_context_data(self, pk: int, **kwargs):
        ctx = super().get_context_data(**kwargs)
        assignment = (Assignment.objects.visible_to(self.request.user).select_related("task", "unit", "programme")
                      .filter(pk=pk).first())
        if assignment is None:
            raise Http404("未找到该任务,或您无权查看")
        reports = list(assignment.reports.select_related("submitted_by", "reviewed_by").order_by("-submitted_at", "-id")[:50])
        files = selectors.report_files(user=self.request.user, reports=reports)
        ctx.update(
            assignment=assignment,
            warning=rules.warning_level(status=assignment.status, due=assignment.due, today=self.today),
            reports=[(r, files.get(r.pk, []), rules.can_withdraw_now(self.request.user, r)) for r in reports],
            can_report=rules.can_report_now(self.request.user, assignment),
            can_start=rules.can_start(self.request.user, assignment),
            events=Event.objects.for_object(assignment).select_related("actor")[:50],
            queue_next=review_queue_next(self.request.GET.get("next")),
            recent_changes=recent_changes(Assignment, assignment),
            report_form=ReportForm(initial={"version": assignment.version}),
        )
        return ctx


def _visible_assignment(request, pk) -> Assignment:
    assignment = Assignment.objects.visible_to(request.user).select_related("unit", "task").filter(pk=pk).first()
    if assignment is None:
        raise Http404("未找到该任务,或您无权查看")
    return assignment


class AssignmentReportView(RoleRequiredMixin, View):
    """GET: the report form. POST: submit a progress report with evidence."""

    template_name = "programme/report_form.html"

    def get(self, request, pk: int):
        assignment = _visible_assignment(request, pk)
        if not rules.can_report(request.user, assignment):
            raise PermissionDenied("只有本单位人员可以报送本单位的进展")
        return render(request, self.template_name, {"assignment": assignment,
                                                    "form": ReportForm(initial={"version": assignment.version})})

    def post(self, request, pk: int):
        assignment = _visible_assignment(request, pk)
        if not rules.can_report(request.user, assignment):
            raise PermissionDenied("只有本单位人员可以报送本单位的进展")
        form = ReportForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            try:
                services.report_submit(assignment=assignment, actor=request.user, text=form.cleaned_data["text"],
                                       files=form.cleaned_data["files"], expected_version=form.cleaned_data["version"])
            except FazhiError as e:
                _form_error(form, e)
                status = e.status
            else:
                messages.success(request, "进展已报送,等待法制办审核")
                return redirect("assignment-detail", pk=assignment.pk)
        return render(request, self.template_name, {"assignment": assignment, "form": form}, status=status)


class AssignmentStartView(RoleRequiredMixin, View):
    def post(self, request, pk: int):
        assignment = _visible_assignment(request, pk)
        try:
            services.assignment_start(assignment=assignment, actor=request.user,
                                      expected_version=_int(request.POST.get("version")))
        except FazhiError as e:
            if e.status == 403:
                raise PermissionDenied(e.message) from e
            messages.error(request, e.message)
        else:
            messages.success(request, "已标记为进行中")
        return redirect("assignment-detail", pk=assignment.pk)


_int = parse_id


def _visible_report(request, pk) -> ProgressReport:
    report = (ProgressReport.objects.visible_to(request.user).select_related("assignment__unit", "assignment__task")
              .filter(pk=pk).first())
    if report is None:
        raise Http404("未找到该报送,或您无权查看")
    return report


def review_queue_next(value: str | None) -> str | None:
    """Where to return after a decision taken from the review queue: the queue's own path with its
    unit filter and page, rebuilt here; anything else (another path, another host) is ignored."""
    from urllib.parse import urlencode, urlsplit

    from django.http import QueryDict

    from fazhi.core.filters import UNIT_CODE_RE

    queue = reverse("programme-reviews")
    parts = urlsplit(value or "")
    if parts.scheme or parts.netloc or parts.path != queue:
        return None
    query, keep = QueryDict(parts.query), {}
    if UNIT_CODE_RE.fullmatch(query.get("unit", "")):
        keep["unit"] = query["unit"]
    if query.get("page", "").isdigit() and len(query["page"]) <= 6:
        keep["page"] = query["page"]
    return queue + (f"?{urlencode(keep)}" if keep else "")


class ReportReviewView(RoleRequiredMixin, View):
    def post(self, request, pk: int):
        report = _visible_report(request, pk)
        if not rules.can_review(request.user):
            raise PermissionDenied("只有法制办可以审核进展报送")
        form = ReviewForm(request.POST)
        if not form.is_valid():
            messages.error(request, "; ".join(f"「{form.fields[f].label}」{e[0]}" for f, e in form.errors.items()))
        else:
            try:
                services.report_review(report=report, actor=request.user,
                                       accept=form.cleaned_data["decision"] == "accept",
                                       reason=form.cleaned_data["reason"],
                                       expected_version=form.cleaned_data["version"])
            except FazhiError as e:
                messages.error(request, e.message)
            else:
                messages.success(request, "已通过" if form.cleaned_data["decision"] == "accept" else "已退回")
                queue = review_queue_next(request.POST.get("next"))
                if queue:  # decided from the queue: back to it
                    return redirect(queue)
        return redirect(_with_next(reverse("assignment-detail", args=[report.assignment_id]),
                                   review_queue_next(request.POST.get("next"))))


def _with_next(url: str, queue: str | None) -> str:
    from urllib.parse import quote

    return f"{url}?next={quote(queue, safe='/')}" if queue else url


class ReportWithdrawView(RoleRequiredMixin, View):
    def post(self, request, pk: int):
        report = _visible_report(request, pk)
        form = ReasonForm(request.POST)
        try:
            if not form.is_valid():
                raise FazhiError("撤回必须填写原因", field="reason")
            services.report_withdraw(report=report, actor=request.user, reason=form.cleaned_data["reason"])
        except FazhiError as e:
            if e.status == 403:
                raise PermissionDenied(e.message) from e
            messages.error(request, e.message)
        else:
            messages.success(request, "报送已撤回")
        return redirect("assignment-detail", pk=report.assignment_id)


class ReviewQueueView(ProgrammeView):
    """Reports waiting for the office, oldest first; bulk accept or return with a reason."""

    template_name = "programme/reviews.html"

    def _unit_filter(self):
        """(code, subtree path, message) of the ?unit= filter; a unit the user cannot see is refused."""
        from fazhi.core.filters import FilterError, clean_unit_code, visible_unit_path

        try:
            code = clean_unit_code(self.request.GET.get("unit", ""))
        except FilterError as e:
            return "", None, str(e)
        if not code:
            return "", None, ""
        try:
            return code, visible_unit_path(self.request.user, code), ""
        except FilterError as e:
            return code, None, str(e)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        unit, path, unit_error = self._unit_filter()
        qs = selectors.review_queue(user=user, unit_path=path) if not unit_error else ProgressReport.objects.none()
        page = Paginator(qs, PAGE_SIZE).get_page(self.request.GET.get("page"))
        form = kwargs.get("form") or BulkReviewForm()
        selected = set(_int(v) for v in form.data.getlist("reports")) if form.is_bound else set()
        files = selectors.report_files(user=user, reports=page.object_list)
        query = f"unit={unit}" if unit and not unit_error else ""
        here = reverse("programme-reviews") + (f"?{query}&page={page.number}" if query else f"?page={page.number}")
        units = selectors.review_queue_units(user=user)
        if unit and not unit_error and unit not in {u["code"] for u in units}:  # a visible unit, nothing waiting
            units.append({"code": unit, "name": unit, "count": 0})
        ctx.update(page_obj=page, form=form, unit=unit, unit_error=unit_error, filter_query=query,
                   units=units, back=here,
                   rows=[(r, files.get(r.pk, []), r.pk in selected) for r in page.object_list])
        if unit_error:
            self.response_status = 400
        return ctx

    def render_to_response(self, context, **kwargs):
        kwargs.setdefault("status", getattr(self, "response_status", 200))
        return super().render_to_response(context, **kwargs)

    def post(self, request, *args, **kwargs):
        if not rules.can_review(request.user):
            raise PermissionDenied("只有法制办可以审核进展报送")
        ids = [i for i in (_int(v) for v in request.POST.getlist("reports")) if i is not None]
        form = BulkReviewForm(request.POST, report_ids=ids)
        if form.is_valid():
            try:
                n = services.reports_review_bulk(
                    report_ids=form.cleaned_data["reports"], actor=request.user,
                    accept=form.cleaned_data["decision"] == "accept", reason=form.cleaned_data["reason"],
                    visible=ProgressReport.objects.visible_to(request.user))
            except FazhiError as e:
                _form_error(form, e)
            else:
                messages.success(request, f"已{'通过' if form.cleaned_data['decision'] == 'accept' else '退回'} {n} 条报送")
                unit, _, unit_error = self._unit_filter()
                return redirect(reverse("programme-reviews") + (f"?unit={unit}" if unit and not unit_error else ""))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class TaskDetailView(ProgrammeView):
    template_name = "programme/task_detail.html"

    def get_context_data(self, pk: int, **kwargs):
        ctx = super().get_context_data(**kwargs)
        task = Task.objects.visible_to(self.request.user).filter(pk=pk).prefetch_related("lead_units").first()
        if task is None:
            raise Http404("未找到该任务")
        qs = (Assignment.objects.visible_to(self.request.user).filter(task=task).select_related("unit")
              .order_by("unit__sort_order", "unit__code"))
        page = Paginator(qs, PAGE_SIZE).get_page(self.request.GET.get("page"))
        ctx.update(task=task, page_obj=page,
                   rows=[(a, rules.warning_level(status=a.status, due=a.due, today=self.today)) for a in page.object_list])
        return ctx


class ImportView(OfficeOnlyMixin, ProgrammeView):
    template_name = "programme/import.html"
    office_only_message = "只有法制办可以导入责任分解表"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ImportForm())
        kwargs.update(header=imports.HEADER, header_aliases=[key for key, _ in imports.COLUMNS],
                      max_rows=imports.limits()[0], due_examples=imports.DUE_EXAMPLES)
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = ImportForm(request.POST, request.FILES)
        row_errors = []
        if form.is_valid():
            try:
                result = imports.import_table(programme=_programme_or_404(), upload=form.cleaned_data["file"],
                                              actor=request.user)
            except imports.ImportRejected as e:
                row_errors = e.errors
                form.add_error("file", e.message.split("。")[0] + "。")
                kwargs["rejected"] = e
            except FazhiError as e:
                _form_error(form, e)
            else:
                messages.success(request, f"导入完成: {result['rows']} 行,新增任务 {result['tasks_created']} 个、"
                                          f"修改 {result['tasks_changed']} 个,新增任务分解 {result['assignments_created']} 条")
                return redirect("programme-table")
        return self.render_to_response(self.get_context_data(form=form, row_errors=row_errors, **kwargs), status=400)


class ImportTemplateView(OfficeOnlyMixin, ProgrammeView):
    office_only_message = "只有法制办可以导入责任分解表"

    def get(self, request, *args, **kwargs):
        return exports.import_template(user=request.user, programme=_programme_or_404(), today=self.today)


class ExportView(ProgrammeView):
    def get(self, request, kind: str, *args, **kwargs):
        programme = _programme_or_404()
        if kind not in exports.EXPORTS:
            raise Http404("没有这种导出")
        try:
            return exports.EXPORTS[kind](user=request.user, programme=programme, today=self.today, query=request.GET)
        except FazhiError as e:
            from django.http import HttpResponse

            return HttpResponse(f"导出失败: {e.message}", status=400, content_type="text/plain; charset=utf-8")


class WorkPlanListView(ProgrammeView):
    """Who filed, who is late, who has not filed (plan 五(四))."""

    template_name = "programme/workplans.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        programme = ctx["programme"]
        page = Paginator(selectors.filing_status(user=self.request.user),
                         PAGE_SIZE).get_page(self.request.GET.get("page"))
        units = list(page.object_list)
        filings = selectors.filings_for(user=self.request.user, units=units, programme=programme)
        due = services.workplan_due(programme)
        rows = [(u, filings.get(u.pk)) for u in units]
        ctx.update(page_obj=page, due=due,
                   rows=[(u, f, rules.filing_lateness(f, due=due, today=self.today)) for u, f in rows])
        return ctx


class WorkPlanFileView(ProgrammeView):
    template_name = "programme/workplan_form.html"

    def _unit(self, code):
        unit = Unit.objects.visible_to(self.request.user).filter(code=code).first()
        if unit is None:
            raise Http404("未找到该单位,或您无权查看")
        return unit

    def get_context_data(self, code: str, **kwargs):
        ctx = super().get_context_data(**kwargs)
        unit = self._unit(code)
        filing = WorkPlanFiling.objects.filter(programme=ctx["programme"], unit=unit).select_related("filed_by").first()
        if "form" not in kwargs:
            initial = {}
            if filing:
                initial = {k: getattr(filing, k) for k in ("head_name", "head_title", "head_phone", "deputy_name",
                                                           "deputy_title", "deputy_phone", "plan_summary")}
                for i, s in enumerate(filing.staff[:2], 1):
                    initial[f"staff_{i}_name"], initial[f"staff_{i}_phone"] = s["name"], s["phone"]
                initial["version"] = filing.version
            ctx["form"] = WorkPlanForm(initial=initial)
        procedure = selectors.workplan_procedure(filing)
        ctx.update(unit=unit, filing=filing, due=services.workplan_due(ctx["programme"]), procedure=procedure,
                   review_open=bool(procedure and procedure.may_act("review")),
                   can_file=rules.can_file_workplan(self.request.user, unit),
                   files=selectors.workplan_files(user=self.request.user, filing=filing, procedure=procedure),
                   recent_changes=recent_changes(WorkPlanFiling, filing) if filing else [])
        return ctx

    def post(self, request, code: str, *args, **kwargs):
        unit = self._unit(code)
        if not rules.can_file_workplan(request.user, unit):
            raise PermissionDenied("只有本单位人员可以报备本单位的工作机构和方案")
        form = WorkPlanForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            try:
                services.workplan_file(programme=_programme_or_404(), unit=unit, actor=request.user,
                                       data=form.service_data(), files=form.cleaned_data["files"],
                                       expected_version=form.cleaned_data["version"])
            except FazhiError as e:
                _form_error(form, e)
                status = e.status
            else:
                messages.success(request, "已报备,等待法制办归档")
                return redirect("workplan-file", code=unit.code)
        return self.render_to_response(self.get_context_data(code=code, form=form), status=status)


class WorkPlanReviewView(RoleRequiredMixin, View):
    def post(self, request, pk: int):
        filing = WorkPlanFiling.objects.visible_to(request.user).select_related("unit").filter(pk=pk).first()
        if filing is None:
            raise Http404("未找到该备案,或您无权查看")
        if not rules.can_review(request.user):
            raise PermissionDenied("只有法制办可以审核备案")
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                services.workplan_review(filing=filing, actor=request.user,
                                         archive=form.cleaned_data["decision"] == "accept",
                                         reason=form.cleaned_data["reason"], expected_version=form.cleaned_data["version"])
            except FazhiError as e:
                message_error(request, e)
            else:
                messages.success(request, "已归档" if form.cleaned_data["decision"] == "accept" else "已退回")
        else:
            messages.error(request, "请选择归档或退回")
        return redirect("workplan-file", code=filing.unit.code)


class PhaseSettingsView(ProgrammeView):
    """The programme's phases; the office sets their dates (plan 六 is empty)."""

    template_name = "programme/phases.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        failed = kwargs.get("failed")  # the row whose submission failed keeps its input and messages
        ctx["phases"] = [(p, failed if failed is not None and failed.initial.get("phase") == p.pk else PhaseForm(phase=p))
                         for p in ctx["programme"].phases.order_by("start")]
        return ctx

    def post(self, request, *args, **kwargs):
        from fazhi.programme.models import Phase

        if not rules.can_review(request.user):
            raise PermissionDenied("只有法制办可以设置创建阶段")
        phase = Phase.objects.filter(programme=_programme_or_404(), pk=_int(request.POST.get("phase"))).first()
        if phase is None:
            raise Http404("没有这个阶段")
        form = PhaseForm(request.POST, phase=phase)
        status = 400
        if form.is_valid():
            try:
                _, moved = services.phase_update(phase=phase, start=form.cleaned_data["start"],
                                                 end=form.cleaned_data["end"], actor=request.user,
                                                 expected_version=form.cleaned_data["version"],
                                                 reason=form.cleaned_data["reason"])
            except FazhiError as e:
                if e.status == 403:
                    raise PermissionDenied(e.message) from None
                _form_error(form, e)
                status = e.status
            else:
                messages.success(request, f"{phase.get_key_display()}阶段已调整,{moved} 条任务的完成时限随之调整")
                return redirect("programme-phases")
        return self.render_to_response(self.get_context_data(failed=form), status=status)


class ProgrammeCreateView(OfficeOnlyMixin, RoleRequiredMixin, TemplateView):
    """The office opens a new creation cycle with its four phases; it becomes the current one.
    The responsibility table is then imported into it."""

    template_name = "programme/programme_form.html"
    office_only_message = "只有法制办可以建立创建周期"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ProgrammeForm())
        return super().get_context_data(current=selectors.current_programme(), **kwargs)

    def post(self, request, *args, **kwargs):
        form = ProgrammeForm(request.POST)
        if form.is_valid():
            name = form.cleaned_data["name"].strip()
            try:
                services.programme_create(name=name, start=form.cleaned_data["start"], end=form.cleaned_data["end"],
                                          actor=request.user, phases=form.phases())
            except FazhiError as e:
                _form_error(form, e)
            else:
                messages.success(request, f"已建立创建周期「{name}」,请导入责任分解表")
                return redirect("programme-import")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class BulletinView(ProgrammeView):
    """The 通报 for a period as a 公文 .docx (scoped: a unit user gets their own unit's version)."""

    def get(self, request, *args, **kwargs):
        from django.http import HttpResponse

        from fazhi.programme import bulletin

        programme = _chosen_programme(request)
        try:
            start, end = bulletin.parse_period(request.GET, programme)
            number = bulletin.parse_number(request.GET)
            return bulletin.response(user=request.user, programme=programme, start=start, end=end,
                                     today=self.today, number=number)
        except FazhiError as e:
            return HttpResponse(f"生成通报失败: {e.message}", status=400, content_type="text/plain; charset=utf-8")

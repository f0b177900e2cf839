"""Pages of 行政复议 cases (scoped: the respondent unit sees its own, office/inspector/leader all; only the office
writes, except the respondent's 答复 step). Thin: parse, call the service or selector, respond."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from fazhi.core.errors import FazhiError, NotAllowed
from fazhi.core.history import recent_changes
from fazhi.core.views import PAGE_SIZE, OfficeOnlyMixin, RoleRequiredMixin, attachment_disposition, message_error
from fazhi.core.views import form_error as _form_error
from fazhi.core.views import query_without as _query
from fazhi.procedures import actions
from fazhi.procedures import selectors as procedure_selectors
from fazhi.procedures.views import StepActView
from fazhi.remedies.reconsideration import exports, rules, selectors, services, steps
from fazhi.remedies.reconsideration.forms import ACT_FORMS, CaseForm, FilterForm
from fazhi.remedies.reconsideration.models import Reconsideration

OFFICE_ONLY = "只有法制办(行政复议机构)可以登记和修改行政复议案件"




def _respondents(user):
    from fazhi.org.models import Unit

    return list(Unit.objects.visible_to(user).filter(active=True, parent__isnull=False, kind__in=rules.RESPONDENT_KINDS)
                .order_by("sort_order", "code"))


class CaseListView(RoleRequiredMixin, TemplateView):
    template_name = "remedies/reconsideration/list.html"

    def get(self, request, *args, **kwargs):
        form = FilterForm(request.GET or None)
        ctx = {"form": form, "can_register": rules.can_register(request.user)}
        try:
            filters = selectors.CaseFilters.parse(request.GET)
            qs = selectors.cases(user=request.user, filters=filters)
            page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        except FazhiError as e:
            _form_error(form, e)
            return self.render_to_response({**ctx, "page_obj": None}, status=400)
        rows = [(c, rules.late_application(c)) for c in page.object_list]
        return self.render_to_response({**ctx, "page_obj": page, "rows": rows, "q": _query(request)})


class CaseCreateView(OfficeOnlyMixin, RoleRequiredMixin, TemplateView):
    template_name = "remedies/reconsideration/form.html"
    office_only_message = OFFICE_ONLY

    def get(self, request, *args, **kwargs):
        return self.render_to_response({"form": CaseForm(units=_respondents(request.user)), "case": None})

    def post(self, request, *args, **kwargs):
        form = CaseForm(request.POST, units=_respondents(request.user))
        status = 400
        if form.is_valid():
            try:
                case = services.case_create(actor=request.user, data=form.data_for_service())
            except FazhiError as e:
                _form_error(form, e)
                status = e.status
            else:
                messages.success(request, f"已登记 {case.number},受理审查期限自收到申请之日起计算")
                return redirect(case.get_absolute_url())
        return self.render_to_response({"form": form, "case": None}, status=status)


def _case_or_404(request, pk) -> Reconsideration:
    case = selectors.case_get(user=request.user, pk=pk)
    if case is None:
        raise Http404("未找到该行政复议案件,或您无权查看")
    return case


class CaseEditView(OfficeOnlyMixin, RoleRequiredMixin, TemplateView):
    template_name = "remedies/reconsideration/form.html"
    office_only_message = OFFICE_ONLY

    def get(self, request, pk, *args, **kwargs):
        case = _case_or_404(request, pk)
        form = CaseForm(initial=CaseForm.initial_from(case), units=[case.unit])
        return self.render_to_response({"form": form, "case": case})

    def post(self, request, pk, *args, **kwargs):
        case = _case_or_404(request, pk)
        form = CaseForm(request.POST, units=[case.unit])
        status = 400
        if form.is_valid():
            try:
                services.case_update(case=case, actor=request.user, data=form.data_for_service(),
                                     expected_version=form.cleaned_data["version"])
            except FazhiError as e:
                _form_error(form, e)
                status = e.status
            else:
                messages.success(request, "案件信息已保存")
                return redirect(case.get_absolute_url())
        return self.render_to_response({"form": form, "case": case}, status=status)


ACT_FAILED = "reconsideration.act_failed"  # a refused case act, kept for the next page (texts only)


def _act_forms(case, request=None) -> list[tuple[str, str, object]]:
    """The case acts the office may take now: (kind, heading, form); one refused on the previous page comes back
    with what was typed and the message at its field."""
    from django.forms.utils import ErrorDict, ErrorList

    from fazhi.remedies.reconsideration.models import ACT_KINDS

    failed = request.session.pop(ACT_FAILED, None) if request is not None else None
    if failed and failed.get("case") != case.pk:
        failed = None
    labels = dict(ACT_KINDS)
    allowed = rules.acts_allowed(case, services.open_due(case, rules.CORRECTION), rules.today())
    found = []
    for kind, form_class in ACT_FORMS.items():
        if not allowed[kind]:
            continue
        form = form_class(initial={"version": case.version}, auto_id=f"id_{kind}_%s")
        if failed and failed.get("kind") == kind:
            form = form_class(data={**failed["data"], "version": case.version}, auto_id=f"id_{kind}_%s")
            form._errors = ErrorDict({k: ErrorList(v) for k, v in failed["errors"].items()})
        found.append((kind, labels[kind], form))
    return found


def _remember_act_failure(request, case, kind: str, errors: dict) -> None:
    data = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "version") and len(v) <= 4000}
    request.session[ACT_FAILED] = {"case": case.pk, "kind": kind, "data": data,
                                   "errors": {k: [str(m) for m in v] for k, v in errors.items()}}


class CaseDetailView(RoleRequiredMixin, TemplateView):
    template_name = "remedies/reconsideration/detail.html"

    def get_context_data(self, pk, **kwargs):
        from fazhi.deadlines.selectors import record_clocks

        case = _case_or_404(self.request, pk)
        user = self.request.user
        run = procedure_selectors.run_for(case, rules.PROCEDURE)
        office = rules.can_act(user)
        return super().get_context_data(
            case=case, procedure=procedure_selectors.run_view(run) if run else None,
            step_forms=actions.actionable(run, user, steps.STEPS, request=self.request, record=case)
            if run and rules.is_open(case) else [],
            deadlines=record_clocks(case), late_application=rules.late_application(case),
            act_forms=_act_forms(case, self.request) if office and rules.is_open(case) else [],
            acts=selectors.case_acts(case), attachments=procedure_selectors.run_attachments(user=user, run=run),
            recent_changes=recent_changes(Reconsideration, case), can_edit=office and rules.is_open(case),
            step_url=reverse("reconsideration-step", args=[case.pk]), **kwargs)


class CaseStepView(StepActView):
    step_actions = steps.STEPS

    def get_object(self, request, pk):
        return _case_or_404(request, pk)

    def get_procedure_run(self, obj):
        return services.case_run(obj)


class CaseActView(RoleRequiredMixin, View):
    """POST one case act (补正材料, 视为撤回, 中止, 恢复, 延长, 终止) through its service; 303 back to the case."""

    http_method_names = ["post"]

    def post(self, request, pk, kind):
        case = _case_or_404(request, pk)
        form_class = ACT_FORMS.get(kind)
        if form_class is None:
            raise Http404("没有这种案件事项")
        if not rules.can_act(request.user):
            raise PermissionDenied("只有法制办(行政复议机构)可以办理此事项")
        form = form_class(request.POST)
        if not form.is_valid():
            name, errors = next(iter(form.errors.items()))
            label = form.fields[name].label if name in form.fields else ""
            messages.error(request, f"「{label}」{errors[0]}" if label else errors[0])
            _remember_act_failure(request, case, kind, form.errors)
        else:
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.CASE_ACTS[kind](case=case, actor=request.user, expected_version=version, **data)
            except NotAllowed as e:
                raise PermissionDenied(e.message) from None
            except FazhiError as e:
                message_error(request, e)
                _remember_act_failure(request, case, kind,
                                      {e.field if e.field in form.fields else "__all__": [e.message]})
            else:
                messages.success(request, f"已办理「{dict(_labels())[kind]}」")
        response = HttpResponseRedirect(case.get_absolute_url())
        response.status_code = 303
        return response


def _labels():
    from fazhi.remedies.reconsideration.models import ACT_KINDS

    return ACT_KINDS


class LedgerExportView(RoleRequiredMixin, View):
    def get(self, request):
        try:
            return exports.ledger_xlsx(user=request.user, query=request.GET)
        except FazhiError as e:
            return HttpResponse(e.message, status=400, content_type="text/plain; charset=utf-8")


class DecisionLetterView(RoleRequiredMixin, View):
    """行政复议决定书 (调解: 行政复议调解书) (.docx, 公文 format) from the record; only for a decided case."""

    def get(self, request, pk):
        case = _case_or_404(request, pk)
        try:
            content, name = exports.decision_docx(case)
        except FazhiError as e:
            return HttpResponse(e.message, status=e.status, content_type="text/plain; charset=utf-8")
        response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        response["Content-Disposition"] = attachment_disposition(name)
        return response

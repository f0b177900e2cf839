"""Staff pages of 行政应诉: the case list (filters, paginated), register and edit (versioned), the case page
(procedure steps with their forms, the clock panel, hearings with the add form, judgments, accountability,
attachments, recent changes), the ledger .xlsx, and the accountability list and page (the unit names the
leaders, the office closes). Thin: parse, call the service, respond; every read through the scoping."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from fazhi.core.errors import FazhiError, NotAllowed
from fazhi.core.history import recent_changes
from fazhi.core.views import PAGE_SIZE, RoleRequiredMixin, UnitRecordCreateView, see_other
from fazhi.core.views import form_error as _form_error
from fazhi.org.selectors import may_register
from fazhi.core.views import query_without as _query
from fazhi.procedures import actions
from fazhi.procedures import selectors as procedure_selectors
from fazhi.procedures.views import StepActView
from fazhi.remedies.litigation import exports, forms, rules, selectors, services
from fazhi.remedies.litigation import models as m
from fazhi.remedies.litigation.steps import STEP_ACTIONS




class CaseListView(RoleRequiredMixin, TemplateView):
    template_name = "remedies/litigation/list.html"

    def get(self, request, *args, **kwargs):
        form = forms.FilterForm(request.GET or None)
        ctx = {"form": form, "can_register": may_register(request.user), "q": _query(request)}
        try:
            filters = selectors.CaseFilters.parse(request.GET)
            page = Paginator(selectors.cases(user=request.user, filters=filters), PAGE_SIZE).get_page(
                request.GET.get("page"))
            rows = list(page.object_list)
        except FazhiError as e:
            _form_error(form, e)
            return self.render_to_response({**ctx, "page_obj": None}, status=400)
        return self.render_to_response({**ctx, "page_obj": page, "rows": rows})


def _case_data(form) -> dict:
    return {k: form.cleaned_data.get(k) for k in services.CASE_FIELDS}


class CaseCreateView(UnitRecordCreateView):
    template_name = "remedies/litigation/form.html"
    form_class = forms.CaseForm
    refusal = "只有被告单位的工作人员或法制办可以登记行政应诉案件"
    unit_missing = "请选择「被告单位」"
    success_message = "已登记案件,答辩举证期限已起算"

    def get_context_data(self, **kwargs):
        return super().get_context_data(case=None, **kwargs)

    def create(self, unit, form):
        return services.case_register(unit=unit, actor=self.request.user, data=_case_data(form))


def _case_or_404(request, pk) -> m.Litigation:
    case = selectors.case_get(user=request.user, pk=pk)
    if case is None:
        raise Http404("未找到该案件,或您无权查看")
    return case


def _edit_form(case, data=None, initial=None) -> forms.CaseForm:
    """The edit form: 审级 is shown but not editable (only the 上诉 step moves it)."""
    form = forms.CaseForm(data, initial={**(initial or {}), "court_level": case.court_level})
    form.fields["court_level"].disabled = True
    form.fields["court_level"].help_text = "登记后不能修改;上诉请办理「上诉」步骤"
    return form


class CaseEditView(RoleRequiredMixin, TemplateView):
    template_name = "remedies/litigation/form.html"

    def _case(self, pk):
        case = _case_or_404(self.request, pk)
        if not rules.can_act(self.request.user, case):
            raise PermissionDenied("只有被告单位或法制办可以修改案件信息")
        return case

    def get(self, request, pk, *args, **kwargs):
        case = self._case(pk)
        initial = {k: getattr(case, k) for k in services.CASE_FIELDS} | {
            "plaintiffs": forms.parties_text(case.plaintiffs), "third_parties": forms.parties_text(case.third_parties),
            "version": case.version}
        return self.render_to_response({"form": _edit_form(case, initial=initial), "case": case})

    def post(self, request, pk, *args, **kwargs):
        case = self._case(pk)
        form = _edit_form(case, request.POST)
        status = 400
        if form.is_valid():
            try:
                services.case_update(case=case, actor=request.user, data=_case_data(form),
                                     expected_version=form.cleaned_data["version"])
            except FazhiError as e:
                _form_error(form, e)
                status = e.status  # a stale edit is 409, as on the API
            else:
                messages.success(request, "已保存案件信息")
                return see_other(case.get_absolute_url())
        return self.render_to_response({"form": form, "case": case}, status=status)


class CaseDetailView(RoleRequiredMixin, TemplateView):
    template_name = "remedies/litigation/detail.html"

    def get_context_data(self, pk, **kwargs):
        user = self.request.user
        case = _case_or_404(self.request, pk)
        run = procedure_selectors.run_for(case, rules.PROCEDURE)
        can_act = rules.can_act(user, case)
        hearings = selectors.hearings(case)
        judgments = selectors.judgments(case)
        accountability = m.LitigationAccountability.objects.filter(litigation=case).first()
        return super().get_context_data(
            case=case, procedure=procedure_selectors.run_view(run) if run else None,
            step_forms=actions.actionable(run, user, STEP_ACTIONS, request=self.request) if run else [],
            step_url=reverse("litigation-step", args=[case.pk]), deadlines=selectors.clocks(case),
            hearings=hearings, hearing_files=selectors.attachments_of(hearings), judgments=judgments,
            accountability=accountability, can_act=can_act,
            hearing_form=kwargs.pop("hearing_form", None) or (
                forms.HearingForm(initial={"version": case.version}) if can_act and case.status != m.EFFECTIVE
                else None),
            recent_changes=recent_changes(m.Litigation, case), basis_appearance=rules.BASIS_APPEARANCE, **kwargs)


class CaseStepView(StepActView):
    step_actions = STEP_ACTIONS

    def get_object(self, request, pk):
        return _case_or_404(request, pk)


class HearingAddView(CaseDetailView):
    def get(self, request, *args, **kwargs):
        raise Http404

    def post(self, request, pk):
        case = _case_or_404(request, pk)
        if not rules.can_act(request.user, case):
            raise PermissionDenied("只有被告单位或法制办可以登记庭审")
        form = forms.HearingForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            notice, version = data.pop("notice", None), data.pop("version")
            try:
                services.hearing_add(case=case, actor=request.user, data=data, expected_version=version,
                                     files=[notice] if notice else [])
            except FazhiError as e:
                _form_error(form, e)
                status = e.status
            else:
                messages.success(request, "已登记庭审")
                return see_other(case.get_absolute_url() + "#hearings")
        return self.render_to_response(self.get_context_data(pk=pk, hearing_form=form), status=status)


class LedgerExportView(RoleRequiredMixin, View):
    """行政应诉台账 .xlsx (streamed), scoped and filtered like the list."""

    def get(self, request):
        try:
            return exports.ledger_xlsx(user=request.user, query=request.GET)
        except FazhiError as e:
            from django.http import HttpResponseBadRequest

            return HttpResponseBadRequest(e.message, content_type="text/plain; charset=utf-8")


# ---------------------------------------------------------------- accountability


class AccountabilityListView(RoleRequiredMixin, TemplateView):
    template_name = "remedies/litigation/accountabilities.html"

    def get(self, request, *args, **kwargs):
        status = request.GET.get("status", "")
        if status and status not in dict(m.ACC_STATUSES):
            return self.render_to_response({"error": f"「状态」{status[:20]} 无效,可选:open(追究中)、closed(已办结)",
                                            "page_obj": None, "statuses": m.ACC_STATUSES}, status=400)
        page = Paginator(selectors.accountabilities(user=request.user, status=status), PAGE_SIZE).get_page(
            request.GET.get("page"))
        return self.render_to_response({"page_obj": page, "rows": list(page.object_list), "status": status,
                                        "statuses": m.ACC_STATUSES, "q": _query(request)})


def _accountability_or_404(user, pk):
    record = selectors.accountability_get(user=user, pk=pk)
    if record is None:
        raise Http404("未找到该责任追究记录,或您无权查看")
    return record


class AccountabilityDetailView(RoleRequiredMixin, TemplateView):
    """The record; the unit (or office) names the leaders responsible; POST here: the office closes it."""

    template_name = "remedies/litigation/accountability.html"

    def get_context_data(self, pk: int, **kwargs):
        user = self.request.user
        record = _accountability_or_404(user, pk)
        can_close = rules.can_close_accountability(user) and record.status == m.ACC_OPEN
        people_text = "\n".join(f"{p['name']} {p['post']}" for p in record.people)
        return super().get_context_data(
            record=record,
            close_form=kwargs.pop("close_form", None) or (
                forms.CloseForm(initial={"version": record.version}) if can_close else None),
            people_form=kwargs.pop("people_form", None) or (
                forms.PeopleForm(initial={"people": people_text, "facts": record.facts, "version": record.version})
                if rules.can_name_people(user, record) else None),
            recent_changes=recent_changes(m.LitigationAccountability, record), **kwargs)

    def post(self, request, pk: int):
        record = _accountability_or_404(request.user, pk)
        if not rules.can_close_accountability(request.user):
            raise PermissionDenied("只有法制办可以办结败诉责任追究")
        form = forms.CloseForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.accountability_close(record=record, actor=request.user, result=form.cleaned_data["result"],
                                              expected_version=form.cleaned_data["version"])
            except FazhiError as e:
                _form_error(form, e)
                status = e.status
            else:
                messages.success(request, "已办结败诉责任追究")
                return see_other(record.get_absolute_url())
        return self.render_to_response(self.get_context_data(pk=pk, close_form=form), status=status)


class AccountabilityPeopleView(AccountabilityDetailView):
    def get(self, request, *args, **kwargs):
        raise Http404

    def post(self, request, pk: int):
        record = _accountability_or_404(request.user, pk)
        if not rules.can_register(request.user, record.unit):
            raise PermissionDenied("只有被告单位或法制办可以填写责任领导")
        form = forms.PeopleForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.accountability_people(record=record, actor=request.user, people=form.cleaned_data["people"],
                                               facts=form.cleaned_data["facts"],
                                               expected_version=form.cleaned_data["version"])
            except NotAllowed as e:
                raise PermissionDenied(e.message) from None
            except FazhiError as e:
                _form_error(form, e)
                status = e.status
            else:
                messages.success(request, "已保存责任领导")
                return see_other(record.get_absolute_url())
        return self.render_to_response(self.get_context_data(pk=pk, people_form=form), status=status)

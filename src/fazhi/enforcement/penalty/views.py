"""Pages of 行政处罚 cases (scoped: a unit sees its own cases, office/inspector/leader all; the case's unit and the
office act, leaders and inspectors read). Thin: parse, call the service or selector, respond."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms.utils import ErrorDict, ErrorList
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from fazhi.core.errors import FazhiError, NotAllowed
from fazhi.core.history import recent_changes
from fazhi.core.views import PAGE_SIZE, RoleRequiredMixin, attachment_disposition, message_error
from fazhi.core.views import form_error as _form_error
from fazhi.core.views import query_without as _query
from fazhi.core.pagination import CappedCountPaginator
from fazhi.enforcement.penalty import exports, rules, selectors, services, steps
from fazhi.enforcement.penalty import forms as f
from fazhi.enforcement.penalty.models import ACT_KINDS, CHANNELS, GENERAL, ON_THE_SPOT, PenaltyCase
from fazhi.procedures import actions
from fazhi.procedures import selectors as procedure_selectors
from fazhi.procedures.views import StepActView


def _case_or_404(request, pk) -> PenaltyCase:
    case = selectors.case_get(user=request.user, pk=pk)
    if case is None:
        raise Http404("未找到该行政处罚案件,或您无权查看")
    return case


class CaseListView(RoleRequiredMixin, TemplateView):
    template_name = "enforcement/penalty/list.html"

    def get(self, request, *args, **kwargs):
        key_areas = selectors.key_areas()
        form = f.FilterForm(request.GET or None, key_areas=key_areas, subjects=selectors.filter_subjects(request.user))
        ctx = {"form": form, "can_register": rules.can_register(request.user), "tab": "penalty"}
        try:
            filters = selectors.CaseFilters.parse(request.GET)
            qs = selectors.cases(user=request.user, filters=filters)
            page = CappedCountPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        except FazhiError as e:
            _form_error(form, e)
            return self.render_to_response({**ctx, "page_obj": None}, status=400)
        return self.render_to_response({**ctx, "page_obj": page, "q": _query(request)})


def _case_form(request, data=None, *, case=None, **kwargs):
    if case is not None:
        return f.CaseForm(data, key_areas=selectors.key_areas(), editing=True, **kwargs)
    return f.CaseForm(data, subjects=selectors.subjects_for(request.user), key_areas=selectors.key_areas(),
                      officers=[o for o in selectors.officers_for(request.user)
                                if rules.can_act(request.user, o.unit)], **kwargs)


class CaseCreateView(RoleRequiredMixin, TemplateView):
    template_name = "enforcement/penalty/form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.can_register(request.user):
            raise PermissionDenied("只有办案单位的工作人员或法制办可以登记行政处罚案件")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response({"form": _case_form(request), "case": None, "tab": "penalty"})

    def post(self, request, *args, **kwargs):
        form = _case_form(request, request.POST)
        status = 400
        if form.is_valid():
            try:
                case = services.case_create(actor=request.user, data=form.data_for_service())
            except NotAllowed as e:
                raise PermissionDenied(e.message) from None
            except FazhiError as e:
                _form_error(form, e)
                status = e.status
            else:
                messages.success(request, f"已立案 {case.number},办案期限自立案之日起计算")
                return redirect(case.get_absolute_url())
        return self.render_to_response({"form": form, "case": None, "tab": "penalty"}, status=status)


class _Redirect(Exception):
    def __init__(self, url):
        self.url = url


class CaseEditView(RoleRequiredMixin, TemplateView):
    template_name = "enforcement/penalty/form.html"

    def _case(self, request, pk):
        case = _case_or_404(request, pk)
        if not rules.can_act(request.user, case):
            raise PermissionDenied("只有本案办案单位的工作人员或法制办可以修改案件信息")
        if case.decided_on is not None:  # frozen (services.case_update says why); the page offers no form
            messages.error(request, f"决定已作出({case.decision_number}),案件信息不能再修改;更正须经「决定被变更/撤销」")
            raise _Redirect(case.get_absolute_url())
        return case

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except _Redirect as r:
            response = HttpResponseRedirect(r.url)
            response.status_code = 303
            return response

    def get(self, request, pk, *args, **kwargs):
        case = self._case(request, pk)
        form = _case_form(request, case=case, initial=f.CaseForm.initial_from(case))
        return self.render_to_response({"form": form, "case": case, "tab": "penalty"})

    def post(self, request, pk, *args, **kwargs):
        case = self._case(request, pk)
        form = _case_form(request, request.POST, case=case)
        status = 400
        if form.is_valid():
            try:
                services.case_update(case=case, actor=request.user, data=form.data_for_service(),
                                     expected_version=form.cleaned_data.get("version"))
            except FazhiError as e:
                _form_error(form, e)
                status = e.status
            else:
                messages.success(request, "案件信息已保存")
                return redirect(case.get_absolute_url())
        return self.render_to_response({"form": form, "case": case, "tab": "penalty"}, status=status)


ACT_FAILED = "penalty.act_failed"


def _failed_act(request, case):
    failed = request.session.pop(ACT_FAILED, None) if request is not None else None
    return failed if failed and failed.get("case") == case.pk else None


def _bound(form_class, kind, case, failed, initial=None, **kwargs):
    form = form_class(initial={"version": case.version, **(initial or {})}, auto_id=f"id_{kind}_%s", **kwargs)
    if failed and failed.get("kind") == kind:
        form = form_class(data={**failed["data"], "version": case.version}, auto_id=f"id_{kind}_%s", **kwargs)
        form.is_valid()
        form._errors = ErrorDict({k: ErrorList(v) for k, v in failed["errors"].items()})
    return form


def _act_forms(request, case, failed) -> list[tuple[str, str, object]]:
    """The case acts the user may take now: (kind, heading, form)."""
    labels = dict(ACT_KINDS)
    found = []
    if case.decided_on is None:
        officers = [o for o in selectors.officers_for(request.user, case.unit)]
        found.append(("officer_add", labels["officer_added"],
                      _bound(f.OfficerAddForm, "officer_add", case, failed, officers=officers)))
    if case.status == "notified" and case.hearing_qualifies:
        found.append(("hearing_request", labels["hearing_request"], _bound(f.HearingRequestForm, "hearing_request", case,
                                                                            failed)))
    if case.status == "hearing" and case.hearing_on is None:
        found.append(("hearing_schedule", labels["hearing_schedule"],
                      _bound(f.HearingScheduleForm, "hearing_schedule", case, failed)))
        if case.hearing_planned_on and case.hearing_notice_on is None:
            found.append(("hearing_notice", labels["hearing_notice"],
                          _bound(f.HearingNoticeForm, "hearing_notice", case, failed)))
    if case.decided_on is not None and rules.fine_due(case) > services.paid_total(case) \
            and not rules.decision_ended(case):
        found.append(("payment", labels["payment"], _bound(f.PaymentForm, "payment", case, failed)))
    if case.procedure_kind == GENERAL:
        found.append(("seizure", labels["seizure"], _bound(f.SeizureForm, "seizure", case, failed)))
        seizures = services.open_seizures(case)
        if seizures:
            found.append(("seizure_end", labels["seizure_end"],
                          _bound(f.SeizureEndForm, "seizure_end", case, failed, seizures=seizures)))
    if case.decided_on is not None and not rules.decision_ended(case):
        found.append(("enforce", labels["enforce"], _bound(f.EnforceForm, "enforce", case, failed)))
    return found


def _undo_form(request, case, failed):
    """决定被撤销/变更/确认违法: also on a closed case (a reconsideration often ends after payment)."""
    if case.decided_on is None or rules.decision_ended(case) or not rules.can_act(request.user, case):
        return None
    return _bound(f.DecisionUndoneForm, "decision_undone", case, failed)


def _step_forms(request, case, user):
    """The step forms with the case version they act on, and the hearing host's choices (the unit's officers not
    on the case); a form shown again after a refusal takes the version of now (a stale one would stick)."""
    run = procedure_selectors.run_for(case, rules.PROCEDURES[case.procedure_kind])
    found = actions.actionable(run, user, steps.steps_for(case), request=request, record=case) if run else []
    if run is not None and rules.decision_ended(case) and rules.is_open(case):
        found = _ended_close(run, user, found)
    hosts = None
    for _, form in found:
        if getattr(form, "kind", "") != "complete" or "version" not in form.fields:
            continue
        if form.is_bound:
            form.data = form.data.copy() if hasattr(form.data, "copy") else dict(form.data)
            form.data["version"] = case.version
        form.initial["version"] = case.version
        if "host" in form.fields:
            hosts = services.hearing_hosts(case) if hosts is None else hosts
            form.fields["host"].widget.choices = [("", "请选择"), *((o.pk, o.name) for o in hosts)]
    return found


def _ended_close(run, user, found):
    """A revoked (or void) decision: 送达/执行 are not done but recorded by the service at 结案 (services.perform), so
    the 结案 form is offered although the gate still waits for them."""
    from fazhi.procedures import rules as procedure_rules

    close = next((s for s in procedure_selectors.run_view(run).steps if s.spec.code == "close"), None)
    if close is None or close.state != procedure_rules.OPEN or not procedure_rules.can_complete(user, close.spec, run.unit):
        return found
    kept = [(step, form) for step, form in found if step.spec.code not in ("serve", "execute", "close")]
    return [*kept, (close, actions.StepActForm(spec=close.spec, extras=f.StepVersion))]


def _remember_act_failure(request, case, kind: str, errors: dict) -> None:
    data = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "version") and len(v) <= 4000}
    request.session[ACT_FAILED] = {"case": case.pk, "kind": kind, "data": data,
                                   "errors": {k: [str(m) for m in v] for k, v in errors.items()}}


class CaseDetailView(RoleRequiredMixin, TemplateView):
    template_name = "enforcement/penalty/detail.html"

    def get_context_data(self, pk, **kwargs):
        from fazhi.deadlines.selectors import record_clocks
        from fazhi.enforcement.subjects import rules as subject_rules

        case = _case_or_404(self.request, pk)
        user = self.request.user
        run = procedure_selectors.run_for(case, rules.PROCEDURES[case.procedure_kind])
        acts = rules.can_act(user, case) and rules.is_open(case)
        today = rules.today()
        officer_rows = [(r, subject_rules.CERT_STATE_LABELS[subject_rules.certificate_state(r.officer.certificates.all(),
                                                                                             today)],
                         subject_rules.certificate_state(r.officer.certificates.all(), today))
                        for r in selectors.officer_rows(case)]
        payments = selectors.payments(case)
        failed = _failed_act(self.request, case)
        return super().get_context_data(
            case=case, tab="penalty", party=selectors.party_view(case, user), can_act=acts,
            procedure=procedure_selectors.run_view(run) if run else None,
            step_forms=_step_forms(self.request, case, user) if run and acts else [],
            undo_form=_undo_form(self.request, case, failed),
            deadlines=record_clocks(case), officer_rows=officer_rows, payments=payments,
            paid=services.paid_total(case), owed=rules.fine_due(case), surcharge_now=services.surcharge_now(case),
            surcharge_paid=sum((p.surcharge for p in payments if not p.is_voided), start=0),
            pay_due=services.clock_due(case, rules.PAY_FINE),
            act_forms=_act_forms(self.request, case, failed) if acts else [],
            handover_forms=[(p, f.HandoverForm(initial={"version": case.version, "payment_id": p.pk},
                                               auto_id=f"id_handover_{p.pk}_%s"))
                            for p in payments if acts and p.channel == ON_THE_SPOT and not p.handed_over_on
                            and not p.is_voided],
            void_forms={p.pk: f.PaymentVoidForm(initial={"version": case.version, "payment_id": p.pk},
                                                auto_id=f"id_void_{p.pk}_%s")
                        for p in payments if acts and not p.is_voided and case.executed_on is None},
            remove_version=case.version, acts=selectors.case_acts(case),
            attachments=procedure_selectors.run_attachments(user=user, run=run),
            recent_changes=recent_changes(PenaltyCase, case), can_edit=acts and case.decided_on is None,
            step_url=reverse("penalty-step", args=[case.pk]), channels=dict(CHANNELS),
            spot_labels=rules.SPOT_LABELS, **kwargs)


class CaseStepView(StepActView):
    step_actions = steps.STEPS

    def get_object(self, request, pk):
        case = _case_or_404(request, pk)
        self.step_actions = steps.steps_for(case)
        return case

    def get_procedure_run(self, obj):
        return services.case_run(obj)


def _act_call(kind, case, user, data, version):
    if kind in services.CASE_ACTS:
        return services.CASE_ACTS[kind](case=case, actor=user, expected_version=version, **data)
    if kind == "officer_add":
        return services.officer_add(case=case, actor=user, officer=data["officer"], role=data["role"], on=data.get("on"),
                                    expected_version=version)
    if kind == "officer_remove":
        return services.officer_remove(case=case, actor=user, row_id=data["row"], on=data.get("on"),
                                       reason=data["reason"], expected_version=version)
    if kind == "payment":
        return services.payment_record(case=case, actor=user, expected_version=version, **data)
    if kind == "payment_void":
        return services.payment_void(case=case, actor=user, payment_id=data["payment_id"], reason=data["reason"],
                                     expected_version=version)
    return services.cash_handover(case=case, actor=user, expected_version=version, **data)


ACT_FORM_CLASSES = {**f.ACT_FORMS, "officer_add": f.OfficerAddForm, "officer_remove": f.OfficerRemoveForm,
                    "payment": f.PaymentForm, "handover": f.HandoverForm, "payment_void": f.PaymentVoidForm}
ACT_LABELS = {"hearing_request": "当事人要求听证", "hearing_schedule": "安排听证", "hearing_notice": "送达听证通知",
              "officer_add": "增加承办人员", "officer_remove": "调离承办人员", "payment": "登记缴款",
              "handover": "当场收缴罚款上缴", "payment_void": "作废缴款记录", "seizure": "查封扣押",
              "decision_undone": "决定被撤销/变更/确认违法", "seizure_end": "解除查封扣押或作出处理决定",
              "enforce": "行政机关强制执行"}


class CaseActView(RoleRequiredMixin, View):
    """POST one case act (承办人员, 听证, 缴款, 上缴) through its service; 303 back to the case."""

    http_method_names = ["post"]

    def post(self, request, pk, kind):
        case = _case_or_404(request, pk)
        form_class = ACT_FORM_CLASSES.get(kind)
        if form_class is None:
            raise Http404("没有这种案件事项")
        if not rules.can_act(request.user, case):
            raise PermissionDenied("只有本案办案单位的工作人员或法制办可以办理;领导、督查人员只能查看")
        kwargs = {"officers": selectors.officers_for(request.user, case.unit)} if kind == "officer_add" else {}
        if kind == "seizure_end":
            kwargs = {"seizures": services.open_seizures(case)}
        form = form_class(request.POST, request.FILES, **kwargs)
        if not form.is_valid():
            name, errors = next(iter(form.errors.items()))
            label = form.fields[name].label if name in form.fields else ""
            messages.error(request, f"「{label}」{errors[0]}" if label else errors[0])
            _remember_act_failure(request, case, kind, form.errors)
        else:
            data = dict(form.cleaned_data)
            version = data.pop("version")
            if "files" in data:
                data["files"] = request.FILES.getlist("files")
            try:
                _act_call(kind, case, request.user, data, version)
            except NotAllowed as e:
                raise PermissionDenied(e.message) from None
            except FazhiError as e:
                message_error(request, e)
                _remember_act_failure(request, case, kind, {e.field if e.field in form.fields else "__all__": [e.message]})
            else:
                messages.success(request, f"已办理「{ACT_LABELS[kind]}」")
        response = HttpResponseRedirect(case.get_absolute_url())
        response.status_code = 303
        return response


class LedgerExportView(RoleRequiredMixin, View):
    def get(self, request):
        try:
            return exports.ledger_xlsx(user=request.user, query=request.GET)
        except FazhiError as e:
            return HttpResponse(e.message, status=400, content_type="text/plain; charset=utf-8")


class DocumentView(RoleRequiredMixin, View):
    """行政处罚决定书 (decision) and 行政处罚事先告知书 / 听证告知书 (notice) as 公文 .docx, from the record."""

    def get(self, request, pk, doc):
        case = _case_or_404(request, pk)
        maker = {"decision": exports.decision_docx, "notice": exports.notice_docx}.get(doc)
        if maker is None:
            raise Http404("没有这种文书")
        try:
            content, name = maker(case, party=selectors.party_view(case, request.user))
        except FazhiError as e:
            return HttpResponse(e.message, status=e.status, content_type="text/plain; charset=utf-8")
        response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        response["Content-Disposition"] = attachment_disposition(name)
        return response


class RatesView(RoleRequiredMixin, TemplateView):
    """The four rates per unit, per key area and overall (core/rates.py), each number linking to its records."""

    template_name = "enforcement/penalty/rates.html"

    def get_context_data(self, **kwargs):
        from fazhi.enforcement.penalty import rates as penalty_rates

        return super().get_context_data(tab="penalty-rates", **penalty_rates.tables(self.request.user), **kwargs)

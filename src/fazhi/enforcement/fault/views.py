"""Staff pages of fault accountability: the register (filters, paginated, .xlsx), open a record (the office or an
inspector), one record with its acts (sanction decided; compensation paid; void). The unit sees its own records
through the scoping. Thin: parse, call the service, respond."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.views import View
from django.views.generic import TemplateView

from fazhi.core.errors import FazhiError, NotAllowed
from fazhi.core.history import recent_changes
from fazhi.core.models import Attachment
from fazhi.core.views import PAGE_SIZE, RoleRequiredMixin, form_error, query_without, see_other
from fazhi.enforcement.fault import exports, forms, rules, selectors, services
from fazhi.enforcement.fault.models import (OPEN, RESPONSIBILITY_LABELS, SANCTION_LABELS, STATUS_LABELS,
                                            FaultRecord)


class FaultListView(RoleRequiredMixin, TemplateView):
    template_name = "enforcement/fault/list.html"

    def get(self, request, *args, **kwargs):
        ctx = {"query": request.GET, "q": query_without(request), "can_open": rules.can_open(request.user),
               "responsibilities": RESPONSIBILITY_LABELS, "sanctions": SANCTION_LABELS,
               "statuses": {**STATUS_LABELS, "voided": "已作废"}}
        try:
            filters = selectors.Filters.parse(request.GET, request.user)
            page = Paginator(selectors.records(user=request.user, filters=filters), PAGE_SIZE).get_page(
                request.GET.get("page"))
        except FazhiError as e:
            return self.render_to_response({**ctx, "error": e.message, "page_obj": None}, status=400)
        return self.render_to_response({**ctx, "page_obj": page, "rows": list(page.object_list)})


class FaultCreateView(RoleRequiredMixin, TemplateView):
    template_name = "enforcement/fault/form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.can_open(request.user):
            raise PermissionDenied("只有法制办或督查人员可以登记执法过错责任追究")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response({"form": forms.OpenForm()})

    def post(self, request, *args, **kwargs):
        form = forms.OpenForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = services.case_find(user=request.user, kind=data["case_kind"], number=data["case_number"])
                officers = services.officers_find(case=case, names=form.officer_names())
                record = services.fault_open(case=case, officers=officers, data=data, actor=request.user)
            except FazhiError as e:
                form_error(form, e)
                status = e.status
            else:
                messages.success(request, "已登记执法过错责任追究")
                return see_other(record.get_absolute_url())
        return self.render_to_response({"form": form}, status=status)


def _record_or_404(request, pk) -> FaultRecord:
    record = selectors.record_get(user=request.user, pk=pk)
    if record is None:
        raise Http404("未找到该执法过错责任追究记录,或您无权查看")
    return record


class FaultDetailView(RoleRequiredMixin, TemplateView):
    template_name = "enforcement/fault/detail.html"

    def get_context_data(self, pk, **kwargs):
        user = self.request.user
        record = _record_or_404(self.request, pk)
        live = not record.is_voided
        initial = {"version": record.version}
        return super().get_context_data(
            record=record, files=list(Attachment.objects.for_object(record).active()),
            decide_form=kwargs.pop("decide_form", None) or (
                forms.DecideForm(initial=initial) if live and rules.can_decide(user) else None),
            compensation_form=kwargs.pop("compensation_form", None) or (
                forms.CompensationForm(initial=initial) if live and rules.can_record_compensation(user, record)
                else None),
            void_form=kwargs.pop("void_form", None) or (
                forms.VoidForm(initial=initial) if live and rules.can_open(user) else None),
            is_open=record.status == OPEN, basis=rules.BASIS, recent_changes=recent_changes(FaultRecord, record),
            **kwargs)


class _ActView(FaultDetailView):
    form_class = forms.DecideForm
    form_name = "decide_form"
    done = ""
    multipart = False

    def get(self, request, *args, **kwargs):
        raise Http404

    def act(self, record, data, actor):
        raise NotImplementedError

    def post(self, request, pk):
        record = _record_or_404(request, pk)
        form = self.form_class(request.POST, request.FILES if self.multipart else None)
        status = 400
        if form.is_valid():
            try:
                self.act(record, form.cleaned_data, request.user)
            except NotAllowed as e:
                raise PermissionDenied(e.message) from None
            except FazhiError as e:
                form_error(form, e)
                status = e.status
            else:
                messages.success(request, self.done)
                return see_other(record.get_absolute_url())
        elif not self.allowed(request.user, record):
            raise PermissionDenied("无权进行此操作")
        return self.render_to_response(self.get_context_data(pk=pk, **{self.form_name: form}), status=status)

    def allowed(self, user, record) -> bool:
        return rules.can_decide(user)


class FaultDecideView(_ActView):
    done = "已登记追究处理决定"

    def act(self, record, data, actor):
        services.fault_decide(record=record, sanction=data["sanction"], on=data["sanction_on"],
                              ref=data["sanction_ref"], note=data["sanction_note"], actor=actor,
                              expected_version=data["version"])


class FaultCompensationView(_ActView):
    form_class = forms.CompensationForm
    form_name = "compensation_form"
    done = "已登记国家赔偿支付情况"
    multipart = True

    def act(self, record, data, actor):
        services.fault_compensation(record=record, amount=data["compensation_paid"], on=data["compensation_on"],
                                    ref=data["compensation_ref"], files=[data["files"]], actor=actor,
                                    expected_version=data["version"])

    def allowed(self, user, record) -> bool:
        return rules.can_record_compensation(user, record)


class FaultVoidView(_ActView):
    form_class = forms.VoidForm
    form_name = "void_form"
    done = "已作废该记录"

    def act(self, record, data, actor):
        services.fault_void(record=record, reason=data["reason"], actor=actor, expected_version=data["version"])

    def allowed(self, user, record) -> bool:
        return rules.can_open(user)


class FaultExportView(RoleRequiredMixin, View):
    """执法过错责任追究台账 .xlsx (streamed), scoped and filtered like the list."""

    def get(self, request):
        try:
            return exports.register_xlsx(user=request.user, query=request.GET)
        except FazhiError as e:
            return HttpResponseBadRequest(e.message, content_type="text/plain; charset=utf-8")

"""Staff pages of major decisions: the yearly catalogue (adjust with reasons, publish), a decision with its
procedure, step actions, clocks, public consultation, accountability and history. Thin: parse, call the
service, respond; every read through the scoping (selectors)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from fazhi.core.errors import FazhiError, InvalidInput
from fazhi.core.history import recent_changes
from fazhi.core.views import RoleRequiredMixin, message_error, see_other
from fazhi.core.views import form_error as _form_error
from fazhi.decisions import exports, forms, rules, selectors, services
from fazhi.decisions import models as m
from fazhi.decisions.actions import STEP_ACTIONS
from fazhi.procedures import actions
from fazhi.procedures import selectors as procedure_selectors
from fazhi.procedures.views import StepActView



def _year(request) -> int | None:
    raw = request.GET.get("year", "")
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4):
        raise Http404("年度应为四位数字,如 2026")
    return int(raw)


def _catalogue_url(catalogue) -> str:
    return f"{reverse('decision-catalogue')}?year={catalogue.year}"


class CatalogueView(RoleRequiredMixin, TemplateView):
    """The year's catalogue: the lead unit sees its own items, the office all (and draws up, adjusts and
    publishes it). Paginated; a constant number of queries per page."""

    template_name = "decisions/catalogue.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        catalogue = selectors.catalogue_of_year(user=user, year=_year(self.request))
        if self.request.GET.get("year") and catalogue is None:
            raise Http404("该年度还没有重大行政决策事项目录")
        page = None
        if catalogue is not None:
            page = Paginator(selectors.decisions(user=user, catalogue=catalogue),
                             selectors.PAGE_SIZE).get_page(self.request.GET.get("page"))
        can_manage = rules.can_manage_catalogue(user)
        return super().get_context_data(
            catalogue=catalogue, catalogues=list(selectors.catalogues(user=user)), page_obj=page,
            decisions=list(page.object_list) if page else [], can_manage=can_manage,
            q=f"year={catalogue.year}" if catalogue else "",
            create_form=kwargs.pop("create_form", None) or (forms.CatalogueForm(initial={"year": timezone.localdate().year})
                                                      if can_manage else None),
            adjustments=list(selectors.adjustments(user=user, catalogue=catalogue)[:20]) if catalogue else [],
            **kwargs)


class CatalogueCreateView(CatalogueView):
    http_method_names = ["post"]

    def post(self, request):
        if not rules.can_manage_catalogue(request.user):
            raise PermissionDenied("只有法制办可以编制重大行政决策事项目录")
        form = forms.CatalogueForm(request.POST)
        if form.is_valid():
            try:
                catalogue = services.catalogue_create(year=form.cleaned_data["year"], title=form.cleaned_data["title"],
                                                      actor=request.user)
            except FazhiError as e:
                _form_error(form, e)
            else:
                messages.success(request, f"已建立{catalogue.title}")
                return see_other(_catalogue_url(catalogue))
        return self.render_to_response(self.get_context_data(create_form=form), status=400)


def _catalogue_or_404(user, pk):
    catalogue = selectors.catalogues(user=user).filter(pk=pk).first()
    if catalogue is None:
        raise Http404("未找到该目录")
    return catalogue


class CataloguePublishView(RoleRequiredMixin, View):
    def post(self, request, pk: int):
        catalogue = _catalogue_or_404(request.user, pk)
        if not rules.can_manage_catalogue(request.user):
            raise PermissionDenied("只有法制办可以公布重大行政决策事项目录")
        form = forms.PublishCatalogueForm(request.POST)
        try:
            if not form.is_valid():
                raise InvalidInput("缺少版本号,请刷新页面后重试", field="version")
            services.catalogue_publish(catalogue=catalogue, actor=request.user,
                                       expected_version=form.cleaned_data["version"])
        except FazhiError as e:
            message_error(request, e)
        else:
            messages.success(request, f"已公布{catalogue.title},公众可在公众服务网站查看")
        return see_other(_catalogue_url(catalogue))


class ItemFormView(RoleRequiredMixin, TemplateView):
    """Add an item to a catalogue (调入), or change one (变更); the reason is required once published."""

    template_name = "decisions/item_form.html"

    def _objects(self, pk):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.can_manage_catalogue(request.user):
            self._objects(kwargs["pk"])  # another unit's record: 404 before 403
            raise PermissionDenied("只有法制办可以调整重大行政决策事项目录")
        return super().dispatch(request, *args, **kwargs)


class ItemAddView(ItemFormView):
    def _objects(self, pk):
        return _catalogue_or_404(self.request.user, pk), None

    def get_context_data(self, **kwargs):
        catalogue, _ = self._objects(kwargs["pk"])
        form = kwargs.pop("form", None) or forms.ItemForm(initial={"maker": "区人民政府"})
        return super().get_context_data(catalogue=catalogue, decision=None, form=form, **kwargs)

    def post(self, request, pk: int):
        catalogue, _ = self._objects(pk)
        form = forms.ItemForm(request.POST)
        if form.is_valid():
            try:
                decision = services.decision_add(catalogue=catalogue, data=form.cleaned_data, actor=request.user,
                                                 reason=form.cleaned_data["reason"])
            except FazhiError as e:
                _form_error(form, e)
            else:
                messages.success(request, f"已将「{decision.title}」列入{catalogue.title}")
                return see_other(_catalogue_url(catalogue))
        return self.render_to_response(self.get_context_data(pk=pk, form=form), status=400)


def _decision_or_404(user, pk):
    decision = selectors.decision_get(user=user, pk=pk)
    if decision is None:
        raise Http404("未找到该决策事项,或您无权查看")
    return decision


class ItemEditView(ItemFormView):
    def _objects(self, pk):
        decision = _decision_or_404(self.request.user, pk)
        return decision.catalogue, decision

    def get_context_data(self, **kwargs):
        catalogue, decision = self._objects(kwargs["pk"])
        form = kwargs.pop("form", None) or forms.ItemForm(initial={
            **{k: getattr(decision, k) for k in services.ITEM_FIELDS}, "unit": decision.unit.code,
            "version": decision.version})
        return super().get_context_data(catalogue=catalogue, decision=decision, form=form,
                                        remove_form=forms.RemoveForm(initial={"version": decision.version}), **kwargs)

    def post(self, request, pk: int):
        _, decision = self._objects(pk)
        form = forms.ItemForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.decision_change(decision=decision, data=form.cleaned_data, actor=request.user,
                                         reason=form.cleaned_data["reason"],
                                         expected_version=form.cleaned_data["version"])
            except FazhiError as e:
                _form_error(form, e)
                status = e.status  # a stale edit is 409, as on the API
            else:
                messages.success(request, "已变更该事项")
                return see_other(decision.get_absolute_url())
        return self.render_to_response(self.get_context_data(pk=pk, form=form), status=status)


class ItemRemoveView(RoleRequiredMixin, View):
    def post(self, request, pk: int):
        decision = _decision_or_404(request.user, pk)
        if not rules.can_manage_catalogue(request.user):
            raise PermissionDenied("只有法制办可以调整重大行政决策事项目录")
        form = forms.RemoveForm(request.POST)
        if not form.is_valid():
            field, errors = next(iter(form.errors.items()))
            messages.error(request, errors[0])
            return see_other(reverse("decision-edit", args=[pk]))
        try:
            services.decision_remove(decision=decision, actor=request.user, reason=form.cleaned_data["reason"],
                                     expected_version=form.cleaned_data["version"])
        except FazhiError as e:
            message_error(request, e)
            return see_other(reverse("decision-edit", args=[pk]))
        messages.success(request, f"已将「{decision.title}」调出目录")
        return see_other(_catalogue_url(decision.catalogue))


class DecisionDetailView(RoleRequiredMixin, TemplateView):
    template_name = "decisions/detail.html"

    def get_context_data(self, pk: int, **kwargs):
        from fazhi.portal import services as portal

        user = self.request.user
        decision = _decision_or_404(user, pk)
        run = procedure_selectors.run_for(decision, rules.PROCEDURE)
        consultation = portal.consultation_for(decision)
        can_act = rules.can_act(user, decision) and decision.status != m.REMOVED
        today = timezone.localdate()
        procedure = procedure_selectors.run_view(run) if run else None
        consult_done = bool(procedure and next(s for s in procedure.steps if s.spec.code == "consult").done)
        open_consultation = can_act and not consult_done and (consultation is None or consultation.ends_on < today)
        return super().get_context_data(
            decision=decision, decision_step_url=reverse("decision-step", args=[decision.pk]), procedure=procedure,
            step_forms=actions.actionable(run, user, STEP_ACTIONS, request=self.request)
            if run and decision.status != m.REMOVED else [],
            deadlines=selectors.clocks(decision), consultation=consultation,
            consultation_form=kwargs.pop("consultation_form", None) or (forms.ConsultationForm(initial={
                "title": f"关于《{decision.title}》公开征求意见", "starts_on": today}) if open_consultation else None),
            obligatory=rules.obligatory_steps(decision),
            accountabilities=list(selectors.accountabilities(user=user, decision=decision)),
            accountability_form=kwargs.pop("accountability_form", None) or (
                forms.AccountabilityForm() if rules.can_open_accountability(user) else None),
            adjustments=list(selectors.adjustments(user=user, decision=decision)),
            can_manage=rules.can_manage_catalogue(user),
            recent_changes=recent_changes(m.Decision, decision),
            **kwargs)


class DecisionStepView(StepActView):
    step_actions = STEP_ACTIONS

    def get_object(self, request, pk):
        return _decision_or_404(request.user, pk)


class ConsultationOpenView(DecisionDetailView):
    def get(self, request, *args, **kwargs):
        raise Http404

    def post(self, request, pk: int):
        decision = _decision_or_404(request.user, pk)
        if not rules.can_act(request.user, decision):
            raise PermissionDenied("只有承办单位或法制办可以公开征求意见")
        form = forms.ConsultationForm(request.POST)
        if form.is_valid():
            try:
                services.consultation_open(decision=decision, actor=request.user, **form.open_kwargs())
            except FazhiError as e:
                _form_error(form, e)
            else:
                messages.success(request, "已发布公开征求意见,公众可在公众服务网站提出意见")
                return see_other(decision.get_absolute_url())
        return self.render_to_response(self.get_context_data(pk=pk, consultation_form=form), status=400)


class AccountabilityOpenView(DecisionDetailView):
    def get(self, request, *args, **kwargs):
        raise Http404

    def post(self, request, pk: int):
        decision = _decision_or_404(request.user, pk)
        if not rules.can_open_accountability(request.user):
            raise PermissionDenied("只有法制办或督查人员可以启动决策责任追究")
        form = forms.AccountabilityForm(request.POST)
        if form.is_valid():
            try:
                record = services.accountability_open(decision=decision, actor=request.user, **form.cleaned_data)
            except FazhiError as e:
                _form_error(form, e)
            else:
                messages.success(request, "已启动决策责任追究")
                return see_other(record.get_absolute_url())
        return self.render_to_response(self.get_context_data(pk=pk, accountability_form=form), status=400)


def _accountability_or_404(user, pk):
    record = selectors.accountability_get(user=user, pk=pk)
    if record is None:
        raise Http404("未找到该责任追究记录,或您无权查看")
    return record


class AccountabilityDetailView(RoleRequiredMixin, TemplateView):
    template_name = "decisions/accountability.html"

    def get_context_data(self, pk: int, **kwargs):
        record = _accountability_or_404(self.request.user, pk)
        can_close = rules.can_close_accountability(self.request.user) and record.status == m.ACC_OPEN
        return super().get_context_data(
            record=record, close_form=kwargs.pop("close_form", None) or (
                forms.CloseForm(initial={"version": record.version}) if can_close else None),
            recent_changes=recent_changes(m.Accountability, record),
            **kwargs)

    def post(self, request, pk: int):
        record = _accountability_or_404(request.user, pk)
        if not rules.can_close_accountability(request.user):
            raise PermissionDenied("只有法制办可以办结决策责任追究")
        form = forms.CloseForm(request.POST)
        if form.is_valid():
            try:
                services.accountability_close(record=record, actor=request.user, result=form.cleaned_data["result"],
                                              expected_version=form.cleaned_data["version"])
            except FazhiError as e:
                _form_error(form, e)
            else:
                messages.success(request, "已办结决策责任追究")
                return see_other(record.get_absolute_url())
        return self.render_to_response(self.get_context_data(pk=pk, close_form=form), status=400)


class CatalogueExportView(RoleRequiredMixin, View):
    """The year's catalogue as .xlsx (streamed), scoped like the page."""

    def get(self, request):
        catalogue = selectors.catalogue_of_year(user=request.user, year=_year(request))
        if catalogue is None:
            raise Http404("该年度还没有重大行政决策事项目录")
        return exports.catalogue_xlsx(user=request.user, catalogue=catalogue)


# ---------------------------------------------------------------- the public site


class PublicDecisionsView(TemplateView):
    """/public/decisions/?year=: a published catalogue with each item's public status; an unpublished year 404."""

    template_name = "decisions/public.html"

    def get_context_data(self, **kwargs):
        catalogue = selectors.public_catalogue(_year(self.request))
        if self.request.GET.get("year") and catalogue is None:
            raise Http404("该年度的重大行政决策事项目录尚未公布")
        return super().get_context_data(
            public_section="decisions", catalogue=catalogue,
            years=list(selectors.public_catalogues().values_list("year", flat=True)),
            items=selectors.public_items(catalogue) if catalogue else [],
            adjustments=selectors.public_adjustments(catalogue) if catalogue else [], **kwargs)

"""Pages of 行政许可 (scoped: a unit sees and handles its own items and cases; the office all; leaders and
inspectors read). Thin: parse, call the service or selector, respond."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from fazhi.core.errors import FazhiError, NotAllowed
from fazhi.core.history import recent_changes
from fazhi.core.views import PAGE_SIZE, RoleRequiredMixin, attachment_disposition, message_error, see_other
from fazhi.core.views import form_error as _form_error
from fazhi.core.views import query_without as _query
from fazhi.core.pagination import CappedCountPaginator
from fazhi.deadlines.catalogue import get_rule
from fazhi.enforcement.licence import exports, rules, selectors, services, steps
from fazhi.enforcement.licence.forms import (
    ACT_FORMS, ITEM_ACT_FORMS, ITEM_ACT_LABELS, CaseFilterForm, CaseForm, ItemFilterForm, ItemForm,
)
from fazhi.enforcement.licence.models import ACT_KINDS, ITEM_DRAFT, ITEM_PUBLISHED, ITEM_WITHDRAWN, LicenceCase, LicenceItem
from fazhi.portal.views import PublicView
from fazhi.procedures import actions
from fazhi.procedures import selectors as procedure_selectors
from fazhi.procedures.views import StepActView
from fazhi.org.selectors import writable_units


def _editable_units(user):
    """The units whose items and cases `user` may write (org.selectors.writable_units; the district root has none)."""
    return writable_units(user, below_root=True)


PICK_LIMIT = selectors.PICK_LIMIT


def _subjects(units):
    """The item form's subjects: those of the units the user writes for, bounded (a unit has a handful; the office
    picks the unit's first — the form names the bound when it cuts)."""
    from fazhi.enforcement.subjects.models import EnforcementSubject

    return list(EnforcementSubject.objects.filter(unit__in=units).select_related("unit")
                .order_by("unit__sort_order", "name")[:PICK_LIMIT * 5])


def _officer_choices(officers) -> list[tuple[str, str]]:
    return [(str(o.pk), f"{o.name}(编号 {o.pk})") for o in officers]


def statutory_period() -> str:
    """The statutory period as the catalogue states it (never typed twice)."""
    rule = get_rule(rules.CLOCK_RULES[rules.DECIDE])
    return f"{rule.period_text(rule.period)}({rule.basis};经批准可延长{get_rule(rules.EXTEND_RULE).period_text()})"


# ---------------------------------------------------------------- items


class ItemListView(RoleRequiredMixin, TemplateView):
    template_name = "enforcement/licence/item_list.html"

    def get(self, request, *args, **kwargs):
        form = ItemFilterForm(request.GET or None)
        ctx = {"form": form, "tab": "licence-items", "can_create": bool(_editable_units(request.user)),
               "statutory": statutory_period()}
        try:
            filters = selectors.ItemFilters.parse(request.GET, user=request.user)
            page = Paginator(selectors.items(user=request.user, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
        except FazhiError as e:
            _form_error(form, e)
            return self.render_to_response({**ctx, "page_obj": None}, status=400)
        return self.render_to_response({**ctx, "page_obj": page, "q": _query(request)})


def _item_or_404(request, pk) -> LicenceItem:
    item = selectors.item_get(user=request.user, pk=pk)
    if item is None:
        raise Http404("未找到该许可事项,或您无权查看")
    return item


class ItemCreateView(RoleRequiredMixin, TemplateView):
    template_name = "enforcement/licence/item_form.html"

    def _form(self, request, data=None):
        units = _editable_units(request.user)
        if not units:
            raise PermissionDenied("只有法制办或单位工作人员可以登记许可事项")
        return ItemForm(data, units=units, subjects=_subjects(units))

    def get(self, request, *args, **kwargs):
        return self.render_to_response({"form": self._form(request), "item": None, "tab": "licence-items",
                                        "statutory": statutory_period()})

    def post(self, request, *args, **kwargs):
        form = self._form(request, request.POST)
        status = 400
        if form.is_valid():
            try:
                item = services.item_create(actor=request.user, data=form.data_for_service())
            except NotAllowed as e:
                raise PermissionDenied(e.message) from None
            except FazhiError as e:
                _form_error(form, e)
                status = e.status
            else:
                messages.success(request, f"已登记许可事项「{item.name}」(草稿),公布后方可受理申请")
                return redirect(item.get_absolute_url())
        return self.render_to_response({"form": form, "item": None, "tab": "licence-items",
                                        "statutory": statutory_period()}, status=status)


class ItemDetailView(RoleRequiredMixin, TemplateView):
    template_name = "enforcement/licence/item_detail.html"

    def get_context_data(self, pk, **kwargs):
        item = _item_or_404(self.request, pk)
        can_edit = rules.can_edit_item(self.request.user, item.unit)
        acts = []
        if can_edit:
            for kind, allowed in (("publish", item.status == ITEM_DRAFT), ("withdraw", item.status == ITEM_PUBLISHED)):
                if allowed:
                    acts.append((kind, ITEM_ACT_LABELS[kind], ITEM_ACT_FORMS[kind](
                        initial={"version": item.version, "on": rules.today()}, auto_id=f"id_{kind}_%s")))
        return super().get_context_data(
            item=item, tab="licence-items", can_edit=can_edit and item.status != ITEM_WITHDRAWN, item_acts=acts,
            statutory=statutory_period(), cases_count=LicenceCase.objects.visible_to(self.request.user).filter(item=item).count(),
            recent_changes=recent_changes(LicenceItem, item), **kwargs)


class ItemEditView(RoleRequiredMixin, TemplateView):
    template_name = "enforcement/licence/item_form.html"

    def _item(self, request, pk):
        item = _item_or_404(request, pk)
        if not rules.can_edit_item(request.user, item.unit):
            raise PermissionDenied("只有法制办或该单位的工作人员可以修改本单位的许可事项")
        return item

    def get(self, request, pk, *args, **kwargs):
        item = self._item(request, pk)
        form = ItemForm(initial=ItemForm.initial_from(item), units=[item.unit], subjects=_subjects([item.unit]))
        return self.render_to_response({"form": form, "item": item, "tab": "licence-items",
                                        "statutory": statutory_period()})

    def post(self, request, pk, *args, **kwargs):
        item = self._item(request, pk)
        form = ItemForm(request.POST, units=[item.unit], subjects=_subjects([item.unit]))
        status = 400
        if form.is_valid():
            try:
                services.item_update(item=item, actor=request.user, data=form.data_for_service(),
                                     expected_version=form.cleaned_data["version"])
            except FazhiError as e:
                _form_error(form, e)
                status = e.status
            else:
                messages.success(request, "许可事项已保存")
                return redirect(item.get_absolute_url())
        return self.render_to_response({"form": form, "item": item, "tab": "licence-items",
                                        "statutory": statutory_period()}, status=status)


class ItemActView(RoleRequiredMixin, View):
    """POST 公布 or 停止实施 of an item through its service; 303 back to the item."""

    http_method_names = ["post"]

    def post(self, request, pk, kind):
        item = _item_or_404(request, pk)
        form_class = ITEM_ACT_FORMS.get(kind)
        if form_class is None:
            raise Http404("没有这种事项操作")
        if not rules.can_edit_item(request.user, item.unit):
            raise PermissionDenied("只有法制办或该单位的工作人员可以公布或停止实施本单位的许可事项")
        form = form_class(request.POST)
        if not form.is_valid():
            name, errors = next(iter(form.errors.items()))
            label = form.fields[name].label if name in form.fields else ""
            messages.error(request, f"「{label}」{errors[0]}" if label else errors[0])
        else:
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.ITEM_ACTS[kind](item=item, actor=request.user, expected_version=version, **data)
            except FazhiError as e:
                message_error(request, e)
            else:
                messages.success(request, f"已{ITEM_ACT_LABELS[kind]}许可事项「{item.name}」")
        return see_other(item.get_absolute_url())


class ItemExportView(RoleRequiredMixin, View):
    def get(self, request):
        try:
            return exports.items_xlsx(user=request.user, query=request.GET)
        except FazhiError as e:
            return HttpResponse(e.message, status=400, content_type="text/plain; charset=utf-8")


# ---------------------------------------------------------------- cases


class CaseListView(RoleRequiredMixin, TemplateView):
    template_name = "enforcement/licence/list.html"

    def get(self, request, *args, **kwargs):
        form = CaseFilterForm(request.GET or None)
        ctx = {"form": form, "tab": "licence-cases", "can_register": bool(_editable_units(request.user))}
        try:
            filters = selectors.CaseFilters.parse(request.GET, user=request.user)
            page = CappedCountPaginator(selectors.cases(user=request.user, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
        except FazhiError as e:
            _form_error(form, e)
            return self.render_to_response({**ctx, "page_obj": None}, status=400)
        return self.render_to_response({**ctx, "page_obj": page, "q": _query(request)})


def _items_for_cases(user, units, q: str = ""):
    """The published items a case may be registered for, bounded (PICK_LIMIT) and searched by `q` (code or name):
    (items, how many match) — the page says when the list is cut and offers the search."""
    from django.db.models import Q

    qs = LicenceItem.objects.filter(unit__in=units, status=ITEM_PUBLISHED)
    q = (q or "").strip()[:100]
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q))
    return list(qs.select_related("unit").order_by("unit__sort_order", "code", "id")[:PICK_LIMIT]), qs.count()


class CaseCreateView(RoleRequiredMixin, TemplateView):
    template_name = "enforcement/licence/form.html"

    def _form(self, request, data=None):
        units = _editable_units(request.user)
        if not units:
            raise PermissionDenied("只有法制办或单位工作人员可以登记许可申请")
        query = request.GET.get("item_q", "")
        items, total = _items_for_cases(request.user, units, query)
        if data is not None and data.get("item"):  # the item picked from a searched list is offered again
            picked = str(data.get("item"))
            if picked.isascii() and picked.isdigit() and all(str(i.pk) != picked for i in items):
                items += list(LicenceItem.objects.filter(pk=int(picked[:18]), unit__in=units, status=ITEM_PUBLISHED)
                              .select_related("unit"))
        self.pick = {"query": query, "shown": len(items), "total": total, "limit": PICK_LIMIT}
        return CaseForm(data, items=items)

    def get(self, request, *args, **kwargs):
        form = self._form(request)
        return self.render_to_response({"form": form, "case": None, "tab": "licence-cases", "pick": self.pick})

    def post(self, request, *args, **kwargs):
        form = self._form(request, request.POST)
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
                messages.success(request, f"已登记 {case.number},补正告知期限自收到申请材料之日起计算")
                return redirect(case.get_absolute_url())
        return self.render_to_response({"form": form, "case": None, "tab": "licence-cases", "pick": self.pick},
                                       status=status)


def _case_or_404(request, pk) -> LicenceCase:
    case = selectors.case_get(user=request.user, pk=pk)
    if case is None:
        raise Http404("未找到该行政许可案件,或您无权查看")
    return case


class CaseEditView(RoleRequiredMixin, TemplateView):
    template_name = "enforcement/licence/form.html"

    def _case(self, request, pk):
        case = _case_or_404(request, pk)
        if not rules.can_act(request.user, case.unit):
            raise PermissionDenied("只有该案件的实施单位(或法制办)可以修改申请信息")
        return case

    def get(self, request, pk, *args, **kwargs):
        case = self._case(request, pk)
        form = CaseForm(initial=CaseForm.initial_from(case), items=[case.item])
        return self.render_to_response({"form": form, "case": case, "tab": "licence-cases"})

    def post(self, request, pk, *args, **kwargs):
        case = self._case(request, pk)
        form = CaseForm(request.POST, items=[case.item])
        status = 400
        if form.is_valid():
            try:
                services.case_update(case=case, actor=request.user, data=form.data_for_service(),
                                     expected_version=form.cleaned_data["version"])
            except FazhiError as e:
                _form_error(form, e)
                status = e.status
            else:
                messages.success(request, "申请信息已保存")
                return redirect(case.get_absolute_url())
        return self.render_to_response({"form": form, "case": case, "tab": "licence-cases"}, status=status)


ACT_FAILED = "licence.act_failed"


def _act_forms(case, request, officers=()) -> list[tuple[str, str, object]]:
    from django.forms.utils import ErrorDict, ErrorList

    failed = request.session.pop(ACT_FAILED, None)
    if failed and failed.get("case") != case.pk:
        failed = None
    labels = dict(ACT_KINDS)
    found = []
    for kind, allowed in rules.acts_allowed(case).items():
        if not allowed:
            continue
        form_class = ACT_FORMS[kind]
        form = form_class(initial={"version": case.version}, auto_id=f"id_{kind}_%s")
        if failed and failed.get("kind") == kind:
            form = form_class(data={**failed["data"], "version": case.version}, auto_id=f"id_{kind}_%s")
            form._errors = ErrorDict({k: ErrorList(v) for k, v in failed["errors"].items()})
        if "host" in form.fields:
            inspected = {o.get("id") for o in case.inspection_officer_data or []}
            form.fields["host"].choices = [("", "请选择"), *_officer_choices(o for o in officers if o.pk not in inspected)]
        found.append((kind, labels[kind], form))
    return found


class CaseDetailView(RoleRequiredMixin, TemplateView):
    template_name = "enforcement/licence/detail.html"

    def get_context_data(self, pk, **kwargs):
        from fazhi.deadlines.selectors import record_clocks

        case = _case_or_404(self.request, pk)
        user = self.request.user
        run = procedure_selectors.run_for(case, rules.PROCEDURE)
        may = rules.can_act(user, case.unit) and rules.is_open(case)
        step_forms = (actions.actionable(run, user, steps.STEPS, request=self.request, record=case)
                      if run and rules.is_open(case) else [])
        for _step, form in step_forms:  # the version acted on; a form shown again after a refusal takes today's
            if getattr(form, "kind", "") == "complete" and "version" in form.fields:
                if form.is_bound:
                    form.data = form.data.copy() if hasattr(form.data, "copy") else dict(form.data)
                    form.data["version"] = case.version
                form.initial["version"] = case.version
        pick = None
        if may:  # the officer pick lists (现场核查, 听证主持人): the unit's officers, bounded and searchable
            query = self.request.GET.get("officer_q", "")
            officers, total = selectors.officer_pick(case.unit, query)
            pick = {"query": query, "shown": len(officers), "total": total, "limit": PICK_LIMIT}
            for _step, form in step_forms:
                if "inspection_officers" in getattr(form, "fields", {}):
                    form.fields["inspection_officers"].choices = _officer_choices(officers)
        else:
            officers = []
        return super().get_context_data(
            case=case, tab="licence-cases", procedure=procedure_selectors.run_view(run) if run else None,
            step_forms=step_forms, officer_pick=pick, withdraw_basis=rules.BASIS_WITHDRAW,
            deadlines=record_clocks(case), deemed=rules.deemed_text(case), major_unjudged=rules.major_unjudged_text(case),
            act_forms=_act_forms(case, self.request, officers) if may else [], acts=selectors.case_acts(case),
            attachments=procedure_selectors.run_attachments(user=user, run=run),
            recent_changes=recent_changes(LicenceCase, case), can_edit=may,
            applicant=selectors.applicant_view(case, user),
            step_url=reverse("licence-step", args=[case.pk]), statutory=statutory_period(), **kwargs)


class CaseStepView(StepActView):
    step_actions = steps.STEPS

    def get_object(self, request, pk):
        return _case_or_404(request, pk)

    def get_procedure_run(self, obj):
        return services.case_run(obj)


class CaseActView(RoleRequiredMixin, View):
    """POST one case act (收到补正材料, 延长决定期限, 撤回申请, 听证) through its service; 303 back to the case."""

    http_method_names = ["post"]

    def post(self, request, pk, kind):
        case = _case_or_404(request, pk)
        form_class = ACT_FORMS.get(kind)
        if form_class is None:
            raise Http404("没有这种案件事项")
        if not rules.can_act(request.user, case.unit):
            raise PermissionDenied("只有该案件的实施单位(或法制办)可以办理此事项")
        form = form_class(request.POST)
        errors = None
        if not form.is_valid():
            name, errs = next(iter(form.errors.items()))
            label = form.fields[name].label if name in form.fields else ""
            messages.error(request, f"「{label}」{errs[0]}" if label else errs[0])
            errors = form.errors
        else:
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.CASE_ACTS[kind](case=case, actor=request.user, expected_version=version, **data)
            except NotAllowed as e:
                raise PermissionDenied(e.message) from None
            except FazhiError as e:
                message_error(request, e)
                errors = {e.field if e.field in form.fields else "__all__": [e.message]}
            else:
                messages.success(request, f"已办理「{dict(ACT_KINDS)[kind]}」")
        if errors:
            data = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "version") and len(v) <= 4000}
            request.session[ACT_FAILED] = {"case": case.pk, "kind": kind, "data": data,
                                           "errors": {k: [str(m) for m in v] for k, v in errors.items()}}
        return see_other(case.get_absolute_url())


class CaseExportView(RoleRequiredMixin, View):
    def get(self, request):
        try:
            return exports.cases_xlsx(user=request.user, query=request.GET)
        except FazhiError as e:
            return HttpResponse(e.message, status=400, content_type="text/plain; charset=utf-8")


class DecisionDocxView(RoleRequiredMixin, View):
    """准予行政许可决定书 (不予许可: 不予行政许可决定书) as .docx (公文 format) from a decided case."""

    def get(self, request, pk):
        case = _case_or_404(request, pk)
        try:
            content, name = exports.decision_docx(case, applicant=selectors.applicant_view(case, request.user))
        except FazhiError as e:
            return HttpResponse(e.message, status=e.status, content_type="text/plain; charset=utf-8")
        response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        response["Content-Disposition"] = attachment_disposition(name)
        return response


class HearingNoticeDocxView(RoleRequiredMixin, View):
    """行政许可听证通知书 (.docx, 公文 format) of a case whose hearing was notified."""

    def get(self, request, pk):
        case = _case_or_404(request, pk)
        try:
            content, name = exports.hearing_notice_docx(case)
        except FazhiError as e:
            return HttpResponse(e.message, status=e.status, content_type="text/plain; charset=utf-8")
        response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        response["Content-Disposition"] = attachment_disposition(name)
        return response


# ---------------------------------------------------------------- public (许可公示)


class PublicItemsView(PublicView):
    template_name = "enforcement/licence/public_list.html"
    section = "licence-items"

    def get(self, request, *args, **kwargs):
        ctx = self.get_context_data(query=request.GET, statutory=statutory_period())
        try:
            filters = selectors.ItemFilters.parse(request.GET)
            page = Paginator(selectors.public_items(filters=filters), 20).get_page(request.GET.get("page"))
        except FazhiError as e:
            return self.render_to_response({**ctx, "error": e.message, "page_obj": None}, status=400)
        return self.render_to_response({**ctx, "page_obj": page, "q": _query(request)})


class PublicItemView(PublicView):
    template_name = "enforcement/licence/public_detail.html"
    section = "licence-items"

    def get_context_data(self, key, **kwargs):
        item = selectors.public_item(key)
        if item is None:
            raise Http404("未找到该许可事项")
        return super().get_context_data(item=item, statutory=statutory_period(), **kwargs)

"""Pages of 全过程记录: a case's records (the panel the case pages include, and the same panel on its own page, which
shows a refused form again with its errors), add (POST only) and void (POST only). A case is named by its model
label and id; only models a module registered (registry.py) are served; the case is read through the scoping."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.views.generic import TemplateView

from fazhi.core.errors import FazhiError, NotAllowed
from fazhi.core.rates_views import RatesByUnitView
from fazhi.core.views import RoleRequiredMixin, form_error, see_other
from fazhi.deadlines.views import safe_next
from fazhi.enforcement.records import forms, rules, services
from fazhi.enforcement.records.models import ProcessRecord
from fazhi.enforcement.records.registry import REQUIRED, requirements


def case_label(case) -> str:
    return case._meta.label_lower


def _case_or_404(request, label: str, object_id: str):
    if label not in REQUIRED or len(object_id) > 18 or not (object_id.isascii() and object_id.isdigit()):
        raise Http404("未找到该案件,或您无权查看")
    model = apps.get_model(label)
    case = model.objects.visible_to(request.user).select_related("unit").filter(pk=int(object_id)).first()
    if case is None:
        raise Http404("未找到该案件,或您无权查看")
    return case


def _officers(case):
    from fazhi.enforcement.subjects.models import Officer

    return list(Officer.objects.filter(unit_id=case.unit_id, active=True).order_by("name", "id"))


def record_form(request, case, data=None, files=None) -> forms.RecordForm:
    return forms.RecordForm(data, files, steps=services.record_steps(case), officers=_officers(case),
                            initial={"next": request.get_full_path()})


def panel_context(request, case, *, form=None, void_error: str = "") -> dict:
    """The panel of one case: each required record done or missing, the records (voided ones struck through), and
    the add form for whoever may add."""
    required = requirements(case)
    records = list(ProcessRecord.objects.for_case(case).select_related("attachment", "officer")
                   .order_by("recorded_at", "id"))
    have = {(r.step, r.kind) for r in records if not r.is_voided}
    can_add = rules.can_add(request.user, case) and not rules.closed_refusal(case)  # closed: as it was at 结案
    labels = dict(services.record_steps(case))
    for r in records:
        r.step_label = labels.get(r.step, r.step)
    return {
        "case": case, "label": case_label(case), "records": records, "can_add": can_add,
        "required": [(r, (r.step, r.kind) in have) for r in required],
        "missing": [r for r in required if (r.step, r.kind) not in have],
        "record_form": form or (record_form(request, case) if can_add else None),
        "void_error": void_error, "basis": rules.BASIS,
    }


class CaseRecordsView(RoleRequiredMixin, TemplateView):
    """The panel on a page of its own (a refused add or void shows here, status 400)."""

    template_name = "enforcement/records/case.html"

    def get_context_data(self, label, object_id, **kwargs):
        case = _case_or_404(self.request, label, object_id)
        return super().get_context_data(**panel_context(self.request, case, **kwargs))


class RecordAddView(CaseRecordsView):
    def get(self, request, *args, **kwargs):
        raise Http404

    def post(self, request, label, object_id):
        case = _case_or_404(request, label, object_id)
        if not rules.can_add(request.user, case):
            raise PermissionDenied("只有本案所属单位的工作人员或法制办可以登记执法全过程记录")
        form = record_form(request, case, request.POST, request.FILES)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            officer = next((o for o in _officers(case) if str(o.pk) == data["officer"]), None)
            try:
                services.record_add(case=case, step=data["step"], kind=data["kind"], file=data["file"],
                                    recorded_at=data["recorded_at"], place=data["place"], officer=officer,
                                    note=data["note"], actor=request.user)
            except NotAllowed as e:
                raise PermissionDenied(e.message) from None
            except FazhiError as e:
                form_error(form, e)
                status = e.status
            else:
                messages.success(request, "已登记执法全过程记录")
                return see_other((safe_next(request, data.get("next")) or
                                   reverse_case_records(case)) + "#process-records")
        return self.render_to_response(self.get_context_data(label=label, object_id=object_id, form=form),
                                       status=status)


class RecordVoidView(CaseRecordsView):
    def get(self, request, *args, **kwargs):
        raise Http404

    def post(self, request, pk):
        record = ProcessRecord.objects.visible_to(request.user).filter(pk=pk).first()
        if record is None:
            raise Http404("未找到该记录,或您无权查看")
        label, object_id = record.content_type.model_class()._meta.label_lower, record.object_id
        case = _case_or_404(request, label, object_id)
        if not rules.can_add(request.user, case):
            raise PermissionDenied("只有本案所属单位的工作人员或法制办可以作废执法全过程记录")
        form = forms.VoidForm(request.POST)
        error = ""
        if form.is_valid():
            try:
                services.record_void(record=record, reason=form.cleaned_data["reason"], actor=request.user)
            except NotAllowed as e:
                raise PermissionDenied(e.message) from None
            except FazhiError as e:
                error = e.message
            else:
                messages.success(request, "已作废该记录")
                return see_other((safe_next(request, form.cleaned_data.get("next")) or
                                   reverse_case_records(case)) + "#process-records")
        else:
            error = "请填写「作废原因」"
        return self.render_to_response(self.get_context_data(label=label, object_id=object_id, void_error=error),
                                       status=400)


def reverse_case_records(case) -> str:
    from django.urls import reverse

    return reverse("enf-record-case", args=[case_label(case), case.pk])


# ------------------------------------------------------------------ the three systems, per unit

# 行政执法"三项制度" (国办发〔2018〕118号) and the registered rates that measure each, in the page's order.
THREE_SYSTEMS = [
    ("行政执法公示", ("enforcement.subjects_announced", "enforcement.published_on_time")),
    ("执法全过程记录", ("enforcement.records_complete",)),
    ("重大执法决定法制审核", ("penalty.legal_review",)),
]


class ThreeSystemsView(RatesByUnitView):
    """The three systems side by side per unit and overall, from the registered rates (core.rates.compute_by_unit
    through the shared by-unit page): each number links to its records page."""

    template_name = "enforcement/records/three_systems.html"

    def get(self, request, *args, **kwargs):
        from fazhi.core import rates

        query = request.GET.copy()
        query.setlist("rate", [c for _, codes in THREE_SYSTEMS for c in codes if rates.get(c) is not None])
        request.GET = query
        return super().get(request, *args, **kwargs)

    def render_to_response(self, context, **kwargs):
        codes = {r.code for r in context.get("rates", [])}
        context["systems"] = [(name, len([c for c in found if c in codes])) for name, found in THREE_SYSTEMS]
        context["not_registered"] = [c for _, found in THREE_SYSTEMS for c in found if c not in codes]
        return super().render_to_response(context, **kwargs)

"""Staff pages of normative documents (scoped: a unit sees and edits its own, the office all) and the
public pages (published only). Thin: parse, call the service or selector, respond."""

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
from fazhi.core.views import PAGE_SIZE, RoleRequiredMixin, UnitRecordCreateView, attachment_disposition, message_error
from fazhi.core.views import form_error as _form_error
from fazhi.org.selectors import may_register
from fazhi.core.views import query_without as _query
from fazhi.normdocs import exports, rules, selectors, services, steps
from fazhi.normdocs.forms import (
    CampaignForm, ConsultationForm, DocumentForm, EvaluationForm, FilterForm, ItemForm,
)
from fazhi.normdocs.models import FILING_STATES, CleanupItem, Filing, NormativeDocument
from fazhi.portal.consultation_views import PublicOpinionView
from fazhi.portal.views import PublicView
from fazhi.procedures import actions
from fazhi.procedures import selectors as procedure_selectors
from fazhi.procedures.views import StepActView




class DocumentListView(RoleRequiredMixin, TemplateView):
    template_name = "normdocs/list.html"

    def get(self, request, *args, **kwargs):
        form = FilterForm(request.GET or None)
        ctx = {"form": form, "can_draft_units": may_register(request.user), "is_office": rules.is_office(request.user)}
        try:
            filters = selectors.DocumentFilters.parse(request.GET)
            qs = selectors.documents(user=request.user, filters=filters)
            page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        except FazhiError as e:
            _form_error(form, e)
            return self.render_to_response({**ctx, "page_obj": None}, status=400)
        today = rules.today()
        rows = [(d, rules.status_label(d, today), rules.legal_effect(d, today)) for d in page.object_list]
        return self.render_to_response({**ctx, "page_obj": page, "rows": rows, "q": _query(request)})


class DocumentCreateView(UnitRecordCreateView):
    template_name = "normdocs/form.html"
    form_class = DocumentForm
    refusal = "只有单位工作人员或法制办可以起草规范性文件"
    unit_missing = "请选择「起草单位」"
    success_message = "已建立草案,请按程序办理各步骤"

    def get_context_data(self, **kwargs):
        return super().get_context_data(doc=None, **kwargs)

    def create(self, unit, form):
        return services.document_create(unit=unit, actor=self.request.user, data=form.cleaned_data)


def _document_or_404(request, pk) -> NormativeDocument:
    doc = selectors.document_get(user=request.user, pk=pk)
    if doc is None:
        raise Http404("未找到该规范性文件,或您无权查看")
    return doc


class DocumentEditView(RoleRequiredMixin, TemplateView):
    template_name = "normdocs/form.html"

    def get(self, request, pk, *args, **kwargs):
        doc = _document_or_404(request, pk)
        if not rules.can_edit(request.user, doc):
            raise PermissionDenied("只能修改本单位尚在起草中的文件")
        initial = {k: getattr(doc, k) for k in services.DOC_FIELDS} | {"version": doc.version}
        return self.render_to_response({"form": DocumentForm(initial=initial), "doc": doc})

    def post(self, request, pk, *args, **kwargs):
        doc = _document_or_404(request, pk)
        if not rules.can_edit(request.user, doc):
            raise PermissionDenied("只能修改本单位尚在起草中的文件")
        form = DocumentForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.document_update(doc=doc, actor=request.user, data=form.cleaned_data,
                                         expected_version=form.cleaned_data["version"])
            except FazhiError as e:
                _form_error(form, e)
                status = e.status
            else:
                messages.success(request, "草案已保存")
                return redirect(doc.get_absolute_url())
        return self.render_to_response({"form": form, "doc": doc}, status=status)


def _clocks(obj):
    from fazhi.deadlines.selectors import record_clocks

    return record_clocks(obj)


def _recent(model, obj):
    return recent_changes(model, obj)


class DocumentDetailView(RoleRequiredMixin, TemplateView):
    template_name = "normdocs/detail.html"

    def get_context_data(self, pk, **kwargs):
        from fazhi.portal.services import consultation_for, consultation_missing

        doc = _document_or_404(self.request, pk)
        user = self.request.user
        run = services.document_run(doc) if rules.can_draft(user, doc.unit) else procedure_selectors.run_for(doc, "normdoc")
        consultation = consultation_for(doc)
        today = rules.today()
        can_act = rules.can_draft(user, doc.unit)
        return super().get_context_data(
            doc=doc, procedure=procedure_selectors.run_view(run) if run else None,
            step_forms=actions.actionable(run, user, steps.DOCUMENT, request=self.request) if run else [],
            status_label=rules.status_label(doc, today), legal_effect=rules.legal_effect(doc, today),
            no_effect_note=rules.NO_EFFECT_NOTE, filing=selectors.filing_of(doc), deadlines=_clocks(doc),
            consultation=consultation, consultation_missing=consultation_missing(consultation) if consultation else [],
            consultation_form=ConsultationForm() if can_act and doc.status == "drafting" and (
                consultation is None or consultation.ends_on < today) else None,
            evaluation_form=EvaluationForm() if can_act and doc.published_on else None,
            evaluations=doc.evaluations.order_by("-evaluated_on", "-id"),
            can_edit=rules.can_edit(user, doc), recent_changes=_recent(NormativeDocument, doc),
            doc_step_url=reverse("normdoc-step", args=[doc.pk]), **kwargs)


class DocumentStepView(StepActView):
    step_actions = steps.DOCUMENT

    def get_object(self, request, pk):
        return _document_or_404(request, pk)


class ConsultationOpenView(RoleRequiredMixin, View):
    """发起公开征求意见 on the draft (D's mechanism); the step is done once the period is over and every
    opinion is answered."""

    def post(self, request, pk):
        from fazhi.portal.services import consultation_open

        doc = _document_or_404(request, pk)
        if not rules.can_draft(request.user, doc.unit):
            raise PermissionDenied("只有起草单位或法制办可以发布征求意见")
        form = ConsultationForm(request.POST)
        if not form.is_valid():
            name, errors = next(iter(form.errors.items()))
            label = form.fields[name].label if name in form.fields else ""
            messages.error(request, f"「{label}」{errors[0]}" if label else errors[0])
            return redirect(doc.get_absolute_url())
        try:
            consultation_open(target=doc, unit=doc.unit, title=f"关于《{doc.title}》(征求意见稿)公开征求意见",
                              text=doc.text or doc.summary or doc.title, rule_id=rules.consult_rule(doc),
                              starts_on=form.cleaned_data["starts_on"], ends_on=form.cleaned_data["ends_on"],
                              summary=form.cleaned_data["summary"] or doc.summary, actor=request.user)
        except NotAllowed as e:
            raise PermissionDenied(e.message) from None
        except FazhiError as e:
            message_error(request, e)
        else:
            messages.success(request, "已在公众网站发布征求意见稿")
        return redirect(doc.get_absolute_url())


class EvaluationAddView(RoleRequiredMixin, View):
    def post(self, request, pk):
        doc = _document_or_404(request, pk)
        form = EvaluationForm(request.POST)
        if not form.is_valid():
            name, errors = next(iter(form.errors.items()))
            messages.error(request, f"「{form.fields[name].label}」{errors[0]}" if name in form.fields else errors[0])
            return redirect(doc.get_absolute_url())
        try:
            services.evaluation_add(doc=doc, actor=request.user, data=form.cleaned_data)
        except NotAllowed as e:
            raise PermissionDenied(e.message) from None
        except FazhiError as e:
            message_error(request, e)
        else:
            messages.success(request, "已记录实施情况评估")
        return redirect(doc.get_absolute_url())


# ---------------------------------------------------------------- filings


class FilingListView(RoleRequiredMixin, TemplateView):
    template_name = "normdocs/filings.html"

    def get(self, request, *args, **kwargs):
        state = request.GET.get("state", "")
        if state and state not in dict(FILING_STATES):
            return self.render_to_response({"error": f"「备案审查」{state[:20]} 无效", "page_obj": None,
                                            "states": FILING_STATES}, status=400)
        page = Paginator(selectors.filings(user=request.user, state=state), PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [(f, rules.filed_on_time(f.document)) for f in page.object_list]
        return self.render_to_response({"page_obj": page, "rows": rows, "states": FILING_STATES, "state": state,
                                        "q": _query(request)})


def _filing_or_404(request, pk) -> Filing:
    filing = selectors.filing_get(user=request.user, pk=pk)
    if filing is None:
        raise Http404("未找到该备案,或您无权查看")
    return filing


class FilingDetailView(RoleRequiredMixin, TemplateView):
    template_name = "normdocs/filing.html"

    def get_context_data(self, pk, **kwargs):
        filing = _filing_or_404(self.request, pk)
        run = services.filing_run(filing)
        return super().get_context_data(
            filing=filing, doc=filing.document, procedure=procedure_selectors.run_view(run),
            step_forms=actions.actionable(run, self.request.user, steps.FILING, request=self.request),
            materials=selectors.materials(filing), deadlines=_clocks(filing),
            on_time=rules.filed_on_time(filing.document), recent_changes=_recent(Filing, filing),
            step_url=reverse("filing-step", args=[filing.pk]), **kwargs)


class FilingStepView(StepActView):
    step_actions = steps.FILING

    def get_object(self, request, pk):
        return _filing_or_404(request, pk)


class FilingSuggestionView(RoleRequiredMixin, View):
    """The handling suggestion to the district government (.docx, 公文 format) from the filing record."""

    def get(self, request, pk):
        filing = _filing_or_404(request, pk)
        try:
            content, name = exports.suggestion_docx(filing)
        except FazhiError as e:
            return HttpResponse(e.message, status=400, content_type="text/plain; charset=utf-8")
        return _docx(content, name)


def _docx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = attachment_disposition(name)
    return response


# ---------------------------------------------------------------- cleanup


class CampaignListView(RoleRequiredMixin, TemplateView):
    template_name = "normdocs/cleanups.html"

    def _ctx(self, form=None):
        page = Paginator(selectors.campaigns(user=self.request.user), PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {"page_obj": page, "form": form or CampaignForm(), "can_start": rules.can_run_cleanup(self.request.user),
                "next_due": exports.next_cleanup_due()}

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self._ctx())

    def post(self, request, *args, **kwargs):
        if not rules.can_run_cleanup(request.user):
            raise PermissionDenied("只有法制办可以发起规范性文件清理")
        form = CampaignForm(request.POST)
        if form.is_valid():
            try:
                campaign = services.campaign_start(title=form.cleaned_data["title"], as_of=form.cleaned_data["as_of"],
                                                   actor=request.user)
            except FazhiError as e:
                _form_error(form, e)
            else:
                messages.success(request, f"已发起清理,列入 {campaign.items.count()} 件有效文件")
                return redirect(campaign.get_absolute_url())
        return self.render_to_response(self._ctx(form), status=400)


def _campaign_or_404(request, pk):
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    if campaign is None:
        raise Http404("未找到该清理")
    return campaign


class CampaignDetailView(RoleRequiredMixin, TemplateView):
    template_name = "normdocs/cleanup.html"

    def get_context_data(self, pk, **kwargs):
        campaign = _campaign_or_404(self.request, pk)
        user = self.request.user
        items = selectors.campaign_items(user=user, campaign=campaign)
        page = Paginator(items, PAGE_SIZE).get_page(self.request.GET.get("page"))
        run = services.cleanup_run(campaign)
        rows = [(i, ItemForm(initial={"decision": i.decision, "reason": i.reason, "reviewer": i.reviewer,
                                      "version": i.version}, auto_id=f"id_item{i.pk}_%s")
                 if campaign.status == "open" and rules.can_decide_item(user, i) else None) for i in page.object_list]
        return super().get_context_data(
            campaign=campaign, page_obj=page, rows=rows, procedure=procedure_selectors.run_view(run),
            step_forms=actions.actionable(run, user, steps.CLEANUP, request=self.request),
            undecided=items.filter(decision="").count(), step_url=reverse("cleanup-step", args=[campaign.pk]),
            **kwargs)


class CleanupItemView(RoleRequiredMixin, View):
    def post(self, request, pk, item):
        campaign = _campaign_or_404(request, pk)
        obj = CleanupItem.objects.visible_to(request.user).filter(campaign=campaign, pk=item).select_related(
            "campaign", "unit").first()
        if obj is None:
            raise Http404("未找到该清理事项,或您无权查看")
        form = ItemForm(request.POST)
        if not form.is_valid():
            name, errors = next(iter(form.errors.items()))
            messages.error(request, f"「{form.fields[name].label or name}」{errors[0]}" if name in form.fields else errors[0])
        else:
            try:
                services.item_decide(item=obj, actor=request.user, decision=form.cleaned_data["decision"],
                                     reason=form.cleaned_data["reason"], reviewer=form.cleaned_data["reviewer"],
                                     expected_version=form.cleaned_data["version"])
            except NotAllowed as e:
                raise PermissionDenied(e.message) from None
            except FazhiError as e:
                message_error(request, e)
            else:
                messages.success(request, f"已保存「{obj.document.title}」的清理意见")
        return redirect(campaign.get_absolute_url())


class CampaignStepView(StepActView):
    step_actions = steps.CLEANUP

    def get_object(self, request, pk):
        return _campaign_or_404(request, pk)

    def get_procedure_run(self, obj):
        return services.cleanup_run(obj)


class CleanupAnnouncementView(RoleRequiredMixin, View):
    def get(self, request, pk):
        campaign = _campaign_or_404(request, pk)
        try:
            content, name = exports.announcement_docx(campaign)
        except FazhiError as e:
            return HttpResponse(e.message, status=400, content_type="text/plain; charset=utf-8")
        return _docx(content, name)


class ExportView(RoleRequiredMixin, View):
    def get(self, request, kind):
        try:
            if kind == "register":
                return exports.register_xlsx(user=request.user, query=request.GET)
            if kind == "filings":
                return exports.ledger_xlsx(user=request.user, query=request.GET)
        except FazhiError as e:
            return HttpResponse(e.message, status=400, content_type="text/plain; charset=utf-8")
        raise Http404("没有这种导出")


# ---------------------------------------------------------------- public pages (published only)


class PublicDocumentsView(PublicView):
    template_name = "normdocs/public_list.html"
    section = "documents"

    def get(self, request, *args, **kwargs):
        today = rules.today()
        ctx = self.get_context_data(statuses=rules.PUBLIC_STATUSES, query=request.GET)
        try:
            filters = selectors.DocumentFilters.parse(request.GET, public_statuses=True)
            page = Paginator(selectors.public_documents(filters=filters, today=today), 20).get_page(request.GET.get("page"))
        except FazhiError as e:
            return self.render_to_response({**ctx, "error": e.message, "page_obj": None}, status=400)
        rows = [(d, rules.status_label(d, today), rules.legal_effect(d, today)) for d in page.object_list]
        return self.render_to_response({**ctx, "page_obj": page, "rows": rows, "q": _query(request),
                                        "no_effect_note": rules.NO_EFFECT_NOTE})


class PublicDocumentView(PublicOpinionView):
    """A published document with its status, and the public's opinions on it (the drafting unit answers)."""

    template_name = "normdocs/public_detail.html"
    section = "documents"

    def get_target(self, key, **kwargs):
        doc = selectors.public_document(key)
        if doc is None:
            raise Http404("未找到该规范性文件")
        return doc

    def accepting(self, target) -> bool:
        return rules.display_status(target) in rules.LIVE_STATUSES

    def default_title(self, target) -> str:
        return f"对《{target.title}》的意见"[:200]

    def target_context(self, target) -> dict:
        today = rules.today()
        return {"doc": target, "status_label": rules.status_label(target, today),
                "legal_effect": rules.legal_effect(target, today), "no_effect_note": rules.NO_EFFECT_NOTE}


class PublicCleanupsView(PublicView):
    template_name = "normdocs/public_cleanups.html"
    section = "documents"

    def get_context_data(self, **kwargs):
        page = Paginator(selectors.public_campaigns(), 20).get_page(self.request.GET.get("page"))
        return super().get_context_data(page_obj=page, **kwargs)


class PublicCleanupView(PublicView):
    template_name = "normdocs/public_cleanup.html"
    section = "documents"

    def get_context_data(self, key, **kwargs):
        campaign = selectors.public_campaign(key)
        if campaign is None:
            raise Http404("未找到该清理结果")
        page = Paginator(selectors.public_campaign_items(campaign), 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(campaign=campaign, page_obj=page, **kwargs)

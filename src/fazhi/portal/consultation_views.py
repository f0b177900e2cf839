"""Pages of public consultation (公开征求意见): the staff list and page of a consultation (scoped; the drafting
unit answers each opinion), its adoption table as Excel, and the public pages (the list, one consultation with
the opinion form while open and the masked adoption table once closed). `PublicOpinionView` is the base of
every public page that takes opinions on a record (a consultation here, a published document in normdocs)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from fazhi.core.errors import FazhiError, RateLimited
from fazhi.core.pagination import KnownCountPaginator
from fazhi.core.views import PAGE_SIZE, RoleRequiredMixin, form_error
from fazhi.portal import exports, rules, selectors, services
from fazhi.portal.forms import AdoptionForm, OpinionForm
from fazhi.portal.models import CONSULT_STATE_LABELS
from fazhi.portal.views import PublicView

# ------------------------------------------------------------------ staff pages


class ConsultationListView(RoleRequiredMixin, TemplateView):
    """The consultations of the units the user may see: the office sees all, a unit its own."""

    template_name = "portal/consultations/list.html"

    def get_context_data(self, **kwargs):
        state = self.request.GET.get("state", "")
        state = state if state in CONSULT_STATE_LABELS else ""
        qs = selectors.consultation_list(user=self.request.user, state=state)
        page = KnownCountPaginator(qs, PAGE_SIZE, count=qs.count()).get_page(self.request.GET.get("page"))
        consultations = list(page.object_list)
        counts = selectors.opinion_counts(consultations)
        today = timezone.localdate()
        rows = [(c, CONSULT_STATE_LABELS[c.state(today)], counts.get(c.pk, selectors.OpinionCounts()))
                for c in consultations]
        return super().get_context_data(page_obj=page, rows=rows, state=state,
                                        states=list(CONSULT_STATE_LABELS.items()), **kwargs)


def _visible(request, pk):
    consultation = selectors.consultation_get(user=request.user, pk=pk)
    if consultation is None:
        raise Http404("未找到该征求意见,或您无权查看")
    return consultation


def _target_link(consultation) -> tuple[str, str]:
    """The record consulted on (its own page applies its own scoping), as (title, url)."""
    model = consultation.target_type.model_class()
    target = model._default_manager.filter(pk=consultation.target_id).first() if model else None
    if target is None:
        return "", ""
    url = target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""
    return str(target), url


class ConsultationDetailView(RoleRequiredMixin, TemplateView):
    template_name = "portal/consultations/detail.html"

    def get_context_data(self, pk: int, **kwargs):
        consultation = _visible(self.request, pk)
        user = self.request.user
        failed = kwargs.pop("failed", None)  # (submission pk, bound form) of a refused answer
        rows = []
        for row in selectors.adoption_table(consultation, public=False):
            form = None
            if rules.can_answer_opinion(user, row.submission):
                if failed and failed[0] == row.submission.pk:
                    form = failed[1]
                else:
                    form = AdoptionForm(prefix=f"o{row.submission.pk}", initial={
                        "submission": row.submission.pk, "adoption": row.adoption, "reason": row.reason,
                        "version": row.submission.version})
            rows.append((row, form))
        target_title, target_url = _target_link(consultation)
        today = timezone.localdate()
        return super().get_context_data(
            consultation=consultation, rows=rows, state=consultation.state(today),
            state_label=CONSULT_STATE_LABELS[consultation.state(today)], missing=services.consultation_missing(
                consultation, today), target_title=target_title, target_url=target_url, **kwargs)


class ConsultationAnswerView(RoleRequiredMixin, View):
    """The drafting unit answers one opinion (采纳情况); the form's prefix is the opinion's id."""

    def post(self, request, pk: int):
        consultation = _visible(request, pk)
        raw = request.POST.get("opinion", "")
        opinion = (selectors.opinions_of(consultation).select_related("unit").filter(pk=int(raw)).first()
                   if raw.isdigit() and len(raw) < 12 else None)
        if opinion is None:
            messages.error(request, "未找到该意见,请刷新页面后重试")
            return redirect(consultation.get_absolute_url())
        if not rules.can_answer_opinion(request.user, opinion):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied("只有接收该意见的起草单位或法制办可以反馈采纳情况")
        form = AdoptionForm(request.POST, prefix=f"o{opinion.pk}")
        if form.is_valid() and form.cleaned_data["submission"] == opinion.pk:
            try:
                services.opinion_answer(submission=opinion, adoption=form.cleaned_data["adoption"],
                                        reason=form.cleaned_data["reason"], actor=request.user,
                                        expected_version=form.cleaned_data["version"])
            except FazhiError as e:
                form_error(form, e)
            else:
                messages.success(request, f"已反馈采纳情况:{opinion.tracking_no}")
                return redirect(consultation.get_absolute_url() + f"#opinion-{opinion.pk}")
        view = ConsultationDetailView(request=request, kwargs={"pk": pk})
        return render(request, view.template_name, view.get_context_data(pk=pk, failed=(opinion.pk, form)),
                      status=400)


class ConsultationExportView(RoleRequiredMixin, View):
    """The adoption table (意见采纳情况表) as Excel, unmasked: for the record, to those who may see it."""

    def get(self, request, pk: int):
        consultation = _visible(request, pk)
        try:
            return exports.adoption_table_xlsx(consultation)
        except FazhiError as e:
            return HttpResponse(f"导出失败: {e.message}", status=400, content_type="text/plain; charset=utf-8")


# ------------------------------------------------------------------ public pages (no account)


class PublicOpinionView(PublicView):
    """Base of a public page that takes opinions on one record with the shared form
    (`portal/_opinion_form.html`, CAPTCHA, hourly limit, tracking number and query code).

    A subclass gives `get_target(**kwargs)` (the record, or Http404 for anything the public may not see),
    `opinion_unit(target)` (who answers) and `accepting(target)` (whether the form shows now); the template
    includes `portal/_opinion_form.html` where `opinion_form` is in the context (None when not accepting)."""

    section = "consult"

    def get_target(self, **kwargs):
        raise NotImplementedError

    def opinion_unit(self, target):
        return target.unit

    def accepting(self, target) -> bool:
        return True

    def default_title(self, target) -> str:
        return f"对「{target}」的意见"[: services.TITLE_MAX]

    def target_context(self, target) -> dict:
        return {}

    def render_page(self, target, *, form=None, limited="", status=200):
        if form is None and self.accepting(target):
            form = OpinionForm()
        ctx = self.get_context_data(target=target, opinion_form=form if self.accepting(target) else None,
                                    limited=limited, **self.target_context(target))
        return self.render_to_response(ctx, status=status)

    def get(self, request, *args, **kwargs):
        return self.render_page(self.get_target(**kwargs))

    def post(self, request, *args, **kwargs):
        target = self.get_target(**kwargs)
        ip = rules.client_ip(request)
        form = OpinionForm(request.POST, request.FILES)
        try:
            services.limit_check(ip=ip, action=services.SUBMIT, limit=rules.submit_limit())
            if form.is_valid():
                submission, code = services.opinion_receive(
                    target=target, unit=self.opinion_unit(target),
                    title=form.cleaned_data["title"] or self.default_title(target),
                    content=form.cleaned_data["content"], contact=form.contact(), files=form.cleaned_data["files"],
                    ip=ip)
                return render(request, "portal/submitted.html", {
                    "tracking_no": submission.tracking_no, "code": code, "public_section": self.section,
                    "kind_label": "意见", "back_url": request.path, "back_label": "返回"})
        except RateLimited as e:
            return self.render_page(target, form=OpinionForm(), limited=e.message, status=429)
        except FazhiError as e:
            form_error(form, e)
        if not self.accepting(target):  # closed meanwhile: the form is gone, the reason shows
            messages_text = "; ".join(str(m) for m in form.non_field_errors()) or "现在不接收意见"
            return self.render_page(target, limited=messages_text, status=400)
        return self.render_page(target, form=form, status=400)


class PublicConsultationListView(PublicView):
    """Consultations the public sees: open ones first (with the time left), then closed ones with how their
    opinions were answered. Never one not yet started."""

    template_name = "portal/public_consultations.html"
    section = "consult"

    def get_context_data(self, **kwargs):
        qs = selectors.consultations_public()
        page = KnownCountPaginator(qs, PAGE_SIZE, count=qs.count()).get_page(self.request.GET.get("page"))
        consultations = list(page.object_list)
        counts = selectors.opinion_counts(consultations)
        today = timezone.localdate()
        rows = [(c, c.state(today), counts.get(c.pk, selectors.OpinionCounts())) for c in consultations]
        return super().get_context_data(page_obj=page, rows=rows, today=today, **kwargs)


class PublicConsultationView(PublicOpinionView):
    """One consultation: the draft, its period, the opinion form while open; the masked adoption table once
    closed. A consultation not yet started (or an unknown code) answers 404."""

    template_name = "portal/public_consultation.html"

    def get_target(self, code: str = "", **kwargs):
        consultation = selectors.consultation_public_get(code)
        if consultation is None:
            raise Http404("未找到该征求意见")
        return consultation

    def accepting(self, target) -> bool:
        return target.is_open

    def default_title(self, target) -> str:
        return f"对「{target.title}」的意见"[: services.TITLE_MAX]

    def target_context(self, target) -> dict:
        closed = target.is_closed
        return {"consultation": target, "closed": closed,
                "table": selectors.adoption_table(target, public=True) if closed else None,
                "counts": target.opinion_counts}


"""Pages of the portal. Public pages (/public/, no account) use their own layout and only masked values
from `selectors`; staff pages (/submissions/) are scoped by the one rule. Thin: parse, call, respond."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from fazhi.core.errors import FazhiError, RateLimited
from fazhi.core.pagination import KnownCountPaginator
from fazhi.deadlines.rules import level as warning_level
from fazhi.core.views import PAGE_SIZE, RoleRequiredMixin, attachment_disposition, download_name, form_error
from fazhi.org.models import Unit
from fazhi.portal import rules, selectors, services
from fazhi.portal.forms import AdoptionForm, AssignForm, ReplyForm, SuggestionForm, TrackForm
from fazhi.portal.models import ASSIGNED, KIND_CHOICES, STATUS_CHOICES, SUGGESTION


def _current_programme():
    from fazhi.programme.selectors import current_programme

    return current_programme()


# ------------------------------------------------------------------ public pages (no account)


class PublicView(TemplateView):
    """Base of every public page: no login, no staff context. Never put a record id or a staff URL in it."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(public_section=getattr(self, "section", ""), **kwargs)


class PublicHomeView(PublicView):
    template_name = "portal/home.html"
    section = "home"

    def get_context_data(self, **kwargs):
        return super().get_context_data(programme=_current_programme(), **kwargs)


class SuggestionView(PublicView):
    """意见建议 on the creation programme (社会监督): the form, and on success the tracking number and
    query code (shown once, never stored in clear)."""

    template_name = "portal/suggestion_form.html"
    section = "suggest"

    def get(self, request, *args, **kwargs):
        programme = _current_programme()
        return self.render_to_response(self.get_context_data(form=SuggestionForm(), programme=programme))

    def post(self, request, *args, **kwargs):
        programme = _current_programme()
        ip = rules.client_ip(request)
        form = SuggestionForm(request.POST, request.FILES)
        try:
            # Before the CAPTCHA is judged: a limited address learns when it may try again.
            services.limit_check(ip=ip, action=services.SUBMIT, limit=rules.submit_limit())
            if form.is_valid():
                submission, code = services.submission_receive(
                    kind=SUGGESTION, title=form.cleaned_data["title"], content=form.cleaned_data["content"],
                    contact=form.contact(), files=form.cleaned_data["files"], ip=ip, target=programme)
                return render(request, "portal/submitted.html",
                              {"tracking_no": submission.tracking_no, "code": code, "public_section": "suggest"})
        except RateLimited as e:
            return self.render_to_response(self.get_context_data(form=SuggestionForm(), programme=programme,
                                                                 limited=e.message), status=429)
        except FazhiError as e:
            form_error(form, e)
        # Each showing of the form draws a new CAPTCHA: one is good for one try, right or wrong.
        return self.render_to_response(self.get_context_data(form=form, programme=programme), status=400)


class TrackView(PublicView):
    """The submitter follows a submission with its tracking number and query code (POST: the code never
    goes into a URL or a log)."""

    template_name = "portal/track.html"
    section = "track"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=TrackForm()))

    def post(self, request, *args, **kwargs):
        form = TrackForm(request.POST)
        if form.is_valid():
            try:
                submission = services.submission_lookup(tracking_no=form.cleaned_data["tracking_no"],
                                                        code=form.cleaned_data["code"], ip=rules.client_ip(request))
            except RateLimited as e:
                return self.render_to_response(self.get_context_data(form=form, limited=e.message), status=429)
            except FazhiError as e:
                form.add_error(None, e.message)
            else:
                return self.render_to_response(self.get_context_data(
                    form=TrackForm(initial={"tracking_no": submission.tracking_no}),
                    status=selectors.public_status(submission)))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ProgressView(PublicView):
    """The programme's completion by unit, from the rate registry: names, counts and rates only."""

    template_name = "portal/progress.html"
    section = "progress"

    def get_context_data(self, **kwargs):
        programme = _current_programme()
        rows = selectors.public_progress(programme) if programme else []
        return super().get_context_data(programme=programme, rows=rows,
                                        total=selectors.public_progress_total(programme) if programme else "—",
                                        today=timezone.localdate(), **kwargs)


# ------------------------------------------------------------------ staff pages


class SubmissionListView(RoleRequiredMixin, TemplateView):
    """The office's list of every submission (assign from here) and a unit's list of its own."""

    template_name = "portal/staff/list.html"

    def get_context_data(self, **kwargs):
        status = self.request.GET.get("status", "")
        kind = self.request.GET.get("kind", "")
        status = status if status in dict(STATUS_CHOICES) else ""
        kind = kind if kind in dict(KIND_CHOICES) else ""
        qs = selectors.submission_list(user=self.request.user, status=status, kind=kind)
        page = KnownCountPaginator(qs, PAGE_SIZE, count=qs.count()).get_page(self.request.GET.get("page"))
        today = timezone.localdate()
        clocks = selectors.current_clocks(list(page.object_list))
        rows = []
        for s in page.object_list:
            clock = clocks.get(s.pk)
            open_due = clock.due if clock is not None and clock.status == clock.OPEN else None
            rows.append((s, clock, warning_level(open_due, today)))
        return super().get_context_data(
            page_obj=page, rows=rows, status=status, kind=kind, statuses=STATUS_CHOICES, kinds=KIND_CHOICES, today=today,
            is_office=rules.can_assign(self.request.user), **kwargs)


def _visible(request, pk):
    submission = selectors.submission_get(user=request.user, pk=pk)
    if submission is None:
        raise Http404("未找到该来件,或您无权查看")
    return submission


def _assign_units():
    return Unit.objects.active().exclude(kind__in=("government", "leading_group", "office")).order_by(
        "sort_order", "code")


class SubmissionDetailView(RoleRequiredMixin, TemplateView):
    template_name = "portal/staff/detail.html"

    def get_context_data(self, pk: int, **kwargs):
        submission = _visible(self.request, pk)
        user = self.request.user
        ctx = {
            "submission": submission,
            "contact": selectors.contact_for(user=user, submission=submission),
            "files": selectors.files_for(user=user, submission=submission),
            "may_see_contact": rules.can_see_contact(user, submission),
            "clocks": selectors.clocks_of(submission),
            "today": timezone.localdate(),
            # An opinion on a consultation is answered there (采纳情况), not with a reply.
            "consultation": selectors.consultation_of(user=user, submission=submission),
        }
        if rules.can_assign(user, submission):
            ctx["assign_form"] = kwargs.pop("assign_form", None) or AssignForm(
                units=_assign_units(), initial={"version": submission.version})
        if rules.can_reply(user, submission):
            ctx["reply_form"] = kwargs.pop("reply_form", None) or ReplyForm(initial={"version": submission.version})
        if rules.can_answer_opinion(user, submission) and ctx["consultation"] is None:
            # An opinion on a published record (no consultation page): its adoption is answered here.
            ctx["answer_form"] = kwargs.pop("answer_form", None) or AdoptionForm(initial={
                "submission": submission.pk, "adoption": submission.adoption, "reason": submission.reply,
                "version": submission.version})
        return super().get_context_data(**ctx, **kwargs)


class SubmissionAnswerView(RoleRequiredMixin, View):
    """The unit answers an opinion on a published record (采纳情况); opinions on a consultation are answered
    on the consultation's page, with the same service."""

    def post(self, request, pk: int):
        submission = _visible(request, pk)
        if not rules.can_answer_opinion(request.user, submission):
            raise PermissionDenied("只有接收该意见的单位或法制办可以反馈采纳情况")
        form = AdoptionForm(request.POST)
        if form.is_valid() and form.cleaned_data["submission"] == submission.pk:
            try:
                services.opinion_answer(submission=submission, adoption=form.cleaned_data["adoption"],
                                        reason=form.cleaned_data["reason"], actor=request.user,
                                        expected_version=form.cleaned_data["version"])
            except FazhiError as e:
                form_error(form, e)
            else:
                messages.success(request, f"已反馈采纳情况:{submission.tracking_no}")
                return redirect(reverse("submission-detail", args=[submission.pk]))
        view = SubmissionDetailView(request=request, kwargs={"pk": pk})
        return render(request, view.template_name, view.get_context_data(pk=pk, answer_form=form), status=400)


class SubmissionAssignView(RoleRequiredMixin, View):
    def post(self, request, pk: int):
        submission = _visible(request, pk)
        if not rules.can_assign(request.user):
            raise PermissionDenied("只有法制办可以交办公众来件")
        if not rules.can_assign(request.user, submission):
            messages.error(request, "该来件已交办,不能再交办")
            return redirect(reverse("submission-detail", args=[submission.pk]))
        units = _assign_units()
        form = AssignForm(request.POST, units=units)
        if form.is_valid():
            try:
                services.submission_assign(submission=submission, unit=units.get(code=form.cleaned_data["unit"]),
                                           actor=request.user, note=form.cleaned_data["note"],
                                           expected_version=form.cleaned_data["version"])
            except FazhiError as e:
                form_error(form, e)
            else:
                messages.success(request, f"已交办:{submission.tracking_no}")
                return redirect(reverse("submission-detail", args=[submission.pk]))
        view = SubmissionDetailView(request=request, kwargs={"pk": pk})
        return render(request, view.template_name, view.get_context_data(pk=pk, assign_form=form), status=400)


class SubmissionReplyView(RoleRequiredMixin, View):
    def post(self, request, pk: int):
        submission = _visible(request, pk)
        if not rules.can_reply(request.user, submission):
            if submission.status != ASSIGNED:
                messages.error(request, "该来件尚未交办或已答复,不能答复")
                return redirect(reverse("submission-detail", args=[submission.pk]))
            raise PermissionDenied("只有承办单位可以答复该来件")
        form = ReplyForm(request.POST)
        if form.is_valid():
            try:
                services.submission_reply(submission=submission, actor=request.user, reply=form.cleaned_data["reply"],
                                          publish=form.cleaned_data["publish"],
                                          expected_version=form.cleaned_data["version"])
            except FazhiError as e:
                form_error(form, e)
            else:
                messages.success(request, f"已答复:{submission.tracking_no}")
                return redirect(reverse("submission-detail", args=[submission.pk]))
        view = SubmissionDetailView(request=request, kwargs={"pk": pk})
        return render(request, view.template_name, view.get_context_data(pk=pk, reply_form=form), status=400)


class SubmissionFileView(RoleRequiredMixin, View):
    """An attachment the public sent: to the office and the handling unit only, always as a download."""

    def get(self, request, pk: int):
        from django.http import FileResponse

        from fazhi.core.uploads import MIME

        f = selectors.file_get(user=request.user, pk=pk)
        if f is None:
            raise Http404("未找到该文件,或您无权查看")
        response = FileResponse(f.file.open("rb"), content_type=MIME.get(f.kind, "application/octet-stream"))
        response["Content-Disposition"] = attachment_disposition(download_name(f.original_name, f.kind))
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response

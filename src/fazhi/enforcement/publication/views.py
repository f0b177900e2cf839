"""Staff pages of the publication of decisions (list with filters, one publication with its clocks and acts) and
the public pages (published, not withdrawn; masked). Thin: parse, call the service, respond."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from django.views.generic import TemplateView

from fazhi.core.errors import FazhiError, NotAllowed
from fazhi.core.history import recent_changes
from fazhi.core.views import PAGE_SIZE, RoleRequiredMixin, form_error, query_without, see_other
from fazhi.core.pagination import CappedCountPaginator
from fazhi.deadlines.selectors import clocks_brief_bulk, record_clocks
from fazhi.deadlines.views import safe_next
from fazhi.enforcement.publication import forms, rules, selectors, services
from fazhi.enforcement.publication.models import DUE, KIND_LABELS, PUBLISHED, WITHDRAWING, Publication
from fazhi.portal.views import PublicView


class PublicationListView(RoleRequiredMixin, TemplateView):
    template_name = "enforcement/publication/list.html"

    def get(self, request, *args, **kwargs):
        today = timezone.localdate()
        ctx = {"states": selectors.LIST_STATES, "kinds": KIND_LABELS, "query": request.GET,
               "q": query_without(request)}
        try:
            filters = selectors.Filters.parse(request.GET, request.user)
            page = CappedCountPaginator(selectors.publications(user=request.user, filters=filters, today=today),
                             PAGE_SIZE).get_page(request.GET.get("page"))
        except FazhiError as e:
            return self.render_to_response({**ctx, "error": e.message, "page_obj": None}, status=400)
        rows = list(page.object_list)
        briefs = clocks_brief_bulk(rows, today=today)
        return self.render_to_response({**ctx, "page_obj": page, "rows": [(p, briefs[p.pk]) for p in rows]})


def _publication_or_404(request, pk) -> Publication:
    pub = selectors.publication_get(user=request.user, pk=pk)
    if pub is None:
        raise Http404("未找到该执法决定公开记录,或您无权查看")
    return pub


def panel_context(request, pub: Publication | None, **forms_bound) -> dict:
    """What the panel (_panel_body.html) shows for one publication: the state, clocks and the forms the user may
    submit. The case pages' include and the publication's own page both use it."""
    if pub is None:
        return {"pub": None}
    can_act = rules.can_act(request.user, pub)
    initial = {"version": pub.version, "next": request.get_full_path()}
    return {
        "pub": pub, "deadlines": record_clocks(pub), "can_act": can_act,
        "publish_form": forms_bound.get("publish_form") or (
            forms.PublishForm(initial=initial) if can_act and pub.state == DUE else None),
        "withdraw_form": forms_bound.get("withdraw_form") or (
            forms.WithdrawForm(initial=initial) if can_act and pub.state in (PUBLISHED, WITHDRAWING) else None),
        "basis_publish": rules.BASIS_PUBLISH, "basis_withdraw": rules.BASIS_WITHDRAW, "basis_mask": rules.BASIS_MASK,
    }


class PublicationDetailView(RoleRequiredMixin, TemplateView):
    template_name = "enforcement/publication/detail.html"

    def get_context_data(self, pk, **kwargs):
        pub = _publication_or_404(self.request, pk)
        case = pub.case
        return super().get_context_data(case=case, recent_changes=recent_changes(Publication, pub),
                                        **panel_context(self.request, pub, **kwargs))


class _ActView(PublicationDetailView):
    form_class = forms.PublishForm
    form_name = "publish_form"
    done = ""

    def get(self, request, *args, **kwargs):
        raise Http404

    def act(self, pub, data, actor):
        raise NotImplementedError

    def post(self, request, pk):
        pub = _publication_or_404(request, pk)
        if not rules.can_act(request.user, pub):
            raise PermissionDenied("只有作出决定的单位或法制办可以公开、撤回执法决定")
        form = self.form_class(request.POST)
        status = 400
        if form.is_valid():
            try:
                self.act(pub, form.cleaned_data, request.user)
            except NotAllowed as e:
                raise PermissionDenied(e.message) from None
            except FazhiError as e:
                form_error(form, e)
                status = e.status
            else:
                messages.success(request, self.done)
                return see_other(safe_next(request, form.cleaned_data.get("next")) or pub.get_absolute_url())
        return self.render_to_response(self.get_context_data(pk=pk, **{self.form_name: form}), status=status)


class PublishView(_ActView):
    done = "已公开,公开期限已办结"

    def act(self, pub, data, actor):
        services.publication_publish(publication=pub, on=data["on"], actor=actor, expected_version=data["version"])


class WithdrawView(_ActView):
    form_class = forms.WithdrawForm
    form_name = "withdraw_form"
    done = "已撤回,公示平台不再显示该决定"

    def act(self, pub, data, actor):
        services.publication_withdraw(publication=pub, on=data["on"], reason=data.get("reason") or "", actor=actor,
                                      expected_version=data["version"])


# ------------------------------------------------------------------ public pages


class PublicDecisionsView(PublicView):
    template_name = "enforcement/publication/public_list.html"
    section = "enforcement-decisions"

    def get(self, request, *args, **kwargs):
        from fazhi.org.models import Unit

        ctx = self.get_context_data(kinds=KIND_LABELS, query=request.GET, q=query_without(request),
                                    units=Unit.objects.filter(active=True).order_by("sort_order", "code")
                                    .only("code", "name", "short_name"))
        try:
            filters = selectors.Filters.parse({k: request.GET.get(k, "") for k in ("unit", "kind", "year")})
            page = CappedCountPaginator(selectors.public_publications(filters=filters), 20).get_page(request.GET.get("page"))
        except FazhiError as e:
            return self.render_to_response({**ctx, "error": e.message, "page_obj": None}, status=400)
        return self.render_to_response({**ctx, "page_obj": page, "rows": list(page.object_list)})


class PublicDecisionView(PublicView):
    template_name = "enforcement/publication/public_detail.html"
    section = "enforcement-decisions"

    def get_context_data(self, code, **kwargs):
        pub = selectors.public_publication(code)
        if pub is None:
            raise Http404("未找到该执法决定,或已撤回")
        return super().get_context_data(pub=pub, **kwargs)



"""Base page views: login required, scoping applied, lists paginated; the record history page."""

from django.apps import apps
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from fazhi.core.history import history_entries
from fazhi.core.models import Event
from fazhi.core.scoping import scope_for

PAGE_SIZE = 30


class RoleRequiredMixin(LoginRequiredMixin):
    """Signed in and holding a role on some unit (or system admin); otherwise 403."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            scope = scope_for(request.user)
            if not (scope.all_units or scope.unit_paths or scope.is_sysadmin):
                raise PermissionDenied("您还没有任何单位的角色,请联系法制办授权")
        return super().dispatch(request, *args, **kwargs)


class ScopedQuerysetMixin(LoginRequiredMixin):
    """`get_queryset` ends in `visible_to(user)`: a page cannot show what the user may not see."""

    model = None

    def base_queryset(self):
        return self.model.objects.all()

    def get_queryset(self):
        return self.base_queryset().visible_to(self.request.user)


class InvalidFormStatusMixin:
    """An invalid form answers 400 (a refused stale edit 409), not 200, so clients and tests see it."""

    invalid_status = 400

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = self.invalid_status
        return response


class ScopedListView(ScopedQuerysetMixin, ListView):
    paginate_by = PAGE_SIZE


class ScopedDetailView(ScopedQuerysetMixin, DetailView):
    pass


def history_models() -> dict[str, type]:
    """Models whose history may be shown: those with field history and scoping."""
    found = {}
    for model in apps.get_models():
        if model.__module__.startswith("fazhi.") and hasattr(model, "history") and hasattr(model.objects, "visible_to"):
            found[model._meta.label_lower] = model
    return found


class RecordHistoryView(LoginRequiredMixin, TemplateView):
    """Every change of one record (who, when, fields before → after) and its domain events."""

    template_name = "core/history.html"

    def get_context_data(self, label: str, pk: str, **kwargs):
        model = history_models().get(label)
        if model is None:
            raise Http404("没有这种记录")
        obj = model.objects.visible_to(self.request.user).filter(pk=pk).first()
        if obj is None:
            raise Http404("未找到该记录,或您无权查看")
        page = Paginator(obj.history.order_by("-history_date", "-history_id"), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        events = Event.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=str(obj.pk)
        ).select_related("actor")[:100]
        return super().get_context_data(
            obj=obj, model_name=model._meta.verbose_name, page_obj=page,
            entries=history_entries(model, list(page.object_list)), events=events, **kwargs
        )


class AttachmentDownloadView(LoginRequiredMixin, View):
    """Serves an evidence file only to users who may see its record (same scoping as the record)."""

    def get(self, request, pk: int):
        from django.http import FileResponse

        from fazhi.core.models import Attachment
        from fazhi.core.uploads import MIME

        attachment = Attachment.objects.visible_to(request.user).active().filter(pk=pk).first()
        if attachment is None:
            raise Http404("未找到该文件,或您无权查看")
        response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                                content_type=MIME.get(attachment.kind, "application/octet-stream"))
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'"
        return response


class LoginView(InvalidFormStatusMixin, auth_views.LoginView):
    """Django's login (session id rotated by `login()`); a failed attempt answers 400."""

    redirect_authenticated_user = True

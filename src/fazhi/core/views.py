"""Base page views: login required, scoping applied, lists paginated; the record history page, evidence
downloads, the lockout page, and the error handlers (JSON under /api/)."""

from django.apps import apps
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views import View, defaults
from django.views.generic import DetailView, ListView, TemplateView

from fazhi.core.drf import error_body, request_refusal
from fazhi.core.history import history_entries
from fazhi.core.models import Event
from fazhi.core.scoping import scope_for

PAGE_SIZE = 30


def form_error(form, error) -> None:
    """A service's refusal shown on the page's form: at its field when the form shows that field, else above it."""
    field = error.field if error.field in form.fields and not form.fields[error.field].widget.is_hidden else None
    form.add_error(field, error.message)


def see_other(url: str):
    """303 See Other: after a POST, the browser GETs the record's page (a reload does not post again)."""
    from django.http import HttpResponseRedirect

    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def query_without(request, drop=("page",)) -> str:
    """The page's query string without `drop` (the pager's links and the export keep the filters)."""
    q = request.GET.copy()
    for k in drop:
        q.pop(k, None)
    return q.urlencode()


def message_error(request, error) -> None:
    """A service's refusal shown on the next page, carrying its code (data-error-code) like the API's body."""
    from django.contrib import messages

    messages.error(request, error.message, extra_tags=getattr(error, "code", None) or "")


class OfficeOnlyMixin:
    """Pages only the office (法制办) may open (the rule is `scope_for(user).is_office`, as in the services);
    others get 403 with `office_only_message`. Put it before the login mixin."""

    office_only_message = "只有法制办可以进行此操作"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scope_for(request.user).is_office:
            raise PermissionDenied(self.office_only_message)
        return super().dispatch(request, *args, **kwargs)


class RoleRequiredMixin(LoginRequiredMixin):
    """Signed in and holding a role on some unit (or system admin); otherwise 403."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scope_for(request.user).has_any_role:
            raise PermissionDenied("您还没有任何单位的角色,请联系法制办授权")
        return super().dispatch(request, *args, **kwargs)


class UnitRecordCreateView(RoleRequiredMixin, TemplateView):
    """A page that registers a record of one unit — THE flow every register's 登记 page shares: the units the user
    may register for (`org.selectors.writable_units`; none → 403 `refusal`), the unit picked on the form (only
    one → that one), the service call (`create`), a refusal shown on the form with its status, 303 to the record."""

    form_class = None
    refusal = "您无权登记"
    unit_missing = "请选择「所属单位」"
    success_message = ""
    units_filter: dict = {}

    def register_units(self) -> list:
        from fazhi.org.selectors import writable_units

        units = writable_units(self.request.user, **self.units_filter)
        if not units:
            raise PermissionDenied(self.refusal)
        return units

    def make_form(self, units, data=None):
        return self.form_class(data)

    def create(self, unit, form):
        """Call the service with the unit and the cleaned form; return the new record."""
        raise NotImplementedError

    def success_url(self, obj) -> str:
        return obj.get_absolute_url()

    def get(self, request, *args, **kwargs):
        units = self.register_units()
        return self.render_to_response(self.get_context_data(form=self.make_form(units), units=units))

    def post(self, request, *args, **kwargs):
        from django.contrib import messages

        from fazhi.core.errors import FazhiError
        from fazhi.org.selectors import picked_unit

        units = self.register_units()
        form = self.make_form(units, request.POST)
        code = request.POST.get("unit", "")
        unit = picked_unit(units, code)
        status = 400
        if unit is None:
            form.add_error(None, self.unit_missing)
        elif form.is_valid():
            try:
                obj = self.create(unit, form)
            except FazhiError as e:
                form_error(form, e)
                status = e.status
            else:
                if self.success_message:
                    messages.success(request, self.success_message)
                return see_other(self.success_url(obj))
        return self.render_to_response(self.get_context_data(form=form, units=units, unit_code=code), status=status)


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


def download_name(original_name: str, kind: str) -> str:
    """The user's base name with the extension of the detected type: `poly.html` holding a PNG is `poly.png`."""
    base = original_name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>:|?*')
    base = base.rsplit(".", 1)[0].strip(" .") if "." in base else base.strip(" .")
    return f"{base or '附件'}.{kind}"


def attachment_disposition(name: str) -> str:
    """`attachment` with an ASCII fallback name and the real one in RFC 5987's `filename*`."""
    from urllib.parse import quote

    ascii_name = "".join(ch if ch.isascii() and ch.isalnum() or ch in "-_." else "_" for ch in name)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


class AttachmentDownloadView(LoginRequiredMixin, View):
    """Serves an evidence file only to users who may see its record (same scoping as the record), always as a
    download named by its detected type, never rendered by the browser."""

    def get(self, request, pk: int):
        from django.http import FileResponse

        from fazhi.core.models import Attachment
        from fazhi.core.uploads import MIME

        attachment = Attachment.objects.visible_to(request.user).active().filter(pk=pk).first()
        if attachment is None:
            raise Http404("未找到该文件,或您无权查看")
        response = FileResponse(attachment.file.open("rb"),
                                content_type=MIME.get(attachment.kind, "application/octet-stream"))
        response["Content-Disposition"] = attachment_disposition(download_name(attachment.original_name,
                                                                                attachment.kind))
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


class LoginView(InvalidFormStatusMixin, auth_views.LoginView):
    """Django's login (session id rotated by `login()`); a failed attempt answers 400."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(**lockout_policy(), **kwargs)


def lockout_policy() -> dict:
    """What the login and lockout pages tell the user, from the settings in force (never hardcoded)."""
    minutes = settings.AXES_COOLOFF_TIME.total_seconds() / 60 if settings.AXES_COOLOFF_TIME else 0
    return {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": f"{minutes:g}",
            "cooloff_restarts": settings.AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT}


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE): the page states the configured wait."""
    return render(request, "registration/locked_out.html", lockout_policy(), status=settings.AXES_HTTP_RESPONSE_CODE)


# Error handlers (fazhi.urls): under /api/ every error is the API's one JSON format, never an HTML page.

def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _api_error(detail: str, status: int):
    return JsonResponse(error_body(detail), status=status, json_dumps_params={"ensure_ascii": False})


def bad_request(request, exception, template_name="400.html"):
    reason = request_refusal(exception) or "请求有误,已被拒绝;请检查提交的内容后重试"
    if _is_api(request):
        return _api_error(reason, 400)
    return render(request, template_name, {"reason": reason}, status=400)


def _error_page(request, template_name: str, status: int, **context):
    # In the layout of the site the person was on: the public site's, or the staff pages' (with the navbar, so
    # a refused user is one click from their work list).
    public = request.path.startswith("/public/")
    return render(request, template_name, {"error_base": "portal/base.html" if public else "base.html", **context},
                  status=status)


def permission_denied(request, exception, template_name="403.html"):
    if _is_api(request):
        return _api_error(str(exception) or "无权进行此操作", 403)
    message = str(exception or "")
    # A refusal written for people (Chinese) is shown; Django's own English ones are not.
    reason = message if any("\u4e00" <= ch <= "\u9fff" for ch in message) else ""
    return _error_page(request, template_name, 403, reason=reason)


def page_not_found(request, exception, template_name="404.html"):
    if _is_api(request):
        return _api_error(f"未找到「{request.path[:200]}」:没有这个接口,或编号不存在;接口列表见 /api/v1/docs", 404)
    return _error_page(request, template_name, 404)


def server_error(request, template_name="500.html"):
    if _is_api(request):
        return _api_error("服务器内部错误,已记录;请稍后重试,或联系系统管理员", 500)
    return defaults.server_error(request, template_name)

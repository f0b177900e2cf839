"""The clock page and the ONE view every record page's clock forms post to (deadlines/_clock.html):
/deadlines/<id>/ shows a clock; /deadlines/<id>/<action>/ pauses, resumes, restarts or extends it through
the services, then returns to a same-site `next`. Refused input is shown again at its field, input kept."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from fazhi.core.errors import FazhiError, StaleEdit
from fazhi.core.views import RoleRequiredMixin
from fazhi.deadlines import forms, rules, selectors, services

# A refusal's field (services, engine) → the form's field; anything else is shown above the form.
FIELD_OF = {"on": "on", "reason": "reason", "days": "days", "extend": "days", "approver": "approver",
            "basis": "basis", "start": "on", "last_event": None, "deadline": None}


def safe_next(request, value: str | None) -> str | None:
    """A same-site path to return to, or None: no scheme, no host (not even //host or /\\host), no control
    characters; Django's own check as well."""
    if not value or len(value) > 2000 or not value.startswith("/") or value.startswith(("//", "/\\")):
        return None
    if any(ord(c) < 32 or c == "\x7f" for c in value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    if not url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return None
    return value


def _clock_or_404(request, pk: int):
    deadline = selectors.clock_get(user=request.user, pk=pk)
    if deadline is None:
        raise Http404("未找到该期限,或您无权查看")
    return deadline


def _render(request, deadline, *, bound=None, status=200):
    panel = selectors.clock_panels(user=request.user, deadlines=[deadline])[0].with_forms(bound=bound)
    back = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    return render(request, "deadlines/clock.html", {
        "panel": panel, "deadline": deadline, "back": back or panel.record_url,
        "next": back or "",
    }, status=status)


class ClockView(RoleRequiredMixin, View):
    def get(self, request, pk: int):
        return _render(request, _clock_or_404(request, pk))


class ClockActionView(RoleRequiredMixin, View):
    def post(self, request, pk: int, action: str):
        if action not in rules.ACTIONS:
            raise Http404("没有这项期限操作")
        deadline = _clock_or_404(request, pk)
        if not rules.may_act(request.user, deadline, action):
            raise PermissionDenied(rules.act_refusal(action))
        kept = rules.kept_by_module(deadline)
        if kept:
            raise PermissionDenied(kept)
        form = forms.clock_form(action, deadline.pk, data=request.POST)
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            expected = data.pop("last_event")
            try:
                deadline = services.deadline_act(action, deadline=deadline, actor=request.user,
                                                  expected_last_event=expected, **data)
            except FazhiError as e:
                if isinstance(e, StaleEdit):
                    # Keep what was typed, on the clock as it now is: a deliberate resubmission applies to that.
                    fresh = request.POST.copy()
                    fresh[f"{form.prefix}-last_event"] = str(services.last_event_id(selectors.clock_events(deadline)))
                    form = forms.clock_form(action, deadline.pk, data=fresh)
                    form.is_valid()
                    status = 409
                target = FIELD_OF.get(e.field or "")
                form.add_error(target if target in form.fields else None, e.message)
            else:
                messages.success(request, _done(action, deadline))
                return redirect(safe_next(request, request.POST.get("next")) or reverse("clock-detail", args=[deadline.pk]))
        return _render(request, selectors.clock_get(user=request.user, pk=pk), bound={action: form}, status=status)


def _done(action: str, deadline) -> str:
    if deadline.paused_since:
        return f"已{rules.ACTIONS[action]}:期限自 {deadline.paused_since:%Y-%m-%d} 起中止计算,届满日待恢复计算后确定"
    return f"已{rules.ACTIONS[action]}:届满日 {deadline.due:%Y-%m-%d}"

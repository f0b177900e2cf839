"""A test-only URLconf: the project's URLs plus a record page and its step-act view for a throwaway record
(a unit running the test procedure), so the generic page pieces are tested apart from any module."""

from django.http import Http404
from django.template import engines
from django.urls import path, reverse
from django.views.generic import TemplateView

from fazhi.core.views import RoleRequiredMixin
from fazhi.org.models import Unit
from fazhi.procedures import actions, selectors
from fazhi.procedures.views import StepActView
from fazhi.urls import urlpatterns as project

STEP_ACTIONS = actions.StepActions(code="test.decision")

PAGE = """{% extends "base.html" %}{% block title %}程序测试{% endblock %}{% block content %}<h1 class="h5">{{ unit.name }}</h1>
{% include "procedures/_run_steps.html" %}
{% include "procedures/_step_actions.html" with actions=step_forms action_url=action_url %}{% endblock %}"""


def _unit(request, pk):
    unit = Unit.objects.visible_to(request.user).filter(pk=pk).first()
    if unit is None:
        raise Http404("未找到该记录,或您无权查看")
    return unit


class RecordPage(RoleRequiredMixin, TemplateView):
    def get(self, request, pk):
        unit = _unit(request, pk)
        run = selectors.run_for(unit, STEP_ACTIONS.code)
        context = {"unit": unit, "procedure": selectors.run_view(run),
                   "step_forms": actions.actionable(run, request.user, STEP_ACTIONS, request=request),
                   "action_url": reverse("test-step-act", args=[pk])}
        from django.http import HttpResponse

        return HttpResponse(engines["django"].from_string(PAGE).render(context, request))


class UnitStepActView(StepActView):
    step_actions = STEP_ACTIONS

    def get_object(self, request, pk):
        return _unit(request, pk)

    def get_success_url(self, obj):
        return reverse("test-step-page", args=[obj.pk])


urlpatterns = [
    *project,
    path("test-steps/<int:pk>/", RecordPage.as_view(), name="test-step-page"),
    path("test-steps/<int:pk>/act/", UnitStepActView.as_view(), name="test-step-act"),
]

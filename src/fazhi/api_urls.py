"""The REST API, /api/v1/. Every list is paginated; every queryset goes through the scoping."""

from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from fazhi.deadlines import api as deadlines_api
from fazhi.org import api as org_api
from fazhi.programme import api as programme_api

app_name = "api"
router = DefaultRouter(trailing_slash=True)
router.register("units", org_api.UnitViewSet, basename="unit")
router.register("calendar/arrangements", deadlines_api.CalendarYearViewSet, basename="arrangement")
router.register("tasks", programme_api.TaskViewSet, basename="task")
router.register("assignments", programme_api.AssignmentViewSet, basename="assignment")
router.register("reports", programme_api.ReportViewSet, basename="report")
router.register("workplans", programme_api.WorkPlanViewSet, basename="workplan")

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path("docs", SpectacularSwaggerView.as_view(url="/api/v1/openapi.json"), name="docs"),
    path("me", org_api.MeView.as_view(), name="me"),
    path("deadlines/compute", deadlines_api.DeadlineComputeView.as_view(), name="deadline-compute"),
    path("deadlines/rules/", deadlines_api.RuleListView.as_view(), name="deadline-rules"),
    path("", include(router.urls)),
]

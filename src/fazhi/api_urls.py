"""The REST API, /api/v1/. Every list is paginated; every queryset goes through the scoping."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from fazhi.deadlines import api as deadlines_api
from fazhi.org import api as org_api

router = DefaultRouter(trailing_slash=True)
router.register("units", org_api.UnitViewSet, basename="unit")
router.register("calendar/arrangements", deadlines_api.CalendarYearViewSet, basename="arrangement")

urlpatterns = [
    path("openapi.json", SpectacularAPIView.as_view(renderer_classes=None), name="api-schema"),
    path("docs", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("me", org_api.MeView.as_view(), name="api-me"),
    path("deadlines/compute", deadlines_api.DeadlineComputeView.as_view(), name="api-deadline-compute"),
    path("deadlines/rules/", deadlines_api.RuleListView.as_view(), name="api-deadline-rules"),
    path("", include(router.urls)),
]

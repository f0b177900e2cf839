"""The REST API, /api/v1/. Every list is paginated; every queryset goes through the scoping."""

from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from fazhi.core import rates_api
from fazhi.decisions import api as decisions_api
from fazhi.enforcement.fault import api as fault_api
from fazhi.enforcement.subjects import api as subjects_api
from fazhi.enforcement.licence import api as licence_api
from fazhi.enforcement.penalty import api as penalty_api
from fazhi.deadlines import api as deadlines_api
from fazhi.org import api as org_api
from fazhi.portal import api as portal_api
from fazhi.normdocs import api as normdocs_api
from fazhi.procedures import api as procedures_api
from fazhi.programme import api as programme_api
from fazhi.remedies.litigation import api as litigation_api
from fazhi.remedies.reconsideration import api as reconsideration_api

app_name = "api"
router = DefaultRouter(trailing_slash=True)
router.register("units", org_api.UnitViewSet, basename="unit")
router.register("calendar/arrangements", deadlines_api.CalendarYearViewSet, basename="arrangement")
router.register("tasks", programme_api.TaskViewSet, basename="task")
router.register("assignments", programme_api.AssignmentViewSet, basename="assignment")
router.register("reports", programme_api.ReportViewSet, basename="report")
router.register("workplans", programme_api.WorkPlanViewSet, basename="workplan")
router.register("decisions", decisions_api.DecisionViewSet, basename="decision")
router.register("decision-catalogues", decisions_api.CatalogueViewSet, basename="decision-catalogue")
router.register("normative-documents", normdocs_api.DocumentViewSet, basename="normative-document")
router.register("filings", normdocs_api.FilingViewSet, basename="filing")
router.register("cleanups", normdocs_api.CampaignViewSet, basename="cleanup")
router.register("consultations", portal_api.ConsultationViewSet, basename="consultation")
router.register("reconsiderations", reconsideration_api.ReconsiderationViewSet, basename="reconsideration")
router.register("litigations", litigation_api.LitigationViewSet, basename="litigation")
router.register("litigation-accountabilities", litigation_api.AccountabilityViewSet,
                basename="litigation-accountability")
router.register("enforcement-subjects", subjects_api.SubjectViewSet, basename="enforcement-subject")
router.register("penalty-cases", penalty_api.PenaltyCaseViewSet, basename="penalty-case")
router.register("officers", subjects_api.OfficerViewSet, basename="officer")
router.register("licence-items", licence_api.LicenceItemViewSet, basename="licence-item")
router.register("licence-cases", licence_api.LicenceCaseViewSet, basename="licence-case")
router.register("fault-records", fault_api.FaultRecordViewSet, basename="fault-record")

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path("docs", SpectacularSwaggerView.as_view(url="/api/v1/openapi.json"), name="docs"),
    path("me", org_api.MeView.as_view(), name="me"),
    path("deadlines/compute", deadlines_api.DeadlineComputeView.as_view(), name="deadline-compute"),
    path("deadlines/rules/", deadlines_api.RuleListView.as_view(), name="deadline-rules"),
    path("deadlines/", deadlines_api.WorkListView.as_view(), name="deadline-list"),
    path("deadlines/<id:pk>/", deadlines_api.ClockDetailView.as_view(), name="deadline-detail"),
    path("deadlines/<id:pk>/pause/", deadlines_api.ClockPauseView.as_view(), name="deadline-pause"),
    path("deadlines/<id:pk>/resume/", deadlines_api.ClockResumeView.as_view(), name="deadline-resume"),
    path("deadlines/<id:pk>/restart/", deadlines_api.ClockRestartView.as_view(), name="deadline-restart"),
    path("deadlines/<id:pk>/extend/", deadlines_api.ClockExtendView.as_view(), name="deadline-extend"),
    # Before the router: /reports/ is the progress reports' ViewSet, whose detail takes an integer id.
    path("reports/programme-bulletin.docx", programme_api.BulletinView.as_view(), name="programme-bulletin"),
    path("rates/", rates_api.RateListView.as_view(), name="rate-list"),
    path("rates/<str:code>/", rates_api.RateDetailView.as_view(), name="rate-detail"),
    path("procedures/", procedures_api.ProcedureListView.as_view(), name="procedure-list"),
    path("procedures/<str:code>/", procedures_api.ProcedureDetailView.as_view(), name="procedure-detail"),
    path("", include(router.urls)),
]

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from fazhi.core import gongwen_views
from fazhi.core.converters import IdConverter
from fazhi.core.rates_views import RateRecordsView, RatesByUnitView
from fazhi.core.views import AttachmentDownloadView, LoginView, RecordHistoryView
from fazhi.dashboard import views as dashboard_views
from fazhi.org import views as org_views

register_converter(IdConverter, "id")

admin.site.site_header = "法治 Fazhi 系统管理"
admin.site.site_title = "法治 Fazhi"

urlpatterns = [
    path("", dashboard_views.HomeView.as_view(), name="home"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("units/<str:code>/", org_views.UnitDetailView.as_view(), name="unit-detail"),
    path("units/<str:code>/edit/", org_views.UnitEditView.as_view(), name="unit-edit"),
    path("history/<str:label>/<id:pk>/", RecordHistoryView.as_view(), name="record-history"),
    path("rates/by-unit/", RatesByUnitView.as_view(), name="rates-by-unit"),
    path("rates/<str:code>/records/", RateRecordsView.as_view(), name="rate-records"),
    path("gongwen/templates/", gongwen_views.TemplatesView.as_view(), name="gongwen-templates"),
    path("gongwen/templates/<str:key>.docx", gongwen_views.TemplateFileView.as_view(), name="gongwen-template-file"),
    path("gongwen/templates/<id:pk>/<str:action>/", gongwen_views.TemplateActionView.as_view(),
         name="gongwen-template-action"),
    path("calendar/", dashboard_views.CalendarView.as_view(), name="calendar"),
    path("worklist/", dashboard_views.WorkListView.as_view(), name="worklist"),
    path("deadlines/", include("fazhi.deadlines.urls")),
    path("programme/", include("fazhi.programme.urls")),
    path("procedures/", include("fazhi.procedures.urls")),
    path("decisions/", include("fazhi.decisions.urls")),
    path("normdocs/", include("fazhi.normdocs.urls")),
    path("remedies/", include("fazhi.remedies.urls")),
    path("enforcement/", include("fazhi.enforcement.urls")),
    path("submissions/", include("fazhi.portal.urls")),
    path("consultations/", include("fazhi.portal.consultation_urls")),
    path("public/", include("fazhi.portal.public_urls")),
    path("files/<id:pk>/", AttachmentDownloadView.as_view(), name="attachment-download"),
    path("api/v1/", include("fazhi.api_urls")),
    path("admin/", admin.site.urls),
]

# Under /api/ errors answer the API's JSON format; pages keep their templates (400 with its reason).
handler400 = "fazhi.core.views.bad_request"
handler403 = "fazhi.core.views.permission_denied"
handler404 = "fazhi.core.views.page_not_found"
handler500 = "fazhi.core.views.server_error"

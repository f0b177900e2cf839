from django.urls import path

from fazhi.programme import views

urlpatterns = [
    path("", views.TableView.as_view(), name="programme-table"),
    path("mine/", views.WorkListView.as_view(), name="programme-worklist"),
    path("overview/", views.OverviewView.as_view(), name="programme-overview"),
    path("reviews/", views.ReviewQueueView.as_view(), name="programme-reviews"),
    path("import/", views.ImportView.as_view(), name="programme-import"),
    path("import/template.xlsx", views.ImportTemplateView.as_view(), name="programme-import-template"),
    path("phases/", views.PhaseSettingsView.as_view(), name="programme-phases"),
    path("new/", views.ProgrammeCreateView.as_view(), name="programme-create"),
    path("bulletin.docx", views.BulletinView.as_view(), name="programme-bulletin-page"),
    path("export/<str:kind>.xlsx", views.ExportView.as_view(), name="programme-export"),
    path("tasks/<id:pk>/", views.TaskDetailView.as_view(), name="task-detail"),
    path("assignments/<id:pk>/", views.AssignmentDetailView.as_view(), name="assignment-detail"),
    path("assignments/<id:pk>/report/", views.AssignmentReportView.as_view(), name="assignment-report"),
    path("assignments/<id:pk>/start/", views.AssignmentStartView.as_view(), name="assignment-start"),
    path("reports/<id:pk>/review/", views.ReportReviewView.as_view(), name="report-review"),
    path("reports/<id:pk>/withdraw/", views.ReportWithdrawView.as_view(), name="report-withdraw"),
    path("workplans/", views.WorkPlanListView.as_view(), name="workplan-list"),
    path("workplans/<str:code>/", views.WorkPlanFileView.as_view(), name="workplan-file"),
    path("workplans/review/<id:pk>/", views.WorkPlanReviewView.as_view(), name="workplan-review"),
]

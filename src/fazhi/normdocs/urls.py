from django.urls import path

from fazhi.normdocs import views

urlpatterns = [
    path("", views.DocumentListView.as_view(), name="normdoc-list"),
    path("new/", views.DocumentCreateView.as_view(), name="normdoc-create"),
    path("export/<str:kind>.xlsx", views.ExportView.as_view(), name="normdoc-export"),
    path("<id:pk>/", views.DocumentDetailView.as_view(), name="normdoc-detail"),
    path("<id:pk>/edit/", views.DocumentEditView.as_view(), name="normdoc-edit"),
    path("<id:pk>/steps/", views.DocumentStepView.as_view(), name="normdoc-step"),
    path("<id:pk>/consultation/", views.ConsultationOpenView.as_view(), name="normdoc-consultation"),
    path("<id:pk>/evaluations/", views.EvaluationAddView.as_view(), name="normdoc-evaluation"),
    path("filings/", views.FilingListView.as_view(), name="filing-list"),
    path("filings/<id:pk>/", views.FilingDetailView.as_view(), name="filing-detail"),
    path("filings/<id:pk>/steps/", views.FilingStepView.as_view(), name="filing-step"),
    path("filings/<id:pk>/suggestion.docx", views.FilingSuggestionView.as_view(), name="filing-suggestion"),
    path("cleanups/", views.CampaignListView.as_view(), name="cleanup-list"),
    path("cleanups/<id:pk>/", views.CampaignDetailView.as_view(), name="cleanup-detail"),
    path("cleanups/<id:pk>/steps/", views.CampaignStepView.as_view(), name="cleanup-step"),
    path("cleanups/<id:pk>/items/<id:item>/", views.CleanupItemView.as_view(), name="cleanup-item"),
    path("cleanups/<id:pk>/announcement.docx", views.CleanupAnnouncementView.as_view(), name="cleanup-announcement"),
]

from django.urls import path

from fazhi.remedies.reconsideration import views

urlpatterns = [
    path("", views.CaseListView.as_view(), name="reconsideration-list"),
    path("new/", views.CaseCreateView.as_view(), name="reconsideration-create"),
    path("ledger.xlsx", views.LedgerExportView.as_view(), name="reconsideration-export"),
    path("<id:pk>/", views.CaseDetailView.as_view(), name="reconsideration-detail"),
    path("<id:pk>/edit/", views.CaseEditView.as_view(), name="reconsideration-edit"),
    path("<id:pk>/steps/", views.CaseStepView.as_view(), name="reconsideration-step"),
    path("<id:pk>/acts/<slug:kind>/", views.CaseActView.as_view(), name="reconsideration-act"),
    path("<id:pk>/decision.docx", views.DecisionLetterView.as_view(), name="reconsideration-letter"),
]

from django.urls import path

from fazhi.enforcement.penalty import views

urlpatterns = [
    path("", views.CaseListView.as_view(), name="penalty-list"),
    path("new/", views.CaseCreateView.as_view(), name="penalty-create"),
    path("ledger.xlsx", views.LedgerExportView.as_view(), name="penalty-export"),
    path("rates/", views.RatesView.as_view(), name="penalty-rates"),
    path("<id:pk>/", views.CaseDetailView.as_view(), name="penalty-detail"),
    path("<id:pk>/edit/", views.CaseEditView.as_view(), name="penalty-edit"),
    path("<id:pk>/steps/", views.CaseStepView.as_view(), name="penalty-step"),
    path("<id:pk>/acts/<slug:kind>/", views.CaseActView.as_view(), name="penalty-act"),
    path("<id:pk>/<slug:doc>.docx", views.DocumentView.as_view(), name="penalty-document"),
]

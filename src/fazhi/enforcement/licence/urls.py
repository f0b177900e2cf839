from django.urls import path

from fazhi.enforcement.licence import views

urlpatterns = [
    path("", views.CaseListView.as_view(), name="licence-list"),
    path("new/", views.CaseCreateView.as_view(), name="licence-create"),
    path("ledger.xlsx", views.CaseExportView.as_view(), name="licence-export"),
    path("<id:pk>/", views.CaseDetailView.as_view(), name="licence-detail"),
    path("<id:pk>/edit/", views.CaseEditView.as_view(), name="licence-edit"),
    path("<id:pk>/steps/", views.CaseStepView.as_view(), name="licence-step"),
    path("<id:pk>/acts/<slug:kind>/", views.CaseActView.as_view(), name="licence-act"),
    path("<id:pk>/decision.docx", views.DecisionDocxView.as_view(), name="licence-decision"),
    path("<id:pk>/hearing-notice.docx", views.HearingNoticeDocxView.as_view(), name="licence-hearing-notice"),
    path("items/", views.ItemListView.as_view(), name="licence-item-list"),
    path("items/new/", views.ItemCreateView.as_view(), name="licence-item-create"),
    path("items/register.xlsx", views.ItemExportView.as_view(), name="licence-item-export"),
    path("items/<id:pk>/", views.ItemDetailView.as_view(), name="licence-item-detail"),
    path("items/<id:pk>/edit/", views.ItemEditView.as_view(), name="licence-item-edit"),
    path("items/<id:pk>/acts/<slug:kind>/", views.ItemActView.as_view(), name="licence-item-act"),
]

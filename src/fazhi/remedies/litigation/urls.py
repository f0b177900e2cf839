from django.urls import path

from fazhi.remedies.litigation import views

urlpatterns = [
    path("", views.CaseListView.as_view(), name="litigation-list"),
    path("new/", views.CaseCreateView.as_view(), name="litigation-create"),
    path("ledger.xlsx", views.LedgerExportView.as_view(), name="litigation-export"),
    path("<id:pk>/", views.CaseDetailView.as_view(), name="litigation-detail"),
    path("<id:pk>/edit/", views.CaseEditView.as_view(), name="litigation-edit"),
    path("<id:pk>/steps/", views.CaseStepView.as_view(), name="litigation-step"),
    path("<id:pk>/hearings/", views.HearingAddView.as_view(), name="litigation-hearing-add"),
    path("accountability/", views.AccountabilityListView.as_view(), name="litigation-accountabilities"),
    path("accountability/<id:pk>/", views.AccountabilityDetailView.as_view(), name="litigation-accountability"),
    path("accountability/<id:pk>/people/", views.AccountabilityPeopleView.as_view(),
         name="litigation-accountability-people"),
]

"""Staff pages of public consultation (login and a role required; scoped)."""

from django.urls import path

from fazhi.portal import consultation_views as views

urlpatterns = [
    path("", views.ConsultationListView.as_view(), name="consultation-list"),
    path("<id:pk>/", views.ConsultationDetailView.as_view(), name="consultation-detail"),
    path("<id:pk>/answer/", views.ConsultationAnswerView.as_view(), name="consultation-answer"),
    path("<id:pk>/adoption.xlsx", views.ConsultationExportView.as_view(), name="consultation-export"),
]

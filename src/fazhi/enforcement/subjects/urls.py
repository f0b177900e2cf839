"""Staff pages of subjects and officers, under /enforcement/subjects/."""

from django.urls import path

from fazhi.enforcement.subjects import views

urlpatterns = [
    path("", views.SubjectListView.as_view(), name="subject-list"),
    path("new/", views.SubjectCreateView.as_view(), name="subject-create"),
    path("subjects.xlsx", views.SubjectExportView.as_view(), name="subject-export"),
    path("<id:pk>/", views.SubjectDetailView.as_view(), name="subject-detail"),
    path("<id:pk>/edit/", views.SubjectEditView.as_view(), name="subject-edit"),
    path("<id:pk>/powers/", views.PowerAddView.as_view(), name="subject-power-add"),
    path("<id:pk>/<str:act>/", views.SubjectActView.as_view(), name="subject-act"),
    path("powers/<id:pk>/deactivate/", views.PowerDeactivateView.as_view(), name="subject-power-deactivate"),
    path("officers/", views.OfficerListView.as_view(), name="officer-list"),
    path("officers/new/", views.OfficerCreateView.as_view(), name="officer-create"),
    path("officers/officers.xlsx", views.OfficerExportView.as_view(), name="officer-export"),
    path("officers/<id:pk>/", views.OfficerDetailView.as_view(), name="officer-detail"),
    path("officers/<id:pk>/edit/", views.OfficerEditView.as_view(), name="officer-edit"),
    path("officers/<id:pk>/leave/", views.OfficerLeaveView.as_view(), name="officer-leave"),
    path("officers/<id:pk>/certificates/", views.CertificateAddView.as_view(), name="officer-certificate-add"),
    path("officers/certificates/<id:pk>/<str:act>/", views.CertificateActView.as_view(),
         name="officer-certificate-act"),
    path("basisless/", views.BasislessListView.as_view(), name="subject-basisless-list"),
    path("basisless/new/", views.BasislessCreateView.as_view(), name="subject-basisless-create"),
    path("basisless/<id:pk>/", views.BasislessDetailView.as_view(), name="subject-basisless-detail"),
    path("basisless/<id:pk>/<str:act>/", views.BasislessActView.as_view(), name="subject-basisless-act"),
    path("catalogue/", views.CatalogueView.as_view(), name="subject-catalogue"),
    path("catalogue/new/", views.EntryCreateView.as_view(), name="subject-catalogue-create"),
    path("catalogue/<id:pk>/edit/", views.EntryEditView.as_view(), name="subject-catalogue-edit"),
]

from django.urls import path

from fazhi.decisions import views

urlpatterns = [
    path("", views.CatalogueView.as_view(), name="decision-catalogue"),
    path("catalogue.xlsx", views.CatalogueExportView.as_view(), name="decision-export"),
    path("catalogues/", views.CatalogueCreateView.as_view(), name="decision-catalogue-create"),
    path("catalogues/<id:pk>/publish/", views.CataloguePublishView.as_view(), name="decision-catalogue-publish"),
    path("catalogues/<id:pk>/add/", views.ItemAddView.as_view(), name="decision-add"),
    path("<id:pk>/", views.DecisionDetailView.as_view(), name="decision-detail"),
    path("<id:pk>/edit/", views.ItemEditView.as_view(), name="decision-edit"),
    path("<id:pk>/remove/", views.ItemRemoveView.as_view(), name="decision-remove"),
    path("<id:pk>/steps/", views.DecisionStepView.as_view(), name="decision-step"),
    path("<id:pk>/consultation/", views.ConsultationOpenView.as_view(), name="decision-consult"),
    path("<id:pk>/accountability/", views.AccountabilityOpenView.as_view(), name="decision-accountability-open"),
    path("accountability/<id:pk>/", views.AccountabilityDetailView.as_view(), name="accountability-detail"),
]

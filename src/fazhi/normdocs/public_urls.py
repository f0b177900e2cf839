"""The public site's pages of normative documents (included under /public/documents/): published only."""

from django.urls import path

from fazhi.normdocs import views

urlpatterns = [
    path("", views.PublicDocumentsView.as_view(), name="public-documents"),
    path("cleanups/", views.PublicCleanupsView.as_view(), name="public-cleanups"),
    path("cleanups/<str:key>/", views.PublicCleanupView.as_view(), name="public-cleanup"),
    path("<str:key>/", views.PublicDocumentView.as_view(), name="public-document"),
]

"""The public site under /public/: no account needed; nothing here links to a staff page."""

from django.urls import include, path

from fazhi.portal import consultation_views, views

urlpatterns = [
    path("", views.PublicHomeView.as_view(), name="public-home"),
    path("suggestions/new/", views.SuggestionView.as_view(), name="public-suggest"),
    path("track/", views.TrackView.as_view(), name="public-track"),
    path("progress/", views.ProgressView.as_view(), name="public-progress"),
    path("consultations/", consultation_views.PublicConsultationListView.as_view(), name="public-consultations"),
    path("consultations/<str:code>/", consultation_views.PublicConsultationView.as_view(), name="public-consultation"),
    path("documents/", include("fazhi.normdocs.public_urls")),
    path("decisions/", include("fazhi.decisions.public_urls")),
    path("enforcement-subjects/", include("fazhi.enforcement.subjects.public_urls")),
    path("licence-items/", include("fazhi.enforcement.licence.public_urls")),
    path("enforcement-decisions/", include("fazhi.enforcement.publication.public_urls")),
    # django-simple-captcha's images (drawn on the server) and refresh
    path("captcha/", include("captcha.urls")),
]

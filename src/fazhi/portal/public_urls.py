"""The public site under /public/: no account needed; nothing here links to a staff page."""

from django.urls import include, path

from fazhi.portal import views

urlpatterns = [
    path("", views.PublicHomeView.as_view(), name="public-home"),
    path("suggestions/new/", views.SuggestionView.as_view(), name="public-suggest"),
    path("track/", views.TrackView.as_view(), name="public-track"),
    path("progress/", views.ProgressView.as_view(), name="public-progress"),
    # django-simple-captcha's images (drawn on the server) and refresh
    path("captcha/", include("captcha.urls")),
]

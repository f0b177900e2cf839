"""Public pages of this package (no account needed): 行政执法主体公示."""

from django.urls import path

from fazhi.enforcement.subjects import views

urlpatterns = [
    path("", views.PublicSubjectsView.as_view(), name="public-enforcement-subjects"),
]

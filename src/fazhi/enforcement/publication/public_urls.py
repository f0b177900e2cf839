"""Public pages of published enforcement decisions (no account needed; addressed by a random code, never the
record id; withdrawn ones are gone)."""

from django.urls import path

from fazhi.enforcement.publication import views

urlpatterns = [
    path("", views.PublicDecisionsView.as_view(), name="public-enforcement-decisions"),
    path("<str:code>/", views.PublicDecisionView.as_view(), name="public-enforcement-decision"),
]

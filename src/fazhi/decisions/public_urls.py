from django.urls import path

from fazhi.decisions import views

urlpatterns = [
    path("", views.PublicDecisionsView.as_view(), name="public-decisions"),
]

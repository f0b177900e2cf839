from django.urls import path

from fazhi.deadlines import views

urlpatterns = [
    path("<id:pk>/", views.ClockView.as_view(), name="clock-detail"),
    path("<id:pk>/<str:action>/", views.ClockActionView.as_view(), name="clock-action"),
]

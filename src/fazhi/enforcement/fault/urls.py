from django.urls import path

from fazhi.enforcement.fault import views

urlpatterns = [
    path("", views.FaultListView.as_view(), name="fault-list"),
    path("new/", views.FaultCreateView.as_view(), name="fault-create"),
    path("export.xlsx", views.FaultExportView.as_view(), name="fault-export"),
    path("<int:pk>/", views.FaultDetailView.as_view(), name="fault-detail"),
    path("<int:pk>/decide/", views.FaultDecideView.as_view(), name="fault-decide"),
    path("<int:pk>/compensation/", views.FaultCompensationView.as_view(), name="fault-compensation"),
    path("<int:pk>/void/", views.FaultVoidView.as_view(), name="fault-void"),
]

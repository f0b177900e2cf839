from django.urls import path

from fazhi.enforcement.records import views

urlpatterns = [
    path("case/<str:label>/<str:object_id>/", views.CaseRecordsView.as_view(), name="enf-record-case"),
    path("case/<str:label>/<str:object_id>/add/", views.RecordAddView.as_view(), name="enf-record-add"),
    path("<int:pk>/void/", views.RecordVoidView.as_view(), name="enf-record-void"),
]
urlpatterns += [path("three-systems/", views.ThreeSystemsView.as_view(), name="enforcement-three-systems")]

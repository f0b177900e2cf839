from django.urls import include, path

from fazhi.enforcement.subjects import views as subject_views

urlpatterns = [
    path("", subject_views.OverviewView.as_view(), name="enforcement-overview"),
    path("subjects/", include("fazhi.enforcement.subjects.urls")),
    path("penalties/", include("fazhi.enforcement.penalty.urls")),
    path("licences/", include("fazhi.enforcement.licence.urls")),
    path("publications/", include("fazhi.enforcement.publication.urls")),
    path("records/", include("fazhi.enforcement.records.urls")),
    path("faults/", include("fazhi.enforcement.fault.urls")),
]

from django.urls import include, path

urlpatterns = [
    path("subjects/", include("fazhi.enforcement.subjects.urls")),
    path("penalties/", include("fazhi.enforcement.penalty.urls")),
    path("licences/", include("fazhi.enforcement.licence.urls")),
    path("publications/", include("fazhi.enforcement.publication.urls")),
    path("records/", include("fazhi.enforcement.records.urls")),
    path("faults/", include("fazhi.enforcement.fault.urls")),
]

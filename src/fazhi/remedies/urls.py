from django.urls import include, path

urlpatterns = [
    path("reconsiderations/", include("fazhi.remedies.reconsideration.urls")),
    path("litigations/", include("fazhi.remedies.litigation.urls")),
]

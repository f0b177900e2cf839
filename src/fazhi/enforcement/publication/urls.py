from django.urls import path

from fazhi.enforcement.publication import views

urlpatterns = [
    path("", views.PublicationListView.as_view(), name="publication-list"),
    path("<int:pk>/", views.PublicationDetailView.as_view(), name="publication-detail"),
    path("<int:pk>/publish/", views.PublishView.as_view(), name="publication-publish"),
    path("<int:pk>/withdraw/", views.WithdrawView.as_view(), name="publication-withdraw"),
]

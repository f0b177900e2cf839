"""Public pages of this package (no account needed): the published licensing items (许可公示, 行政许可法 第30条),
addressed by their public key, never the record id."""

from django.urls import path

from fazhi.enforcement.licence import views

urlpatterns = [
    path("", views.PublicItemsView.as_view(), name="licence-public-items"),
    path("<str:key>/", views.PublicItemView.as_view(), name="licence-public-item"),
]

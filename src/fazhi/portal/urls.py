"""Staff pages of public submissions (login and a role required; scoped)."""

from django.urls import path

from fazhi.portal import views

urlpatterns = [
    path("", views.SubmissionListView.as_view(), name="submission-list"),
    path("<id:pk>/", views.SubmissionDetailView.as_view(), name="submission-detail"),
    path("<id:pk>/assign/", views.SubmissionAssignView.as_view(), name="submission-assign"),
    path("<id:pk>/reply/", views.SubmissionReplyView.as_view(), name="submission-reply"),
    path("<id:pk>/answer/", views.SubmissionAnswerView.as_view(), name="submission-answer"),
    path("files/<id:pk>/", views.SubmissionFileView.as_view(), name="submission-file"),
]

from django.urls import path

from fazhi.procedures import views

urlpatterns = [
    path("", views.DefinitionListView.as_view(), name="procedure-list"),
    # Before <code>/: "import" is a page, not a procedure.
    path("import/", views.DefinitionImportView.as_view(), name="procedure-import"),
    path("<str:code>/", views.DefinitionDetailView.as_view(), name="procedure-detail"),
    path("<str:code>/new-version/", views.DefinitionNewVersionView.as_view(), name="procedure-new-version"),
    path("<str:code>/export.json", views.DefinitionExportView.as_view(), name="procedure-export"),
]

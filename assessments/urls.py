"""Assessment URLs."""

from django.urls import path

from assessments import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "p/<slug:partnership>/category-mappings/",
        views.category_mappings,
        name="category_mappings",
    ),
    path("p/<slug:partnership>/<str:period>/", views.assessment_detail, name="assessment"),
    path(
        "p/<slug:partnership>/<str:period>/evidence/",
        views.evidence_overview,
        name="evidence",
    ),
    path(
        "p/<slug:partnership>/<str:period>/evidence/import/",
        views.data_import_view,
        name="data_import",
    ),
]

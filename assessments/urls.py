"""Assessment URLs."""

from django.urls import path

from assessments import register_views, views

ASSESSMENT = "p/<slug:partnership>/<str:period>/"
REGISTER = f"{ASSESSMENT}register/"

app_name = "assessments"

urlpatterns = [
    path("", views.home, name="home"),
    # Partnership-wide pages come before the assessment page, whose <period> would match them.
    path(
        "p/<slug:partnership>/category-mappings/",
        views.category_mappings,
        name="category_mappings",
    ),
    path(
        "p/<slug:partnership>/scoring-model/",
        register_views.scoring_model_edit,
        name="scoring_model",
    ),
    path(ASSESSMENT, views.assessment_detail, name="assessment"),
    path(f"{ASSESSMENT}evidence/", views.evidence_overview, name="evidence"),
    path(f"{ASSESSMENT}evidence/import/", views.data_import_view, name="data_import"),
    # The register's list page (with ratings) lives in reports; these edit it.
    path(f"{REGISTER}themes/new/", register_views.theme_edit, name="theme_add"),
    path(f"{REGISTER}themes/<int:theme_id>/", register_views.theme_edit, name="theme_edit"),
    path(f"{REGISTER}risks/new/", register_views.risk_edit, name="risk_add"),
    path(f"{REGISTER}risks/<int:risk_id>/", register_views.risk_edit, name="risk_edit"),
    path(
        f"{REGISTER}themes/<int:pk>/delete/",
        register_views.register_delete,
        {"kind": "theme"},
        name="theme_delete",
    ),
    path(
        f"{REGISTER}risks/<int:pk>/delete/",
        register_views.register_delete,
        {"kind": "risk"},
        name="risk_delete",
    ),
    path(
        f"{REGISTER}risks/<int:risk_id>/withdraw/",
        register_views.risk_withdraw,
        name="risk_withdraw",
    ),
    path(
        f"{REGISTER}risks/<int:risk_id>/reinstate/",
        register_views.risk_reinstate,
        name="risk_reinstate",
    ),
    path(f"{ASSESSMENT}risks/<int:risk_id>/prescore/", register_views.prescore, name="prescore"),
    path(
        f"{ASSESSMENT}scoring-model/",
        register_views.scoring_model_explain,
        name="scoring_model_explain",
    ),
]

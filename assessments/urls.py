"""Assessment URLs."""

from django.urls import path

from assessments import register_views, views

REGISTER = "p/<slug:partnership>/<str:period>/register/"

urlpatterns = [
    path("", views.home, name="home"),
    # Before the assessment page, whose <period> would otherwise swallow "scoring-model".
    path(
        "p/<slug:partnership>/scoring-model/",
        register_views.scoring_model_edit,
        name="scoring_model",
    ),
    path("p/<slug:partnership>/<str:period>/", views.assessment_detail, name="assessment"),
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
    path(f"{REGISTER}copy-forward/", register_views.copy_forward, name="copy_forward"),
    path(
        "p/<slug:partnership>/<str:period>/risks/<int:risk_id>/prescore/",
        register_views.prescore,
        name="prescore",
    ),
    path(
        "p/<slug:partnership>/<str:period>/scoring-model/",
        register_views.scoring_model_explain,
        name="scoring_model_explain",
    ),
]

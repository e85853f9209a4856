"""Assessment URLs."""

from django.urls import path

from assessments import people_views, register_views, views

PARTNERSHIP = "p/<slug:partnership>/"
ASSESSMENT = "p/<slug:partnership>/<str:period>/"
PEOPLE = f"{PARTNERSHIP}people/"
ORGANISATIONS = f"{PARTNERSHIP}organisations/"
REGISTER = f"{ASSESSMENT}register/"

app_name = "assessments"

urlpatterns = [
    path("", views.home, name="home"),
    path("partnerships/new/", people_views.partnership_create, name="partnership_create"),
    path("invitations/<str:token>/", people_views.invitation_accept, name="invitation_accept"),
    path(PEOPLE, people_views.people, name="people"),
    path(f"{PEOPLE}invite/", people_views.invite, name="invite"),
    path(f"{PEOPLE}import/", people_views.people_import_view, name="people_import"),
    path(f"{PEOPLE}history/", people_views.people_history, name="people_history"),
    path(f"{PEOPLE}<int:membership_id>/", people_views.person, name="person"),
    path(
        f"{PEOPLE}<int:membership_id>/deactivate/",
        people_views.person_deactivate,
        name="person_deactivate",
    ),
    path(
        f"{PEOPLE}invitations/<int:invitation_id>/resend/",
        people_views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        f"{PEOPLE}invitations/<int:invitation_id>/revoke/",
        people_views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(ORGANISATIONS, people_views.organisations, name="organisations"),
    path(
        f"{ORGANISATIONS}<int:organisation_id>/",
        people_views.organisation_edit,
        name="organisation_edit",
    ),
    path(
        f"{ORGANISATIONS}<int:organisation_id>/retire/",
        people_views.organisation_retire,
        name="organisation_retire",
    ),
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

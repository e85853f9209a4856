"""Results, risk pages, board review, the report and exports."""

from django.urls import path

from reports import board_views, front_matter_views, views

P = "p/<slug:partnership>/<str:period>/"

app_name = "reports"

urlpatterns = [
    path(
        "p/<slug:partnership>/assessments/new/", views.assessment_create, name="assessment_create"
    ),
    path(P + "register/", views.register, name="register"),
    path(P + "register/copy-forward/", views.copy_forward, name="copy_forward"),
    path(P + "risks/<int:risk_id>/", views.risk_detail, name="risk_detail"),
    # Board review and the report.
    path(P + "results/", board_views.results, name="results"),
    path(P + "themes/<int:theme_id>/", board_views.theme_detail, name="theme"),
    path(P + "themes/<int:theme_id>/narrative/", board_views.theme_edit, name="theme_edit"),
    # Confirming a carried-forward section of any kind (assessments.carried.REVIEWABLE).
    path(
        P + "reviewed/<slug:kind>/<int:pk>/",
        views.section_confirm,
        name="section_confirm",
    ),
    path(P + "report/sections/", front_matter_views.front_matter, name="front_matter"),
    path(
        P + "report/sections/<slug:key>/",
        front_matter_views.front_matter_edit,
        name="front_matter_edit",
    ),
    path(P + "emerging-issues/", board_views.emerging_issues, name="emerging"),
    path(
        P + "emerging-issues/<int:issue_id>/edit/",
        board_views.emerging_issue_edit,
        name="emerging_edit",
    ),
    path(
        P + "emerging-issues/<int:issue_id>/delete/",
        board_views.emerging_issue_delete,
        name="emerging_delete",
    ),
    path(P + "results/priority/", board_views.risk_priority, name="priority"),
    path(P + "sign-off/", board_views.sign_off, name="sign_off"),
    path(P + "sign-off/approve/", board_views.approve, name="approve"),
    path(P + "sign-off/publish/", board_views.publish, name="publish"),
    path(
        P + "published/<int:version>/",
        board_views.publication_detail,
        name="publication",
    ),
    path(
        P + "published/<int:version>/export/<str:fmt>/",
        board_views.publication_export,
        name="publication_export",
    ),
    path(P + "export/<str:fmt>/", board_views.export, name="export"),
    # The JSON export's first address, kept as a redirect to export/json/ (the offline
    # scoring sheet's URLs are in workshops/urls.py).
    path(P + "export.json", board_views.export_json, name="export_json"),
]

"""Results, risk pages, board review, the report and exports."""

from django.urls import path

from reports import board_views, views

P = "p/<slug:partnership>/<str:period>/"

urlpatterns = [
    path(P + "register/", views.register, name="register"),
    path(P + "register/copy-forward/", views.copy_forward, name="copy_forward"),
    path(P + "risks/<int:risk_id>/", views.risk_detail, name="risk_detail"),
    # Board review and the report.
    path(P + "results/", board_views.results, name="report-results"),
    path(P + "themes/<int:theme_id>/", board_views.theme_detail, name="report-theme"),
    path(P + "themes/<int:theme_id>/narrative/", board_views.theme_edit, name="report-theme-edit"),
    path(P + "emerging-issues/", board_views.emerging_issues, name="report-emerging"),
    path(
        P + "emerging-issues/<int:issue_id>/edit/",
        board_views.emerging_issue_edit,
        name="report-emerging-edit",
    ),
    path(
        P + "emerging-issues/<int:issue_id>/delete/",
        board_views.emerging_issue_delete,
        name="report-emerging-delete",
    ),
    path(P + "results/priority/", board_views.risk_priority, name="report-priority"),
    path(P + "sign-off/", board_views.sign_off, name="report-sign-off"),
    path(P + "sign-off/approve/", board_views.approve, name="report-approve"),
    path(P + "sign-off/publish/", board_views.publish, name="report-publish"),
    path(
        P + "published/<int:version>/",
        board_views.publication_detail,
        name="report-publication",
    ),
    path(
        P + "published/<int:version>/export/<str:fmt>/",
        board_views.publication_export,
        name="report-publication-export",
    ),
    path(P + "export/<str:fmt>/", board_views.export, name="report-export"),
    # The JSON export's first address, kept as a redirect to export/json/ (the offline
    # scoring sheet's URLs are in workshops/urls.py).
    path(P + "export.json", board_views.export_json, name="assessment_export_json"),
]

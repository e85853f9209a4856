"""Results, risk pages, board review and exports."""

from django.urls import path

from reports import views

P = "p/<slug:partnership>/<str:period>/"

urlpatterns = [
    path(P + "results/", views.results, name="report-results"),
    path(P + "themes/<int:theme_id>/", views.theme_detail, name="report-theme"),
    path(P + "themes/<int:theme_id>/narrative/", views.theme_edit, name="report-theme-edit"),
    path(P + "emerging-issues/", views.emerging_issues, name="report-emerging"),
    path(
        P + "emerging-issues/<int:issue_id>/edit/",
        views.emerging_issue_edit,
        name="report-emerging-edit",
    ),
    path(
        P + "emerging-issues/<int:issue_id>/delete/",
        views.emerging_issue_delete,
        name="report-emerging-delete",
    ),
    path(P + "results/priority/", views.risk_priority, name="report-priority"),
    path(P + "sign-off/", views.sign_off, name="report-sign-off"),
    path(P + "sign-off/approve/", views.approve, name="report-approve"),
    path(P + "sign-off/publish/", views.publish, name="report-publish"),
    path(P + "published/<int:version>/", views.publication_detail, name="report-publication"),
    path(P + "export/<str:fmt>/", views.export, name="report-export"),
]

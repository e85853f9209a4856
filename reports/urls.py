"""Results, risk pages, board review and exports."""

from django.urls import path

from reports import sheet_views, views

urlpatterns = [
    path("p/<slug:partnership>/<str:period>/register/", views.register, name="register"),
    path(
        "p/<slug:partnership>/<str:period>/risks/<int:risk_id>/",
        views.risk_detail,
        name="risk_detail",
    ),
    path(
        "p/<slug:partnership>/<str:period>/export.json",
        sheet_views.assessment_export_json,
        name="assessment_export_json",
    ),
    path(
        "p/<slug:partnership>/<str:period>/scoring-sheet.csv",
        sheet_views.scoring_sheet_download,
        {"fmt": "csv"},
        name="scoring_sheet_csv",
    ),
    path(
        "p/<slug:partnership>/<str:period>/scoring-sheet.xlsx",
        sheet_views.scoring_sheet_download,
        {"fmt": "xlsx"},
        name="scoring_sheet_xlsx",
    ),
    path(
        "p/<slug:partnership>/<str:period>/scoring-sheet/upload/",
        sheet_views.scoring_sheet_upload,
        name="scoring_sheet_upload",
    ),
]

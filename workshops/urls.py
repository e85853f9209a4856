"""Workshop URLs, all inside an assessment, and the offline scoring sheet's."""

from django.urls import path

from workshops import views
from workshops.sheet import pages as sheet_pages

app_name = "workshops"
base = "p/<slug:partnership>/<str:period>/"
one = base + "workshops/<int:pk>/"

urlpatterns = [
    path(base + "workshops/", views.workshop_list, name="list"),
    path(base + "workshops/new/", views.workshop_create, name="create"),
    path(base + "audit/", views.audit_trail, name="audit"),
    path(one, views.workshop_dashboard, name="dashboard"),
    path(one + "live/", views.workshop_live, name="live"),
    path(one + "open/", views.workshop_open, name="open"),
    path(one + "lock/", views.workshop_lock, name="lock"),
    path(one + "rounds/", views.workshop_new_round, name="new_round"),
    path(one + "risks/<int:risk_id>/reveal/", views.workshop_reveal, name="reveal"),
    path(one + "risks/<int:risk_id>/agree/", views.workshop_agree, name="agree"),
    path(one + "score/", views.workshop_score, name="score"),
    path(one + "score/<int:risk_id>/", views.workshop_score_risk, name="score_risk"),
    path(
        base + "scoring-sheet.csv",
        sheet_pages.scoring_sheet_download,
        {"fmt": "csv"},
        name="sheet_csv",
    ),
    path(
        base + "scoring-sheet.xlsx",
        sheet_pages.scoring_sheet_download,
        {"fmt": "xlsx"},
        name="sheet_xlsx",
    ),
    path(
        base + "scoring-sheet/upload/",
        sheet_pages.scoring_sheet_upload,
        name="sheet_upload",
    ),
]

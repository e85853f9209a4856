"""The JSON export download and the hub's links to exports and sheets.
(The scoring sheet's pages are tested in tests/workshops/sheet/test_pages.py.)"""

import json

import pytest
from django.urls import reverse

from tests.sheets_helpers import make_register

pytestmark = pytest.mark.django_db

ARGS = {"partnership": "plymouth", "period": "2019-20"}


@pytest.fixture
def register(assessment, police, council):
    return make_register(assessment)


def test_the_json_export_download_is_the_schema(client, register, board_member):
    client.force_login(board_member)
    response = client.get(reverse("assessment_export_json", kwargs=ARGS))
    assert response["Content-Type"] == "application/json"
    assert "plymouth-2019-20-assessment.json" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["schema"] == "workbench-assessment/1" and len(data["risks"]) == 3


def test_the_hub_links_to_exports_and_sheets_by_role(client, register, analyst, board_member):
    client.force_login(board_member)
    page = client.get(reverse("assessment", kwargs=ARGS)).content.decode()
    assert reverse("assessment_export_json", kwargs=ARGS) in page
    assert reverse("scoring_sheet_upload", kwargs=ARGS) not in page
    client.force_login(analyst)
    page = client.get(reverse("assessment", kwargs=ARGS)).content.decode()
    assert reverse("scoring_sheet_upload", kwargs=ARGS) in page

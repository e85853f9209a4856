"""The offline scoring sheet's pages: download blank or filled, upload."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import AssessmentStatus, RiskFactorScore
from tests.factories import RiskFactory, ThemeFactory
from tests.sheets_helpers import make_register, row_counts, scored_risk_rows, sheet_text
from workshops.models import Submission

pytestmark = pytest.mark.django_db

ARGS = {"partnership": "plymouth", "period": "2019-20"}


@pytest.fixture
def register(assessment, police, council):
    return make_register(assessment)


def _upload(client, rows, name="sheet.csv"):
    file = SimpleUploadedFile(name, sheet_text(rows).encode(), content_type="text/csv")
    return client.post(reverse("workshops:sheet_upload", kwargs=ARGS), {"file": file})


def test_a_facilitator_cannot_post_a_sheet(client, register, facilitator):
    client.force_login(facilitator)
    before = row_counts()
    assert _upload(client, scored_risk_rows()).status_code == 403
    assert row_counts() == before


def test_the_blank_csv_sheet_lists_every_risk_and_factor(client, register, analyst):
    client.force_login(analyst)
    response = client.get(reverse("workshops:sheet_csv", kwargs=ARGS))
    assert "scoring-sheet-blank.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["theme", "risk", "factor", "level", "organisation", "comment"]
    assert len(rows) == 1 + 3 * 11
    assert rows[1][:4] == ["Domestic abuse", "Domestic homicide", "Physical harm to victims", ""]


def test_the_filled_xlsx_sheet_has_levels_and_drop_downs_and_reimports_unchanged(
    client, register, analyst
):
    client.force_login(analyst)
    assert _upload(client, [r for r in scored_risk_rows() if not r[4]]).status_code == 302
    response = client.get(reverse("workshops:sheet_xlsx", kwargs=ARGS), {"filled": "1"})
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Scores"]
    assert workbook.sheetnames[0] == "Scores"
    rows = [[c or "" for c in row] for row in sheet.iter_rows(min_row=2, values_only=True)]
    levels = {(r[1], r[2]): r[3] for r in rows}
    assert levels[("Domestic abuse", "Trend")] == "Rising"
    assert levels[("Domestic abuse", "Capacity")] == ""
    assert len(sheet.data_validations.dataValidation) == 12  # 11 factors + organisations
    before = row_counts()
    back = SimpleUploadedFile("filled.xlsx", response.content)
    reupload = client.post(reverse("workshops:sheet_upload", kwargs=ARGS), {"file": back})
    assert reupload.status_code == 302
    after = row_counts()
    assert after["ScoreChange"] == before["ScoreChange"]
    assert after["RiskFactorScore"] == before["RiskFactorScore"] == 10


def test_downloaded_cells_cannot_run_as_formulas_and_still_import(client, assessment, analyst):
    theme = ThemeFactory(assessment=assessment, name='=HYPERLINK("http://x")')
    RiskFactory(theme=theme, name="-1+1")
    client.force_login(analyst)
    text = client.get(reverse("workshops:sheet_csv", kwargs=ARGS)).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'-1+1" in text
    xlsx = client.get(reverse("workshops:sheet_xlsx", kwargs=ARGS)).content
    first = load_workbook(io.BytesIO(xlsx))["Scores"]["A2"]
    assert first.data_type == "s" and first.value.startswith("'=")
    rows = list(csv.reader(io.StringIO(text)))
    rows[1][3] = "Low"
    file = SimpleUploadedFile("x.csv", sheet_text(rows[1:2], rows[0]).encode())
    response = client.post(reverse("workshops:sheet_upload", kwargs=ARGS), {"file": file})
    assert response.status_code == 302
    assert RiskFactorScore.objects.get().risk.name == "-1+1"


def test_uploading_a_good_sheet_imports_it_and_says_so(client, register, analyst):
    client.force_login(analyst)
    response = _upload(client, scored_risk_rows())
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Imported sheet.csv" in page and "2 organisation submissions" in page
    assert Submission.objects.count() == 2


def test_uploading_a_bad_sheet_lists_each_problem_with_row_and_column(client, register, analyst):
    client.force_login(analyst)
    before = row_counts()
    rows = [
        *scored_risk_rows(),
        ("Domestic abuse", "Stalking", "Trend", "Rising", "", ""),
        ("Acquisitive crime", "Burglary", "Trend", "Soaring", "", ""),
    ]
    response = _upload(client, rows)
    assert response.status_code == 400
    page = response.content.decode()
    assert "was not imported: 2 problems" in page
    assert "<td>14</td><td>risk</td>" in page and "<td>15</td><td>level</td>" in page
    assert "no risk &#x27;Stalking&#x27;" in page
    assert row_counts() == before


def test_uploading_to_a_published_assessment_is_refused(client, register, analyst, assessment):
    assessment.status = AssessmentStatus.PUBLISHED
    assessment.save()
    client.force_login(analyst)
    response = _upload(client, scored_risk_rows())
    assert response.status_code == 400
    assert "published and can no longer be changed" in response.content.decode()
    assert RiskFactorScore.objects.count() == 0


def test_an_upload_over_the_size_limit_is_refused(client, register, analyst, settings):
    settings.UPLOAD_MAX_MB = 1
    client.force_login(analyst)
    big = SimpleUploadedFile("big.csv", b"theme,risk\n" + b"x" * (1024 * 1024 + 1))
    response = client.post(reverse("workshops:sheet_upload", kwargs=ARGS), {"file": big})
    assert response.status_code == 400
    assert "larger than the 1 MB limit" in response.content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_downloaded_cells_starting_with_a_tab_or_cr_still_import(client, assessment, analyst, fmt):
    theme = ThemeFactory(assessment=assessment, name="\tTabbed theme")
    RiskFactory(theme=theme, name="\rCarriage return")
    client.force_login(analyst)
    content = client.get(reverse(f"workshops:sheet_{fmt}", kwargs=ARGS)).content
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        rows[1][3] = "Low"
        upload = SimpleUploadedFile("x.csv", sheet_text(rows[1:2], rows[0]).encode())
    else:
        workbook = load_workbook(io.BytesIO(content))
        rows = [list(r) for r in workbook["Scores"].iter_rows(values_only=True)]
        workbook["Scores"]["D2"] = "Low"
        buffer = io.BytesIO()
        workbook.save(buffer)
        upload = SimpleUploadedFile("x.xlsx", buffer.getvalue())
    # XLSX is XML, whose parsers read a CR back as LF.
    cr = "\r" if fmt == "csv" else "\n"
    assert rows[1][:2] == ["'\tTabbed theme", f"'{cr}Carriage return"]
    response = client.post(reverse("workshops:sheet_upload", kwargs=ARGS), {"file": upload})
    assert response.status_code == 302
    assert RiskFactorScore.objects.get().risk.name == "\rCarriage return"

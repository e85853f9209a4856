"""`manage.py import_scores`: exit 0 with a summary, or non-zero naming file, row and column."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.models import AssessmentStatus, RiskFactorScore, ScoreChange
from tests.sheets_helpers import make_register, row_counts, scored_risk_rows, write_sheet

pytestmark = pytest.mark.django_db


def _run(path, user="asha_analyst"):
    out = io.StringIO()
    call_command(
        "import_scores",
        str(path),
        partnership="plymouth",
        period="2019/20",
        user=user,
        stdout=out,
    )
    return out.getvalue()


@pytest.fixture
def register(assessment, police, council, analyst):
    return make_register(assessment)


def test_every_change_an_imported_sheet_makes_names_the_analyst_who_imported_it(
    register, analyst, facilitator, tmp_path, client
):
    _run(write_sheet(tmp_path, scored_risk_rows()))
    changes = ScoreChange.objects.all()
    assert changes.count() == 12
    assert {change.changed_by for change in changes} == {analyst}
    client.force_login(facilitator)
    page = client.get("/p/plymouth/2019-20/audit/").content.decode()
    assert page.count(analyst.get_full_name() or analyst.username) >= 12


def test_importing_scores_without_naming_who_is_refused(register, tmp_path):
    with pytest.raises(CommandError, match="--user"):
        call_command(
            "import_scores",
            str(write_sheet(tmp_path, scored_risk_rows())),
            partnership="plymouth",
            period="2019/20",
        )
    assert not ScoreChange.objects.exists()


@pytest.mark.parametrize(
    ("username", "words"),
    [("nobody", "no active user 'nobody'"), ("pat_partner", "may not import scores")],
)
def test_importing_as_an_unknown_user_or_a_partner_is_refused(
    register, police_partner, tmp_path, username, words
):
    police_partner.username = "pat_partner"
    police_partner.save()
    with pytest.raises(CommandError, match=words):
        _run(write_sheet(tmp_path, scored_risk_rows()), user=username)
    assert not ScoreChange.objects.exists()


def test_import_scores_reports_what_it_imported(register, tmp_path):
    output = _run(write_sheet(tmp_path, scored_risk_rows()))
    assert "6 analyst pre-scores, 4 agreed values, 2 organisation submissions" in output
    assert RiskFactorScore.objects.count() == 10


def test_import_scores_names_the_new_workshop_and_then_the_existing_one(register, tmp_path):
    sheet = write_sheet(tmp_path, scored_risk_rows())
    assert "; submissions are in a new workshop “Offline scoring”." in _run(sheet)
    assert "; submissions are in the workshop “Offline scoring”." in _run(sheet)


def test_import_scores_counts_the_rows_skipped_for_a_blank_level(register, tmp_path):
    blank = [("Domestic abuse", "Domestic abuse", "Cost to respond", "", "", "")]
    blank.append(("Acquisitive crime", "Burglary", "Trend", "", "", ""))
    output = _run(write_sheet(tmp_path, scored_risk_rows() + blank))
    assert "12 rows imported" in output and "2 rows with no level skipped" in output


@pytest.mark.parametrize(
    ("bad_row", "column", "words"),
    [
        (("Domestic abuse", "Stalking", "Trend", "Rising", "", ""), "risk", "no risk 'Stalking'"),
        (("Domestic abuse", "Burglary", "Trend", "Up", "", ""), "risk", "no risk 'Burglary'"),
        (("Acquisitive crime", "Burglary", "Trend", "Up", "", ""), "level", "'Up' is not"),
        (
            ("Domestic abuse", "Domestic abuse", "Trend", "Rising", "ACME", ""),
            "organisation",
            "no organisation 'ACME'",
        ),
    ],
)
def test_a_bad_row_fails_naming_file_row_and_column_and_writes_nothing(
    register, tmp_path, bad_row, column, words
):
    path = write_sheet(tmp_path, [*scored_risk_rows(), bad_row])
    before = row_counts()
    with pytest.raises(CommandError) as error:
        _run(path)
    message = str(error.value)
    assert str(path) in message
    assert f"row 14, column '{column}'" in message
    assert words in message
    assert row_counts() == before


def test_every_bad_row_is_named_in_one_failure(register, tmp_path):
    rows = [
        *scored_risk_rows(),
        ("Domestic abuse", "Stalking", "Trend", "Rising", "", ""),
        ("Acquisitive crime", "Burglary", "Trend", "Up", "", ""),
        ("Acquisitive crime", "Burglary", "Capacity", "Weak", "ACME", ""),
    ]
    with pytest.raises(CommandError) as error:
        _run(write_sheet(tmp_path, rows))
    message = str(error.value)
    assert "3 problems" in message
    for expected in ("row 14, column 'risk'", "row 15, column 'level'", "row 16, column 'org"):
        assert expected in message


def test_a_wrong_header_fails_naming_the_column(register, tmp_path):
    header = ["theme", "risk", "factor", "score", "organisation", "comment"]
    path = write_sheet(tmp_path, scored_risk_rows(), header=header)
    before = row_counts()
    with pytest.raises(CommandError) as error:
        _run(path)
    message = str(error.value)
    assert "row 1, column 'level'" in message and "missing" in message
    assert "row 1, column 'score'" in message
    assert row_counts() == before


def test_a_published_assessment_is_refused_clearly(register, assessment, tmp_path):
    assessment.status = AssessmentStatus.PUBLISHED
    assessment.save()
    before = row_counts()
    with pytest.raises(CommandError, match="published and can no longer be changed"):
        _run(write_sheet(tmp_path, scored_risk_rows()))
    assert row_counts() == before


def test_an_unknown_partnership_or_missing_file_is_an_error(register, tmp_path):
    with pytest.raises(CommandError, match="no 2019/20 assessment"):
        call_command(
            "import_scores",
            str(tmp_path / "x.csv"),
            partnership="nowhere",
            period="2019/20",
            user="asha_analyst",
        )
    with pytest.raises(CommandError, match="no such file"):
        _run(tmp_path / "missing.csv")


def test_an_xlsx_sheet_imports_like_a_csv_one(register, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["theme", "risk", "factor", "level", "organisation", "comment"])
    for row in scored_risk_rows():
        workbook.active.append(list(row))
    path = tmp_path / "sheet.xlsx"
    workbook.save(path)
    assert "2 organisation submissions" in _run(path)

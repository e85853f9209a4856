"""What each uploaded row means: names matched whatever their case, spacing or download
neutraliser, and every unknown name reported with its row and column."""

import pytest

from assessments.imports import ImportFailed
from assessments.models import RiskFactorScore
from tests.sheets_helpers import make_register, row_counts, scored_risk_rows, sheet_text
from workshops.sheet.apply import score_sheet_import

pytestmark = pytest.mark.django_db


def _import(assessment, rows, **kwargs):
    return score_sheet_import(
        assessment=assessment, data=sheet_text(rows).encode(), filename="sheet.csv", **kwargs
    )


def test_factor_keys_and_any_case_are_accepted(assessment):
    risks = make_register(assessment)
    _import(assessment, [("acquisitive  CRIME", "burglary", "capacity", "weak", "", "")])
    score = RiskFactorScore.objects.get(risk=risks["burglary"])
    assert (score.factor_key, score.level_label, score.kind) == ("capacity", "Weak", "agreed")


def test_every_bad_row_is_reported_and_nothing_is_written(assessment, police):
    make_register(assessment)
    rows = [
        *scored_risk_rows(),
        ("Domestic abuse", "Stalking", "Trend", "Rising", "", ""),
        ("Nope", "Burglary", "Trend", "Rising", "", ""),
        ("Acquisitive crime", "Burglary", "Trend", "Soaring", "", ""),
        ("Acquisitive crime", "Burglary", "Vibes", "High", "", ""),
        ("Acquisitive crime", "Burglary", "Capacity", "Weak", "Acme Ltd", ""),
    ]
    before = row_counts()
    with pytest.raises(ImportFailed) as failed:
        _import(assessment, rows)
    # The council is not an organisation of this partnership here (no `council` fixture).
    where = {(p.row, p.column) for p in failed.value.problems}
    assert where == {
        (13, "organisation"),
        (14, "risk"),
        (15, "theme"),
        (16, "level"),
        (17, "factor"),
        (18, "organisation"),
    }
    messages = {p.column: p.message for p in failed.value.problems}
    assert "Soaring" in messages["level"] and "Falling, Stable, Rising" in messages["level"]
    assert row_counts() == before
    assessment.refresh_from_db()
    assert assessment.scoring_spec is None

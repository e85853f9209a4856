"""The rows of a downloaded scoring sheet: every risk × factor, and when filled the analyst's
levels of harm and likelihood and the agreed levels of the rest."""

import pytest

from assessments.models import ScoreKind
from assessments.scoring import DEFAULT_MODEL
from assessments.services import factor_score_set
from tests.sheets_helpers import make_register
from workshops.sheet.write import sheet_rows

pytestmark = pytest.mark.django_db


def test_blank_sheet_has_every_risk_and_factor_with_no_levels(assessment):
    make_register(assessment)
    rows = sheet_rows(assessment, DEFAULT_MODEL, filled=False)
    assert len(rows) == 3 * len(DEFAULT_MODEL.factors)
    assert [r.risk for r in rows[:: len(DEFAULT_MODEL.factors)]] == [
        "Domestic homicide",
        "Domestic abuse",
        "Burglary",
    ]
    assert {r.level for r in rows} == {""}
    assert [r.factor for r in rows[: len(DEFAULT_MODEL.factors)]] == [
        f.name for f in DEFAULT_MODEL.factors
    ]


def test_filled_sheet_shows_analyst_levels_for_harm_and_agreed_levels_for_response(assessment):
    risks = make_register(assessment)
    factor_score_set(
        risk=risks["burglary"], factor_key="physical", kind=ScoreKind.ANALYST, level_label="Low"
    )
    factor_score_set(
        risk=risks["burglary"], factor_key="capacity", kind=ScoreKind.AGREED, level_label="Weak"
    )
    factor_score_set(  # an analyst's guess at a response factor is not what the sheet holds
        risk=risks["burglary"], factor_key="cost", kind=ScoreKind.ANALYST, level_label="Weak"
    )
    rows = {(r.risk, r.factor): r.level for r in sheet_rows(assessment, DEFAULT_MODEL, filled=True)}
    assert rows[("Burglary", "Physical harm to victims")] == "Low"
    assert rows[("Burglary", "Capacity")] == "Weak"
    assert rows[("Burglary", "Cost to respond")] == ""

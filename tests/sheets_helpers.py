"""Helpers shared by the scoring-sheet tests: a small register and sheets as CSV text."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from assessments.models import ImportRun, RiskFactorScore, ScoreChange
from tests.factories import RiskFactory, ThemeFactory
from workshops.models import RiskComment, Round, Submission, Workshop

HEADER = ["theme", "risk", "factor", "level", "organisation", "comment"]

# A risk scored by the analyst (harm, likelihood) and agreed (the rest), except capacity,
# which two organisations submit: Strong (1) and Limited (3) → median 2, divergent.
OWN_ROWS = [
    ("Physical harm to victims", "Substantial"),
    ("Psychological harm to victims", "Moderate"),
    ("Financial harm to victims", "Low"),
    ("Harm to the community", "Moderate"),
    ("Frequency and volume", "Frequent"),
    ("Trend", "Rising"),
    ("Confidence in the intelligence picture", "Medium"),
    ("Capability", "Adequate"),
    ("Cost to respond", "Limited"),
    ("Mitigation in place", "Adequate"),
]


def make_register(assessment):
    """Two themes, three risks."""
    abuse = ThemeFactory(assessment=assessment, name="Domestic abuse", order=1)
    crime = ThemeFactory(assessment=assessment, name="Acquisitive crime", order=2)
    return {
        "homicide": RiskFactory(theme=abuse, name="Domestic homicide", order=1),
        "abuse": RiskFactory(theme=abuse, name="Domestic abuse", order=2),
        "burglary": RiskFactory(theme=crime, name="Burglary", order=1),
    }


def sheet_text(rows, header=HEADER) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_sheet(tmp_path: Path, rows, header=HEADER, name="sheet.csv") -> Path:
    path = tmp_path / name
    path.write_text(sheet_text(rows, header), encoding="utf-8")
    return path


def scored_risk_rows(theme="Domestic abuse", risk="Domestic abuse"):
    """The divergent example: own rows plus two organisations' capacity."""
    rows = [(theme, risk, factor, level, "", "") for factor, level in OWN_ROWS]
    rows.append((theme, risk, "Capacity", "Strong", "Devon and Cornwall Police", "We cope."))
    rows.append((theme, risk, "Capacity", "Limited", "Plymouth City Council", "Stretched."))
    return rows


def row_counts() -> dict[str, int]:
    models = (RiskFactorScore, ScoreChange, Submission, RiskComment, Workshop, Round, ImportRun)
    return {model.__name__: model.objects.count() for model in models}

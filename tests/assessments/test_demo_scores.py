"""The Plymouth 2019/20 demo scores reproduce every rating the partnership published."""

import csv
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from assessments.scoring import DEFAULT_MODEL, compute_risk

REPO = Path(__file__).resolve().parents[2]  # tests/assessments/ → tests/ → repo
SCORES = REPO / "assessments" / "demo_data" / "plymouth-2019-20-scores.csv"
REGISTER = REPO / "assessments" / "demo_data" / "plymouth-2019-20-risk-register.csv"
COLUMNS = ["theme", "risk", "factor", "level", "organisation", "comment"]


def read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        pytest.fail(f"Missing {path}: the Plymouth 2019/20 demo data should be there.")
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def published() -> dict[tuple[str, str], str]:
    return {(r["theme"], r["risk"]): r["published_rating"] for r in read_csv(REGISTER)}


@pytest.fixture(scope="module")
def demo_values() -> dict[tuple[str, str], dict[str, Decimal]]:
    by_name = {f.name: f for f in DEFAULT_MODEL.factors}
    values: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(dict)
    for row in read_csv(SCORES):
        factor = by_name[row["factor"]]
        risk = values[(row["theme"], row["risk"])]
        assert factor.key not in risk, f"{row['risk']}: {factor.name} is scored twice"
        risk[factor.key] = factor.level(row["level"]).value
    return dict(values)


def test_demo_scores_file_has_the_agreed_columns_and_no_organisations():
    with SCORES.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    assert reader.fieldnames == COLUMNS
    assert all(row["organisation"] == "" for row in rows)


def test_demo_scores_every_published_risk_and_nothing_else(published, demo_values):
    assert len(published) == 30
    assert set(demo_values) == set(published)


def test_every_demo_risk_is_scored_on_every_factor(demo_values):
    for risk, values in demo_values.items():
        assert set(values) == {f.key for f in DEFAULT_MODEL.factors}, risk


def test_demo_harm_and_frequency_rows_carry_evidence_comments():
    for row in read_csv(SCORES):
        factor = next(f for f in DEFAULT_MODEL.factors if f.name == row["factor"])
        if factor.dimension == "harm" or factor.key == "frequency":
            assert row["comment"].strip(), (row["risk"], row["factor"])


def test_demo_scores_reproduce_every_published_rating(published, demo_values):
    wrong = {
        risk: (compute_risk(DEFAULT_MODEL, values).rating, published[risk])
        for risk, values in demo_values.items()
        if compute_risk(DEFAULT_MODEL, values).rating != published[risk]
    }
    assert wrong == {}, "(computed, published) ratings differ"

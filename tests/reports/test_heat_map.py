"""Heat-map placement: harm bands, likelihood columns and where each risk sits."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessments.scoring import DEFAULT_MODEL
from reports.document import risk_rows
from reports.heat_map import HARM_BANDS, cell_rating, harm_band


@pytest.mark.parametrize(
    ("harm", "band"), [(0, 0), (3, 0), (4, 1), (8, 2), (15, 2), (16, 3), (32, 4)]
)
def test_harm_bands_cover_zero_to_thirty_two(harm, band):
    assert harm_band(Decimal(harm)) == band


def test_harm_bands_are_contiguous():
    edges = [(low, high) for low, high, _ in HARM_BANDS]
    assert edges[0][0] == 0 and edges[-1][1] == 32
    assert all(a[1] + 1 == b[0] for a, b in zip(edges, edges[1:], strict=False))


def test_heat_map_cells_follow_the_models_thresholds():
    # Critical harm (midpoint 28) × likelihood 5 × 1.21 ≈ 169 → High; Minimal × 1 → Standard.
    assert cell_rating(DEFAULT_MODEL, 4, 4) == "High"
    assert cell_rating(DEFAULT_MODEL, 0, 0) == "Standard"
    assert cell_rating(DEFAULT_MODEL, 2, 2) == "Moderate"  # 11.5 × 3 × 1.21 ≈ 41.7


def test_rows_place_risks_by_harm_and_likelihood(scored):
    rows = {row.risk.name: row for row in risk_rows(scored)}
    assert rows["Domestic abuse"].grid == (3, 3)  # likelihood 4, harm 22
    assert rows["Burglary"].grid == (1, 1)  # likelihood 2, harm 4
    assert rows["Domestic abuse"].cells[1].word == "Frequent, rising"

"""The heat map: harm bands by likelihood, with every scored risk placed in its cell."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from assessments.display import rating_grid
from assessments.scoring import RiskResult, ScoringModelSpec, level_label_for, rating_for

# Harm is the sum of four factors scored 0, 1, 2, 4 or 8, so 0–32. The bands follow the
# doubling of the levels: a band's lower edge is what one factor at that level, or two at the
# level below, contributes.
HARM_BANDS: tuple[tuple[int, int, str], ...] = (
    (0, 3, "Minimal"),
    (4, 7, "Low"),
    (8, 15, "Moderate"),
    (16, 23, "Substantial"),
    (24, 32, "Critical"),
)
# The heat map colours each cell with the rating a risk in the middle of that harm band would
# get at that likelihood, with medium confidence (×1.1) and a response between Adequate and
# Limited (×1.1): a typical risk. Each risk's own rating uses its own multipliers.
REPRESENTATIVE_MULTIPLIER = Decimal("1.1") * Decimal("1.1")


def whole(value: Decimal) -> int:
    """A value rounded half up to a whole number, as the grid places it."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def harm_band(harm: Decimal) -> int:
    """Index into HARM_BANDS for a harm value (rounded to a whole number first)."""
    value = whole(harm)
    for index, (_, high, _) in enumerate(HARM_BANDS):
        if value <= high:
            return index
    return len(HARM_BANDS) - 1


def harm_band_labels() -> list[str]:
    return [f"{word} ({low}–{high})" for low, high, word in HARM_BANDS]


def likelihood_levels(spec: ScoringModelSpec) -> list[int]:
    return list(range(whole(spec.likelihood_min), whole(spec.likelihood_max) + 1))


def likelihood_labels(spec: ScoringModelSpec) -> list[str]:
    """'1 Rare' … from the frequency factor where it has a level of that value."""
    frequency = next(iter(spec.factors_for("likelihood")), None)
    labels = []
    for value in likelihood_levels(spec):
        word = level_label_for(frequency, Decimal(value)) if frequency else None
        labels.append(f"{value} {word}" if word and "–" not in word else str(value))
    return labels


def cell_rating(spec: ScoringModelSpec, x: int, y: int) -> str:
    """The heat map colour of a cell: see REPRESENTATIVE_MULTIPLIER."""
    low, high, _ = HARM_BANDS[y]
    midpoint = Decimal(low + high) / 2
    likelihood = Decimal(likelihood_levels(spec)[x])
    return rating_for(spec, midpoint * likelihood * REPRESENTATIVE_MULTIPLIER)


def grid_position(spec: ScoringModelSpec, result: RiskResult) -> tuple[int, int] | None:
    """(likelihood column, harm band row) of a risk, or None until both are scored."""
    if result.harm is None or result.likelihood is None:
        return None
    levels = likelihood_levels(spec)
    x = min(max(whole(result.likelihood), levels[0]), levels[-1]) - levels[0]
    return x, harm_band(result.harm)


def heat_map_svg(spec: ScoringModelSpec, risks: list[dict[str, Any]], *, chart_id: str) -> str:
    """The harm-by-likelihood grid with every scored risk placed on it."""
    cells: dict[tuple[int, int], list[str]] = {}
    for risk in risks:
        if risk["grid"] is not None:
            cells.setdefault(tuple(risk["grid"]), []).append(risk["name"])
    return rating_grid.heat_map(
        cells,
        x_levels=likelihood_labels(spec),
        y_levels=harm_band_labels(),
        title="Risks by harm and likelihood",
        cell_rating=lambda x, y: cell_rating(spec, x, y),
        chart_id=chart_id,
    )

"""The heat map: where each risk sits by harm and likelihood, shown with its own rating.

The map rates nothing itself. A risk's rating is its workshop outcome's (scored by
`assessments/scoring.py`), and the axes come from the assessment's frozen model: the harm
scale runs from the harm factors' lowest levels summed to their highest summed, split into
five bands; the likelihood columns run from the model's minimum to its maximum. An edited
model therefore draws its own, true, axes. The report document keeps the axes it was drawn
with (`document_part`), so a published map never moves.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any

from assessments.display import rating_grid
from assessments.scoring import RiskResult, ScoringModelSpec, level_label_for

TITLE = "Risks by harm and likelihood"
BAND_WORDS = ("Minimal", "Low", "Moderate", "Substantial", "Critical")
# Each band's lower edge as a share of the harm scale. On the default scale, 0–32 (four
# factors of 0, 1, 2, 4 or 8), they fall at 0, 4, 8, 16 and 24: what one factor at
# Substantial, one at Critical, two at Critical and three at Critical contribute.
BAND_EDGES = ((0, 1), (1, 8), (1, 4), (1, 2), (3, 4))
# More whole likelihood values than this are grouped into ranges, so the grid stays readable
# (and bounded) whatever maximum a model sets.
MAX_COLUMNS = 10


def whole(value: Decimal) -> int:
    """A value rounded half up to a whole number, as the grid places it."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


@dataclass(frozen=True)
class HarmBand:
    """A row of the map: harm from `low` to `high` (both included, in the scale's steps)."""

    word: str
    low: Decimal
    high: Decimal

    @property
    def range_text(self) -> str:
        if self.low == self.high:
            return _plain(self.low)
        return f"{_plain(self.low)}–{_plain(self.high)}"

    @property
    def label(self) -> str:
        return f"{self.word} ({self.range_text})"


@dataclass(frozen=True)
class Column:
    """A column of the map: whole likelihood values from `low` to `high`."""

    low: int
    high: int
    label: str


@dataclass(frozen=True)
class Axes:
    """The map's rows (harm bands, bottom up) and columns (likelihood, left to right)."""

    harm: tuple[HarmBand, ...]
    likelihood: tuple[Column, ...]
    harm_step: Decimal

    def row(self, harm: Decimal) -> int:
        """The band a harm value falls in, rounded half up to the scale's step first."""
        value = harm.quantize(self.harm_step, rounding=ROUND_HALF_UP)
        return max([0] + [i for i, band in enumerate(self.harm) if band.low <= value])

    def column(self, likelihood: Decimal) -> int:
        """The column of a likelihood, rounded half up to a whole number."""
        first, last = self.likelihood[0].low, self.likelihood[-1].high
        value = min(max(whole(likelihood), first), last)
        return next(i for i, column in enumerate(self.likelihood) if value <= column.high)

    @property
    def harm_scale_text(self) -> str:
        return f"{_plain(self.harm[0].low)}–{_plain(self.harm[-1].high)}"

    def position(self, result: RiskResult) -> tuple[int, int] | None:
        """(column, row) of a risk, or None until both its harm and likelihood are scored."""
        if result.harm is None or result.likelihood is None:
            return None
        return self.column(result.likelihood), self.row(result.harm)


def _harm_scale(spec: ScoringModelSpec) -> tuple[Decimal, Decimal, Decimal]:
    """(lowest, highest, step) of harm: the harm factors' lowest and highest levels summed,
    and the finest step their values take (1 for whole numbers, 0.5 → 0.1, …)."""
    factors = [f for f in spec.factors_for("harm") if f.levels]
    low = sum((min(lv.value for lv in f.levels) for f in factors), Decimal(0))
    high = sum((max(lv.value for lv in f.levels) for f in factors), Decimal(0))
    places = [
        -lv.value.normalize().as_tuple().exponent
        for f in factors
        for lv in f.levels
        if isinstance(lv.value.normalize().as_tuple().exponent, int)
    ]
    return low, high, Decimal(1).scaleb(-max([0, *places]))


def harm_bands(spec: ScoringModelSpec) -> tuple[tuple[HarmBand, ...], Decimal]:
    """The model's harm scale split at BAND_EDGES; a band too narrow to hold a step is left
    out (a short scale has fewer bands)."""
    low, high, step = _harm_scale(spec)
    lows = [
        (low + (high - low) * num / den).quantize(step, rounding=ROUND_CEILING)
        for num, den in BAND_EDGES
    ]
    bands = []
    for index, (word, start) in enumerate(zip(BAND_WORDS, lows, strict=True)):
        end = lows[index + 1] - step if index + 1 < len(lows) else high
        if start <= end:
            bands.append(HarmBand(word, start, end))
    return tuple(bands) or (HarmBand(BAND_WORDS[0], low, high),), step


def likelihood_columns(spec: ScoringModelSpec) -> tuple[Column, ...]:
    """Whole values from the model's minimum to its maximum: '1 Rare' … where the first
    likelihood factor has a level of that value; ranges ('1–3') when there are many."""
    first, last = whole(spec.likelihood_min), whole(spec.likelihood_max)
    count = last - first + 1
    width = -(-count // MAX_COLUMNS)  # ceiling division
    if width > 1:
        return tuple(
            Column(start, min(start + width - 1, last), f"{start}–{min(start + width - 1, last)}")
            for start in range(first, last + 1, width)
        )
    factors = tuple(spec.factors_for("likelihood"))
    columns = []
    for value in range(first, last + 1):
        word = _likelihood_word(factors, Decimal(value))
        columns.append(Column(value, value, f"{value} {word}" if word else str(value)))
    return tuple(columns)


def _likelihood_word(factors: tuple, value: Decimal) -> str | None:
    """A column's name from the first likelihood factor (frequency): its level ('Constant'), the
    two levels it lies between, or past its top the top with the level of the next factor that
    makes up the rest ('Constant, rising'); every axis value has a name (WCAG 1.1.1)."""
    if not factors or not factors[0].levels:
        return None
    frequency, others = factors[0], factors[1:]
    word = level_label_for(frequency, value)
    if word:
        return word
    top, bottom = frequency.levels[-1], frequency.levels[0]
    edge = top if value > top.value else bottom
    for other in others:
        rest = level_label_for(other, value - edge.value)
        if rest and "–" not in rest:
            return f"{edge.label}, {rest.lower()}"
    return f"{'beyond' if edge is top else 'below'} {edge.label.lower()}".capitalize()


def axes_for(spec: ScoringModelSpec) -> Axes:
    """The map's axes for a scoring model."""
    bands, step = harm_bands(spec)
    return Axes(bands, likelihood_columns(spec), step)


def document_part(axes: Axes) -> dict[str, Any]:
    """The axes as the report document keeps them (decimals as exact text)."""
    return {
        "harm": [{"word": b.word, "low": str(b.low), "high": str(b.high)} for b in axes.harm],
        "harm_step": str(axes.harm_step),
        "likelihood": [{"low": c.low, "high": c.high, "label": c.label} for c in axes.likelihood],
    }


def axes_from_document(part: dict[str, Any]) -> Axes:
    """The axes a report document was drawn with."""
    return Axes(
        tuple(HarmBand(b["word"], Decimal(b["low"]), Decimal(b["high"])) for b in part["harm"]),
        tuple(Column(c["low"], c["high"], c["label"]) for c in part["likelihood"]),
        Decimal(part["harm_step"]),
    )


def _frozen_position(axes: Axes, risk: dict[str, Any]) -> tuple[int, int] | None:
    """Where a risk of a document older than schema 3 sits: its grid was counted against
    fixed bands, so it is placed again from the harm and likelihood its cells kept."""
    if risk["grid"] is None:
        return None
    harm, likelihood = (cell["value"] for cell in risk["cells"][:2])
    return axes.column(Decimal(likelihood)), axes.row(Decimal(harm))


def document_axes(document: dict[str, Any]) -> tuple[Axes, bool]:
    """A document's axes, and whether its risks' grid positions were counted against them."""
    if "heat_map" in document:
        return axes_from_document(document["heat_map"]), True
    return axes_for(ScoringModelSpec.from_dict(document["model"])), False


def heat_map_svg(document: dict[str, Any], *, chart_id: str) -> str:
    """The harm-by-likelihood grid of a report document, each risk under its own rating."""
    axes, counted = document_axes(document)
    cells: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for risk in document["risks"]:
        grid = risk["grid"] if counted else _frozen_position(axes, risk)
        if grid is not None:
            cells.setdefault(tuple(grid), []).append((risk["name"], risk["rating"]))
    return rating_grid.heat_map(
        cells,
        x_levels=[column.label for column in axes.likelihood],
        y_levels=[band.label for band in axes.harm],
        title=TITLE,
        chart_id=chart_id,
    )

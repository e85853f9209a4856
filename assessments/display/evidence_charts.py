"""The evidence's three charts, built once for the evidence page and the report alike.

Callers pass plain values (the evidence page from `assessments.evidence`, the report from its
frozen document), so the same figures always draw the same chart with the same title.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from assessments.display.bars import bar_chart_horizontal, diverging_bar_chart
from assessments.display.lines import line_chart, line_chart_summary
from assessments.display.numbers import Value

# The seed names the five neighbourhoods with the highest rates; the chart highlights them
# (only when there are more than five, or the highlight would mean nothing).
TOP_NEIGHBOURHOODS = 5
TREND_TITLE = "All recorded crime by year"
TREND_LABEL = "Crimes"

# (rank, name, crimes, rate per 1,000 or None), ranked as the evidence ranks them.
Neighbourhood = tuple[int | None, str, int | None, Value | None]


def neighbourhood_chart(
    ranking: Sequence[Neighbourhood], *, has_rates: bool, period: str, chart_id: str | None = None
) -> str:
    """Crime by neighbourhood: ranked by rate, or by count when there are no populations."""
    rated = [n for n in ranking if n[3] is not None]
    if has_rates:
        bars = [(f"{rank}. {name}", rate) for rank, name, _, rate in rated]
        unit, what = "crimes per 1,000 residents", "Crime rate"
    else:  # no populations yet: show the counts, largest first, rather than nothing
        bars = [(name, count) for _, name, count, _ in ranking]
        unit, what = "crimes", "Crimes"
    top = rated[:TOP_NEIGHBOURHOODS] if len(rated) > TOP_NEIGHBOURHOODS else []
    return bar_chart_horizontal(
        bars,
        title=f"{what} by neighbourhood, {period}",
        unit_label=unit,
        highlight={f"{rank}. {name}" for rank, name, _, _ in top},
        chart_id=chart_id,
    )


def seasonal_chart(
    months: Sequence[tuple[str, str, Value | None]],
    *,
    average_label: str,
    period: str,
    chart_id: str | None = None,
) -> str:
    """Each month (label "Apr", month "2019-04", % against its average) above or below it."""
    return diverging_bar_chart(
        [(f"{label} {month[:4]}", pct) for label, month, pct in months],
        title=f"Crime each month against its {average_label}, {period}",
        chart_id=chart_id,
    )


def trend_chart(
    trend: Sequence[tuple[str, int | None]],
    *,
    part_years: Mapping[str, str],
    chart_id: str | None = None,
) -> str:
    """All recorded crime per period; gaps break the line and part years stand apart."""
    return line_chart(
        trend, title=TREND_TITLE, y_label=TREND_LABEL, chart_id=chart_id, part_years=part_years
    )


def trend_summary(trend: Sequence[tuple[str, int | None]], part_years: Mapping[str, str]) -> str:
    """The trend chart in words, naming its gaps and part years."""
    text = line_chart_summary(trend, y_label=TREND_LABEL)
    missing = [period for period, count in trend if count is None]
    if missing:
        text += f" No figure for {', '.join(missing)}: the line breaks there."
    for period, note in part_years.items():
        text += f" {period} covers only {note}, so it is not joined to the line."
    return text

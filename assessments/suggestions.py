"""Suggested frequency and trend levels for a risk from its linked indicators (pure, no Django).

Frequency compares the risk's volume (the sum of its linked count indicators this period) with
every count indicator of the period except totals such as All crime, split into as many bands
as the factor has levels (quartiles for Rare / Occasional / Frequent / Constant). Trend
compares the summed counts with the previous period: above +5% is the top level (Rising),
below −5% the bottom level (Falling), otherwise the level worth 0 (Stable). Each suggestion
says why.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from assessments.scoring import Factor
from assessments.statistics import is_full_year

TREND_BAND = Decimal(5)
# "All crime", "All recorded crime", "Total recorded crime", "All crime excluding fraud"…, but
# not "All other theft offences", a category of its own.
TOTAL_NAME = re.compile(r"(all|total)\s+(recorded\s+|notifiable\s+)?(crimes?|offences)\b", re.I)


@dataclass(frozen=True)
class LinkedFigure:
    """One linked count indicator's value this period and last (None where unknown)."""

    name: str
    count: Decimal | None
    previous: Decimal | None
    # Months each count covers, when counted from records (None or 12: the whole year).
    months: int | None = None
    previous_months: int | None = None

    @property
    def comparable(self) -> bool:
        return is_full_year(self.months) and is_full_year(self.previous_months)


@dataclass(frozen=True)
class Suggestion:
    """A suggested level (None when there is nothing to go on) and the reason, in words."""

    factor_key: str
    level_label: str | None
    reason: str


def _num(d: Decimal) -> str:
    """A count with thousands separators and no needless decimals: 4,882."""
    d = d.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP).normalize()
    return f"{d:,f}" if d != d.to_integral_value() else f"{int(d):,}"


def _pct(d: Decimal) -> str:
    return str(d.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP).copy_abs())


def quantile_cuts(values: Sequence[Decimal], bands: int) -> list[Decimal]:
    """The bands − 1 cut points splitting `values` into equal bands (linear interpolation)."""
    ordered = sorted(values)
    cuts = []
    for i in range(1, bands):
        position = Decimal(len(ordered) - 1) * i / bands
        low = int(position)
        high = min(low + 1, len(ordered) - 1)
        cuts.append(ordered[low] + (ordered[high] - ordered[low]) * (position - low))
    return cuts


def _counted(linked: Sequence[LinkedFigure]) -> list[LinkedFigure]:
    return [f for f in linked if f.count is not None]


def is_total(name: str) -> bool:
    """Whether an indicator is a total of others ("All crime", "Total recorded crime"), which
    would skew a comparison of volumes: it is far above every category it sums."""
    return bool(TOTAL_NAME.match(name.strip()))


def suggest_frequency(
    factor: Factor,
    linked: Sequence[LinkedFigure],
    period_counts: Mapping[str, Decimal],
    period: str,
) -> Suggestion:
    """Suggest a frequency level from the linked volume against the period's other counts
    (indicator name → count; totals such as All crime are left out of the comparison)."""
    figures = _counted(linked)
    if not linked:
        return Suggestion(factor.key, None, "No indicators are linked to this risk.")
    if not figures:
        return Suggestion(factor.key, None, f"The linked indicators have no count for {period}.")
    totals = sorted(name for name in period_counts if is_total(name))
    counts = [count for name, count in period_counts.items() if not is_total(name)]
    if len(counts) < 2:
        return Suggestion(
            factor.key, None, f"Too few count indicators in {period} to compare volumes."
        )
    volume = sum((f.count for f in figures), Decimal(0))
    bands = len(factor.levels)
    cuts = quantile_cuts(counts, bands)
    band = sum(1 for cut in cuts if volume >= cut)
    level = factor.levels[band]
    if len(figures) > 1:
        linked_text = " + ".join(f"{f.name} {_num(f.count)}" for f in figures)
        linked_text += f" = {_num(volume)} in {period}"
    else:
        linked_text = f"{figures[0].name}: {_num(volume)} in {period}"
    left_out = ""
    if totals:
        what = "a total" if len(totals) == 1 else "totals"
        left_out = f" (leaving out {_and(totals)}, {what} of the others)"
    cuts_text = _and([_num(cut) for cut in cuts])
    name = _band_name(bands)
    if band == bands - 1:
        place = f"at or above {_num(cuts[-1])}, in the top {name}"
    elif band == 0:
        place = f"below {_num(cuts[0])}, in the bottom {name}"
    else:
        place = (
            f"from {_num(cuts[band - 1])} up to {_num(cuts[band])}, "
            f"in the {_ordinal(band + 1)} {name} from the bottom"
        )
    return Suggestion(
        factor.key,
        level.label,
        f"{linked_text}. The {len(counts)} count indicators for {period}{left_out} split into "
        f"{_band_plural(bands)} at {cuts_text}; {_num(volume)} is {place}: {level.label}.",
    )


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _ordinal(n: int) -> str:
    words = {2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh"}
    return words.get(n, f"{n}th")


def _band_name(bands: int) -> str:
    return {2: "half", 3: "third", 4: "quarter", 5: "fifth"}.get(bands, "band")


def _band_plural(bands: int) -> str:
    return {2: "halves", 3: "thirds", 4: "quarters", 5: "fifths"}.get(bands, f"{bands} bands")


def suggest_trend(
    factor: Factor, linked: Sequence[LinkedFigure], period: str, previous_period: str
) -> Suggestion:
    """Suggest a trend level from the % change of the summed linked counts."""
    if not linked:
        return Suggestion(factor.key, None, "No indicators are linked to this risk.")
    known = [f for f in linked if f.count is not None and f.previous is not None]
    figures = [f for f in known if f.comparable]
    if not figures:
        if known:
            return Suggestion(
                factor.key,
                None,
                f"The linked indicators' counts for {previous_period} or {period} cover only "
                "part of a year, so they are not compared.",
            )
        return Suggestion(
            factor.key,
            None,
            f"The linked indicators lack counts for both {previous_period} and {period}.",
        )
    now = sum((f.count for f in figures), Decimal(0))
    before = sum((f.previous for f in figures), Decimal(0))
    if before == 0:
        return Suggestion(
            factor.key, None, f"No count in {previous_period} to compare {period} with."
        )
    change = (now - before) * 100 / before
    if change > TREND_BAND:
        level = factor.levels[-1]
    elif change < -TREND_BAND:
        level = factor.levels[0]
    else:
        level = (
            next((lv for lv in factor.levels if lv.value == 0), None)
            or factor.levels[len(factor.levels) // 2]
        )
    direction = "up" if change > 0 else "down" if change < 0 else "level"
    names = ", ".join(f.name for f in figures)
    pct = f"{_pct(change)}% {direction} on" if direction != "level" else "level with"
    return Suggestion(
        factor.key,
        level.label,
        f"{names}: {_num(now)} in {period}, {pct} {previous_period} ({_num(before)}): "
        f"{level.label}.",
    )

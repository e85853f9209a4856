"""Live figures in narrative: `[[Rape]]` or `[[Rape: % change]]` becomes the evidence's number.

Analysts write key statistics once; the figures follow the data until the assessment is
published, when the report document freezes the text with its numbers in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from assessments.display.numbers import MISSING_END, MISSING_START, format_number
from assessments.evidence import IndicatorRow

TOKEN = re.compile(r"\[\[([^\[\]]+)\]\]")

# What may follow the colon, and what it shows. Without a field a count shows its count and
# any other statistic its value.
FIELDS: dict[str, str] = {
    "count": "this period's count",
    "previous": "last period's count",
    "change": "the change in number, signed (+58, −602)",
    "% change": "the percentage change without its sign (17.2%)",
    "direction": "increase, decrease or no change",
    "rate": "the rate per 1,000 residents (per 1,000 households for a category counted so)",
    "msg rate": "the most similar group's rate per 1,000, on the same basis",
    "value": "the value of a statistic that is not a count (rates, percentages)",
    "comparator": "the comparator's value (e.g. England's)",
}
PERIOD_TOKENS = ("period", "previous period")


def _parse(inner: str, known: Mapping[str, object] | set[str]) -> tuple[str, str]:
    """(name, field) of a token; names may hold colons ("Hate crime: racism share")."""
    inner = " ".join(inner.split())
    if inner.casefold() in known or inner.casefold() in PERIOD_TOKENS:
        return inner, ""
    name, colon, field = inner.rpartition(":")
    if not colon:
        return inner, ""
    return name.strip(), field.strip()


@dataclass(frozen=True)
class FigureProblem:
    token: str
    message: str


def _signed(value: int | Decimal) -> str:
    text = format_number(abs(value))
    return f"+{text}" if value > 0 else f"\u2212{text}" if value < 0 else text


def _field_value(row: IndicatorRow, field: str) -> str | None:
    figures = row.figures
    if field == "count":
        value = figures.count if figures.count is not None else row.value
        return None if value is None else format_number(value)
    if field == "previous":
        return None if figures.previous_count is None else format_number(figures.previous_count)
    if field == "change":
        return None if figures.change is None else _signed(figures.change)
    if field == "% change":
        return (
            None if figures.pct_change is None else f"{format_number(abs(figures.pct_change), 1)}%"
        )
    if field == "direction":
        if figures.change is None:
            return None
        return (
            "increase" if figures.change > 0 else "decrease" if figures.change < 0 else "no change"
        )
    if field == "rate":
        return None if figures.rate_per_1000 is None else format_number(figures.rate_per_1000, 1)
    if field == "msg rate":
        msg = figures.msg_rate_per_1000
        return None if msg is None else format_number(msg)
    if field == "value":
        return None if row.value is None else format_number(row.value)
    if field == "comparator":
        value = row.national_value if row.national_value is not None else row.regional_value
        return None if value is None else format_number(value)
    raise KeyError(field)


def _missing_words(name: str, field: str, period: str, previous: str) -> str:
    """What a reader is told in place of a figure the data does not have."""
    if field in ("change", "% change", "direction"):
        return f"change in {name} since {previous} not known yet"
    return {
        "count": f"no {period} figure for {name} yet",
        "value": f"no {period} figure for {name} yet",
        "previous": f"no {previous} figure for {name}",
        "rate": f"no {period} rate for {name} yet",
        "msg rate": f"no most similar group rate for {name}",
        "comparator": f"no comparator figure for {name}",
    }[field]


@dataclass(frozen=True)
class FigureGap:
    """A live figure the evidence has no value for, as typed and in a reader's words."""

    token: str
    words: str


def _figure(
    inner: str, rows: Mapping[str, IndicatorRow], known: Mapping[str, str]
) -> tuple[str, str, str | None] | None:
    """(statistic's name, field, its text or None when the data has none) of a token naming a
    known statistic and field; None for any other token."""
    name, field = _parse(inner, {*rows, *known})
    field = (field or "count").casefold()
    if field not in FIELDS:
        return None
    row = rows.get(name.casefold())
    if row is not None:
        return row.name, field, _field_value(row, field)
    # A statistic of the partnership with no value this period or last.
    return (known[name.casefold()], field, None) if name.casefold() in known else None


def figure_gaps(
    text: str,
    rows: Mapping[str, IndicatorRow],
    *,
    period: str,
    previous_period: str,
    known: Mapping[str, str] | None = None,
) -> list[FigureGap]:
    """Tokens in `text` naming a known statistic that has no value for this figure."""
    gaps = []
    for match in TOKEN.finditer(text or ""):
        found = _figure(match.group(1), rows, known or {})
        if found is not None and found[2] is None:
            words = _missing_words(found[0], found[1], period, previous_period)
            gaps.append(FigureGap(match.group(0), words))
    return gaps


def figure_problems(text: str, names: Iterable[str]) -> list[FigureProblem]:
    """Tokens in `text` naming no known indicator or field (checked when the narrative is saved)."""
    known = {name.casefold() for name in names}
    problems = []
    for match in TOKEN.finditer(text or ""):
        name, field = _parse(match.group(1), known)
        if not field and name.casefold() in PERIOD_TOKENS:
            continue
        if name.casefold() not in known:
            problems.append(FigureProblem(match.group(0), f"no statistic is called “{name}”"))
        elif field and field.casefold() not in FIELDS:
            problems.append(FigureProblem(match.group(0), f"“{field}” is not a figure"))
    return problems


def with_figures(
    text: str,
    rows: Mapping[str, IndicatorRow],
    *,
    period: str,
    previous_period: str,
    known: Mapping[str, str] | None = None,
) -> str:
    """`text` with every known token replaced by its figure, or by words saying which figure
    is not known (between MISSING_START and MISSING_END, flagged where it is shown).

    `rows` maps casefolded indicator names to their rows, `known` every statistic's casefolded
    name to its name (those without a row have no figure). Unknown tokens stay as typed, so a
    mistake shows on the page rather than vanishing.
    """
    if not text:
        return text
    # The marks are ours: typed ones would flag words that are not a missing figure.
    text = text.replace(MISSING_START, "").replace(MISSING_END, "")
    if "[[" not in text:
        return text

    def replace(match: re.Match) -> str:
        name, field = _parse(match.group(1), rows)
        field = field.casefold()
        if not field and name.casefold() == "period":
            return period
        if not field and name.casefold() == "previous period":
            return previous_period
        found = _figure(match.group(1), rows, known or {})
        if found is None:
            return match.group(0)
        display, field, value = found
        if value is None:
            words = _missing_words(display, field, period, previous_period)
            return f"{MISSING_START}({words}){MISSING_END}"
        return value

    return TOKEN.sub(replace, text)


def unfilled_figures(text: str, rows: Mapping[str, IndicatorRow]) -> list[str]:
    """Tokens in `text` naming a known statistic that has no figure this time (shown as '–')."""
    unfilled = []
    for match in TOKEN.finditer(text or ""):
        name, field = _parse(match.group(1), rows)
        row = rows.get(name.casefold())
        field = (field or "count").casefold()
        if row is not None and field in FIELDS and _field_value(row, field) is None:
            unfilled.append(match.group(0))
    return unfilled

"""Live figures in narrative: `[[Rape]]` or `[[Rape: % change]]` becomes the evidence's number.

Analysts write key statistics once; the figures follow the data until the assessment is
published, when the report document freezes the text with its numbers in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from assessments.display.numbers import format_number
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
    text: str, rows: Mapping[str, IndicatorRow], *, period: str, previous_period: str
) -> str:
    """`text` with every known token replaced by its figure ('–' when the data has none).

    `rows` maps casefolded indicator names to their rows. Unknown tokens stay as typed, so a
    mistake shows on the page rather than vanishing.
    """
    if not text or "[[" not in text:
        return text

    def replace(match: re.Match) -> str:
        name, field = _parse(match.group(1), rows)
        field = field.casefold()
        if not field and name.casefold() == "period":
            return period
        if not field and name.casefold() == "previous period":
            return previous_period
        row = rows.get(name.casefold())
        if row is None or (field and field not in FIELDS):
            return match.group(0)
        value = _field_value(row, field or "count")
        return "–" if value is None else value

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

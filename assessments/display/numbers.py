"""Numbers as the app and the report show them: thousands separators and a true minus sign.

Every page, chart, live figure and template filter formats through these functions, so a
number reads the same wherever it appears.
"""

from __future__ import annotations

from decimal import Decimal

from assessments.scoring import round1

Value = int | float | Decimal
MINUS = "\u2212"


def format_number(value: Value, places: int | None = None) -> str:
    """Format a number with thousands separators and a true minus sign."""
    if isinstance(value, Decimal):
        text = f"{abs(value):,f}" if places is None else f"{abs(value):,.{places}f}"
    elif isinstance(value, int):
        text = f"{abs(value):,}" if places is None else f"{abs(value):,.{places}f}"
    else:
        if places is None:
            places = 0 if float(value).is_integer() else 1
        text = f"{abs(value):,.{places}f}"
    negative = value < 0 and any(ch not in "0.," for ch in text)
    return f"{MINUS}{text}" if negative else text


# What every page and file shows for a figure the data does not have.
NOT_KNOWN = "\u2013"  # –


def _missing(value: object) -> bool:
    return value is None or value == ""


def number(value: Value | None, places: int | None = None) -> str:
    """23024 → '23,024'; Decimal('87.84'), 1 → '87.8'; None → '–' (not known)."""
    return NOT_KNOWN if _missing(value) else format_number(value, places)


def signed(value: Value | None, suffix: str = "") -> str:
    """+33 / −1,234.5 with a true minus sign; `suffix` follows ('%'); None → '–'."""
    if value is None:
        return NOT_KNOWN
    sign = "+" if value > 0 else MINUS if value < 0 else ""
    return f"{sign}{format_number(abs(value))}{suffix}"


def rate(value: Value | None) -> str:
    """A rate with at least one decimal, keeping any extra precision it was given (0.85)."""
    if value is None:
        return NOT_KNOWN
    exponent = Decimal(value).as_tuple().exponent
    places = max(1, -exponent) if isinstance(exponent, int) else 1
    return format_number(value, places)


def thousands(value: Value | None) -> str:
    """4882 → '4,882'; a Decimal with decimals keeps them, without padding zeros; None → '–'."""
    if _missing(value):
        return NOT_KNOWN
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return f"{value.normalize():,f}"
    return f"{int(value):,}"


def one_decimal(value: Value | None) -> str:
    """A score to one decimal place, halves up as the engine rounds; None → '–'."""
    if _missing(value):
        return NOT_KNOWN
    return str(round1(value if isinstance(value, Decimal) else Decimal(str(value))))


def plain_number(value: Value | None) -> str:
    """A level value as typed, without padding zeros or exponent: 1.250 → 1.25; None → '—'."""
    if value is None:
        return "\u2014"
    return format(Decimal(value).normalize(), "f").replace("-", MINUS, 1)


# Words standing for a figure the data lacks, in narrative (reports.figures.with_figures):
# `markdown_safe` shows what is between these marks flagged, never as "–".
MISSING_START, MISSING_END = "\u27e6", "\u27e7"

"""Numbers as the app and the report show them: thousands separators and a true minus sign.

Every page, chart, live figure and template filter formats through these functions, so a
number reads the same wherever it appears.
"""

from __future__ import annotations

from decimal import Decimal

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

"""Reading one cell: whole numbers, decimals and names, with messages for people."""

from __future__ import annotations

import re
from decimal import Decimal

_WHOLE = re.compile(r"^[+]?(\d{1,3}(?:,\d{3})+|\d+)$")
_DECIMAL = re.compile(r"^[+]?(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d+))?$")
_NEGATIVE = re.compile(r"^\s*[-\u2212]\s*\d")
_MAX_DIGITS = 15

NAME_LIMIT = 200


def whole_number(text: str, *, what: str, minimum: int, maximum: int) -> int:
    """`'23,024'` → 23024. Raises ValueError saying what is wrong, e.g. for negative counts."""
    cleaned = text.strip()
    if not cleaned:
        raise ValueError(f"the {what} is empty")
    if _NEGATIVE.match(cleaned):
        raise ValueError(f"{text!r} is negative; a {what} cannot be below {minimum:,}")
    match = _WHOLE.match(cleaned)
    if not match:
        raise ValueError(f"{text!r} is not a whole number")
    digits = match.group(1).replace(",", "")
    if len(digits.lstrip("0")) > _MAX_DIGITS:
        raise ValueError(f"{text!r} is too large for a {what} (at most {maximum:,})")
    value = int(digits)
    if value < minimum:
        raise ValueError(f"{text!r} is too small for a {what} (at least {minimum:,})")
    if value > maximum:
        raise ValueError(f"{text!r} is too large for a {what} (at most {maximum:,})")
    return value


def decimal_number(text: str, *, what: str, below: Decimal) -> Decimal | None:
    """A non-negative decimal below `below`, or None for an empty cell."""
    cleaned = text.strip()
    if not cleaned:
        return None
    if _NEGATIVE.match(cleaned):
        raise ValueError(f"{text!r} is negative; a {what} cannot be negative")
    match = _DECIMAL.match(cleaned)
    if not match or not (match.group(1) or match.group(2)):
        raise ValueError(f"{text!r} is not a number")
    whole = (match.group(1) or "0").replace(",", "")
    if len(whole.lstrip("0")) > _MAX_DIGITS or len(match.group(2) or "") > _MAX_DIGITS:
        raise ValueError(f"{text!r} is too large or too precise for a {what}")
    value = Decimal(f"{whole}.{match.group(2)}" if match.group(2) else whole)
    if value >= below:
        raise ValueError(f"{text!r} is too large for a {what} (it must be below {below:,})")
    return value


def name(text: str, *, what: str, limit: int = NAME_LIMIT, required: bool = True) -> str:
    """A stripped name: raises ValueError if it is empty (when required) or too long."""
    cleaned = " ".join(text.split())
    if required and not cleaned:
        raise ValueError(f"the {what} is empty")
    if len(cleaned) > limit:
        raise ValueError(f"the {what} is {len(cleaned):,} characters long; at most {limit:,}")
    return cleaned


def text_value(text: str, *, what: str, limit: int) -> str:
    """Free text (descriptions, comments): stripped, line breaks kept, length limited."""
    cleaned = text.strip()
    if len(cleaned) > limit:
        raise ValueError(f"the {what} is {len(cleaned):,} characters long; at most {limit:,}")
    return cleaned


def folded(text: str) -> str:
    """The form used to spot duplicates: case and spacing do not make two names different."""
    return " ".join(text.split()).casefold()

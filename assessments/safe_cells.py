"""Spreadsheet cells that never run as formulas, and the text they were made from.

One list of formula starts serves both ways: CSV/XLSX exports (`reports`) and downloaded
scoring sheets (`workshops.sheet`) neutralise with `safe_cell`; a sheet read back is matched
by `unneutralised`.
"""

from __future__ import annotations

from typing import Any

# A cell starting with one of these may be taken as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What `safe_cell` puts in front of such a cell.
NEUTRALISER = "'"
# A neutralised CR may be read back as LF: XLSX is XML, and XML parsers turn CR into LF.
_READ_BACK = (*FORMULA_STARTS, "\n")


def safe_cell(value: Any) -> Any:
    """Prefix text that could start a formula with an apostrophe; leave numbers and None alone."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return NEUTRALISER + value
    return value


def safe_row(values: list[Any] | tuple[Any, ...]) -> list[Any]:
    """`safe_cell` applied to every cell of a row."""
    return [safe_cell(value) for value in values]


def unneutralised(text: str) -> str:
    """`'=SUM(1)` → `=SUM(1)`: the text as it was before `safe_cell` neutralised it."""
    if text.startswith(NEUTRALISER) and text[1:].startswith(_READ_BACK):
        return text[1:]
    return text

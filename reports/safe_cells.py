"""Cells for CSV and XLSX files that spreadsheet programs will never run as formulas."""

from __future__ import annotations

from typing import Any

# A cell starting with one of these may be taken as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Prefix text that could start a formula with an apostrophe; leave numbers and None alone."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: list[Any] | tuple[Any, ...]) -> list[Any]:
    """`safe_cell` applied to every cell of a row."""
    return [safe_cell(value) for value in values]

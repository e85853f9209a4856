"""Spreadsheet cells that never run as formulas, and the text they were made from.

The one neutraliser of every cell the app writes to a CSV or XLSX file, following OWASP's
CSV injection guidance: text whose first character that counts could start a formula gets an
apostrophe in front, CSV fields are quoted (`CSV_QUOTING`) so a separator inside a cell never
starts a new one, and XLSX cells are written as text, never as formulas (`xlsx_value`). Numbers
stay numbers. A scoring sheet read back is matched by `unneutralised`.
"""

from __future__ import annotations

import csv
from typing import Any

# A cell starting with one of these may be taken as a formula (CSV/formula injection); the
# full-width forms too, which some spreadsheets fold into their ASCII twins. LF is guarded
# because XLSX, being XML, reads a CR back as LF: a neutralised CR must still read back.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
# Skipped before looking for a formula start: spaces, quotes and the separators (`,` `;`, and
# their full-width forms) a spreadsheet may split a cell at, so `;=1+1` is guarded too.
_LEADERS = " \u00a0\u3000\"',;，；"
# What `safe_cell` puts in front of such a cell.
NEUTRALISER = "'"
# Every CSV field that is not a number is quoted, as OWASP advises: `x;=1` stays one cell.
CSV_QUOTING = csv.QUOTE_NONNUMERIC


def could_start_formula(text: str) -> bool:
    """Whether a spreadsheet could read this text as a formula."""
    return text.lstrip(_LEADERS).startswith(FORMULA_STARTS)


def safe_cell(value: Any) -> Any:
    """Prefix text that could start a formula with an apostrophe; leave numbers and None alone."""
    if isinstance(value, str) and could_start_formula(value):
        return NEUTRALISER + value
    return value


def safe_row(values: list[Any] | tuple[Any, ...]) -> list[Any]:
    """`safe_cell` applied to every cell of a row."""
    return [safe_cell(value) for value in values]


def xlsx_value(cell, value: Any) -> None:
    """Set an openpyxl cell to the neutralised value, text always as text, never a formula."""
    cell.value = safe_cell(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"


def xlsx_append(sheet, values: list[Any] | tuple[Any, ...]) -> None:
    """Append a row of neutralised cells to an openpyxl worksheet, text as text."""
    sheet.append(safe_row(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def unneutralised(text: str) -> str:
    """`'=SUM(1)` → `=SUM(1)`: the text as it was before `safe_cell` neutralised it."""
    if not text.startswith(NEUTRALISER):
        return text
    # The apostrophe is a leader, so text that was guarded always reads back whole.
    return text[1:] if could_start_formula(text[1:]) else text

"""Checking a table's header, and reading its rows cell by cell with a problem for each bad cell.

Every per-kind parser (summary, population, …) loops over `table_rows`: the header checked by
`require_columns`, then a `RowReader` a row, then ImportFailed naming every problem found.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from typing import TypeVar

from .files import Table, column_letter
from .problems import Problems

T = TypeVar("T")


def cell(cells: Sequence[str], index: int | None) -> str:
    """The cell at `index`, or '' where the row is short or the column absent."""
    if index is None or index >= len(cells):
        return ""
    return cells[index]


def require_columns(
    table: Table,
    required: Sequence[str],
    optional: Sequence[str] = (),
    *,
    allow_extra: bool = False,
) -> dict[str, int]:
    """Check the header and return the index of each expected column that is present.

    Missing required columns, expected columns given twice and (unless `allow_extra`) unknown
    columns and values under no heading are reported together as ImportFailed."""
    problems = Problems(table.filename)
    expected = [*required, *optional]
    where: dict[str, list[int]] = {}
    for index, name in enumerate(table.header):
        if name:
            where.setdefault(name, []).append(index)
    row = table.header_row
    listing = ", ".join(repr(name) for name in table.raw_header if name) or "no names"

    for name, indexes in where.items():
        if len(indexes) > 1 and (name in expected or not allow_extra):
            letters = ", ".join(column_letter(index) for index in indexes)
            problems.add(row, name, f"the column appears {len(indexes)} times (columns {letters})")
    for name in required:
        if name not in where:
            problems.add(row, name, f"the required column is missing (the header has {listing})")
    if not allow_extra:
        expected_text = ", ".join(expected)
        for name, indexes in where.items():
            if name in expected:
                continue
            hint = difflib.get_close_matches(name, expected, n=1, cutoff=0.6)
            suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
            problems.add(
                row,
                table.raw_header[indexes[0]],
                f"unknown column (expected {expected_text}{suggestion})",
            )
        named = {index for indexes in where.values() for index in indexes}
        for number, cells in table.rows:
            for index, value in enumerate(cells):
                if index not in named and value.strip():
                    problems.add(
                        number,
                        column_letter(index),
                        f"the cell holds {_preview(value)} but its column has no heading",
                    )
    problems.raise_if_any()
    return {name: indexes[0] for name, indexes in where.items() if name in expected}


def _preview(value: str, limit: int = 40) -> str:
    value = value.strip()
    return repr(value if len(value) <= limit else value[:limit] + "…")


class RowReader:
    """Reads the cells of one row, turning each ValueError into a problem at row and column."""

    def __init__(
        self, problems: Problems, columns: Mapping[str, int], number: int, cells: list[str]
    ) -> None:
        self.problems = problems
        self.columns = columns
        self.number = number
        self.cells = cells
        self.ok = True

    def has(self, column: str) -> bool:
        """Whether the file has `column` (an optional one may be left out)."""
        return column in self.columns

    def raw(self, column: str) -> str:
        return cell(self.cells, self.columns.get(column))

    def get(self, column: str, parse: Callable[[str], T]) -> T | None:
        try:
            return parse(self.raw(column))
        except ValueError as error:
            self.problem(column, str(error))
            return None

    def problem(self, column: str | None, message: str) -> None:
        self.problems.add(self.number, column, message)
        self.ok = False


def check_unique(
    seen: dict[Hashable, int], key: Hashable, reader: RowReader, column: str, what: str
) -> None:
    """Report a row whose `key` an earlier row already had, naming both rows."""
    first = seen.setdefault(key, reader.number)
    if first != reader.number:
        reader.problem(column, f"{what} is already in row {first}; each may appear only once")


def table_rows(
    table: Table,
    required: Sequence[str],
    optional: Sequence[str] = (),
    *,
    allow_extra: bool = False,
) -> Iterator[RowReader]:
    """A RowReader for each data row, once the header has passed `require_columns`; after the
    last row, ImportFailed listing every problem the readers found, if there were any."""
    columns = require_columns(table, required, optional, allow_extra=allow_extra)
    problems = Problems(table.filename)
    for number, cells in table.rows:
        yield RowReader(problems, columns, number, cells)
    problems.raise_if_any()

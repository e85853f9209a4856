"""Checking a table's header, and reading its rows cell by cell with a problem for each bad cell.

Every per-kind parser (summary, population, …, the scoring sheet) loops over `table_rows`: the
header checked by `require_columns`, then a `RowReader` a row as the rows stream from the file
(checked for cells with no heading, or too long), then ImportFailed naming every problem found.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from typing import TypeVar

from .files import Table
from .limits import MAX_CELL_CHARS, MAX_ROWS
from .problems import Problems
from .rows import Row, column_letter

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
    columns are reported together as ImportFailed. Cells under no heading are the rows'
    problems (`table_rows`)."""
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
        #: columns whose cell was already refused (too long): not parsed again
        self.refused: set[int] = set()

    def has(self, column: str) -> bool:
        """Whether the file has `column` (an optional one may be left out)."""
        return column in self.columns

    def raw(self, column: str) -> str:
        return cell(self.cells, self.columns.get(column))

    def get(self, column: str, parse: Callable[[str], T]) -> T | None:
        if self.columns.get(column) in self.refused:
            return None
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
    max_rows: int = MAX_ROWS,
) -> Iterator[RowReader]:
    """A RowReader for each data row as it is read from the file, once the header has passed
    `require_columns`; after the last row, ImportFailed listing every problem found, if any.

    A filled cell past the header's last column, or (unless `allow_extra`) under a blank
    heading, is a problem, as is a cell longer than MAX_CELL_CHARS; more than `max_rows`
    rows refuse the file at the first row too many."""
    columns = require_columns(table, required, optional, allow_extra=allow_extra)
    names = {index: name for name, index in columns.items()}
    if allow_extra:
        unheaded: list[int] = []
    else:
        unheaded = [index for index, name in enumerate(table.header) if not name]
    problems = Problems(table.filename)
    for count, row in enumerate(table.rows, start=1):
        if count > max_rows:
            problems.add(
                row.number, None, f"the file has more than {max_rows:,} rows; at most {max_rows:,}"
            )
            problems.fail()
        reader = RowReader(problems, columns, row.number, row.cells)
        _check_cells(reader, row, unheaded, table.header, names)
        yield reader
    problems.raise_if_any()


def _check_cells(
    reader: RowReader, row: Row, unheaded: list[int], header: list[str], names: dict[int, str]
) -> None:
    """Report cells under no heading and cells too long for any table."""
    cells = row.cells
    for index in unheaded:
        if index < len(cells) and cells[index].strip():
            reader.problem(
                column_letter(index),
                f"the cell holds {_preview(cells[index])} but its column has no heading",
            )
    if row.beyond is not None:
        index, value = row.beyond
        reader.problem(
            column_letter(index),
            f"the cell holds {_preview(value)} but its column has no heading (the header "
            f"ends at column {column_letter(len(header) - 1)})",
        )
    if cells and max(map(len, cells)) > MAX_CELL_CHARS:
        for index, value in enumerate(cells):
            if len(value) > MAX_CELL_CHARS:
                reader.refused.add(index)
                reader.problem(
                    names.get(index) or header[index] or column_letter(index),
                    f"the cell holds more than {MAX_CELL_CHARS:,} characters, the most a cell "
                    "may hold (as in Excel)",
                )

"""The exact pass over a record-level file: row by row with `csv` (or from a workbook), so that
every problem is reported with its row, column and file, at most a few rows per bad value.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Iterator

from .archives import looks_like_zip
from .files import (
    FIELD_LIMIT,
    RecordError,
    csv_records,
    is_blank,
    opening_column,
    workbook_rows,
)
from .problems import ImportFailed, Problems
from .record_columns import ColumnMapping, ValueChecker, resolve_columns
from .record_sources import Budget, FileCount, FileRefused, RecordSource

#: Rows listed for each bad value before "…and N more rows with it".
ROWS_PER_VALUE = 5
#: Ragged rows listed per file before "…and N more".
RAGGED_PER_FILE = 20


class _Reporter:
    """Per file: problems for bad values (a few rows each) and ragged rows."""

    def __init__(self, name: str, problems: Problems, checker: ValueChecker) -> None:
        self.name = name
        self.problems = problems
        self.checker = checker
        self.seen: Counter = Counter()
        self.ragged = 0

    def value(self, row: int, position: int, raw: str, error: ValueError) -> None:
        marker = (position, raw)
        self.seen[marker] += 1
        if self.seen[marker] <= ROWS_PER_VALUE:
            self.problems.add(row, self.checker.columns[position], str(error), self.name)

    def ragged_row(self, row: int, cells: int, width: int) -> None:
        self.ragged += 1
        if self.ragged <= RAGGED_PER_FILE:
            self.problems.add(
                row,
                None,
                f"the row has {cells} cells but the header has {width}; is a comma or quote "
                "missing or out of place?",
                self.name,
            )

    def finish(self) -> None:
        for (position, raw), times in self.seen.items():
            if times > ROWS_PER_VALUE:
                more = times - ROWS_PER_VALUE
                self.problems.add(
                    None,
                    self.checker.columns[position],
                    f"…and {more:,} more rows with {raw!r}",
                    self.name,
                )
        if self.ragged > RAGGED_PER_FILE:
            more = self.ragged - RAGGED_PER_FILE
            self.problems.add(
                None, None, f"…and {more:,} more rows with the wrong number of cells", self.name
            )


def _count_rows(
    records: Iterable[tuple[int, list[str]]],
    name: str,
    mapping: ColumnMapping,
    checker: ValueChecker,
    problems: Problems,
    *,
    fixed_width: bool,
) -> FileCount | None:
    """Row by row: counts, plus every problem with its row and column."""
    result = FileCount(name)
    reporter = _Reporter(name, problems, checker)
    indexes: list[int] | None = None
    width = 0
    for number, cells in records:
        if is_blank(cells):
            continue
        if indexes is None:
            indexes = resolve_columns(cells, mapping, name, problems, number)
            if indexes is None:
                return None
            width = len(cells)
            continue
        if len(cells) != width:
            # In a CSV every row has the header's width: a cell too many or too few shifts
            # the values after it. A worksheet leaves out blank cells at the end of a row.
            if fixed_width or (len(cells) > width and not is_blank(cells[width:])):
                reporter.ragged_row(number, len(cells), width)
                continue
            cells = cells[:width] + [""] * (width - len(cells))
        key = tuple(cells[index] for index in indexes)
        good = True
        for position, raw in enumerate(key):
            outcome = checker.clean(position, raw)
            if isinstance(outcome, ValueError):
                reporter.value(number, position, raw, outcome)
                good = False
        if good:
            result.counter[key] += 1
            result.rows += 1
    if indexes is None:
        raise FileRefused("the file is empty: it has no header row")
    reporter.finish()
    return result


def exact_pass(
    source: RecordSource,
    mapping: ColumnMapping,
    checker: ValueChecker,
    budget: Budget,
    problems: Problems,
) -> FileCount | None:
    """Count the file row by row, reporting every problem; None if it cannot be read."""
    name = source.name
    if looks_like_zip(source.head()):
        with source.reading() as stream:
            raw = stream.read(budget.max_bytes - budget.done + 1)
        budget.at(len(raw))
        try:
            return _count_rows(
                workbook_rows(raw, name), name, mapping, checker, problems, fixed_width=False
            )
        except ImportFailed as failed:
            for problem in failed.problems:
                problems.add(problem.row, problem.column, problem.message, name)
            return None

    for encoding in ("utf-8-sig", "cp1252"):
        found = Problems()
        try:
            result = _count_rows(
                _csv_rows(source, budget, encoding),
                name,
                mapping,
                checker,
                found,
                fixed_width=True,
            )
        except UnicodeDecodeError:
            continue
        except RecordError as error:
            with source.text(budget, encoding, errors="replace") as text:
                column_index = opening_column(text, error.line)
            found.add(error.row, _header_name(source, column_index), error.message, name)
            result = None
        problems.extend(found)
        return result
    raise FileRefused("the file is not text in UTF-8 or Windows-1252; is it really a CSV file?")


def _csv_rows(
    source: RecordSource, budget: Budget, encoding: str
) -> Iterator[tuple[int, list[str]]]:
    with source.text(budget, encoding) as text:
        yield from csv_records(text)


def _header_name(source: RecordSource, index: int | None) -> str | None:
    """The name in the header of column `index`, as the file writes it."""
    if index is None:
        return None
    with source.reading() as stream:
        line = stream.readline(FIELD_LIMIT).removeprefix(b"\xef\xbb\xbf")
    try:
        cells = next(csv.reader([line.decode("utf-8", "replace").rstrip("\r\n")]), [])
    except csv.Error:
        return None
    return cells[index] if index < len(cells) else None

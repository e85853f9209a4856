"""Record-level files (one row per incident), counted by category, month, area and flag.

A year of police.uk files for one force is 100,000 to 300,000 rows and all forces about six
million, so the happy path does as little per row as Python allows:

1. *Engine pass* (`record_engine`). DuckDB reads the file, only the mapped columns, all as
   text, and counts the rows per distinct key in its own threads.
2. *Check the distinct values* (`record_columns`: a few hundred categories × months × areas,
   not millions of rows): months parsed, categories not empty, flags yes or no.
3. *Exact pass* (`record_exact_pass`), only when something is wrong or unusual (a bad value,
   a ragged row, a quote out of place, a lone CR, a workbook): the file is read again with
   `csv` row by row, so every problem is reported with its row, column and file.

Rows are never de-duplicated: identical rows are separate incidents.
"""

from __future__ import annotations

import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .archives import DAMAGED, damaged_message, looks_like_zip
from .files import is_xlsx_name, not_a_workbook_message
from .problems import Problems, format_size
from .record_columns import ColumnMapping, ValueChecker
from .record_engine import Engine
from .record_exact_pass import exact_pass
from .record_sources import (
    Budget,
    FileCount,
    FileRefused,
    NeedExactPass,
    Opener,
    RecordSource,
    TooBig,
)

Key = tuple[str, str, str, str]


@dataclass
class RecordAggregate:
    """`counts[(category, "YYYY-MM", area or "", flag or "")]`: every row counts once under flag
    "" and once more under each flag it has. `rows` is the number of records read."""

    counts: dict[Key, int] = field(default_factory=dict)
    rows: int = 0
    files: list[str] = field(default_factory=list)

    def total(self, flag: str = "") -> int:
        return sum(count for key, count in self.counts.items() if key[3] == flag)


def _count_file(
    source: RecordSource,
    mapping: ColumnMapping,
    checker: ValueChecker,
    budget: Budget,
    problems: Problems,
    engine: Engine,
) -> FileCount | None:
    """Count one file, reporting its problems; None if it has any."""
    name = source.name
    before = len(problems)
    if is_xlsx_name(name):
        _refuse_fake_workbook(source)
    needs_exact = False
    try:
        result = engine.count(source, mapping, budget, problems)
    except NeedExactPass:
        needs_exact, result = True, None
    if len(problems) > before:
        return None
    if result is not None and not needs_exact:
        counts = checker.finalise(result.counter)
        if counts is not None:
            result.counter = counts
            return result

    result = exact_pass(source, mapping, checker, budget, problems)
    if result is None or len(problems) > before:
        return None
    counts = checker.finalise(result.counter)
    if counts is None:  # cannot happen: the exact pass counts only rows with good values
        problems.add(None, None, "the file could not be counted", name)
        return None
    result.counter = counts
    return result


def _refuse_fake_workbook(source: RecordSource) -> None:
    """A file named .xlsx must be a workbook, as for every other kind of import."""
    if not looks_like_zip(source.head()):
        raise FileRefused(not_a_workbook_message(source.name))


class _Duplicates:
    """Spots the same file given twice under different names (a copy, or a CSV and the same
    file inside a ZIP). Files whose counts differ cannot be the same, so only files with
    identical counts are compared byte for byte. Identical rows within files are never
    touched: they are separate incidents."""

    def __init__(self) -> None:
        self.seen: dict[tuple[int, int], list[RecordSource]] = defaultdict(list)

    def check(self, source: RecordSource, result: FileCount, problems: Problems) -> bool:
        """False (after reporting it) if `source` repeats a file already counted."""
        key = (result.rows, hash(frozenset(result.counter.items())))
        for earlier in self.seen[key]:
            if earlier.digest() == source.digest():
                problems.add(
                    None,
                    None,
                    f"the file has exactly the same contents as {earlier.name}: it is the same "
                    f"file given twice, and its {result.rows:,} records would be counted twice; "
                    "give it once",
                    source.name,
                )
                return False
        self.seen[key].append(source)
        return True


@contextmanager
def _engine() -> Iterator[Engine]:
    """The engine, with a temporary folder for copies of streams and spilled tables."""
    with tempfile.TemporaryDirectory(prefix="workbench-records-") as folder:
        engine = Engine(Path(folder))
        try:
            yield engine
        finally:
            engine.close()


def aggregate_records(
    sources: Iterable[tuple[str, BinaryIO | Opener]],
    mapping: ColumnMapping,
    *,
    max_bytes: int,
    progress: Callable[[int], None] | None = None,
    latest_month: str | None = None,
) -> RecordAggregate:
    """Count the records of one or more CSV (or XLSX) files by (category, month, area, flag).

    Each source is `(name, stream)` or `(name, opener)`, an opener being a callable returning
    a fresh binary stream (which is then closed here). Streams must be seekable if the file
    turns out to have problems, so that it can be read again to locate them. `max_bytes`
    limits the bytes read from all files together; `progress(bytes_read)` is called about
    every megabyte. Months after `latest_month` (YYYY-MM) are refused as in the future. The
    same file given twice, under any names, is refused. Raises ImportFailed with every
    problem, each naming file, row and column.
    """
    inputs = [RecordSource(name, target) for name, target in sources]
    problems = Problems(inputs[0].name if len(inputs) == 1 else None)
    if not inputs:
        problems.add(None, None, "there are no files to import")
        problems.fail()
    budget = Budget(max_bytes, progress)
    checker = ValueChecker(mapping, latest_month)
    aggregate = RecordAggregate()
    counts: Counter = Counter()
    duplicates = _Duplicates() if len(inputs) > 1 else None
    with _engine() as engine:
        for source in inputs:
            aggregate.files.append(source.name)
            try:
                result = _count_file(source, mapping, checker, budget, problems, engine)
            except TooBig:
                what = "the file is" if len(inputs) == 1 else "the files together are"
                limit = format_size(max_bytes)
                problems.add(None, None, f"{what} larger than the {limit} limit", source.name)
                problems.fail()
            except FileRefused as refused:
                problems.add(refused.row, refused.column, refused.message, source.name)
                result = None
            except DAMAGED as error:  # a ZIP member that fails its CRC check, cut or corrupt
                problems.add(None, None, damaged_message(error), source.name)
                result = None
            except (OSError, ValueError) as error:
                problems.add(None, None, f"the file could not be read ({error})", source.name)
                result = None
            budget.finish_file()
            if result is None:
                continue
            if duplicates is not None and not duplicates.check(source, result, problems):
                continue
            counts.update(result.counter)
            aggregate.rows += result.rows
    if not problems and aggregate.rows == 0:
        problems.add(None, None, "the files hold no records, only headers")
    problems.raise_if_any()
    aggregate.counts = dict(counts)
    return aggregate

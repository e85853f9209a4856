"""Record-level files (one row per incident), counted by category, month, area and flag.

A year of police.uk files for one force is 100,000 to 300,000 rows and all forces about six
million, so the happy path does as little per row as Python allows:

1. *Fast pass.* The file is read in 1 MB blocks of whole lines, as bytes. A block without
   quotes is split into lines and cells with `bytes.split` and counted with
   `Counter(map(itemgetter(...), ...))`, all in C. Each line must have exactly the header's
   number of commas (checked per block, also in C), so no row is ever ragged or shifted.
   A block with quotes is parsed with `csv` (extended until its quotes balance, so a quoted
   line break never straddles two blocks).
2. *Check the distinct values* (a few hundred categories × months × areas, not millions of
   rows): months parsed, categories not empty, flags yes or no.
3. *Exact pass*, only when something is wrong or unusual (a bad value, a ragged row, blank
   lines, a stray quote, a lone CR): the file is read again with `csv` row by row, so every
   problem is reported with its row, column and file, at most a few rows per bad value.

Rows are never de-duplicated: identical rows are separate incidents.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter, methodcaller
from typing import BinaryIO

from assessments.periods import parse_month

from . import values
from .archives import looks_like_zip
from .files import (
    FIELD_LIMIT,
    binary_problem,
    csv_error_message,
    is_blank,
    is_xlsx_name,
    normalise_header,
    not_a_workbook_message,
    workbook_rows,
)
from .problems import ImportFailed, Problems, format_size

#: LSOA codes are nine characters; other area codes are allowed up to this length.
AREA_MAX = 20
TRUTHY = frozenset({"y", "yes", "true", "1", "x"})
FALSY = frozenset({"", "n", "no", "false", "0"})

#: Bytes read at a time (and so how often `progress` is told): a little under FIELD_LIMIT,
#: so that only a block that carries a long line over from the last can hold a too-long line.
CHUNK = FIELD_LIMIT - 65_536
PROGRESS_STEP = 1 << 20
#: A stretch of quoted text this long without its closing quote goes to the exact pass.
QUOTED_LIMIT = 4 * FIELD_LIMIT
#: Rows listed for each bad value before "…and N more rows with it".
ROWS_PER_VALUE = 5
#: Ragged rows listed per file before "…and N more".
RAGGED_PER_FILE = 20

Key = tuple[str, str, str, str]
Opener = Callable[[], BinaryIO]
Source = tuple[str, "BinaryIO | Opener"]


@dataclass(frozen=True)
class ColumnMapping:
    """Which columns of a record-level file hold what, named as in the file's header (matched
    ignoring case and spacing). `date_format` is tried first for the month; YYYY-MM,
    YYYY-MM-DD and DD/MM/YYYY always work. A flag column counts a row as flagged when it
    holds y, yes, true, 1 or x."""

    month: str
    category: str
    area: str | None = None
    flags: tuple[str, ...] = ()
    date_format: str = "%Y-%m"

    def columns(self) -> list[tuple[str, str]]:
        """(role, column name) in key order: category, month, [area], flags."""
        roles = [("category", self.category), ("month", self.month)]
        if self.area:
            roles.append(("area", self.area))
        roles.extend(("flag", flag) for flag in self.flags)
        return roles


POLICE_UK = ColumnMapping(month="Month", category="Crime type", area="LSOA code")


@dataclass
class RecordAggregate:
    """`counts[(category, "YYYY-MM", area or "", flag or "")]`: every row counts once under flag
    "" and once more under each flag it has. `rows` is the number of records read."""

    counts: dict[Key, int] = field(default_factory=dict)
    rows: int = 0
    files: list[str] = field(default_factory=list)

    def total(self, flag: str = "") -> int:
        return sum(count for key, count in self.counts.items() if key[3] == flag)


class _NeedExactPass(Exception):
    """The fast pass met something it does not handle; the exact pass will."""


class _FileRefused(Exception):
    """The file cannot be read at all (binary, undecodable, too big): one problem."""

    def __init__(self, message: str, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column


class _TooBig(Exception):
    pass


class _Budget:
    """Bytes read across all files: enforces `max_bytes` and reports progress."""

    def __init__(self, max_bytes: int, progress: Callable[[int], None] | None) -> None:
        self.max_bytes = max_bytes
        self.progress = progress
        self.done = 0
        self.current = 0
        self.reported = 0

    def at(self, position: int) -> None:
        """`position` bytes of the current file have been read (perhaps for a second time)."""
        self.current = max(self.current, position)
        total = self.done + position
        if total > self.max_bytes:
            raise _TooBig
        if self.progress is not None and total >= self.reported + PROGRESS_STEP:
            self.reported = total
            self.progress(total)

    def finish_file(self) -> None:
        self.done += self.current
        self.current = 0
        if self.progress is not None and self.done > self.reported:
            self.reported = self.done
            self.progress(self.done)


class _Input:
    """One source, which can be read more than once (an opener, or a seekable stream)."""

    def __init__(self, name: str, target: BinaryIO | Opener) -> None:
        self.name = name
        self.target = target
        self.start: int | None = None

    def open(self) -> BinaryIO:
        target = self.target
        if not hasattr(target, "read"):
            return target()  # an opener: a fresh stream each time
        stream: BinaryIO = target  # type: ignore[assignment]
        if self.start is None:
            self.start = stream.tell() if stream.seekable() else -1
        elif self.start < 0:
            raise _FileRefused("the file could not be read a second time to find its problems")
        else:
            stream.seek(self.start)
        return stream

    def close(self, stream: BinaryIO) -> None:
        if not hasattr(self.target, "read"):
            stream.close()


class _CountingReader(io.RawIOBase):
    """Raw reader for the exact pass: counts bytes against the budget and refuses NUL bytes."""

    def __init__(self, stream: BinaryIO, budget: _Budget) -> None:
        self.stream = stream
        self.budget = budget
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:
        data = self.stream.read(len(buffer))
        if not data:
            return 0
        problem = binary_problem(data, self.position)
        if problem:
            raise _FileRefused(problem)
        self.position += len(data)
        self.budget.at(self.position)
        buffer[: len(data)] = data
        return len(data)


# --- the fast pass -----------------------------------------------------------------------------


def _blocks(stream: BinaryIO, budget: _Budget) -> Iterator[bytes]:
    """Blocks of about CHUNK bytes ending at a line break (the last may not)."""
    carry = b""
    position = 0
    while True:
        data = stream.read(CHUNK)
        if not data:
            break
        if position == 0 and looks_like_zip(data):
            raise _NeedExactPass("a workbook")
        if b"\x00" in data or position == 0:
            problem = binary_problem(data, position)
            if problem:
                raise _FileRefused(problem)
        position += len(data)
        budget.at(position)
        end = data.rfind(b"\n")
        if end < 0:
            carry += data
            if len(carry) > FIELD_LIMIT:
                raise _NeedExactPass("a very long line")
            continue
        yield carry + data[: end + 1]
        carry = data[end + 1 :]
    if carry:
        yield carry


def _decode_header(line: bytes) -> tuple[list[str], str]:
    """The header's cells and the file's likely encoding."""
    line = line.removeprefix(b"\xef\xbb\xbf").rstrip(b"\r\n")
    try:
        text, encoding = line.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        try:
            text, encoding = line.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            raise _NeedExactPass("undecodable header") from None
    if text.count('"') % 2 or "\r" in text:
        raise _NeedExactPass("a header with a line break")
    try:
        cells = next(csv.reader([text], strict=True), [])
    except csv.Error:
        raise _NeedExactPass("a malformed header") from None
    return cells, encoding


class _FileCount:
    """The counts of one file: raw keys (bytes or text, as in the file) → number of rows,
    then, once checked, final (category, month, area, flag) keys → number of rows."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.counter: Counter = Counter()
        self.rows = 0
        self.encoding = "utf-8"


def _resolve(
    header: list[str], mapping: ColumnMapping, name: str, problems: Problems, row: int
) -> list[int] | None:
    """Indexes of the mapped columns in `header`, or None after reporting what is missing."""
    where: dict[str, list[int]] = defaultdict(list)
    for index, cell in enumerate(header):
        where[normalise_header(cell)].append(index)
    indexes = []
    listing = ", ".join(repr(cell) for cell in header if cell.strip()) or "no names"
    ok = True
    for role, column in mapping.columns():
        found = where.get(normalise_header(column), [])
        if not found:
            problems.add(
                row,
                column,
                f"the {role} column {column!r} is missing (the header has {listing})",
                name,
            )
            ok = False
        elif len(found) > 1:
            problems.add(row, column, f"the column {column!r} appears {len(found)} times", name)
            ok = False
        else:
            indexes.append(found[0])
    return indexes if ok else None


def _fast_pass(
    stream: BinaryIO,
    name: str,
    mapping: ColumnMapping,
    budget: _Budget,
    problems: Problems,
) -> _FileCount | None:
    """Count the file, or return None after reporting a header problem. Raises _NeedExactPass
    for anything unusual."""
    result = _FileCount(name)
    blocks = _blocks(stream, budget)
    first = next(blocks, b"")
    if not first:
        raise _FileRefused("the file is empty")
    end = first.find(b"\n")
    header_line, first = (first, b"") if end < 0 else (first[: end + 1], first[end + 1 :])
    header, result.encoding = _decode_header(header_line)
    if not header or is_blank(header):
        raise _NeedExactPass("a blank first line")
    indexes = _resolve(header, mapping, name, problems, 1)
    if indexes is None:
        return None

    width = len(header)
    commas = {width - 1}
    getter = itemgetter(*indexes)
    split = methodcaller("split", b",", max(indexes) + 1)
    count_commas = methodcaller("count", b",")
    counter = result.counter
    rows = 0

    pending = [first] if first else []
    for block in _chain(pending, blocks):
        if b"\r" in block:
            block = block.replace(b"\r\n", b"\n")
            if b"\r" in block:
                raise _NeedExactPass("a line ending in CR alone")
        if b'"' in block:
            while block.count(b'"') % 2:
                following = next(blocks, None)
                if following is None or len(block) > QUOTED_LIMIT:
                    raise _NeedExactPass("unbalanced quotes")
                block += following.replace(b"\r\n", b"\n")
            rows += _count_quoted(block, result, getter, width)
            continue
        if len(block) <= FIELD_LIMIT and b"\n\n" not in block and not block.startswith(b"\n"):
            rows += _count_flat(block, counter, indexes, width)
            continue
        # Blank lines, or a block long enough to hold a too-long line: line by line.
        lines = list(filter(None, block.split(b"\n")))
        if not lines:
            continue
        if set(map(count_commas, lines)) != commas:
            raise _NeedExactPass("a ragged row")
        if len(block) > FIELD_LIMIT and max(map(len, lines)) > FIELD_LIMIT:
            raise _NeedExactPass("a very long line")
        counter.update(map(getter, map(split, lines)))
        rows += len(lines)
    result.rows = rows
    return result


def _count_flat(block: bytes, counter: Counter, indexes: list[int], width: int) -> int:
    """Count a block of whole, non-blank lines without quotes, in a few C calls and no Python
    call per line. Each line break becomes a comma followed by the break, so that one split
    gives every cell of every line in one list, each line's first cell (but the block's
    first) starting with the break; line k's cells are then at k * width onwards, and the
    key columns are strided slices. The split is exact only if every line has exactly
    `width` cells: then, and only then, the cells at k * width for k >= 1 are the ones
    holding the breaks (cells hold no other line breaks), so one count proves it. A stray
    break left at the start of a first cell is stripped when the values are cleaned."""
    expanded = block.replace(b"\n", b",\n")
    breaks = len(expanded) - len(block)  # one byte longer per line break
    cells = expanded.split(b",")
    del expanded
    if block.endswith(b"\n"):
        cells.pop()  # the final break, now a cell of its own
        lines = breaks
    else:
        lines = breaks + 1
    if len(cells) != width * lines:
        raise _NeedExactPass("a ragged row")
    if lines > 1 and b"".join(cells[width::width]).count(b"\n") != lines - 1:
        raise _NeedExactPass("a ragged row")
    # A mapping always has at least two columns (category and month), so keys are tuples.
    counter.update(zip(*(cells[index::width] for index in indexes), strict=True))
    return lines


def _chain(first: list[bytes], rest: Iterator[bytes]) -> Iterator[bytes]:
    yield from first
    yield from rest


def _count_quoted(block: bytes, result: _FileCount, getter: itemgetter, width: int) -> int:
    """Count a block holding quotes with `csv`; keys are re-encoded so that they match the
    bytes of unquoted blocks."""
    try:
        text = block.decode(result.encoding)
    except UnicodeDecodeError:
        if result.encoding != "utf-8":
            raise _NeedExactPass("undecodable text") from None
        result.encoding = "cp1252"
        try:
            text = block.decode("cp1252")
        except UnicodeDecodeError:
            raise _NeedExactPass("undecodable text") from None
    if "\r" in text:
        raise _NeedExactPass("a line ending in CR alone")
    try:
        rows = list(filter(None, csv.reader(io.StringIO(text, newline=""), strict=True)))
    except csv.Error:
        raise _NeedExactPass("malformed CSV") from None
    if set(map(len, rows)) - {width}:
        raise _NeedExactPass("a ragged row")
    encoding = result.encoding
    result.counter.update(
        tuple(value.encode(encoding) for value in key) for key in map(getter, rows)
    )
    return len(rows)


# --- checking values ---------------------------------------------------------------------------


class _Values:
    """Turns raw cell values into clean ones, caching each distinct value's outcome."""

    def __init__(self, mapping: ColumnMapping, latest_month: str | None = None) -> None:
        self.mapping = mapping
        self.latest_month = latest_month
        self.roles = [role for role, _ in mapping.columns()]
        self.columns = [column for _, column in mapping.columns()]
        self.cache: list[dict[str, str | bool | ValueError]] = [{} for _ in self.roles]

    def _clean(self, role: str, raw: str) -> str | bool:
        if role == "category":
            return values.name(raw, what="category")
        if role == "month":
            month = parse_month(raw, self.mapping.date_format)
            if self.latest_month is not None and month > self.latest_month:
                raise ValueError(
                    f"{raw!r} is in the future (after {self.latest_month}); is the date or "
                    "the date format wrong?"
                )
            return month
        if role == "area":
            return values.name(raw, what="area code", required=False, limit=AREA_MAX)
        folded = raw.strip().lower()
        if folded in TRUTHY:
            return True
        if folded in FALSY:
            return False
        raise ValueError(
            f"{raw!r} is not a yes/no value (y, yes, true, 1 or x for yes; blank, n, no, false "
            "or 0 for no)"
        )

    def clean(self, position: int, raw: str) -> str | bool | ValueError:
        cache = self.cache[position]
        outcome = cache.get(raw)
        if outcome is None:
            try:
                outcome = self._clean(self.roles[position], raw)
            except ValueError as error:
                outcome = error
            cache[raw] = outcome
        return outcome

    def finalise(self, raw_counts: Counter, encodings: Iterable[str] = ()) -> Counter | None:
        """(category, month, area, flag) counts from raw keys, checking each distinct value
        once. Raw values are bytes, decoded with the first of `encodings` that works, or text
        (no `encodings`). None if a value is undecodable or bad: the exact pass says where."""
        distinct = [set(map(itemgetter(i), raw_counts)) for i in range(len(self.roles))]
        texts = _decode_all(distinct, tuple(encodings))
        if texts is None:
            return None
        cleaned: list[dict] = []
        for position, decoded in enumerate(texts):
            clean = {}
            for raw, text in decoded.items():
                outcome = self.clean(position, text)
                if isinstance(outcome, ValueError):
                    return None
                clean[raw] = outcome
            cleaned.append(clean)
        has_area = self.mapping.area is not None
        categories, months = cleaned[0], cleaned[1]
        areas = cleaned[2] if has_area else None
        flags = [
            (position, flag, cleaned[position])
            for position, flag in enumerate(self.mapping.flags, start=3 if has_area else 2)
        ]
        counts: Counter = Counter()
        for key, number in raw_counts.items():
            base = (categories[key[0]], months[key[1]], "" if areas is None else areas[key[2]])
            counts[(*base, "")] += number
            for position, flag, truth in flags:
                if truth[key[position]] is True:
                    counts[(*base, flag)] += number
        return counts


def _decode_all(distinct: list[set], encodings: tuple[str, ...]) -> list[dict] | None:
    if not encodings:
        return [{value: value for value in values} for values in distinct]
    for encoding in dict.fromkeys(encodings):
        try:
            return [{value: value.decode(encoding) for value in values} for values in distinct]
        except UnicodeDecodeError:
            continue
    return None


# --- the exact pass ----------------------------------------------------------------------------


def _csv_rows(source: _Input, budget: _Budget, encoding: str) -> Iterator[tuple[int, list[str]]]:
    stream = source.open()
    try:
        raw = _CountingReader(stream, budget)
        text = io.TextIOWrapper(
            io.BufferedReader(raw, CHUNK), encoding=encoding, newline="", errors="strict"
        )
        reader = csv.reader(text, strict=True)
        number = 0
        start_line = 1
        try:
            for number, cells in enumerate(reader, start=1):
                yield number, cells
                start_line = reader.line_num + 1
        except csv.Error as error:
            raise _BrokenCsv(number + 1, start_line, csv_error_message(error)) from None
    finally:
        source.close(stream)


def _opening_column(source: _Input, line_number: int, budget: _Budget, encoding: str) -> int:
    """Which cell opens the unclosed quote on `line_number` (the last cell csv sees there)."""
    stream = source.open()
    try:
        text = io.TextIOWrapper(
            io.BufferedReader(_CountingReader(stream, budget), CHUNK),
            encoding=encoding,
            newline="",
            errors="replace",
        )
        line = ""
        for _ in range(line_number):
            line = text.readline(FIELD_LIMIT)
        cells = next(csv.reader([line.rstrip("\r\n")]), [""])
        return max(len(cells) - 1, 0)
    finally:
        source.close(stream)


class _BrokenCsv(Exception):
    """csv could not read the record at `row`, which starts on line `line` of the file."""

    def __init__(self, row: int, line: int, message: str) -> None:
        super().__init__(message)
        self.row = row
        self.line = line
        self.message = message


class _Reporter:
    """Per file: problems for bad values (a few rows each) and ragged rows."""

    def __init__(self, name: str, problems: Problems, checker: _Values) -> None:
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


def _exact_pass(
    records: Iterable[tuple[int, list[str]]],
    name: str,
    mapping: ColumnMapping,
    checker: _Values,
    problems: Problems,
    *,
    fixed_width: bool,
) -> _FileCount | None:
    """Row by row: counts, plus every problem with its row and column."""
    result = _FileCount(name)
    reporter = _Reporter(name, problems, checker)
    indexes: list[int] | None = None
    width = 0
    for number, cells in records:
        if is_blank(cells):
            continue
        if indexes is None:
            indexes = _resolve(cells, mapping, name, problems, number)
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
        raise _FileRefused("the file is empty: it has no header row")
    reporter.finish()
    return result


# --- putting it together -------------------------------------------------------------------


def _count_file(
    source: _Input,
    mapping: ColumnMapping,
    checker: _Values,
    budget: _Budget,
    problems: Problems,
) -> _FileCount | None:
    """Count one file, reporting its problems; None if it has any."""
    name = source.name
    before = len(problems)
    if is_xlsx_name(name):
        _refuse_fake_workbook(source)
    stream = source.open()
    needs_exact = False
    try:
        result = _fast_pass(stream, name, mapping, budget, problems)
    except _NeedExactPass:
        needs_exact, result = True, None
    finally:
        source.close(stream)
    if len(problems) > before:
        return None
    if result is not None and not needs_exact:
        counts = checker.finalise(result.counter, (result.encoding, "cp1252"))
        if counts is not None:
            result.counter = counts
            return result

    result = _exact(source, mapping, checker, budget, problems)
    if result is None or len(problems) > before:
        return None
    counts = checker.finalise(result.counter)
    if counts is None:  # cannot happen: the exact pass counts only rows with good values
        problems.add(None, None, "the file could not be counted", name)
        return None
    result.counter = counts
    return result


def _refuse_fake_workbook(source: _Input) -> None:
    """A file named .xlsx must be a workbook, as for every other kind of import."""
    stream = source.open()
    try:
        head = stream.read(4)
    finally:
        source.close(stream)
    if not looks_like_zip(head):
        raise _FileRefused(not_a_workbook_message(source.name))


def _exact(
    source: _Input,
    mapping: ColumnMapping,
    checker: _Values,
    budget: _Budget,
    problems: Problems,
) -> _FileCount | None:
    name = source.name
    stream = source.open()
    try:
        head = stream.read(4)
    finally:
        source.close(stream)
    if looks_like_zip(head):
        stream = source.open()
        try:
            raw = stream.read(budget.max_bytes - budget.done + 1)
        finally:
            source.close(stream)
        budget.at(len(raw))
        try:
            return _exact_pass(
                workbook_rows(raw, name), name, mapping, checker, problems, fixed_width=False
            )
        except ImportFailed as failed:
            for problem in failed.problems:
                problems.add(problem.row, problem.column, problem.message, name)
            return None

    for encoding in ("utf-8-sig", "cp1252"):
        found = Problems()
        try:
            result = _exact_pass(
                _csv_rows(source, budget, encoding),
                name,
                mapping,
                checker,
                found,
                fixed_width=True,
            )
        except UnicodeDecodeError:
            continue
        except _BrokenCsv as error:
            column_index = _opening_column(source, error.line, budget, encoding)
            found.add(error.row, _header_name(source, column_index), error.message, name)
            result = None
        problems.extend(found)
        return result
    raise _FileRefused("the file is not text in UTF-8 or Windows-1252; is it really a CSV file?")


def _header_name(source: _Input, index: int) -> str | None:
    stream = source.open()
    try:
        line = stream.readline(FIELD_LIMIT).removeprefix(b"\xef\xbb\xbf")
    finally:
        source.close(stream)
    try:
        cells = next(csv.reader([line.decode("utf-8", "replace").rstrip("\r\n")]), [])
    except csv.Error:
        return None
    return cells[index] if index < len(cells) else None


def _digest(source: _Input) -> bytes:
    stream = source.open()
    try:
        digest = hashlib.blake2b()
        while block := stream.read(CHUNK):
            digest.update(block)
        return digest.digest()
    finally:
        source.close(stream)


class _Duplicates:
    """Spots the same file given twice under different names (a copy, or a CSV and the same
    file inside a ZIP). Files whose counts differ cannot be the same, so only files with
    identical counts are compared byte for byte. Identical rows within files are never
    touched: they are separate incidents."""

    def __init__(self) -> None:
        self.seen: dict[tuple[int, int], list[_Input]] = defaultdict(list)

    def check(self, source: _Input, result: _FileCount, problems: Problems) -> bool:
        """False (after reporting it) if `source` repeats a file already counted."""
        key = (result.rows, hash(frozenset(result.counter.items())))
        for earlier in self.seen[key]:
            if _digest(earlier) == _digest(source):
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
    inputs = [_Input(name, target) for name, target in sources]
    problems = Problems(inputs[0].name if len(inputs) == 1 else None)
    if not inputs:
        problems.add(None, None, "there are no files to import")
        problems.fail()
    budget = _Budget(max_bytes, progress)
    checker = _Values(mapping, latest_month)
    aggregate = RecordAggregate()
    counts: Counter = Counter()
    duplicates = _Duplicates() if len(inputs) > 1 else None
    for source in inputs:
        aggregate.files.append(source.name)
        try:
            result = _count_file(source, mapping, checker, budget, problems)
        except _TooBig:
            what = "the file is" if len(inputs) == 1 else "the files together are"
            problems.add(
                None, None, f"{what} larger than the {format_size(max_bytes)} limit", source.name
            )
            problems.fail()
        except _FileRefused as refused:
            problems.add(refused.row, refused.column, refused.message, source.name)
            result = None
        except (OSError, EOFError, ValueError) as error:  # a truncated or corrupt ZIP member
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

"""The engine pass over a record-level CSV file: DuckDB reads it and counts its rows.

DuckDB reads the file from disk in its own threads, projected to the mapped columns, every
cell as text, and groups the rows by their raw values; only the few thousand distinct keys
come back to Python, to be checked once each (`record_columns.ValueChecker`). Its reader is
strict: a row with a cell too many or too few, a quote out of place or bytes that are not
UTF-8 stop it, and the exact pass (`record_exact_pass`) then reads the file again with `csv`
to name each problem's row and column. Valid files never pay for that.

Python reads every byte too, at the same time (`_Scan`): it refuses binary files (NUL bytes,
UTF-16), tells UTF-8 from Windows-1252, keeps to the byte limit and reports progress. A
stream that is not a file on disk (a ZIP member, an upload held in memory) is first copied
to a temporary file, and a Windows-1252 file is converted to UTF-8 the same way, so DuckDB
always reads a UTF-8 file from disk and nothing is ever held whole in memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import threading
from collections import Counter
from pathlib import Path
from typing import BinaryIO

from . import record_sources
from .archives import looks_like_zip
from .files import FIELD_LIMIT, binary_problem, is_blank
from .problems import Problems
from .record_columns import ColumnMapping, resolve_columns
from .record_sources import Budget, FileCount, FileRefused, NeedExactPass, RecordSource

#: DuckDB's threads (the machines have two cores) and the memory it may use before it
#: spills its hash tables to disk; reading is streamed, so it needs far less.
ENGINE_THREADS = 2
ENGINE_MEMORY = "256MB"
#: How often the query's progress is looked at while Python has nothing left to read.
POLL_SECONDS = 0.1
#: The bytes Windows-1252 leaves undefined.
_NOT_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")

_COUNT = """
SELECT {keys}, {ragged} AS ragged, count(*) FROM read_csv(
    $path, columns = $columns, header = true, auto_detect = false, delim = ',',
    quote = '"', escape = '"', strict_mode = true, null_padding = true,
    nullstr = '\x01\x02\x03', ignore_errors = false, encoding = 'utf-8',
    parallel = {parallel}
) {where} GROUP BY ALL
"""
# DuckDB's strict reader still takes a row with one cell too many when that cell is empty (a
# trailing delimiter). So the query reads one column more than the header, padded with NULL,
# with no text read as NULL: a row is ragged if its last real cell is missing or the extra one
# is there. Any ragged row sends the file to the exact pass, which names its row and column.


class _Scan:
    """Checks a file's bytes as they are read: not binary, UTF-8 or else Windows-1252."""

    def __init__(self) -> None:
        self.position = 0
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.utf8 = True
        self.cp1252 = True

    def feed(self, data: bytes | bytearray) -> None:
        if self.position == 0:
            if looks_like_zip(data):
                raise NeedExactPass("a workbook")
            problem = binary_problem(data)
        else:
            problem = binary_problem(data, self.position) if b"\x00" in data else None
        if problem:
            raise FileRefused(problem)
        if not data.isascii():
            self.cp1252 = self.cp1252 and not _NOT_CP1252.search(data)
            if self.utf8:
                try:
                    self.decoder.decode(data)
                except UnicodeDecodeError:
                    self.utf8 = False
        self.position += len(data)

    def finish(self) -> None:
        if self.utf8:
            try:
                self.decoder.decode(b"", True)
            except UnicodeDecodeError:
                self.utf8 = False
        if not self.utf8 and not self.cp1252:
            raise NeedExactPass("not text in UTF-8 or Windows-1252")  # it says so, and where


def _disk_path(stream: BinaryIO) -> str | None:
    """The path of `stream` if it is a whole file on disk, read from its start."""
    temporary = getattr(stream, "temporary_file_path", None)  # Django's uploads on disk
    if callable(temporary):
        path = temporary()
    elif isinstance(stream, io.BufferedReader | io.FileIO) and isinstance(stream.name, str):
        path = stream.name
    else:
        return None
    try:
        return path if stream.tell() == 0 and os.path.isfile(path) else None
    except (OSError, ValueError):
        return None


class _Query(threading.Thread):
    """One DuckDB query, run in a thread of its own (DuckDB releases the GIL)."""

    def __init__(self, connection, sql: str, parameters: dict) -> None:
        super().__init__(daemon=True)
        self.connection = connection
        self.sql = sql
        self.parameters = parameters
        self.rows: list[tuple] | None = None
        self.error: Exception | None = None

    def run(self) -> None:
        try:
            self.rows = self.connection.execute(self.sql, self.parameters).fetchall()
        except Exception as error:  # noqa: BLE001 - any failure sends the file to the exact pass
            self.error = error

    def progress(self, size: int) -> int:
        """About how many of the file's `size` bytes the query has read."""
        try:
            percent = self.connection.query_progress()
        except Exception:  # noqa: BLE001 - progress is only ever a hint
            return 0
        return int(size * percent / 100) if percent > 0 else 0


class Engine:
    """One DuckDB connection for every file of an import."""

    def __init__(self, folder: Path) -> None:
        import duckdb  # imported here: only record imports need it

        self.folder = folder
        self.connection = duckdb.connect(
            ":memory:",
            config={
                "threads": ENGINE_THREADS,
                "memory_limit": ENGINE_MEMORY,
                "temp_directory": str(folder / "spill"),
                "autoinstall_known_extensions": False,
                "autoload_known_extensions": False,
            },
        )
        self.connection.execute("SET enable_progress_bar = true")
        self.connection.execute("SET enable_progress_bar_print = false")
        self.copies = 0

    def close(self) -> None:
        self.connection.close()

    def count(
        self,
        source: RecordSource,
        mapping: ColumnMapping,
        budget: Budget,
        problems: Problems,
    ) -> FileCount | None:
        """Count the file, or return None after reporting a header problem. Raises
        NeedExactPass when the file needs the exact pass, FileRefused if it is not text."""
        result = FileCount(source.name)
        if looks_like_zip(source.head()):
            raise NeedExactPass("a workbook")
        with source.reading() as stream:
            path = _disk_path(stream)
            scan: _Scan | None = None
            if path is None:
                scan = _Scan()
                path = self._copy(stream, scan, budget)
        if scan is not None and not scan.utf8:
            path = self._transcode(path)
        header = _header(path)
        indexes = resolve_columns(header, mapping, source.name, problems, 1)
        if indexes is None:
            return None
        width = len(header)
        rows = self._run(path, width, indexes, budget, scanned=scan is not None)
        if rows is None:  # a file on disk in Windows-1252: converted, then counted
            rows = self._run(self._transcode(path), width, indexes, budget, scanned=True)
            assert rows is not None
        counter = result.counter
        for *key, number in rows:
            counter[tuple(key)] += number
        if any(is_blank(key) for key in counter):
            _drop_blank_rows(counter, self._blank_rows(path, width, indexes))
        result.rows = sum(counter.values())
        return result

    def _run(
        self, path: str, width: int, indexes: list[int], budget: Budget, *, scanned: bool
    ) -> list[tuple] | None:
        """The query's rows (raw key…, count), reading the file with Python alongside unless
        it was read already; None if it turns out not to be UTF-8."""
        parameters = {"path": path, "columns": _columns(width)}
        query = _Query(self.connection, _count_sql(width, indexes), parameters)
        size = os.path.getsize(path)
        scan = _Scan()
        query.start()
        try:
            if not scanned:
                buffer = bytearray(record_sources.CHUNK)  # one buffer, filled again and again
                view = memoryview(buffer)
                with open(path, "rb", buffering=0) as stream:
                    while read := stream.readinto(buffer):
                        scan.feed(buffer if read == len(buffer) else view[:read].tobytes())
                        budget.limit(scan.position)
                        budget.at(min(scan.position, query.progress(size)))
                scan.finish()
            while query.is_alive():
                query.join(POLL_SECONDS)
                budget.at(query.progress(size))
        finally:
            if query.is_alive():
                self.connection.interrupt()
                query.join()
        if not scanned and not scan.utf8:
            return None
        if query.error is not None and "quoted new lines" in str(query.error):
            # DuckDB's parallel reader cannot pad rows when a quoted cell holds a line break:
            # such files are read again by one DuckDB thread, still far faster than the exact pass.
            query = _Query(self.connection, _count_sql(width, indexes, parallel=False), parameters)
            query.run()
        if query.error is not None or query.rows is None:
            raise NeedExactPass(f"the engine could not read it ({query.error})")
        budget.at(size)
        return _without_ragged(query.rows)

    def _blank_rows(self, path: str, width: int, indexes: list[int]) -> list[tuple]:
        """Rows whose every cell is blank, by raw key: skipped, as the exact pass skips them
        (an export from Excel often ends in a few rows of commas). Only files with blank
        keys are read again for this."""
        blank = " AND ".join(f"trim(coalesce(c{i}, '')) = ''" for i in range(width))
        sql = _count_sql(width, indexes, where=f"WHERE {blank}", parallel=False)
        rows = self.connection.execute(sql, {"path": path, "columns": _columns(width)}).fetchall()
        return _without_ragged(rows)

    def _new_path(self) -> Path:
        self.copies += 1
        return self.folder / f"copy-{self.copies}.csv"

    def _copy(self, stream: BinaryIO, scan: _Scan, budget: Budget) -> str:
        """A temporary copy of a stream that is not a file on disk, checked as it is copied."""
        path = self._new_path()
        with path.open("wb") as copy:
            while data := stream.read(record_sources.CHUNK):
                scan.feed(data)
                budget.at(scan.position)
                copy.write(data)
        scan.finish()
        return str(path)

    def _transcode(self, path: str) -> str:
        """A UTF-8 copy of a Windows-1252 file (the scan has shown every byte is one)."""
        converted = self._new_path()
        with (
            open(path, encoding="cp1252", newline="") as text,
            converted.open("w", encoding="utf-8", newline="") as copy,
        ):
            while data := text.read(record_sources.CHUNK):
                copy.write(data)
        return str(converted)


def _header(path: str) -> list[str]:
    """The header's cells. A header that is not one plain line goes to the exact pass."""
    with open(path, "rb") as stream:
        line = stream.readline(FIELD_LIMIT)
        if not line.endswith(b"\n") and stream.read(1):
            raise NeedExactPass("a very long header")
    line = line.removeprefix(b"\xef\xbb\xbf").rstrip(b"\r\n")
    if not line:
        if not os.path.getsize(path):
            raise FileRefused("the file is empty")
        raise NeedExactPass("a blank first line")
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        text = line.decode("cp1252", "replace")
    if text.count('"') % 2 or "\r" in text:
        raise NeedExactPass("a header with a line break")
    try:
        cells = next(csv.reader([text], strict=True), [])
    except csv.Error:
        raise NeedExactPass("a malformed header") from None
    if not cells or is_blank(cells):
        raise NeedExactPass("a blank first line")
    return cells


def _columns(width: int) -> dict[str, str]:
    return {f"c{index}": "VARCHAR" for index in range(width + 1)}


def _count_sql(width: int, indexes: list[int], *, where: str = "", parallel: bool = True) -> str:
    return _COUNT.format(
        keys=_keys(indexes), ragged=_ragged(width), where=where, parallel=str(parallel).lower()
    )


def _ragged(width: int) -> str:
    return f"(c{width - 1} IS NULL OR c{width} IS NOT NULL)"


def _without_ragged(rows: list[tuple]) -> list[tuple]:
    """The rows' keys and counts; a ragged row anywhere sends the file to the exact pass."""
    if any(row[-2] for row in rows):
        raise NeedExactPass("a row with a cell too many or too few")
    return [row[:-2] + row[-1:] for row in rows]


def _keys(indexes: list[int]) -> str:
    return ", ".join(f"coalesce(c{index}, '')" for index in indexes)


def _drop_blank_rows(counter: Counter, blank: list[tuple]) -> None:
    for *key, number in blank:
        key = tuple(key)
        counter[key] -= number
        if counter[key] <= 0:
            del counter[key]

"""Reading an uploaded CSV or XLSX file as a header and a stream of rows of text.

Everything that can make a file unreadable (too big, binary, badly encoded, an unclosed quote,
a fake or malicious workbook) is refused here with a problem a spreadsheet user can act on;
the per-kind parsers then only deal with the meaning of the cells (`columns`).

Rows are never all held in memory: `read_table` reads the header and the first data row, and
the rest are read from the file as the parser asks for them (`Table.rows`), each cut to the
header's width. A CSV file is read twice: once, as bytes, to check that it is text and decide
its encoding; then as CSV. The limits are in `limits`; XLSX is read in `workbooks`.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import tempfile
from collections.abc import Iterable, Iterator
from typing import BinaryIO, TextIO

from .archives import looks_like_zip
from .limits import FIELD_LIMIT, MAX_COLUMNS, MAX_ROW_CHARS, MAX_ROWS
from .problems import ImportFailed, ImportProblem, format_size, refuse
from .rows import Row, Width, column_letter, fitted, is_blank, without_trailing_blanks
from .workbooks import Workbook, workbook_rows

__all__ = [
    "FIELD_LIMIT",
    "RecordError",
    "Table",
    "binary_problem",
    "column_letter",
    "csv_records",
    "is_blank",
    "is_xlsx_name",
    "normalise_header",
    "not_a_workbook_message",
    "opening_column",
    "read_table",
    "workbook_rows",
]

csv.field_size_limit(FIELD_LIMIT)

XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
#: Bytes read at a time while checking that a file is text.
CHUNK = 1_048_576
#: The same characters in UTF-8 and Windows-1252: neither encodes them inside another one.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
#: The bytes Windows-1252 leaves undefined.
_NOT_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_SPACES = re.compile(r"\s+")


class RowStream:
    """A table's data rows as they are read from the file: iterable once; its len() is how
    many there were, once all have been read."""

    def __init__(self, rows: Iterable[Row]) -> None:
        self._rows = iter(rows)
        self._started = False
        self._done = False
        self._count = 0

    def __iter__(self) -> Iterator[Row]:
        if self._started:
            raise RuntimeError("a table's rows stream from its file: they can be read once")
        self._started = True
        return self._read()

    def _read(self) -> Iterator[Row]:
        for row in self._rows:
            self._count += 1
            yield row
        self._done = True

    def __len__(self) -> int:
        if not self._done:
            # TypeError, as for any object without a length: list() then just reads on.
            raise TypeError("a table's rows are counted once they have all been read")
        return self._count


class Table:
    """A header (names normalised for matching, `raw_header` as written) at spreadsheet row
    `header_row`, and `rows`: the non-blank rows under it, read as they are asked for."""

    def __init__(
        self,
        filename: str,
        header: list[str],
        raw_header: list[str],
        rows: Iterable[Row] = (),
        header_row: int = 1,
    ) -> None:
        self.filename = filename
        self.header = header
        self.raw_header = raw_header
        self.header_row = header_row
        self.rows = RowStream(rows)


def normalise_header(name: str) -> str:
    """`' Msg rate per 1000 '` → `'msg_rate_per_1000'`."""
    return _SPACES.sub("_", name.replace("\ufeff", "").strip().lower())


def is_xlsx_name(filename: str) -> bool:
    return filename.lower().endswith(XLSX_SUFFIXES)


def not_a_workbook_message(filename: str) -> str:
    return (
        f"{filename} is not a valid Excel workbook (it is not a ZIP archive; if it is a CSV "
        "file, name it .csv)"
    )


# --- the upload ------------------------------------------------------------------------------


class _Window(io.RawIOBase):
    """Bytes `start` to `end` of a seekable stream, as a file of its own (so that reading it
    twice, or as a ZIP archive, never depends on where anything else left the stream)."""

    def __init__(self, stream: BinaryIO, start: int, end: int) -> None:
        self._stream, self._start, self._end, self._at = stream, start, end, start

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        size = min(len(buffer), self._end - self._at)
        if size <= 0:
            return 0
        self._stream.seek(self._at)
        data = self._stream.read(size)
        buffer[: len(data)] = data
        self._at += len(data)
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: self._start, io.SEEK_CUR: self._at, io.SEEK_END: self._end}[whence]
        self._at = min(max(base + offset, self._start), self._end)
        return self._at - self._start

    def tell(self) -> int:
        return self._at - self._start


class Upload:
    """An uploaded file: a seekable stream and where the file lies in it."""

    def __init__(self, stream: BinaryIO, start: int, size: int) -> None:
        self.stream, self.start, self.size = stream, start, size

    def head(self, size: int) -> bytes:
        with self.reader() as reader:
            return reader.read(size)

    def reader(self, size: int | None = None) -> io.BufferedReader:
        """The file's first `size` bytes (all of them by default), from the start."""
        end = self.start + (self.size if size is None else size)
        return io.BufferedReader(_Window(self.stream, self.start, end), CHUNK)

    def text(self, encoding: str, size: int) -> TextIO:
        return io.TextIOWrapper(self.reader(size), encoding=encoding, newline="")


def open_upload(data: bytes | BinaryIO, filename: str, max_bytes: int) -> Upload:
    """`data` as an Upload, refusing it if it is larger than `max_bytes`. A stream that cannot
    seek is copied to a temporary file first (at most one byte more than the limit)."""
    stream = io.BytesIO(data) if isinstance(data, bytes | bytearray | memoryview) else data
    try:
        seekable = stream.seekable()
    except (AttributeError, ValueError, OSError):
        seekable = False
    if not seekable:
        stream = _spooled(stream, filename, max_bytes)
    start = stream.tell()
    stream.seek(0, io.SEEK_END)
    size = stream.tell() - start
    stream.seek(start)
    if size > max_bytes:
        refuse(filename, f"the file is larger than the {format_size(max_bytes)} limit")
    if not isinstance(stream.read(0), bytes):
        refuse(filename, "the upload could not be read as a file")
    return Upload(stream, start, size)


def _spooled(stream: BinaryIO, filename: str, max_bytes: int) -> BinaryIO:
    copy = tempfile.SpooledTemporaryFile(max_size=8 * CHUNK)
    copied = 0
    while copied <= max_bytes:
        chunk = stream.read(min(CHUNK, max_bytes + 1 - copied))
        if not isinstance(chunk, bytes):
            refuse(filename, "the upload could not be read as a file")
        if not chunk:
            break
        copy.write(chunk)
        copied += len(chunk)
    copy.seek(0)
    return copy  # type: ignore[return-value]


# --- checking that a file is text ------------------------------------------------------------


def binary_problem(raw: bytes, offset: int = 0) -> str | None:
    """Why `raw` is not text (UTF-16, NUL bytes), or None. `offset` is where `raw` starts in
    the file, for the message."""
    if offset == 0 and raw.startswith(UTF16_BOMS):
        return (
            'the file is saved as UTF-16 ("Unicode text"); save it as CSV UTF-8 '
            "(comma delimited) instead"
        )
    nul = raw.find(b"\x00")
    if nul >= 0:
        return (
            f"the file contains binary data (a NUL byte at byte {offset + nul:,}), not text; "
            "is it really a CSV file?"
        )
    return None


def text_encoding(upload: Upload, filename: str) -> tuple[str, int]:
    """The encoding of a text upload, UTF-8 (with or without BOM) or else Windows-1252 if the
    bytes are that, and how many of its bytes are text (not a final DOS end-of-file marker).
    Anything holding NUL or other control characters is refused as binary. One pass over the
    bytes, a megabyte at a time."""
    if upload.head(2).startswith(UTF16_BOMS):
        refuse(filename, binary_problem(upload.head(2)))
    decoder = codecs.getincrementaldecoder("utf-8")()
    not_utf8: int | None = None
    cp1252 = True
    nul: int | None = None
    control: tuple[int, int] | None = None  # (character, line)
    offset = lines = 0
    last = b""
    with upload.reader() as reader:
        while chunk := reader.read(CHUNK):
            last = chunk[-1:]
            if nul is None and (found := chunk.find(b"\x00")) >= 0:
                nul = offset + found
            if not_utf8 is None:
                not_utf8 = _utf8_error(decoder, chunk, offset)
            cp1252 = cp1252 and not _NOT_CP1252.search(chunk)
            if control is None:
                control = _control_character(chunk, offset, lines, upload.size)
            lines += chunk.count(b"\n")
            offset += len(chunk)
    if not_utf8 is None:
        not_utf8 = _utf8_error(decoder, b"", offset, final=True)
    if nul is not None:
        refuse(filename, binary_problem(b"\x00", nul))
    if not_utf8 is not None and not cp1252:
        refuse(
            filename,
            f"the file is not text in UTF-8 or Windows-1252 (an undecodable byte at byte "
            f"{not_utf8:,}); is it really a CSV file?",
        )
    if control is not None:
        character, line = control
        refuse(
            filename,
            f"the file contains binary data (control character U+{character:04X} on line "
            f"{line:,}), not text; is it really a CSV file?",
        )
    text_size = upload.size - (last == b"\x1a")
    return ("utf-8-sig" if not_utf8 is None else "cp1252"), text_size


def _utf8_error(decoder, chunk: bytes, offset: int, *, final: bool = False) -> int | None:
    """Where in the file UTF-8 decoding fails within `chunk` (which starts at `offset`)."""
    pending = len(decoder.getstate()[0])  # bytes of a character begun in the chunk before
    try:
        decoder.decode(chunk, final)
    except UnicodeDecodeError as error:
        return offset - pending + error.start
    return None


def _control_character(chunk: bytes, offset: int, lines: int, size: int) -> tuple[int, int] | None:
    for match in _CONTROL.finditer(chunk):
        if match.group() == b"\x1a" and offset + match.start() == size - 1:
            continue  # a DOS end-of-file marker
        return match.group()[0], lines + chunk.count(b"\n", 0, match.start()) + 1
    return None


# --- CSV -------------------------------------------------------------------------------------


class RecordError(Exception):
    """csv could not read the record at `row`, which starts on line `line` of the file;
    `column` is the index of the cell that opens a stray quote (or the first past the
    allowed width), once known."""

    def __init__(self, row: int, line: int, message: str) -> None:
        super().__init__(message)
        self.row = row
        self.line = line
        self.message = message
        self.column: int | None = None


def csv_error_message(error: csv.Error) -> str:
    text = str(error)
    if "field larger than field limit" in text:
        return (
            f'a cell is longer than {format_size(FIELD_LIMIT)}; is a quote (") left unclosed '
            "in this row?"
        )
    if "unexpected end of data" in text:
        return 'the file ends inside a quoted cell; is a quote (") left unclosed in this row?'
    if "expected after" in text:
        return 'a quoted cell has text after its closing quote ("); is a quote out of place?'
    return f"this row is not valid CSV ({text})"


def csv_records(text: TextIO) -> Iterator[tuple[int, list[str]]]:
    """Every CSV record of `text` (opened with newline=""), blank ones too, numbered from 1;
    raises RecordError."""
    reader = csv.reader(text, strict=True)
    number = 0
    start_line = 1
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, cells
            start_line = reader.line_num + 1
    except csv.Error as error:
        raise RecordError(number + 1, start_line, csv_error_message(error)) from None


def opening_column(text: TextIO, line: int) -> int | None:
    """Which cell of line `line` of `text` opens the quote that never closes: the last one
    csv sees there (None if csv cannot split the line at all)."""
    start = ""
    for _ in range(line):
        start = text.readline(FIELD_LIMIT)
    try:
        cells = next(csv.reader([start.rstrip("\r\n")]), [])
    except csv.Error:
        return None
    return max(len(cells) - 1, 0)


class _RowTooLong(Exception):
    pass


class _BoundedLines:
    """The lines of `text` for csv, refusing a record (all the lines csv takes for one row)
    longer than MAX_ROW_CHARS before csv splits it into cells."""

    KEEP = 65_536

    def __init__(self, text: TextIO) -> None:
        self.text = text
        self.chars = 0
        self.start = ""  # the record's first line

    def __iter__(self) -> _BoundedLines:
        return self

    def __next__(self) -> str:
        line = self.text.readline(MAX_ROW_CHARS + 1)
        if not line:
            raise StopIteration
        self.chars += len(line)
        if not self.start:
            self.start = line
        if self.chars > MAX_ROW_CHARS:
            raise _RowTooLong
        return line

    def next_record(self) -> None:
        self.chars = 0
        self.start = ""

    def cells_at_start(self) -> list[str]:
        """The cells csv sees in the first 64 KB of the record's first line."""
        try:
            return next(csv.reader([self.start[: self.KEEP]]), [])
        except csv.Error:
            return []


def _csv_rows(upload: Upload, filename: str, width: Width) -> Iterator[Row]:
    """The rows of a text upload, blank ones too, each cut to `width`; raises RecordError."""
    encoding, size = text_encoding(upload, filename)
    with upload.text(encoding, size) as text:
        lines = _BoundedLines(text)
        reader = csv.reader(lines, strict=True)
        number = 0
        start_line = 1
        try:
            # Not `for … in enumerate(reader)`: the loop would keep each row's full list of
            # cells (a million, say) alive while csv splits the next one.
            while (cells := next(reader, None)) is not None:
                number += 1
                lines.next_record()
                row = fitted(number, cells, width.columns)
                del cells
                yield row
                start_line = reader.line_num + 1
        except csv.Error as error:
            failure = RecordError(number + 1, start_line, csv_error_message(error))
            with upload.text(encoding, size) as again:
                failure.column = opening_column(again, start_line)
            raise failure from None
        except _RowTooLong:
            raise _too_long(number + 1, start_line, lines, width) from None


def _too_long(row: int, line: int, lines: _BoundedLines, width: Width) -> RecordError:
    """Why a record is longer than MAX_ROW_CHARS: most likely a quote left open, else too many
    cells, said with the column where it shows."""
    limit = format_size(MAX_ROW_CHARS)
    cells = lines.cells_at_start()
    if '"' in lines.start[: lines.KEEP]:
        failure = RecordError(
            row, line, f'the row is longer than {limit}; is a quote (") left unclosed in it?'
        )
        failure.column = max(len(cells) - 1, 0)
    elif len(cells) > width.columns:
        failure = RecordError(
            row, line, f"the row has more than {width.columns:,} cells (and more than {limit})"
        )
        failure.column = width.columns
    else:
        failure = RecordError(
            row, line, f"the row is longer than {limit}, more than a row of a table may hold"
        )
    return failure


def _workbook_rows(upload: Upload, filename: str, width: Width) -> Iterator[Row]:
    with upload.reader() as stream:
        workbook = Workbook(stream, filename)
        try:
            yield from workbook.rows(width)
        finally:
            workbook.close()


def rows_of(upload: Upload, filename: str, width: Width) -> Iterator[Row]:
    """The numbered rows of a CSV or XLSX upload, deciding which by content and name."""
    if not upload.size:
        refuse(filename, "the file is empty")
    head = upload.head(8)
    if looks_like_zip(head):
        return _workbook_rows(upload, filename, width)
    if head.startswith(OLE_MAGIC):
        refuse(
            filename,
            f"{filename} is an old-format Excel (.xls) or other Office file; save it as an "
            "Excel workbook (.xlsx) or CSV",
        )
    if is_xlsx_name(filename):
        refuse(filename, not_a_workbook_message(filename))
    return _csv_rows(upload, filename, width)


# --- tables ----------------------------------------------------------------------------------


def _blank(row: Row) -> bool:
    return row.beyond is None and is_blank(row.cells)


def read_table(data: bytes | BinaryIO, filename: str, *, max_bytes: int) -> Table:
    """Read an uploaded CSV or XLSX file's header and first data row, or raise ImportFailed;
    the other rows are read as `Table.rows` is.

    The header is the first non-blank row; blank rows are dropped; trailing blank headings
    are ignored, and a row is read only as wide as the header."""
    upload = open_upload(data, filename, max_bytes)
    width = Width(MAX_COLUMNS)
    rows = rows_of(upload, filename, width)
    header: Row | None = None
    raw_header: list[str] = []
    try:
        header = next((row for row in rows if not _blank(row)), None)
        if header is None:
            refuse(filename, "the file is empty: it has no header row")
        if header.beyond is not None:
            _refuse_wide_header(filename, header.number, header.beyond[0])
        raw_header = without_trailing_blanks([value.strip() for value in header.cells])
        width.columns = len(raw_header)
        first = next((row for row in rows if not _blank(row)), None)
    except RecordError as error:
        if error.column is not None and error.column >= MAX_COLUMNS:
            _refuse_wide_header(filename, error.row, error.column)
        column = None
        if header is not None and error.column is not None:
            column = _column_name([normalise_header(name) for name in raw_header], error.column)
        raise ImportFailed([ImportProblem(error.row, column, error.message)], filename) from None
    if first is None:
        refuse(filename, "the file has a header row but no data rows", row=header.number)
    names = [normalise_header(name) for name in raw_header]
    data_rows = _data_rows(first, rows, filename, names)
    return Table(filename, names, raw_header, data_rows, header.number)


def _data_rows(first: Row, rows: Iterator[Row], filename: str, header: list[str]) -> Iterator[Row]:
    """The non-blank rows from `first` on, at most MAX_ROWS of them."""
    yield first
    count = 1
    try:
        for row in rows:
            if _blank(row):
                continue
            count += 1
            if count > MAX_ROWS:
                refuse(
                    filename,
                    f"the file has more than {MAX_ROWS:,} rows of data; a table may have at "
                    f"most {MAX_ROWS:,}",
                    row=row.number,
                )
            yield row
    except RecordError as error:
        column = None if error.column is None else _column_name(header, error.column)
        raise ImportFailed([ImportProblem(error.row, column, error.message)], filename) from None


def _refuse_wide_header(filename: str, row: int, index: int) -> None:
    raise ImportFailed(
        [
            ImportProblem(
                row,
                column_letter(index),
                f"the header has more than {MAX_COLUMNS:,} columns; a table may have at most "
                f"{MAX_COLUMNS:,}",
            )
        ],
        filename,
    )


def _column_name(header: list[str], index: int) -> str:
    if index < len(header) and header[index]:
        return header[index]
    return column_letter(index)

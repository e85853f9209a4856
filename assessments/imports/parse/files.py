"""Reading an uploaded CSV or XLSX file into a header and rows of text.

Everything that can make a file unreadable (too big, binary, badly encoded, an unclosed quote,
a fake or malicious workbook) is refused here with a problem a spreadsheet user can act on;
the per-kind parsers then only deal with the meaning of the cells (`columns`).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import BinaryIO, TextIO

from .archives import looks_like_zip, zip_bomb_problems
from .problems import ImportFailed, ImportProblem, format_size, refuse

#: No legitimate cell is longer; a longer one is almost always an unclosed quote.
FIELD_LIMIT = 1_048_576
csv.field_size_limit(FIELD_LIMIT)

#: Excel's own row limit; a workbook claiming more rows is malformed.
MAX_SHEET_ROWS = 1_048_576
#: The most a workbook may expand to when unzipped, whatever its compressed size.
MAX_WORKBOOK_UNCOMPRESSED = 500 * 1_048_576

XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")


@dataclass
class Table:
    """A header (names normalised for matching) and the non-blank rows under it, each with
    its spreadsheet row number."""

    filename: str
    header: list[str]
    raw_header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    header_row: int = 1


def normalise_header(name: str) -> str:
    """`' Msg rate per 1000 '` → `'msg_rate_per_1000'`."""
    return _SPACES.sub("_", name.replace("\ufeff", "").strip().lower())


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def is_blank(cells: Iterable[str]) -> bool:
    return not any(value.strip() for value in cells)


def is_xlsx_name(filename: str) -> bool:
    return filename.lower().endswith(XLSX_SUFFIXES)


def not_a_workbook_message(filename: str) -> str:
    return (
        f"{filename} is not a valid Excel workbook (it is not a ZIP archive; if it is a CSV "
        "file, name it .csv)"
    )


# --- reading bytes ---------------------------------------------------------------------------


def read_limited(data: bytes | BinaryIO, filename: str, max_bytes: int) -> bytes:
    """All of `data`, refusing it if it is larger than `max_bytes` (reading at most one byte
    more than the limit)."""
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
    else:
        raw = data.read(max_bytes + 1)
        if not isinstance(raw, bytes):
            refuse(filename, "the upload could not be read as a file")
    if len(raw) > max_bytes:
        refuse(filename, f"the file is larger than the {format_size(max_bytes)} limit")
    return raw


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


def decode_text(raw: bytes, filename: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 if the bytes decode cleanly as that;
    anything holding NUL or other control characters is refused as binary."""
    problem = binary_problem(raw)
    if problem:
        refuse(filename, problem)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            refuse(
                filename,
                f"the file is not text in UTF-8 or Windows-1252 (an undecodable byte at byte "
                f"{utf8_error.start:,}); is it really a CSV file?",
            )
    text = text.removesuffix("\x1a")  # DOS end-of-file marker
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        refuse(
            filename,
            f"the file contains binary data (control character U+{ord(control.group()):04X} "
            f"on line {line:,}), not text; is it really a CSV file?",
        )
    return text


# --- CSV -------------------------------------------------------------------------------------


class RecordError(Exception):
    """csv could not read the record at `row`, which starts on line `line` of the file;
    `column` is the index of the cell that opens a stray quote, once known."""

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


def _text_records(text: str) -> Iterator[tuple[int, list[str]]]:
    """The records of a decoded CSV file; a RecordError names the cell opening a stray quote."""
    try:
        yield from csv_records(io.StringIO(text, newline=""))
    except RecordError as error:
        error.column = opening_column(io.StringIO(text, newline=""), error.line)
        raise


# --- XLSX ------------------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _without_trailing_blanks(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


def workbook_rows(raw: bytes, filename: str) -> Iterator[tuple[int, list[str]]]:
    """Rows of the first worksheet as text, numbered as Excel numbers them.

    The archive is checked for zip bombs before openpyxl sees it; anything openpyxl cannot
    read is refused as "not a valid Excel workbook"."""
    invalid = f"{filename} is not a valid Excel workbook"
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        refuse(filename, f"{invalid} (it is not a readable ZIP archive)")
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        refuse(filename, f"{invalid} (it is a ZIP archive without a workbook inside)")
    bombs = zip_bomb_problems(members, max_total=MAX_WORKBOOK_UNCOMPRESSED)
    if bombs:
        raise ImportFailed([ImportProblem(None, None, message) for message in bombs], filename)

    import openpyxl  # only needed for workbooks; keeps CSV-only callers light

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for malformed parts
        refuse(filename, f"{invalid} ({type(error).__name__})")
    try:
        if not workbook.worksheets:
            refuse(filename, f"{filename} has no worksheet")
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        rows = sheet.iter_rows(min_row=1, values_only=True)
        for number, values in enumerate(rows, start=1):
            if number > MAX_SHEET_ROWS:
                refuse(filename, f"{invalid} (it has more than {MAX_SHEET_ROWS:,} rows)")
            yield number, _without_trailing_blanks([_cell_text(value) for value in values])
    except ImportFailed:
        raise
    except Exception as error:  # malformed sheet XML, bad shared strings, ...
        refuse(filename, f"{invalid} (the first worksheet could not be read: {error})")
    finally:
        workbook.close()


# --- tables ----------------------------------------------------------------------------------


def records_of(raw: bytes, filename: str) -> Iterator[tuple[int, list[str]]]:
    """The numbered records of a CSV or XLSX upload, deciding which by content and name."""
    if not raw:
        refuse(filename, "the file is empty")
    if looks_like_zip(raw):
        return workbook_rows(raw, filename)
    if raw.startswith(OLE_MAGIC):
        refuse(
            filename,
            f"{filename} is an old-format Excel (.xls) or other Office file; save it as an "
            "Excel workbook (.xlsx) or CSV",
        )
    if is_xlsx_name(filename):
        refuse(filename, not_a_workbook_message(filename))
    return _text_records(decode_text(raw, filename))


def read_table(data: bytes | BinaryIO, filename: str, *, max_bytes: int) -> Table:
    """Read an uploaded CSV or XLSX file into a Table, or raise ImportFailed.

    The header is the first non-blank row; blank rows are dropped; trailing blank headings
    are ignored."""
    raw = read_limited(data, filename, max_bytes)
    table: Table | None = None
    try:
        for number, cells in records_of(raw, filename):
            if table is None:
                if is_blank(cells):
                    continue
                raw_header = _without_trailing_blanks([value.strip() for value in cells])
                header = [normalise_header(name) for name in raw_header]
                table = Table(filename, header, raw_header, [], number)
            elif not is_blank(cells):
                table.rows.append((number, cells))
    except RecordError as error:
        column = None
        if table is not None and error.column is not None:
            column = _column_name(table, error.column)
        raise ImportFailed([ImportProblem(error.row, column, error.message)], filename) from None
    if table is None:
        refuse(filename, "the file is empty: it has no header row")
    if not table.rows:
        refuse(filename, "the file has a header row but no data rows", row=table.header_row)
    return table


def _column_name(table: Table, index: int) -> str:
    if index < len(table.header) and table.header[index]:
        return table.header[index]
    return column_letter(index)

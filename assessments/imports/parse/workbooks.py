"""Reading the first worksheet of an XLSX workbook as a stream of rows, in bounded memory.

openpyxl, even read-only, pads each row out to its last cell (a row with one cell at column
ZZZ becomes 18,278 values), keeps every parsed element of the shared strings and of the
sheet's other parts, and builds a full object for every style. So the workbook's XML is read
here with expat, a chunk at a time, keeping only what is needed: the shared strings as a list,
the styles only as far as which ones are dates, and the worksheet cell by cell, no cell past
the header's width (`worksheets`). openpyxl still supplies the date and number-format rules,
so values read exactly as it reads them. Every part is size-checked before it is decompressed.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from typing import BinaryIO
from xml.parsers import expat

from .archives import DAMAGED, zip_bomb_problems
from .limits import (
    MAX_COLUMNS,
    MAX_OTHER_PART,
    MAX_WORKBOOK_UNCOMPRESSED,
    MAX_WORKSHEET_PART,
    MAX_XML_ELEMENTS,
)
from .problems import ImportFailed, ImportProblem
from .rows import Row, Width, column_letter, refitted
from .worksheets import MAIN, SheetParser, TooManyElements, xml_parser

DOCUMENT_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
WORKBOOK_TYPES = {
    f"application/vnd.{kind}.main+xml"
    for kind in (
        "openxmlformats-officedocument.spreadsheetml.sheet",
        "openxmlformats-officedocument.spreadsheetml.template",
        "ms-excel.sheet.macroEnabled",
        "ms-excel.template.macroEnabled",
    )
}
#: Bytes of a part given to expat at a time.
CHUNK = 65_536


def not_a_workbook(filename: str, why: str) -> ImportFailed:
    return ImportFailed(
        [ImportProblem(None, None, f"{filename} is not a valid Excel workbook ({why})")], filename
    )


def too_many_elements(filename: str) -> ImportFailed:
    return not_a_workbook(
        filename,
        f"its first sheet, strings and styles hold more than {MAX_XML_ELEMENTS:,} cells and "
        "other items, more than any table needs",
    )


def damaged(filename: str, error: Exception) -> ImportFailed:
    return not_a_workbook(filename, f"its ZIP archive is damaged: {error}; save it again")


class Workbook:
    """An opened XLSX archive: where its first worksheet is, its shared strings, and which
    style numbers are dates."""

    def __init__(self, stream: BinaryIO, filename: str) -> None:
        self.filename = filename
        try:
            self.archive = zipfile.ZipFile(stream)
            members = self.archive.infolist()
        except (zipfile.LargeZipFile, ValueError, OSError, *DAMAGED):
            raise not_a_workbook(filename, "it is not a readable ZIP archive") from None
        self.names = {member.filename for member in members}
        if "[Content_Types].xml" not in self.names or not any(
            name.startswith("xl/") for name in self.names
        ):
            raise not_a_workbook(filename, "it is a ZIP archive without a workbook inside")
        bombs = zip_bomb_problems(members, max_total=MAX_WORKBOOK_UNCOMPRESSED, max_part=part_limit)
        if bombs:
            raise ImportFailed([ImportProblem(None, None, message) for message in bombs], filename)
        self.budget = MAX_XML_ELEMENTS  # elements left to read, across every part
        try:
            self._read_structure()
        except ImportFailed:
            raise
        except TooManyElements:
            raise too_many_elements(filename) from None
        except DAMAGED as error:
            raise not_a_workbook(
                filename, f"its ZIP archive is damaged: {error}; save it again"
            ) from None
        except (expat.ExpatError, KeyError, ValueError, IndexError, OSError) as error:
            raise not_a_workbook(filename, f"{type(error).__name__}: {error}") from None

    # --- the structure ----------------------------------------------------------------------

    def _read_structure(self) -> None:
        workbook = self._workbook_part()
        relations = self._relations(workbook)
        found = {"1904": False, "sheets": []}

        def start(name: str, attributes: dict[str, str]) -> None:
            if name == f"{MAIN} workbookPr":
                found["1904"] = attributes.get("date1904", "").lower() in ("1", "true")
            elif name == f"{MAIN} sheet":
                found["sheets"].append(attributes.get(f"{DOCUMENT_RELS} id", ""))

        self._scan(workbook, start)
        self.epoch_1904 = found["1904"]
        sheets = [relations.get(key, ("", "")) for key in found["sheets"]]
        # The first worksheet, as openpyxl's worksheets[0]: chart sheets are not worksheets.
        sheet = next((target for kind, target in sheets if kind.endswith("/worksheet")), None)
        if sheet is None or sheet not in self.names:
            raise not_a_workbook(self.filename, "it has no worksheet")
        self.sheet = sheet
        by_kind = {kind.rsplit("/", 1)[-1]: target for kind, target in relations.values()}
        self.strings = self._shared_strings(by_kind.get("sharedStrings"))
        self.dates, self.durations = self._date_styles(by_kind.get("styles"))

    def _workbook_part(self) -> str:
        """The workbook's part name, from the content types (as openpyxl finds it)."""
        parts = []

        def start(name: str, attributes: dict[str, str]) -> None:
            if name == f"{CONTENT_TYPES} Override":
                if attributes.get("ContentType") in WORKBOOK_TYPES:
                    parts.append(attributes.get("PartName", "").lstrip("/"))

        self._scan("[Content_Types].xml", start)
        if parts:
            return parts[0]
        if "xl/workbook.xml" in self.names:
            return "xl/workbook.xml"
        raise not_a_workbook(self.filename, "it has no workbook part")

    def _relations(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type, part name) for `part`."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", f"{name}.rels")
        found: dict[str, tuple[str, str]] = {}

        def start(tag: str, attributes: dict[str, str]) -> None:
            if tag != f"{PACKAGE_RELS} Relationship" or attributes.get("TargetMode") == "External":
                return
            target = attributes.get("Target", "")
            if target.startswith("/"):
                path = target.lstrip("/")
            else:
                path = posixpath.normpath(posixpath.join(folder, target))
            found[attributes.get("Id", "")] = (attributes.get("Type", ""), path)

        if rels in self.names:
            self._scan(rels, start)
        return found

    def _shared_strings(self, part: str | None) -> list[str]:
        """Each shared string's text: its plain text and its rich-text runs, without the
        phonetic guides, as openpyxl reads them."""
        strings: list[str] = []
        if part is None or part not in self.names:
            return strings
        state = {"parts": None, "item": None, "phonetic": 0}

        def start(name: str, attributes: dict[str, str]) -> None:
            if name == f"{MAIN} si":
                state["item"] = []
            elif name == f"{MAIN} rPh":
                state["phonetic"] += 1
            elif name == f"{MAIN} t" and state["item"] is not None and not state["phonetic"]:
                state["parts"] = state["item"]

        def end(name: str) -> None:
            if name == f"{MAIN} si" and state["item"] is not None:
                strings.append("".join(state["item"]).replace("x005F_", ""))
                state["item"] = None
            elif name == f"{MAIN} rPh":
                state["phonetic"] -= 1
            elif name == f"{MAIN} t":
                state["parts"] = None

        def text(data: str) -> None:
            if state["parts"] is not None:
                state["parts"].append(data)

        self._scan(part, start, end, text)
        return strings

    def _date_styles(self, part: str | None) -> tuple[set[int], set[int]]:
        """The cell styles (`s` numbers) whose number format is a date, and those of them
        that are durations, by openpyxl's rules."""
        from openpyxl.styles.numbers import (
            BUILTIN_FORMATS,
            is_date_format,
            is_timedelta_format,
        )

        if part is None or part not in self.names:
            return set(), set()
        custom: dict[int, str] = {}
        formats: list[int] = []
        depth = [0]  # inside <cellXfs> (cellStyleXfs has xf elements too)

        def start(name: str, attributes: dict[str, str]) -> None:
            if name == f"{MAIN} cellXfs":
                depth[0] += 1
            elif name == f"{MAIN} numFmt":
                custom[int(attributes.get("numFmtId", "0"))] = attributes.get("formatCode", "")
            elif name == f"{MAIN} xf" and depth[0]:
                formats.append(int(attributes.get("numFmtId", "0")))

        def end(name: str) -> None:
            if name == f"{MAIN} cellXfs":
                depth[0] -= 1

        self._scan(part, start, end)
        dates, durations = set(), set()
        for index, number in enumerate(formats):
            code = custom.get(number, BUILTIN_FORMATS.get(number))
            if is_date_format(code):
                dates.add(index)
            if is_timedelta_format(code):
                durations.add(index)
        return dates, durations

    def _scan(
        self,
        part: str,
        start: Callable[[str, dict[str, str]], None],
        end: Callable[[str], None] | None = None,
        text: Callable[[str], None] | None = None,
    ) -> None:
        """Run expat over `part` with these handlers, counting its elements."""
        left = [self.budget]

        def counted(name: str, attributes: dict[str, str]) -> None:
            left[0] -= 1
            if left[0] < 0:
                raise TooManyElements
            start(name, attributes)

        parser = xml_parser()
        parser.StartElementHandler = counted
        if end is not None:
            parser.EndElementHandler = end
        if text is not None:
            parser.CharacterDataHandler = text
        with self.archive.open(part) as source:
            while chunk := source.read(CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        self.budget = left[0]

    # --- the worksheet ----------------------------------------------------------------------

    def rows(self, width: Width) -> Iterator[Row]:
        """The rows of the first worksheet, each cut to `width` (looked at afresh every row),
        empty rows left out."""
        try:
            sheet = SheetParser(width, self._cell_text, self.budget)
            with self.archive.open(self.sheet) as source:
                while chunk := source.read(CHUNK):
                    # Rows of a chunk are read together: the header's width, set when the
                    # first was taken, cuts the others too.
                    for row in sheet.feed(chunk):
                        yield refitted(row, width.columns)
                for row in sheet.feed(b"", final=True):
                    yield refitted(row, width.columns)
        except ImportFailed:
            raise
        except TooManyElements:
            raise too_many_elements(self.filename) from None
        except DAMAGED as error:
            raise damaged(self.filename, error) from None
        except Exception as error:  # malformed XML, a string number out of range, ...
            raise not_a_workbook(
                self.filename, f"the first worksheet could not be read: {error}"
            ) from None

    def _cell_text(self, kind: str, style: str | None, value: str) -> str:
        """A cell's value as text, as openpyxl would give it (read with data_only)."""
        if kind == "s":
            return self.strings[int(value)] if value else ""
        if kind == "inlineStr" or not value:
            return value
        if kind == "b":
            return "TRUE" if int(value) else "FALSE"
        if kind in ("str", "e"):
            return value
        if kind == "d":
            from openpyxl.utils.datetime import from_ISO8601

            return cell_text(from_ISO8601(value))
        index = int(style) if style else 0
        if value.isdigit() and index not in self.dates:
            return value.lstrip("0") or "0"  # as str(int(value)), the commonest case
        number = float(value) if "." in value or "e" in value or "E" in value else int(value)
        if index in self.dates:
            from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel

            epoch = CALENDAR_MAC_1904 if self.epoch_1904 else WINDOWS_EPOCH
            try:
                return cell_text(from_excel(number, epoch, timedelta=index in self.durations))
            except (OverflowError, ValueError):
                return "#VALUE!"  # openpyxl's reading of a date out of range
        return cell_text(number)

    def close(self) -> None:
        self.archive.close()


def part_limit(name: str) -> int:
    """The most one part may expand to: the worksheets are streamed, the rest read whole."""
    return MAX_WORKSHEET_PART if name.startswith("xl/worksheets/") else MAX_OTHER_PART


def cell_text(value: object) -> str:
    """A cell's value as the text a CSV of it would hold."""
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


def workbook_rows(data: bytes | BinaryIO, filename: str) -> Iterator[tuple[int, list[str]]]:
    """Rows of the first worksheet as (number, cells), for the record-level exact pass: up to
    MAX_COLUMNS cells a row, a filled cell beyond them refused with its row and column."""
    import io

    stream = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    workbook = Workbook(stream, filename)
    try:
        for row in workbook.rows(Width(MAX_COLUMNS)):
            if row.beyond is not None:
                refuse_too_wide(filename, row)
            yield row.number, row.cells
    finally:
        workbook.close()


def refuse_too_wide(filename: str, row: Row) -> None:
    index, _ = row.beyond
    raise ImportFailed(
        [
            ImportProblem(
                row.number,
                column_letter(index),
                f"the row has a cell in column {column_letter(index)}, beyond the "
                f"{MAX_COLUMNS:,} columns a file may have",
            )
        ],
        filename,
    )

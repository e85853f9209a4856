"""Turning a worksheet's XML into rows, a chunk of bytes at a time, with expat.

expat calls a handler for each tag and each run of text, and nothing is built for elements
that are not wanted: a cell past the header's width is looked at only until its first
filled one is found, an empty cell costs two calls. Finished rows wait in `ready` until the
reader takes them after each chunk, so memory stays that of one chunk and one row.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from xml.parsers import expat

from .limits import MAX_CELL_CHARS, MAX_SHEET_ROWS
from .rows import Row, Width, without_trailing_blanks

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ROW, CELL, VALUE, INLINE, TEXT, PHONETIC = (
    f"{MAIN} {name}" for name in ("row", "c", "v", "is", "t", "rPh")
)


def xml_parser() -> expat.XMLParserType:
    """An expat parser reporting names as "namespace local-name" (so prefixes never matter)
    and each run of text once."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    return parser


class TooManyElements(Exception):
    """The XML holds more elements than the reading may take the time for."""


class SheetParser:
    """Rows of a worksheet, as Row(number, cells up to `width`, first filled cell past it).
    `value` turns a cell's type (`t`), style (`s`) and text into the text a CSV would hold.
    A cell's text is kept to one character past MAX_CELL_CHARS, enough to refuse it; more
    than `budget` XML elements raise TooManyElements."""

    def __init__(
        self, width: Width, value: Callable[[str, str | None, str], str], budget: int
    ) -> None:
        self.width = width
        self.value = value
        self.budget = budget
        self.ready: list[Row] = []
        self.parser = xml_parser()
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.number = 0
        self._new_row()
        self.in_cell = self.wanted = False
        self.kind = "n"
        self.style: str | None = None
        self.parts: list[str] | None = None  # the text being read: a <v>, or an inline <t>
        self.found: list[str] | None = None  # the cell's text, once it has some
        self.phonetic = 0  # inside a phonetic guide, whose text is not the cell's
        self.length = 0  # of the text found, kept to one character past MAX_CELL_CHARS

    def feed(self, chunk: bytes, *, final: bool = False) -> list[Row]:
        """The rows that `chunk` finished."""
        self.parser.Parse(chunk, final)
        ready, self.ready = self.ready, []
        return ready

    def _new_row(self) -> None:
        self.column = -1
        self.cells: list[str] = []
        self.beyond: tuple[int, str] | None = None

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        self.budget -= 1
        if self.budget < 0:
            raise TooManyElements
        if name == CELL:
            reference = attributes.get("r")
            self.column = _column_index(reference) if reference else self.column + 1
            self.in_cell = True
            self.wanted = self.column < self.width.columns or self.beyond is None
            self.kind = attributes.get("t", "n")
            self.style = attributes.get("s")
        elif not self.in_cell:
            if name == ROW:
                self.number = _row_number(attributes.get("r"), self.number)
                if self.number > MAX_SHEET_ROWS:
                    raise ValueError(f"it numbers a row beyond {MAX_SHEET_ROWS:,}")
                self._new_row()
        elif not self.wanted:
            return
        elif name == VALUE:
            if self.kind != "inlineStr" and self.found is None:
                self.parts = self.found = []
                self.length = 0
        elif name == INLINE:
            if self.kind == "inlineStr":
                self.found = []
                self.length = 0
        elif name == PHONETIC:
            self.phonetic += 1
        elif name == TEXT and self.found is not None and self.kind == "inlineStr":
            too_long = self.phonetic or self.length > MAX_CELL_CHARS
            self.parts = None if too_long else self.found

    def _text(self, data: str) -> None:
        if self.parts is not None:
            self.parts.append(data)
            self.length += len(data)
            if self.length > MAX_CELL_CHARS:  # enough to refuse it: keep no more
                self.parts = None

    def _end(self, name: str) -> None:
        if name == CELL:
            if self.found is not None:
                if self.wanted:
                    text = "".join(self.found)[: MAX_CELL_CHARS + 1]
                    self._place(self.value(self.kind, self.style, text))
                self.found = self.parts = None
            self.in_cell = False
            self.phonetic = 0
        elif name == VALUE or name == TEXT:
            self.parts = None
        elif name == PHONETIC:
            self.phonetic -= 1
        elif name == ROW:
            cells = without_trailing_blanks(self.cells)
            if cells or self.beyond:
                self.ready.append(Row(self.number, cells, self.beyond))
            self._new_row()

    def _place(self, text: str) -> None:
        column = self.column
        if column >= self.width.columns:
            if text.strip():
                self.beyond = (column, text)
        elif text:
            if column < len(self.cells):
                self.cells[column] = text
            else:
                self.cells.extend([""] * (column - len(self.cells)))
                self.cells.append(text)


def _row_number(attribute: str | None, previous: int) -> int:
    if attribute is None:
        return previous + 1
    if attribute.isdigit():
        number = int(attribute)
    else:
        value = float(attribute)
        if not value.is_integer():
            raise ValueError(f"{attribute!r} is not a row number")
        number = int(value)
    if number < 1:
        raise ValueError(f"{attribute!r} is not a row number")
    return number


@functools.lru_cache(maxsize=4096)
def _letters_index(letters: str) -> int:
    index = 0
    for character in letters:
        if not "A" <= character <= "Z":
            raise ValueError(f"{letters!r} is not a column")
        index = index * 26 + ord(character) - 64
        if index > 16_384 * 26:  # far past Excel's last column, XFD: not a real reference
            raise ValueError(f"{letters!r} is not a column")
    if index == 0:
        raise ValueError("a cell reference without a column")
    return index - 1


def _column_index(reference: str) -> int:
    """`'AB12'` → 27."""
    return _letters_index(reference.rstrip("0123456789"))

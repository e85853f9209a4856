"""A row as read from a file (CSV or XLSX): its number, its cells up to the header's width,
and the first filled cell beyond that width, if any."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from .limits import MAX_COLUMNS


class Row(NamedTuple):
    """`number` as a spreadsheet shows it; `cells` at most as many as the header has;
    `beyond` the (index, text) of the first non-blank cell past them, which a table refuses."""

    number: int
    cells: list[str]
    beyond: tuple[int, str] | None = None


class Width:
    """How many cells of each row are kept: MAX_COLUMNS until the header is found, then the
    header's own width. The reader looks at it afresh for every row."""

    def __init__(self, columns: int = MAX_COLUMNS) -> None:
        self.columns = columns


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


def without_trailing_blanks(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells if end == len(cells) else cells[:end]


def fitted(number: int, cells: list[str], width: int) -> Row:
    """A row of csv's cells cut to `width`, noting the first filled cell past it."""
    if len(cells) <= width:
        return Row(number, cells)
    for index in range(width, len(cells)):
        if cells[index].strip():
            return Row(number, cells[:width], (index, cells[index]))
    return Row(number, cells[:width])


def refitted(row: Row, width: int) -> Row:
    """`row`, read while its width was wider, cut to `width`."""
    if len(row.cells) <= width:
        return row
    cut = fitted(row.number, row.cells, width)
    return cut if cut.beyond is not None else Row(row.number, cut.cells, row.beyond)

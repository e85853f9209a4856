"""The fast pass over a record-level CSV file: whole blocks of lines counted in a few C calls.

A block without quotes is split into lines and cells with `bytes.split` and counted with
`Counter`, all in C. Each line must have exactly the header's number of commas (checked per
block, also in C), so no row is ever ragged or shifted. A block with quotes is parsed with
`csv` (extended until its quotes balance, so a quoted line break never straddles two
blocks). Anything unusual raises NeedExactPass, and the exact pass reads the file instead.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from operator import itemgetter, methodcaller
from typing import BinaryIO

from .files import FIELD_LIMIT, is_blank
from .problems import Problems
from .record_columns import ColumnMapping, resolve_columns
from .record_sources import Budget, FileCount, FileRefused, NeedExactPass, line_blocks

#: A stretch of quoted text this long without its closing quote goes to the exact pass.
QUOTED_LIMIT = 4 * FIELD_LIMIT


def _decode_header(line: bytes) -> tuple[list[str], str]:
    """The header's cells and the file's likely encoding."""
    line = line.removeprefix(b"\xef\xbb\xbf").rstrip(b"\r\n")
    try:
        text, encoding = line.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        try:
            text, encoding = line.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            raise NeedExactPass("undecodable header") from None
    if text.count('"') % 2 or "\r" in text:
        raise NeedExactPass("a header with a line break")
    try:
        cells = next(csv.reader([text], strict=True), [])
    except csv.Error:
        raise NeedExactPass("a malformed header") from None
    return cells, encoding


def fast_pass(
    stream: BinaryIO,
    name: str,
    mapping: ColumnMapping,
    budget: Budget,
    problems: Problems,
) -> FileCount | None:
    """Count the file, or return None after reporting a header problem. Raises NeedExactPass
    for anything unusual."""
    result = FileCount(name)
    blocks = line_blocks(stream, budget)
    first = next(blocks, b"")
    if not first:
        raise FileRefused("the file is empty")
    end = first.find(b"\n")
    header_line, first = (first, b"") if end < 0 else (first[: end + 1], first[end + 1 :])
    header, result.encoding = _decode_header(header_line)
    if not header or is_blank(header):
        raise NeedExactPass("a blank first line")
    indexes = resolve_columns(header, mapping, name, problems, 1)
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
                raise NeedExactPass("a line ending in CR alone")
        if b'"' in block:
            while block.count(b'"') % 2:
                following = next(blocks, None)
                if following is None or len(block) > QUOTED_LIMIT:
                    raise NeedExactPass("unbalanced quotes")
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
            raise NeedExactPass("a ragged row")
        if len(block) > FIELD_LIMIT and max(map(len, lines)) > FIELD_LIMIT:
            raise NeedExactPass("a very long line")
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
        raise NeedExactPass("a ragged row")
    if lines > 1 and b"".join(cells[width::width]).count(b"\n") != lines - 1:
        raise NeedExactPass("a ragged row")
    # A mapping always has at least two columns (category and month), so keys are tuples.
    counter.update(zip(*(cells[index::width] for index in indexes), strict=True))
    return lines


def _chain(first: list[bytes], rest: Iterator[bytes]) -> Iterator[bytes]:
    yield from first
    yield from rest


def _count_quoted(block: bytes, result: FileCount, getter: itemgetter, width: int) -> int:
    """Count a block holding quotes with `csv`; keys are re-encoded so that they match the
    bytes of unquoted blocks."""
    try:
        text = block.decode(result.encoding)
    except UnicodeDecodeError:
        if result.encoding != "utf-8":
            raise NeedExactPass("undecodable text") from None
        result.encoding = "cp1252"
        try:
            text = block.decode("cp1252")
        except UnicodeDecodeError:
            raise NeedExactPass("undecodable text") from None
    if "\r" in text:
        raise NeedExactPass("a line ending in CR alone")
    try:
        rows = list(filter(None, csv.reader(io.StringIO(text, newline=""), strict=True)))
    except csv.Error:
        raise NeedExactPass("malformed CSV") from None
    if set(map(len, rows)) - {width}:
        raise NeedExactPass("a ragged row")
    encoding = result.encoding
    result.counter.update(
        tuple(value.encode(encoding) for value in key) for key in map(getter, rows)
    )
    return len(rows)

"""Refusing zip bombs before anything is decompressed.

Both XLSX workbooks and ZIPs of police.uk files are ZIP archives. The central directory
declares each member's uncompressed size; `zipfile` never returns more than that size (a member
that inflates further fails its CRC check), so checking the declared sizes and compression
ratios up front bounds the work that any later read can do.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable, Iterable

from .problems import format_size

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")

#: CSV and spreadsheet XML compress 5 to 20 times; deflate's maximum is about 1,030.
MAX_RATIO = 200
#: Members smaller than this are not ratio-checked: tiny files of blanks compress very well.
RATIO_FLOOR = 1_048_576


#: What reading a damaged archive's member raises: a member whose declared size was patched
#: fails its CRC check (BadZipFile), corrupt deflate data fails in zlib, a cut one ends early.
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError)


def damaged_message(error: Exception) -> str:
    return f"the ZIP archive is damaged ({error}); download or save it again"


def looks_like_zip(head: bytes) -> bool:
    return head.startswith(ZIP_MAGIC)


def zip_bomb_problems(
    members: Iterable[zipfile.ZipInfo],
    *,
    max_total: int,
    max_ratio: int = MAX_RATIO,
    max_part: Callable[[str], int] | None = None,
) -> list[str]:
    """Messages for members that declare an absurd size or ratio, or a total over `max_total`;
    with `max_part`, also for each member larger than `max_part(its name)`, whatever its
    compressed size."""
    messages: list[str] = []
    total = 0
    for info in members:
        if info.is_dir():
            continue
        total += info.file_size
        if info.flag_bits & 0x1:
            messages.append(f"{info.filename!r} is password-protected")
        limit = max_part(info.filename) if max_part is not None else None
        if limit is not None and info.file_size > limit:
            messages.append(
                f"{info.filename!r} would expand to {format_size(info.file_size)}, more than "
                f"the {format_size(limit)} a part of a workbook may hold"
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > max_ratio:
            messages.append(
                f"{info.filename!r} would expand from {format_size(info.compress_size)} to "
                f"{format_size(info.file_size)} ({ratio:,.0f} times); refused as a possible "
                f"zip bomb (at most {max_ratio} times)"
            )
    if total > max_total:
        messages.append(
            f"the archive would expand to {format_size(total)}, more than the "
            f"{format_size(max_total)} limit"
        )
    return messages

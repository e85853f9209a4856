"""Refusing zip bombs before anything is decompressed.

Both XLSX workbooks and ZIPs of police.uk files are ZIP archives. The central directory
declares each member's uncompressed size; `zipfile` never returns more than that size (a member
that inflates further fails its CRC check), so checking the declared sizes and compression
ratios up front bounds the work that any later read can do.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable

from .problems import format_size

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")

#: CSV and spreadsheet XML compress 5 to 20 times; deflate's maximum is about 1,030.
MAX_RATIO = 200
#: Members smaller than this are not ratio-checked: tiny files of blanks compress very well.
RATIO_FLOOR = 1_048_576


def looks_like_zip(head: bytes) -> bool:
    return head.startswith(ZIP_MAGIC)


def zip_bomb_problems(
    members: Iterable[zipfile.ZipInfo],
    *,
    max_total: int,
    max_ratio: int = MAX_RATIO,
) -> list[str]:
    """Messages for members that declare an absurd size or ratio, or a total over `max_total`."""
    messages: list[str] = []
    total = 0
    for info in members:
        if info.is_dir():
            continue
        total += info.file_size
        if info.flag_bits & 0x1:
            messages.append(f"{info.filename!r} is password-protected")
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

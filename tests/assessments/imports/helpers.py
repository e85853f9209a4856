"""Helpers shared by the import-layer tests."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from assessments.imports.parse import ImportFailed, ImportProblem, Table, read_table

REPO = Path(__file__).resolve().parents[3]
# Test data lives in the repository, so the tests run on a fresh clone.
PLYMOUTH = REPO / "assessments" / "demo_data"
POLICE = REPO / "tests" / "data" / "policeuk"
MB = 1_048_576


def table(text: str | bytes, filename: str = "upload.csv", *, max_bytes: int = 10 * MB) -> Table:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_table(data, filename, max_bytes=max_bytes)


def refused(action: Callable[..., object], *args: object, **kwargs: object) -> list[ImportProblem]:
    """The problems `action` raises ImportFailed with (failing the test if it does not)."""
    with pytest.raises(ImportFailed) as failure:
        action(*args, **kwargs)
    assert failure.value.problems, "ImportFailed without problems"
    return failure.value.problems


def at(problems: list[ImportProblem], row: int | None, column: str | None) -> ImportProblem:
    """The one problem at (row, column), failing with the full list if there is none."""
    found = [p for p in problems if p.row == row and p.column == column]
    assert found, f"no problem at row {row}, column {column!r} in: {[str(p) for p in problems]}"
    return found[0]


def line_count(path: Path) -> int:
    """Lines in a file, counted the plain way (LF or CRLF alike)."""
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb(member: str, *, megabytes: int = 200, extra: dict[str, bytes] | None = None) -> bytes:
    """A small ZIP whose `member` is `megabytes` of zeros (about 200 KB on disk for 200 MB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
        zeros = bytes(MB)
        with archive.open(member, "w") as out:
            for _ in range(megabytes):
                out.write(zeros)
    return buffer.getvalue()


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

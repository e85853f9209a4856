"""Helpers shared by the import-layer tests."""

from __future__ import annotations

import io
import struct
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


def every_row(result: Table) -> list[tuple[int, list[str]]]:
    """(row number, cells) of every data row, read to the end of the file."""
    return [(row.number, row.cells) for row in result.rows]


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


def with_declared_size(archive: bytes, member: str, size: int) -> bytes:
    """`archive` with the uncompressed size its central directory declares for `member`
    patched to `size`: zipfile then reads that many bytes and fails the member's CRC check."""
    patched = bytearray(archive)
    at = patched.find(b"PK\x01\x02")
    while at >= 0:
        name_length = struct.unpack_from("<H", patched, at + 28)[0]
        if patched[at + 46 : at + 46 + name_length].decode() == member:
            struct.pack_into("<I", patched, at + 24, size)
            return bytes(patched)
        at = patched.find(b"PK\x01\x02", at + 46)
    raise AssertionError(f"{member} is not in the archive")


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


def excel_workbook(
    sheet_data: str,
    strings: list[str] = (),
    *,
    number_formats: str = "",
    cell_formats: str = '<xf numFmtId="0"/>',
    date1904: bool = False,
) -> bytes:
    """An XLSX as Excel writes it (openpyxl writes inline strings; Excel a shared-strings
    part): `sheet_data` is the worksheet's <sheetData> content, `strings` the shared strings,
    `cell_formats` the <cellXfs> entries that cells' `s` numbers index."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006"
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    items = "".join(f'<si><t xml:space="preserve">{text}</t></si>' for text in strings)
    epoch = ' date1904="1"' if date1904 else ""
    parts = {
        "[Content_Types].xml": (
            f'<Types xmlns="{package}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package'
            '.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{kind}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{kind}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}.sharedStrings+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{kind}.styles+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{package}/relationships"><Relationship Id="rId1" '
            f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><workbookPr{epoch}/>'
            '<sheets><sheet name="Data" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{package}/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}"><sheetData>{sheet_data}</sheetData></worksheet>'
        ),
        "xl/sharedStrings.xml": f'<sst xmlns="{main}" count="{len(strings)}">{items}</sst>',
        "xl/styles.xml": (
            f'<styleSheet xmlns="{main}"><numFmts>{number_formats}</numFmts>'
            '<fonts count="1"><font/></fonts>'
            '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0"/>'
            f"</cellStyleXfs><cellXfs>{cell_formats}</cellXfs></styleSheet>"
        ),
    }
    return zip_bytes({name: text.encode() for name, text in parts.items()})

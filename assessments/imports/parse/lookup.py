"""The LSOA-to-neighbourhood look-up."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial

from . import values
from .columns import check_unique, table_rows
from .files import Table

REQUIRED = ("lsoa_code", "neighbourhood")
#: ONS codes: a letter and eight digits (E01018936 in England, W01000001 in Wales).
LSOA_CODE = re.compile(r"^[A-Z]\d{8}$")


@dataclass(frozen=True)
class LookupRow:
    lsoa_code: str
    neighbourhood: str
    row: int


def parse_lsoa_code(text: str) -> str:
    code = text.strip().upper()
    if not code:
        raise ValueError("the LSOA code is empty")
    if not LSOA_CODE.match(code):
        raise ValueError(f"{text!r} is not an LSOA code (a letter and 8 digits, like E01018936)")
    return code


def parse_lookup(table: Table, *, allow_extra_columns: bool = False) -> list[LookupRow]:
    """Columns `lsoa_code,neighbourhood`; each code may appear once."""
    seen: dict = {}
    result = []
    for reader in table_rows(table, REQUIRED, allow_extra=allow_extra_columns):
        code = reader.get("lsoa_code", parse_lsoa_code)
        neighbourhood = reader.get("neighbourhood", partial(values.name, what="neighbourhood"))
        if code is not None:
            check_unique(seen, code, reader, "lsoa_code", f"the LSOA code {code}")
        if reader.ok:
            result.append(LookupRow(code, neighbourhood, reader.number))
    return result

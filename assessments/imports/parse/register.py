"""The risk register: themes holding risks, optionally linked to data categories."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial

from . import values
from .columns import check_unique, table_rows
from .files import Table

REQUIRED = ("theme", "risk")
OPTIONAL = ("description", "categories")
DESCRIPTION_LIMIT = 5_000
_SEPARATORS = re.compile(r"[;|]")


@dataclass(frozen=True)
class RegisterRow:
    theme: str
    risk: str
    description: str
    categories: tuple[str, ...]
    row: int


def parse_categories(text: str) -> tuple[str, ...]:
    """`'Burglary; Robbery | burglary'` → `('Burglary', 'Robbery')`: split on ';' or '|',
    blanks and repeats dropped."""
    found: dict[str, str] = {}
    for part in _SEPARATORS.split(text):
        category = values.name(part, what="category", required=False)
        if category:
            found.setdefault(values.folded(category), category)
    return tuple(found.values())


def parse_register(table: Table, *, allow_extra_columns: bool = False) -> list[RegisterRow]:
    """Columns `theme,risk[,description,categories]`; each risk may appear once (in one
    theme: a risk's name is unique in its assessment)."""
    seen: dict = {}
    result = []
    for reader in table_rows(table, REQUIRED, OPTIONAL, allow_extra=allow_extra_columns):
        theme = reader.get("theme", partial(values.name, what="theme"))
        risk = reader.get("risk", partial(values.name, what="risk"))
        description = reader.get(
            "description",
            partial(values.text_value, what="description", limit=DESCRIPTION_LIMIT),
        )
        categories = reader.get("categories", parse_categories)
        if risk:
            # A risk's name is unique in the assessment, whatever its theme.
            check_unique(seen, values.folded(risk), reader, "risk", f"the risk {risk!r}")
        if reader.ok:
            result.append(RegisterRow(theme, risk, description, categories, reader.number))
    return result

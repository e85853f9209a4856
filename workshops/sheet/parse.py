"""Reading an offline scoring sheet's rows. Only the structure is checked here; whether each
theme, risk, factor, level and organisation exists is for `resolve`, which knows the database.

Pure Python: no Django, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from assessments.imports.parse import values
from assessments.imports.parse.columns import check_unique, table_rows
from assessments.imports.parse.files import Table
from assessments.safe_cells import unneutralised

REQUIRED = ("theme", "risk", "factor", "level")
OPTIONAL = ("organisation", "comment")
SHEET_COLUMNS = REQUIRED + OPTIONAL  # as downloaded, in this order
COMMENT_LIMIT = 2_000


@dataclass(frozen=True)
class ScoreRow:
    theme: str
    risk: str
    factor: str
    level: str
    organisation: str
    comment: str
    row: int


def _as_written(read, text: str, **options):
    """Read a cell as it was before a download neutralised it (`'=X` → `=X`, `'<tab>X` →
    `<tab>X`), before `read` folds its spaces, which would hide a neutralised tab or CR."""
    return read(unneutralised(text.lstrip()), **options)


def parse_score_sheet(
    table: Table, *, allow_extra_columns: bool = False, skip_blank_levels: bool = False
) -> list[ScoreRow]:
    """Columns `theme,risk,factor,level[,organisation,comment]`. An empty organisation is the
    analyst's (or agreed) score. With `skip_blank_levels`, rows whose level is empty (a sheet
    filled in part) are left out instead of being reported."""
    seen: dict = {}
    result = []
    name = partial(_as_written, values.name)
    for reader in table_rows(table, REQUIRED, OPTIONAL, allow_extra=allow_extra_columns):
        if skip_blank_levels and not reader.raw("level").strip():
            continue
        theme = reader.get("theme", partial(name, what="theme"))
        risk = reader.get("risk", partial(name, what="risk"))
        factor = reader.get("factor", partial(name, what="factor"))
        level = reader.get("level", partial(name, what="level"))
        organisation = reader.get(
            "organisation", partial(name, what="organisation", required=False)
        )
        comment = reader.get(
            "comment",
            partial(_as_written, values.text_value, what="comment", limit=COMMENT_LIMIT),
        )
        if theme and risk and factor and organisation is not None:
            who = f"organisation {organisation!r}" if organisation else "the analyst"
            check_unique(
                seen,
                tuple(values.folded(part) for part in (theme, risk, factor, organisation)),
                reader,
                "factor",
                f"a score for {factor!r} of {risk!r} by {who}",
            )
        if reader.ok:
            result.append(
                ScoreRow(theme, risk, factor, level, organisation, comment, reader.number)
            )
    return result

"""Category mappings: which indicator a source's label counts under."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from . import values
from .columns import check_unique, table_rows
from .files import Table

REQUIRED = ("source_label", "indicator")


@dataclass(frozen=True)
class MappingRow:
    source_label: str
    indicator: str
    row: int


def parse_mappings(table: Table, *, allow_extra_columns: bool = False) -> list[MappingRow]:
    """Columns `source_label,indicator`: a file's label (e.g. police.uk's "Bicycle theft")
    and the indicator it counts under; each label may appear once."""
    seen: dict = {}
    result = []
    for reader in table_rows(table, REQUIRED, allow_extra=allow_extra_columns):
        label = reader.get("source_label", partial(values.name, what="source label"))
        indicator = reader.get("indicator", partial(values.name, what="indicator"))
        if label:
            check_unique(seen, values.folded(label), reader, "source_label", f"{label!r}")
        if reader.ok:
            result.append(MappingRow(label, indicator, reader.number))
    return result

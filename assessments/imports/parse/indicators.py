"""Other statistics (health and the like): a value per indicator and period, with a comparator."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from assessments.periods import parse_period

from . import values
from .columns import check_unique, table_rows
from .files import Table

REQUIRED = ("indicator", "period", "value")
OPTIONAL = ("unit", "comparator", "comparator_value", "kind")
VALUE_BELOW = Decimal(1_000_000_000)
INDICATOR_KINDS = ("crime", "health", "other")


@dataclass(frozen=True)
class IndicatorRow:
    indicator: str
    period: str
    value: Decimal
    unit: str
    comparator: str
    comparator_value: Decimal | None
    kind: str
    row: int


def _kind(text: str) -> str:
    cleaned = text.strip().lower() or "health"
    if cleaned not in INDICATOR_KINDS:
        raise ValueError(f"{text!r} is not a kind of indicator (use crime, health or other)")
    return cleaned


def parse_indicators(table: Table, *, allow_extra_columns: bool = False) -> list[IndicatorRow]:
    """Columns `indicator,period,value[,unit,comparator,comparator_value,kind]`."""
    seen: dict = {}
    result = []
    for reader in table_rows(table, REQUIRED, OPTIONAL, allow_extra=allow_extra_columns):
        name = reader.get("indicator", partial(values.name, what="indicator"))
        period = reader.get("period", parse_period)
        value = reader.get("value", partial(values.decimal_number, what="value", below=VALUE_BELOW))
        if reader.ok and value is None:
            reader.problem("value", "the value is empty")
        unit = reader.get("unit", partial(values.name, what="unit", limit=40, required=False))
        comparator = reader.get(
            "comparator", partial(values.name, what="comparator", limit=100, required=False)
        )
        comparator_value = reader.get(
            "comparator_value",
            partial(values.decimal_number, what="comparator value", below=VALUE_BELOW),
        )
        if comparator_value is not None and not comparator:
            reader.problem("comparator", "a comparator value needs the comparator's name")
        kind = reader.get("kind", _kind)
        if name and period is not None:
            check_unique(
                seen, (values.folded(name), period), reader, "indicator", f"{name!r} for {period}"
            )
        if reader.ok:
            result.append(
                IndicatorRow(
                    name,
                    period,
                    value,
                    unit or "count",
                    comparator or "",
                    comparator_value,
                    kind,
                    reader.number,
                )
            )
    return result

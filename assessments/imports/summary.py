"""Summary tables: counts per category and period, with the most-similar-group rate."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from assessments.periods import parse_period

from . import values
from .problems import Problems
from .tables import RowReader, Table, check_unique, require_columns

REQUIRED = ("period", "category", "count")
OPTIONAL = ("msg_rate_per_1000", "area")
MAX_COUNT = 10_000_000
RATE_BELOW = Decimal(100_000)


@dataclass(frozen=True)
class SummaryRow:
    period: str
    category: str
    count: int
    msg_rate_per_1000: Decimal | None
    row: int
    area: str = ""


def parse_summary(table: Table, *, allow_extra_columns: bool = False) -> list[SummaryRow]:
    """Columns `period,category,count[,msg_rate_per_1000,area]`; raises ImportFailed listing
    every problem. Counts may use thousands separators ("23,024"). An empty or missing `area`
    means the partnership's whole area; otherwise it names a neighbourhood."""
    columns = require_columns(table, REQUIRED, OPTIONAL, allow_extra=allow_extra_columns)
    problems = Problems(table.filename)
    seen: dict = {}
    result = []
    for number, cells in table.rows:
        reader = RowReader(problems, columns, number, cells)
        period = reader.get("period", parse_period)
        category = reader.get("category", partial(values.name, what="category"))
        count = reader.get(
            "count", partial(values.whole_number, what="count", minimum=0, maximum=MAX_COUNT)
        )
        rate = reader.get(
            "msg_rate_per_1000",
            partial(values.decimal_number, what="rate per 1,000", below=RATE_BELOW),
        )
        area = reader.get("area", partial(values.name, what="area", required=False))
        if period is not None and category:
            check_unique(
                seen,
                (period, values.folded(category), values.folded(area or "")),
                reader,
                "category",
                f"{category!r} for {period}" + (f" in {area}" if area else ""),
            )
        if reader.ok:
            result.append(SummaryRow(period, category, count, rate, number, area or ""))
    problems.raise_if_any()
    return result

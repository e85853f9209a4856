"""Summary tables: counts per category and period, with the most-similar-group rate."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from assessments.periods import parse_period
from assessments.statistics import RATE_BASES, RESIDENTS

from . import values
from .columns import check_unique, table_rows
from .files import Table

REQUIRED = ("period", "category", "count")
OPTIONAL = ("msg_rate_per_1000", "area", "msg_rank", "msg_group_size", "rate_basis")
MAX_COUNT = 10_000_000
RATE_BELOW = Decimal(100_000)
MAX_GROUP = 1_000
_RANK = re.compile(r"^(\d+)\s*(?:(?:of|/|out of)\s*(\d+))?$", re.IGNORECASE)


@dataclass(frozen=True)
class SummaryRow:
    period: str
    category: str
    count: int
    msg_rate_per_1000: Decimal | None
    row: int
    area: str = ""
    msg_rank: int | None = None
    msg_group_size: int | None = None
    #: "residents" or "households"; None when the file has no rate_basis column (the
    #: category's indicator then keeps the basis it has)
    rate_basis: str | None = None


def parse_rate_basis(text: str) -> str:
    """`'households'` → "households"; empty → "residents" (the rate per 1,000 residents)."""
    cleaned = " ".join(text.split()).casefold()
    if not cleaned:
        return RESIDENTS
    if cleaned not in RATE_BASES:
        raise ValueError(
            f"{text!r} is not a rate basis: write residents or households (empty: residents)"
        )
    return cleaned


def parse_rank(text: str) -> tuple[int, int | None] | None:
    """`'2'` → (2, None); `'2 of 15'` or `'2/15'` → (2, 15); empty → None."""
    cleaned = " ".join(text.split())
    if not cleaned:
        return None
    match = _RANK.match(cleaned)
    if not match or len(cleaned) > 20:
        raise ValueError(f"{text!r} is not a position in the group (like 2, or 2 of 15)")
    rank = int(match.group(1))
    size = int(match.group(2)) if match.group(2) else None
    if not 1 <= rank <= MAX_GROUP or (size is not None and not 1 <= size <= MAX_GROUP):
        raise ValueError(f"{text!r} is not a position in a group of at most {MAX_GROUP:,}")
    if size is not None and rank > size:
        raise ValueError(f"{text!r}: the position is beyond the group's size")
    return rank, size


def parse_summary(table: Table, *, allow_extra_columns: bool = False) -> list[SummaryRow]:
    """Columns `period,category,count[,msg_rate_per_1000,area,msg_rank,msg_group_size,
    rate_basis]`;
    raises ImportFailed listing every problem. Counts may use thousands separators ("23,024").
    An empty or missing `area` means the partnership's whole area; otherwise it names a
    neighbourhood. `msg_rank` is the position in the most similar group (1 = lowest rate),
    written "2" or "2 of 15" (or give the size in `msg_group_size`). `rate_basis` says what
    the category's rates, ours and the comparator's, are per 1,000 of: residents (also when
    empty) or households."""
    seen: dict = {}
    bases: dict[str, tuple[str, int]] = {}
    result = []
    for reader in table_rows(table, REQUIRED, OPTIONAL, allow_extra=allow_extra_columns):
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
        rank = reader.get("msg_rank", parse_rank)
        group = (
            reader.get(
                "msg_group_size",
                partial(values.whole_number, what="group size", minimum=1, maximum=MAX_GROUP),
            )
            if reader.raw("msg_group_size").strip()
            else None
        )
        rate_basis = (
            reader.get("rate_basis", parse_rate_basis) if reader.has("rate_basis") else None
        )
        if rate_basis and category:
            first, first_row = bases.setdefault(
                values.folded(category), (rate_basis, reader.number)
            )
            if first != rate_basis:
                reader.problem(
                    "rate_basis",
                    f"{category!r} is per 1,000 {first} in row {first_row}: a category's "
                    "rates are all per 1,000 residents or all per 1,000 households",
                )
        msg_rank, msg_group_size = rank if rank else (None, None)
        if group is not None:
            if msg_group_size is not None and msg_group_size != group:
                reader.problem(
                    "msg_group_size",
                    f"the group size {group} differs from the {msg_group_size} in msg_rank",
                )
            elif msg_rank is not None and msg_rank > group:
                reader.problem("msg_rank", f"position {msg_rank} is beyond a group of {group}")
            msg_group_size = group
        if period is not None and category:
            check_unique(
                seen,
                (period, values.folded(category), values.folded(area or "")),
                reader,
                "category",
                f"{category!r} for {period}" + (f" in {area}" if area else ""),
            )
        if reader.ok:
            result.append(
                SummaryRow(
                    period,
                    category,
                    count,
                    rate,
                    reader.number,
                    area or "",
                    msg_rank,
                    msg_group_size,
                    rate_basis,
                )
            )
    return result

"""Population per area and period, for rates per 1,000 residents."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from assessments.periods import parse_period

from . import values
from .problems import Problems
from .tables import RowReader, Table, check_unique, require_columns

REQUIRED = ("area", "period", "population")
MAX_POPULATION = 100_000_000


@dataclass(frozen=True)
class PopulationRow:
    area: str
    period: str
    population: int
    row: int


def parse_population(table: Table, *, allow_extra_columns: bool = False) -> list[PopulationRow]:
    """Columns `area,period,population` (a whole number from 1 to 100,000,000)."""
    columns = require_columns(table, REQUIRED, allow_extra=allow_extra_columns)
    problems = Problems(table.filename)
    seen: dict = {}
    result = []
    for number, cells in table.rows:
        reader = RowReader(problems, columns, number, cells)
        area = reader.get("area", partial(values.name, what="area"))
        period = reader.get("period", parse_period)
        population = reader.get(
            "population",
            partial(values.whole_number, what="population", minimum=1, maximum=MAX_POPULATION),
        )
        if area and period is not None:
            check_unique(
                seen, (values.folded(area), period), reader, "area", f"{area!r} for {period}"
            )
        if reader.ok:
            result.append(PopulationRow(area, period, population, number))
    problems.raise_if_any()
    return result

"""Population per area and period, for rates per 1,000 residents (or households)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from assessments.periods import parse_period

from . import values
from .columns import check_unique, table_rows
from .files import Table

REQUIRED = ("area", "period", "population")
OPTIONAL = ("households",)
MAX_POPULATION = 100_000_000


@dataclass(frozen=True)
class PopulationRow:
    area: str
    period: str
    population: int
    row: int
    #: None: not known (an empty cell, or no households column)
    households: int | None = None
    #: whether the file has a households column; without one, stored households are kept
    households_given: bool = False


def _households(text: str) -> int | None:
    """An empty cell is "not known"; anything else is a whole number like the population."""
    if not text.strip():
        return None
    return values.whole_number(text, what="number of households", minimum=1, maximum=MAX_POPULATION)


def parse_population(table: Table, *, allow_extra_columns: bool = False) -> list[PopulationRow]:
    """Columns `area,period,population[,households]` (whole numbers from 1 to 100,000,000;
    an empty `households` cell means not known)."""
    seen: dict = {}
    result = []
    for reader in table_rows(table, REQUIRED, OPTIONAL, allow_extra=allow_extra_columns):
        area = reader.get("area", partial(values.name, what="area"))
        period = reader.get("period", parse_period)
        population = reader.get(
            "population",
            partial(values.whole_number, what="population", minimum=1, maximum=MAX_POPULATION),
        )
        households = reader.get("households", _households)
        if population and households and households > population:
            # Every household has a resident: the columns are probably swapped.
            reader.problem(
                "households",
                f"{households:,} households is more than the {population:,} residents",
            )
        if area and period is not None:
            check_unique(
                seen, (values.folded(area), period), reader, "area", f"{area!r} for {period}"
            )
        if reader.ok:
            result.append(
                PopulationRow(
                    area,
                    period,
                    population,
                    reader.number,
                    households,
                    households_given=reader.has("households"),
                )
            )
    return result

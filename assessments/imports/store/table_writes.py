"""Writing summary tables, populations, the LSOA look-up, other statistics and the register.

Each writer runs inside `data_import`'s transaction: raising ImportFailed undoes everything it
wrote. Rows for periods that published assessments show are accepted only if they repeat
what is stored (see `period_locks`).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from assessments.evidence import ALL_CRIME, partnership_area
from assessments.imports.parse import ImportFailed, ImportProblem, IndicatorRow
from assessments.imports.parse.problems import Problems, plural
from assessments.imports.store.labels import area_named, indicator_resolver
from assessments.imports.store.outcome import ImportOutcome
from assessments.imports.store.period_locks import PeriodLocks
from assessments.imports.store.record_totals import record_totals_refresh
from assessments.models import (
    Area,
    Assessment,
    CategoryMapping,
    Indicator,
    IndicatorValue,
    LsoaNeighbourhood,
    Partnership,
    Population,
    RecordMonth,
    Risk,
    Theme,
)
from assessments.services import risk_save

NATIONAL_COMPARATORS = {"england", "england and wales", "national", "uk", "united kingdom"}


def _number(value: Decimal | int | None) -> str:
    if value is None:
        return "nothing"
    return f"{Decimal(value).normalize():,f}"


def _unchanged_rows(unchanged: int) -> list[str]:
    """The message for rows of published periods that repeated what is stored, if any."""
    if not unchanged:
        return []
    left = "was left as it was" if unchanged == 1 else "were left as they were"
    return [
        f"{plural(unchanged, 'row')} for periods that published assessments show repeated the "
        f"stored figures and {left}."
    ]


def _repeats(current: IndicatorValue | None, values: dict) -> bool:
    """Whether a row gives exactly what is stored (so a locked period may take it)."""
    return current is not None and all(
        getattr(current, name) == value for name, value in values.items()
    )


def _values_of(partnership: Partnership, periods: Iterable[str]) -> dict[tuple, IndicatorValue]:
    return {
        (value.indicator_id, value.area_id, value.period): value
        for value in IndicatorValue.objects.filter(
            indicator__partnership=partnership, period__in=set(periods)
        )
    }


def _indicator_values_write(writes: Iterable[tuple], *, kind: str, dataset: str) -> None:
    """Store each (indicator, area, period, values) of a summary or statistics file, replacing
    what was there."""
    for indicator, area, period, values in writes:
        IndicatorValue.objects.update_or_create(
            indicator=indicator,
            area=area,
            period=period,
            defaults={**values, "source": kind, "dataset": dataset, "months": None},
        )


def summary_write(
    *, partnership: Partnership, assessment: Assessment, parsed, source: str, locks: PeriodLocks
) -> ImportOutcome:
    resolve = indicator_resolver(partnership)
    areas: dict[str, Area] = {"": partnership_area(partnership)}
    stored = _values_of(partnership, (row.period for row in parsed))
    problems = Problems(source)
    writes, unchanged = [], 0
    for row in parsed:
        key = row.area.casefold()
        if key not in areas:
            areas[key] = area_named(partnership, row.area)
        indicator, area = resolve(row.category), areas[key]
        values = {
            "value": Decimal(row.count),
            "msg_rate_per_1000": row.msg_rate_per_1000,
            "msg_rank": row.msg_rank,
            "msg_group_size": row.msg_group_size,
        }
        if locks.value_lock(row.period):
            current = stored.get((indicator.id, area.id, row.period))
            if _repeats(current, values):
                unchanged += 1
                continue
            was = _number(current.value) if current is not None else "nothing"
            problems.add(
                row.row,
                "count",
                f"{row.category} for {row.period}"
                + (f" in {row.area}" if row.area else "")
                + f" would change from {was} to {row.count:,}: {locks.reason(row.period)}",
            )
            continue
        writes.append((indicator, area, row.period, values))
    rebased = _rate_bases_check(parsed, resolve, problems, locks)
    problems.raise_if_any()
    _indicator_values_write(writes, kind="summary", dataset=source)
    for indicator, basis in rebased:
        indicator.rate_basis = basis
        indicator.save(update_fields=["rate_basis"])
    periods = sorted({row.period for row in parsed})
    categories = len({row.category.casefold() for row in parsed})
    messages = [
        f"Imported {plural(len(writes), 'count')}: {plural(categories, 'category', 'categories')} "
        f"for {', '.join(periods)}."
    ]
    messages.extend(_unchanged_rows(unchanged))
    messages.extend(
        f"{indicator.name}: rates are now per 1,000 {basis}." for indicator, basis in rebased
    )
    return ImportOutcome("summary", len(parsed), messages)


def _rate_bases_check(
    parsed, resolve, problems: Problems, locks: PeriodLocks
) -> list[tuple[Indicator, str]]:
    """The indicators whose rate basis the file changes, with their new basis. Two labels
    counted under one indicator must agree, and an indicator a published assessment shows
    keeps its basis (its rates would change)."""
    given: dict[int, tuple[Indicator, str, int, str]] = {}
    for row in parsed:
        if row.rate_basis is None:
            continue
        indicator = resolve(row.category)
        first = given.setdefault(indicator.id, (indicator, row.rate_basis, row.row, row.category))
        if first[1] != row.rate_basis:
            problems.add(
                row.row,
                "rate_basis",
                f"{row.category} counts under {indicator.name}, which row {first[2]} "
                f"({first[3]}) gives per 1,000 {first[1]}: an indicator has one rate basis",
            )
    changed = {
        indicator.id: (indicator, basis, number)
        for indicator, basis, number, _ in given.values()
        if indicator.rate_basis != basis
    }
    locked = set((locks.values or {}).keys())
    shown = (
        IndicatorValue.objects.filter(indicator_id__in=changed, period__in=locked)
        .order_by("-period")
        .values_list("indicator_id", "period")
        if changed and locked
        else []
    )
    refused: set[int] = set()
    for indicator_id, period in shown:
        if indicator_id in refused:
            continue
        refused.add(indicator_id)
        indicator, basis, number = changed[indicator_id]
        problems.add(
            number,
            "rate_basis",
            f"{indicator.name}'s rates would change from per 1,000 {indicator.rate_basis} to "
            f"per 1,000 {basis}: {locks.reason(period)}",
        )
    return [(indicator, basis) for indicator, basis, _ in changed.values()]


#: (residents, households) of an area in a period; households None when not known
PopulationFigures = tuple[int, int | None]


def population_write(
    *, partnership: Partnership, assessment: Assessment, parsed, source: str, locks: PeriodLocks
) -> ImportOutcome:
    problems = Problems(source)
    areas = {row.row: area_named(partnership, row.area) for row in parsed}
    stored: dict[tuple[int, str], PopulationFigures] = {
        (area_id, period): (population, households)
        for area_id, period, population, households in Population.objects.filter(
            area__partnership=partnership
        ).values_list("area_id", "period", "population", "households")
    }
    after = dict(stored)
    writes, unchanged = [], 0
    for row in parsed:
        key = (areas[row.row].id, row.period)
        # Without a households column the stored households stay as they are.
        households = row.households if row.households_given else stored.get(key, (0, None))[1]
        figures = (row.population, households)
        if locks.value_lock(row.period):
            if stored.get(key) == figures:
                unchanged += 1
                continue
            was_population, was_households = stored.get(key, (None, None))
            if was_population != row.population:
                problems.add(
                    row.row,
                    "population",
                    f"the population of {row.area} in {row.period} would change from "
                    f"{_number(was_population)} to {row.population:,}: "
                    f"{locks.reason(row.period)}",
                )
            if was_households != households:
                problems.add(
                    row.row,
                    "households",
                    f"the households of {row.area} in {row.period} would change from "
                    f"{_number(was_households)} to {_number(households)}: "
                    f"{locks.reason(row.period)}",
                )
            continue
        after[key] = figures
        writes.append((row, key))
    # A period without its own figure uses the latest earlier one: a new earlier figure must
    # not change the residents or households a published assessment's rates are worked out from.
    for published in locks.published:
        for row, (area_id, period) in writes:
            for index, what in enumerate(("population", "households")):
                if period < published and _latest(stored, area_id, published, index) != _latest(
                    after, area_id, published, index
                ):
                    problems.add(
                        row.row,
                        "period",
                        f"the published {published} assessment has no {what} of its own for "
                        f"{row.area} and uses the latest earlier one, which this row would "
                        f"change; {published}'s figures can no longer change",
                    )
    problems.raise_if_any()
    for row, (area_id, period) in writes:
        defaults = {"population": row.population}
        if row.households_given:
            defaults["households"] = row.households
        Population.objects.update_or_create(area_id=area_id, period=period, defaults=defaults)
    what = "population and households" if any(r.households_given for r in parsed) else "population"
    messages = [f"Imported the {what} of {plural(len(writes), 'area-period')}."]
    messages.extend(_unchanged_rows(unchanged))
    return ImportOutcome("population", len(parsed), messages)


def _latest(
    figures: dict[tuple[int, str], PopulationFigures], area_id: int, period: str, index: int
) -> tuple | None:
    """The latest (period, figure) of an area at or before `period`: index 0 residents,
    1 households (periods without a household figure skipped, as the rates skip them)."""
    known = [
        (p, values[index])
        for (a, p), values in figures.items()
        if a == area_id and p <= period and values[index] is not None
    ]
    return max(known) if known else None


def lookup_write(
    *, partnership: Partnership, assessment: Assessment, parsed, source: str, locks: PeriodLocks
) -> ImportOutcome:
    LsoaNeighbourhood.objects.filter(partnership=partnership).delete()
    areas: dict[str, Area] = {}
    rows = []
    for row in parsed:
        key = row.neighbourhood.casefold()
        if key not in areas:
            areas[key] = area_named(partnership, row.neighbourhood)
        rows.append(
            LsoaNeighbourhood(
                partnership=partnership, lsoa_code=row.lsoa_code, neighbourhood=areas[key]
            )
        )
    LsoaNeighbourhood.objects.bulk_create(rows, batch_size=2000)
    messages = [
        f"Imported {len(rows)} LSOAs in {len(areas)} neighbourhoods (replacing the old look-up)."
    ]
    periods = set(
        RecordMonth.objects.filter(partnership=partnership).values_list("period", flat=True)
    )
    recounted = record_totals_refresh(partnership=partnership, periods=periods, locks=locks)
    if recounted:
        messages.append(
            f"Recounted the record-level figures of {', '.join(recounted)} for "
            f"{partnership.area_name}'s area and neighbourhoods."
        )
    kept = sorted(periods - set(recounted))
    if kept:
        messages.append(
            f"{', '.join(kept)} kept {'its' if len(kept) == 1 else 'their'} figures: published "
            "assessments show them, and they can no longer change."
        )
    return ImportOutcome("lookup", len(rows), messages)


def indicators_write(
    *, partnership: Partnership, assessment: Assessment, parsed, source: str, locks: PeriodLocks
) -> ImportOutcome:
    area = partnership_area(partnership)
    by_name = {i.name.casefold(): i for i in Indicator.objects.filter(partnership=partnership)}
    stored = _values_of(partnership, (row.period for row in parsed))
    problems = Problems(source)
    writes, unchanged = [], 0
    for row in parsed:
        indicator = by_name.get(row.indicator.casefold())
        if indicator is None:
            indicator = by_name[row.indicator.casefold()] = Indicator.objects.create(
                partnership=partnership,
                name=row.indicator,
                kind=row.kind,
                unit=row.unit,
                order=1000 + len(by_name),
            )
        values = {"value": row.value, **_comparator(row)}
        if locks.value_lock(row.period):
            current = stored.get((indicator.id, area.id, row.period))
            if _repeats(current, values):
                unchanged += 1
                continue
            problems.add(
                row.row,
                "value",
                f"{row.indicator} for {row.period} would change: {locks.reason(row.period)}",
            )
            continue
        writes.append((indicator, area, row.period, values))
    problems.raise_if_any()
    _indicator_values_write(writes, kind="indicators", dataset=source)
    messages = [f"Imported {plural(len(writes), 'statistic')}."]
    messages.extend(_unchanged_rows(unchanged))
    return ImportOutcome("indicators", len(parsed), messages)


def _comparator(row: IndicatorRow) -> dict:
    national = row.comparator.casefold() in NATIONAL_COMPARATORS
    return {
        "national_value": row.comparator_value if national else None,
        "national_label": row.comparator if national else "",
        "regional_value": None if national else row.comparator_value,
        "regional_label": "" if national else row.comparator,
    }


def register_write(
    *, partnership: Partnership, assessment: Assessment, parsed, source: str, locks: PeriodLocks
) -> ImportOutcome:
    by_name = {i.name.casefold(): i for i in Indicator.objects.filter(partnership=partnership)}
    problems = [
        ImportProblem(row.row, "categories", f"{category!r} is not an indicator of {partnership}")
        for row in parsed
        for category in row.categories
        if category.casefold() not in by_name
    ]
    if problems:
        raise ImportFailed(problems)
    themes: dict[str, Theme] = {t.name.casefold(): t for t in assessment.themes.all()}
    risks = {r.name.casefold(): r for r in Risk.objects.filter(assessment=assessment)}
    created = 0
    for order, row in enumerate(parsed):
        theme = themes.get(row.theme.casefold())
        if theme is None:
            theme = themes[row.theme.casefold()] = Theme.objects.create(
                assessment=assessment, name=row.theme, order=len(themes)
            )
        risk = risks.get(row.risk.casefold())
        if risk is None:
            risk = Risk(assessment=assessment, theme=theme, name=row.risk, order=order)
            created += 1
        risk.theme, risk.order = theme, order
        if row.description:
            risk.description = row.description
        # Through the service, so a carried-forward risk given new substance becomes "changed".
        linked = [by_name[c.casefold()] for c in row.categories] if row.categories else None
        risk_save(risk=risk, indicators=linked)
    return ImportOutcome(
        "register",
        len(parsed),
        [f"Imported {len(parsed)} risks in {len(themes)} themes ({created} new)."],
    )


def mappings_write(
    *, partnership: Partnership, assessment: Assessment, parsed, source: str, locks: PeriodLocks
) -> ImportOutcome:
    """Replace the partnership's category mappings with the file's."""
    problems = [
        ImportProblem(
            row.row,
            "indicator",
            f"{ALL_CRIME} is worked out from the other crime categories; map {row.source_label!r} "
            "to one of them",
        )
        for row in parsed
        if row.indicator.casefold() == ALL_CRIME.casefold()
    ]
    if problems:
        raise ImportFailed(problems, source)
    by_name = {i.name.casefold(): i for i in Indicator.objects.filter(partnership=partnership)}
    next_order = max((i.order for i in by_name.values()), default=-1) + 1
    created = 0
    CategoryMapping.objects.filter(partnership=partnership).delete()
    mappings = []
    for row in parsed:
        indicator = by_name.get(row.indicator.casefold())
        if indicator is None:
            indicator = by_name[row.indicator.casefold()] = Indicator.objects.create(
                partnership=partnership, name=row.indicator, order=next_order
            )
            next_order += 1
            created += 1
        mappings.append(
            CategoryMapping(
                partnership=partnership, source_label=row.source_label, indicator=indicator
            )
        )
    CategoryMapping.objects.bulk_create(mappings)
    indicators = len({m.indicator_id for m in mappings})
    return ImportOutcome(
        "mappings",
        len(parsed),
        [
            f"Imported {plural(len(mappings), 'mapping')} (replacing the old ones): the labels "
            f"count under {plural(indicators, 'indicator')} ({created} new). Mappings apply to "
            "record-level files imported from now on: re-import files for them to take effect."
        ],
    )

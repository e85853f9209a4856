"""Read the evidence for an assessment: the figures every page, chart and export shows.

Each function runs a fixed number of queries whatever the amount of data, and derives its
figures through `assessments.statistics` so the same number appears the same way everywhere.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from assessments.display import evidence_charts
from assessments.models import (
    Area,
    AreaKind,
    Assessment,
    Indicator,
    IndicatorKind,
    IndicatorValue,
    Partnership,
    Population,
    RecordMonth,
)
from assessments.periods import (
    describe_months,
    following_period,
    period_months,
    period_start_year,
    previous_period,
)
from assessments.statistics import (
    RATE_BASES,
    SEASONAL_YEARS,
    IndicatorFigures,
    NeighbourhoodRank,
    SeasonalMonth,
    indicator_figures,
    is_full_year,
    neighbourhood_ranking,
    seasonal_profile,
    seasonal_years,
)

ALL_CRIME = "All crime"
# Anti-social behaviour is recorded as incidents, not crimes: it is never part of "All crime".
ASB_WORDS = ("anti-social behaviour", "antisocial behaviour", "asb")


def plain(value: Decimal | None) -> Decimal | None:
    """A stored decimal without the column's padding zeros: 107.8000 → 107.8, 575.0000 → 575."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def is_asb(name: str) -> bool:
    """Whether an indicator counts anti-social behaviour incidents rather than crimes."""
    folded = name.casefold()
    return any(word in folded for word in ASB_WORDS)


def partnership_area(partnership: Partnership) -> Area:
    """The Area row standing for the partnership's whole area (created on first use)."""
    area, _ = Area.objects.get_or_create(
        partnership=partnership,
        kind=AreaKind.PARTNERSHIP,
        defaults={"name": partnership.area_name},
    )
    return area


@dataclass(frozen=True)
class Denominators:
    """What the partnership's rates per 1,000 are counted against in a period."""

    residents: int | None
    households: int | None
    # The periods they are from: an earlier one when the period has none of its own.
    residents_period: str = ""
    households_period: str = ""


def area_denominators(partnership: Partnership, period: str) -> Denominators:
    """Residents and households of the partnership's area in the period, each the period's
    own figure or else the latest earlier one, in one query."""
    residents = households = None
    residents_period = households_period = ""
    for population, known_households, year in (
        Population.objects.filter(
            area__partnership=partnership, area__kind=AreaKind.PARTNERSHIP, period__lte=period
        )
        .order_by("-period")
        .values_list("population", "households", "period")
    ):
        if residents is None:
            residents, residents_period = population, year
        if households is None and known_households is not None:
            households, households_period = known_households, year
        if households is not None:
            break
    return Denominators(residents, households, residents_period, households_period)


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator of the crime table or the other-statistics table, with its figures."""

    indicator_id: int
    name: str
    kind: str
    unit: str
    figures: IndicatorFigures
    value: Decimal | None
    regional_value: Decimal | None
    regional_label: str
    national_value: Decimal | None
    national_label: str
    msg_rank: int | None
    msg_group_size: int | None
    source: str = ""
    dataset: str = ""

    @property
    def source_note(self) -> str:
        """Where this period's figure comes from, e.g. "police-uk records, 3 of 12 months"."""
        return source_note(self.source, self.dataset, self.figures.months)

    @property
    def rate_basis(self) -> str:
        """ "residents" or "households": what the rate and its comparator are per 1,000 of."""
        return self.figures.rate_basis


def source_note(source: str, dataset: str, months: int | None) -> str:
    """A figure's origin in words: which dataset or file, and how much of the year."""
    if source == "records":
        cover = "the whole year" if is_full_year(months) else f"{months} of 12 months"
        return f"{dataset or 'record-level'} records, {cover}"
    if source == "summary":
        return f"summary table{f' ({dataset})' if dataset else ''}"
    if source == "indicators":
        return f"other statistics{f' ({dataset})' if dataset else ''}"
    return source


def indicator_rows(assessment: Assessment) -> list[IndicatorRow]:
    """Every indicator with a value this period or last, for the partnership's area."""
    period, before = assessment.period, previous_period(assessment.period)
    denominators = area_denominators(assessment.partnership, period)
    values: dict[int, dict[str, IndicatorValue]] = defaultdict(dict)
    indicators: dict[int, Indicator] = {}
    for value in IndicatorValue.objects.filter(
        indicator__partnership=assessment.partnership,
        area__kind=AreaKind.PARTNERSHIP,
        period__in=[period, before],
    ).select_related("indicator"):
        values[value.indicator_id][value.period] = value
        indicators[value.indicator_id] = value.indicator
    rows = []
    for indicator in sorted(indicators.values(), key=_table_order):
        now, then = values[indicator.id].get(period), values[indicator.id].get(before)
        is_count = indicator.is_count
        figures = indicator_figures(
            count=int(now.value) if now and is_count else None,
            previous_count=int(then.value) if then and is_count else None,
            population=denominators.residents if is_count else None,
            households=denominators.households if is_count else None,
            rate_basis=indicator.rate_basis,
            msg_rate=plain(now.msg_rate_per_1000) if now else None,
            months=now.months if now else None,
            previous_months=then.months if then else None,
        )
        rows.append(
            IndicatorRow(
                indicator_id=indicator.id,
                name=indicator.name,
                kind=indicator.kind,
                unit=indicator.unit,
                figures=figures,
                value=plain(now.value) if now else None,
                regional_value=plain(now.regional_value) if now else None,
                regional_label=now.regional_label if now else "",
                national_value=plain(now.national_value) if now else None,
                national_label=now.national_label if now else "",
                msg_rank=now.msg_rank if now else None,
                msg_group_size=now.msg_group_size if now else None,
                source=now.source if now else "",
                dataset=now.dataset if now else "",
            )
        )
    return rows


def _table_order(indicator: Indicator) -> tuple:
    # All crime first, as in the seed's table; then the partnership's own order.
    return (indicator.name != ALL_CRIME, indicator.order, indicator.name.casefold())


def crime_rows(rows: list[IndicatorRow]) -> list[IndicatorRow]:
    """The crime table: count indicators of crime and incidents."""
    return [r for r in rows if r.kind == IndicatorKind.CRIME and r.unit == "count"]


def crime_sources(rows: list[IndicatorRow]) -> list[str]:
    """The distinct origins of the crime table's figures, in table order."""
    return list(dict.fromkeys(row.source_note for row in rows if row.source))


def other_rows(rows: list[IndicatorRow]) -> list[IndicatorRow]:
    """Health and other statistics (rates, percentages, counts of people)."""
    return [r for r in rows if not (r.kind == IndicatorKind.CRIME and r.unit == "count")]


@dataclass(frozen=True)
class QuickFacts:
    """The seed's 'Quick facts' box."""

    period: str
    population: int | None
    all_crime: IndicatorRow | None
    asb: IndicatorRow | None
    #: for a part year counted from records: which months, e.g. "January to March 2017"
    months_covered: str = ""
    households: int | None = None
    # The period the population figures are from, when it is not this one (carried).
    population_period: str = ""
    households_period: str = ""

    @property
    def previous_period(self) -> str:
        return previous_period(self.period)


def quick_facts(assessment: Assessment, rows: list[IndicatorRow]) -> QuickFacts:
    """All crime and anti-social behaviour for the period, from the indicator rows."""
    all_crime = next((r for r in rows if r.name == ALL_CRIME), None)
    asb = next((r for r in rows if is_asb(r.name) and r.unit == "count"), None)
    months_covered = ""
    if all_crime is not None and all_crime.figures.is_partial:
        months_covered = describe_months(
            RecordMonth.objects.filter(
                partnership=assessment.partnership,
                dataset=all_crime.dataset,
                period=assessment.period,
            ).values_list("month", flat=True)
        )
    denominators = area_denominators(assessment.partnership, assessment.period)
    return QuickFacts(
        period=assessment.period,
        population=denominators.residents,
        all_crime=all_crime,
        asb=asb,
        months_covered=months_covered,
        households=denominators.households,
        population_period=_other(denominators.residents_period, assessment.period),
        households_period=_other(denominators.households_period, assessment.period),
    )


def _other(period: str, this: str) -> str:
    """`period` when it is not `this` one, else empty."""
    return "" if period == this else period


@dataclass(frozen=True)
class NeighbourhoodFigures:
    """Crimes per neighbourhood in a period, ranked by rate, and where they come from."""

    ranking: list[NeighbourhoodRank]
    source: str = ""
    dataset: str = ""
    months: int | None = None

    @property
    def from_summary(self) -> bool:
        """Given in a summary table, which may list only some neighbourhoods."""
        return self.source == "summary"

    @property
    def source_note(self) -> str:
        return source_note(self.source, self.dataset, self.months)

    @property
    def has_rates(self) -> bool:
        """Whether any neighbourhood has a population, so a rate to rank by."""
        return any(n.rate_per_1000 is not None for n in self.ranking)


def neighbourhood_figures(assessment: Assessment) -> NeighbourhoodFigures:
    """Crimes per neighbourhood in the period: counted from records through the LSOA look-up
    when they were imported (and kept as they were then), or as given in a summary table."""
    partnership = assessment.partnership
    rows = list(
        IndicatorValue.objects.filter(
            indicator__partnership=partnership,
            indicator__name=ALL_CRIME,
            area__kind=AreaKind.NEIGHBOURHOOD,
            period=assessment.period,
        ).values_list("area__name", "value", "source", "dataset", "months")
    )
    if not rows:
        return NeighbourhoodFigures([])
    populations = _neighbourhood_populations(partnership, assessment.period)
    ranking = neighbourhood_ranking(
        (name, int(value), populations.get(name)) for name, value, *_ in rows
    )
    # Records-derived figures come from one dataset; a summary's were given as they are.
    sources = {(source, dataset, months) for _, _, source, dataset, months in rows}
    source, dataset, months = sorted(sources, key=lambda s: (s[0] != "records", s[1]))[0]
    return NeighbourhoodFigures(ranking, source, dataset, months)


def neighbourhoods(assessment: Assessment) -> list[NeighbourhoodRank]:
    """Crimes per neighbourhood in the period, highest rate first."""
    return neighbourhood_figures(assessment).ranking


def _neighbourhood_populations(partnership: Partnership, period: str) -> dict[str, int]:
    latest: dict[str, tuple[str, int]] = {}
    for name, row_period, population in Population.objects.filter(
        area__partnership=partnership, area__kind=AreaKind.NEIGHBOURHOOD, period__lte=period
    ).values_list("area__name", "period", "population"):
        if name not in latest or row_period > latest[name][0]:
            latest[name] = (row_period, population)
    return {name: population for name, (_, population) in latest.items()}


def monthly_crime(assessment: Assessment) -> dict[str, int]:
    """Crimes per month in the partnership's area over this and the two previous periods,
    from record-level data: each month from the most recently imported dataset holding it."""
    start = period_start_year(assessment.period)
    first_month = f"{start - (SEASONAL_YEARS - 1)}-04"
    last_month = period_months(assessment.period)[-1]
    newest: dict[str, tuple] = {}
    for month, dataset, imported_at, crimes in RecordMonth.objects.filter(
        partnership=assessment.partnership, month__gte=first_month, month__lte=last_month
    ).values_list("month", "dataset", "imported_at", "crimes"):
        if month not in newest or (imported_at, dataset) > newest[month][:2]:
            newest[month] = (imported_at, dataset, crimes)
    return {month: crimes for month, (_, _, crimes) in newest.items()}


@dataclass(frozen=True)
class Seasonal:
    """The seasonal pattern: each month against its average over `years`, or why not shown."""

    months: list[SeasonalMonth]
    years: list[str]
    reason: str = ""  # why not, with what to do about it: for the app's pages
    missing: str = ""  # why not, in the reader's words: for the report, which gives no advice

    @property
    def average_label(self) -> str:
        """ "three-year average" or "two-year average"."""
        words = {1: "one", 2: "two", 3: "three"}
        return f"{words.get(len(self.years), len(self.years))}-year average"


def seasonal(assessment: Assessment) -> Seasonal:
    """Each month of the period against its average over up to three years; shown only when
    at least two years of monthly data exist (one year is its own average: every month 0%)."""
    monthly = monthly_crime(assessment)
    years = seasonal_years(monthly, assessment.period)
    first = f"{period_start_year(assessment.period) - (SEASONAL_YEARS - 1)}"
    span = f"{first}/{(int(first) + 1) % 100:02d} to {assessment.period}"
    if assessment.period not in years:
        reason = (
            f"No monthly crime figures for {assessment.period} have been imported, so there is "
            "no seasonal pattern: it needs record-level data by month, and summary tables give "
            "whole years only. Import data.police.uk street-level files (for this year and at "
            "least the year before) to see it."
        )
        missing = (
            f"Monthly crime figures for {assessment.period} were not available, so no "
            "seasonal pattern is shown."
        )
        return Seasonal([], years, reason, missing)
    if len(years) < 2:
        reason = (
            f"Monthly crime figures have been imported for {describe_months(_months_of(monthly))} "
            f"only. The seasonal pattern compares each month with the same month in earlier "
            f"years, so it needs at least two years of monthly data ({span}): import "
            f"record-level files for {previous_period(assessment.period)} too."
        )
        missing = (
            f"Monthly crime figures were available for {describe_months(_months_of(monthly))} "
            "only; a seasonal pattern compares each month with earlier years, so none is shown."
        )
        return Seasonal([], years, reason, missing)
    return Seasonal(seasonal_profile(monthly, assessment.period), years)


def _months_of(monthly: dict[str, int]) -> list[str]:
    return sorted(monthly)


@dataclass(frozen=True)
class TrendPoint:
    """All crime in one period; None where no figure was imported (the line breaks there)."""

    period: str
    count: int | None
    months: int | None = None

    @property
    def is_partial(self) -> bool:
        return not is_full_year(self.months)


def all_crime_trend(partnership: Partnership, up_to: str | None = None) -> list[TrendPoint]:
    """All crime per period up to `up_to`, every period between the first and the last
    included: a period without a figure has None, so the chart's line breaks at the gap."""
    values = IndicatorValue.objects.filter(
        indicator__partnership=partnership,
        indicator__name=ALL_CRIME,
        area__kind=AreaKind.PARTNERSHIP,
    )
    if up_to is not None:
        values = values.filter(period__lte=up_to)
    known = {
        period: (int(value), months)
        for period, value, months in values.order_by("period").values_list(
            "period", "value", "months"
        )
    }
    if not known:
        return []
    points = []
    period, last = min(known), max(known)
    while period <= last:
        count, months = known.get(period, (None, None))
        points.append(TrendPoint(period, count, months))
        period = following_period(period)
    return points


def trend_part_years(trend: list[TrendPoint]) -> dict[str, str]:
    """The trend's part years with how much they cover: {"2016/17": "3 of 12 months"}."""
    return {
        point.period: f"{point.months} of 12 months"
        for point in trend
        if point.count is not None and point.is_partial
    }


SORT_KEYS = {
    "name": lambda r: r.name.casefold(),
    "previous": lambda r: r.figures.previous_count,
    "count": lambda r: r.figures.count,
    "change": lambda r: r.figures.change,
    "pct_change": lambda r: r.figures.pct_change,
    "rate": lambda r: r.figures.rate_per_1000,
}


def sort_rows(rows: list[IndicatorRow], key: str, descending: bool) -> list[IndicatorRow]:
    """The crime table sorted by a column; unknown values always last. Rates per resident
    and per household are never ranked against each other: sorted by rate, each basis is
    its own block (residents first)."""
    get = SORT_KEYS.get(key)
    if get is None:
        return rows
    known = sorted((r for r in rows if get(r) is not None), key=get, reverse=descending)
    unknown = [r for r in rows if get(r) is None]
    if key == "rate":
        known.sort(key=lambda r: RATE_BASES.index(r.rate_basis))  # stable: keeps the order
    return known + unknown


@dataclass(frozen=True)
class Overview:
    """Everything the evidence page (and the report) shows, charts included as SVG."""

    facts: QuickFacts
    crime: list[IndicatorRow]
    other: list[IndicatorRow]
    neighbourhoods: NeighbourhoodFigures
    seasonal: Seasonal
    trend: list[TrendPoint]
    neighbourhood_chart: str
    seasonal_chart: str
    trend_chart: str

    @property
    def crime_sources(self) -> list[str]:
        """The distinct origins of the crime table's figures, in table order."""
        return crime_sources(self.crime)

    @property
    def trend_has_gaps(self) -> bool:
        return any(point.count is None for point in self.trend)

    @property
    def trend_has_part_years(self) -> bool:
        return any(point.is_partial for point in self.trend if point.count is not None)


def overview(assessment: Assessment, *, sort: str = "", descending: bool = False) -> Overview:
    """The evidence for an assessment, with charts (each chart also has a table alternative)."""
    rows = indicator_rows(assessment)
    areas = neighbourhood_figures(assessment)
    pattern = seasonal(assessment)
    trend = all_crime_trend(assessment.partnership, up_to=assessment.period)
    return Overview(
        facts=quick_facts(assessment, rows),
        crime=sort_rows(crime_rows(rows), sort, descending),
        other=other_rows(rows),
        neighbourhoods=areas,
        seasonal=pattern,
        trend=trend,
        neighbourhood_chart=evidence_charts.neighbourhood_chart(
            [(n.rank, n.name, n.count, n.rate_per_1000) for n in areas.ranking],
            has_rates=areas.has_rates,
            period=assessment.period,
        ),
        seasonal_chart=evidence_charts.seasonal_chart(
            [(m.label, m.month, m.pct_vs_average) for m in pattern.months],
            average_label=pattern.average_label,
            period=assessment.period,
        ),
        trend_chart=evidence_charts.trend_chart(
            [(point.period, point.count) for point in trend], part_years=trend_part_years(trend)
        ),
    )

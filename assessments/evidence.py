"""Read the evidence for an assessment: the figures every page, chart and export shows.

Each function runs a fixed number of queries whatever the amount of data, and derives its
figures through `assessments.statistics` so the same number appears the same way everywhere.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from assessments.models import (
    Area,
    AreaKind,
    Assessment,
    Indicator,
    IndicatorKind,
    IndicatorValue,
    LsoaNeighbourhood,
    Partnership,
    Population,
    RecordCount,
)
from assessments.periods import period_months, period_start_year, previous_period
from assessments.statistics import (
    IndicatorFigures,
    NeighbourhoodRank,
    SeasonalMonth,
    indicator_figures,
    neighbourhood_ranking,
    seasonal_profile,
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


def area_population(partnership: Partnership, period: str) -> int | None:
    """Residents of the partnership's area in the period (or the latest earlier figure)."""
    population = (
        Population.objects.filter(
            area__partnership=partnership, area__kind=AreaKind.PARTNERSHIP, period__lte=period
        )
        .order_by("-period")
        .values_list("population", flat=True)
        .first()
    )
    return population


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


def indicator_rows(assessment: Assessment) -> list[IndicatorRow]:
    """Every indicator with a value this period or last, for the partnership's area."""
    period, before = assessment.period, previous_period(assessment.period)
    population = area_population(assessment.partnership, period)
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
            population=population if is_count else None,
            msg_rate=plain(now.msg_rate_per_1000) if now else None,
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
            )
        )
    return rows


def _table_order(indicator: Indicator) -> tuple:
    # All crime first, as in the seed's table; then the partnership's own order.
    return (indicator.name != ALL_CRIME, indicator.order, indicator.name.casefold())


def crime_rows(rows: list[IndicatorRow]) -> list[IndicatorRow]:
    """The crime table: count indicators of crime and incidents."""
    return [r for r in rows if r.kind == IndicatorKind.CRIME and r.unit == "count"]


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


def quick_facts(assessment: Assessment, rows: list[IndicatorRow]) -> QuickFacts:
    """All crime and anti-social behaviour for the period, from the indicator rows."""
    all_crime = next((r for r in rows if r.name == ALL_CRIME), None)
    asb = next((r for r in rows if is_asb(r.name) and r.unit == "count"), None)
    return QuickFacts(
        period=assessment.period,
        population=area_population(assessment.partnership, assessment.period),
        all_crime=all_crime,
        asb=asb,
    )


def neighbourhoods(assessment: Assessment) -> list[NeighbourhoodRank]:
    """Crimes per neighbourhood in the period (records rolled up through the LSOA look-up)."""
    partnership = assessment.partnership
    asb_ids = [i.id for i in Indicator.objects.filter(partnership=partnership) if is_asb(i.name)]
    lsoa_counts = (
        RecordCount.objects.filter(partnership=partnership, period=assessment.period, flag="")
        .exclude(indicator_id__in=asb_ids)
        .exclude(lsoa_code="")
        .values("lsoa_code")
        .annotate(total=Sum("count"))
    )
    lookup = dict(
        LsoaNeighbourhood.objects.filter(partnership=partnership).values_list(
            "lsoa_code", "neighbourhood__name"
        )
    )
    counts: dict[str, int] = defaultdict(int)
    for row in lsoa_counts:
        name = lookup.get(row["lsoa_code"])
        if name:
            counts[name] += row["total"]
    if not counts:
        # No record-level data: use neighbourhood values from summary imports, if any.
        for name, value in IndicatorValue.objects.filter(
            indicator__partnership=partnership,
            indicator__name=ALL_CRIME,
            area__kind=AreaKind.NEIGHBOURHOOD,
            period=assessment.period,
        ).values_list("area__name", "value"):
            counts[name] = int(value)
    populations = _neighbourhood_populations(partnership, assessment.period)
    return neighbourhood_ranking(
        (name, count, populations.get(name)) for name, count in counts.items()
    )


def _neighbourhood_populations(partnership: Partnership, period: str) -> dict[str, int]:
    latest: dict[str, tuple[str, int]] = {}
    for name, row_period, population in Population.objects.filter(
        area__partnership=partnership, area__kind=AreaKind.NEIGHBOURHOOD, period__lte=period
    ).values_list("area__name", "period", "population"):
        if name not in latest or row_period > latest[name][0]:
            latest[name] = (row_period, population)
    return {name: population for name, (_, population) in latest.items()}


def monthly_crime(assessment: Assessment) -> dict[str, int]:
    """Crimes per month over this and the two previous periods, from record-level data."""
    start = period_start_year(assessment.period)
    first_month = f"{start - 2}-04"
    last_month = period_months(assessment.period)[-1]
    asb = Q()
    for word in ASB_WORDS:
        asb |= Q(indicator__name__icontains=word)
    rows = (
        RecordCount.objects.filter(
            partnership=assessment.partnership,
            flag="",
            month__gte=first_month,
            month__lte=last_month,
        )
        .exclude(asb)
        .values("month")
        .annotate(total=Sum("count"))
    )
    return {row["month"]: row["total"] for row in rows}


def seasonal(assessment: Assessment) -> list[SeasonalMonth]:
    """Each month of the period against its three-year average (empty without monthly data)."""
    monthly = monthly_crime(assessment)
    if not any(month in monthly for month in period_months(assessment.period)):
        return []
    return seasonal_profile(monthly, assessment.period)


def all_crime_trend(partnership: Partnership) -> list[tuple[str, int]]:
    """All crime per period, for the trend chart."""
    return [
        (period, int(value))
        for period, value in IndicatorValue.objects.filter(
            indicator__partnership=partnership,
            indicator__name=ALL_CRIME,
            area__kind=AreaKind.PARTNERSHIP,
        )
        .order_by("period")
        .values_list("period", "value")
    ]


SORT_KEYS = {
    "name": lambda r: r.name.casefold(),
    "previous": lambda r: r.figures.previous_count,
    "count": lambda r: r.figures.count,
    "change": lambda r: r.figures.change,
    "pct_change": lambda r: r.figures.pct_change,
    "rate": lambda r: r.figures.rate_per_1000,
}


def sort_rows(rows: list[IndicatorRow], key: str, descending: bool) -> list[IndicatorRow]:
    """The crime table sorted by a column; unknown values always last."""
    get = SORT_KEYS.get(key)
    if get is None:
        return rows
    known = [r for r in rows if get(r) is not None]
    unknown = [r for r in rows if get(r) is None]
    return sorted(known, key=get, reverse=descending) + unknown


@dataclass(frozen=True)
class Overview:
    """Everything the evidence page (and the report) shows, charts included as SVG."""

    facts: QuickFacts
    crime: list[IndicatorRow]
    other: list[IndicatorRow]
    neighbourhoods: list[NeighbourhoodRank]
    seasonal: list[SeasonalMonth]
    trend: list[tuple[str, int]]
    neighbourhood_chart: str
    seasonal_chart: str
    trend_chart: str


def overview(assessment: Assessment, *, sort: str = "", descending: bool = False) -> Overview:
    """The evidence for an assessment, with charts (each chart also has a table alternative)."""
    from assessments import charts

    rows = indicator_rows(assessment)
    ranking = neighbourhoods(assessment)
    profile = seasonal(assessment)
    trend = all_crime_trend(assessment.partnership)
    return Overview(
        facts=quick_facts(assessment, rows),
        crime=sort_rows(crime_rows(rows), sort, descending),
        other=other_rows(rows),
        neighbourhoods=ranking,
        seasonal=profile,
        trend=trend,
        neighbourhood_chart=charts.bar_chart_horizontal(
            [(n.name, n.rate_per_1000) for n in ranking if n.rate_per_1000 is not None],
            title=f"Crime rate by neighbourhood, {assessment.period}",
            unit_label="crimes per 1,000 residents",
            highlight={n.name for n in ranking[:5]},
        ),
        seasonal_chart=charts.diverging_bar_chart(
            [(m.label, m.pct_vs_average) for m in profile],
            title=f"Crime each month against its three-year average, {assessment.period}",
        ),
        trend_chart=charts.line_chart(trend, title="All recorded crime per year", y_label="crimes"),
    )

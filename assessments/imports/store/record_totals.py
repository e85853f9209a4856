"""Yearly figures counted from record-level data, worked out on import and stored.

For each period: each indicator's count in the partnership's area, "All crime" (every crime
but anti-social behaviour), each neighbourhood's crimes, and each month's crimes (for the
seasonal pattern). The partnership's area is its LSOA look-up plus records with no location
(PRODUCT.md: "No Location" rows still count); without a look-up every record counts.

Datasets are never added together. Each indicator's figure for a period comes from one
dataset: the most recently imported of those with records of it in that period. Each figure
says which dataset it comes from and how many months of the period that dataset covers, so a
part year is never shown as a whole one. A summary table's or other statistics' figure for
the same indicator and period wins over one counted from records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.db.models import BooleanField, Case, Q, Sum, Value, When

from assessments.evidence import ALL_CRIME, is_asb, partnership_area
from assessments.imports.store.labels import indicator_resolver
from assessments.imports.store.period_locks import PeriodLocks
from assessments.models import (
    Indicator,
    IndicatorValue,
    LsoaNeighbourhood,
    Partnership,
    RecordCount,
    RecordMonth,
)

RECORDS = "records"
_EARLIEST = datetime.min


class _Totals:
    """Counts of one refresh, by dataset: what each could give, before one is chosen."""

    def __init__(self) -> None:
        # (indicator id or flag name, period) → dataset → count in the area
        self.values: dict[tuple[int | str, str], dict[str, int]] = defaultdict(
            lambda: defaultdict(int)
        )
        # period → dataset → crimes in the area
        self.crimes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        # (dataset, month) → crimes in the area, records outside it
        self.month_crimes: dict[tuple[str, str], int] = defaultdict(int)
        self.month_outside: dict[tuple[str, str], int] = defaultdict(int)


def record_totals_refresh(
    *, partnership: Partnership, periods: Iterable[str], locks: PeriodLocks
) -> list[str]:
    """Recount the stored figures of `periods` from their record counts, except the periods
    published assessments show (their figures never change). Returns the periods recounted.

    Records-derived values that the recount no longer gives (a category gone from a
    re-imported file, say) are deleted."""
    recount = sorted(period for period in set(periods) if not locks.value_lock(period))
    if not recount:
        return []
    lookup = dict(
        LsoaNeighbourhood.objects.filter(partnership=partnership).values_list(
            "lsoa_code", "neighbourhood_id"
        )
    )
    asb = {
        indicator_id
        for indicator_id, name in Indicator.objects.filter(partnership=partnership).values_list(
            "id", "name"
        )
        if is_asb(name)
    }
    months = list(RecordMonth.objects.filter(partnership=partnership, period__in=recount))
    recency: dict[tuple[str, str], datetime] = {}
    covered: dict[tuple[str, str], int] = defaultdict(int)
    for month in months:
        key = (month.dataset, month.period)
        recency[key] = max(recency.get(key, month.imported_at), month.imported_at)
        covered[key] += 1

    totals = _count(partnership, recount, asb, bool(lookup))

    def newest(period: str, datasets: Iterable[str]) -> str:
        return max(datasets, key=lambda name: (_aware(recency.get((name, period))), name))

    area = partnership_area(partnership)
    resolve = indicator_resolver(partnership)
    all_crime = resolve(ALL_CRIME).id
    # (indicator id, area id, period) → (value, dataset, months)
    results: dict[tuple[int, int, str], tuple[int, str, int]] = {}
    for (indicator, period), by_dataset in totals.values.items():
        dataset = newest(period, by_dataset)
        indicator_id = resolve(indicator).id if isinstance(indicator, str) else indicator
        months_covered = covered.get((dataset, period), 12)
        results[(indicator_id, area.id, period)] = (
            by_dataset[dataset],
            dataset,
            months_covered,
        )
    winners: dict[str, str] = {}
    for period, by_dataset in totals.crimes.items():
        dataset = winners[period] = newest(period, by_dataset)
        results[(all_crime, area.id, period)] = (
            by_dataset[dataset],
            dataset,
            covered.get((dataset, period), 12),
        )
    if lookup:
        for (period, neighbourhood_id), (count, dataset) in _neighbourhood_counts(
            partnership, winners, asb, lookup
        ).items():
            months_covered = covered.get((dataset, period), 12)
            results[(all_crime, neighbourhood_id, period)] = (count, dataset, months_covered)

    given = set(
        IndicatorValue.objects.filter(indicator__partnership=partnership, period__in=recount)
        .exclude(source=RECORDS)
        .values_list("indicator_id", "area_id", "period")
    )
    IndicatorValue.objects.filter(
        indicator__partnership=partnership, period__in=recount, source=RECORDS
    ).delete()
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            indicator_id=indicator_id,
            area_id=area_id,
            period=period,
            value=Decimal(count),
            source=RECORDS,
            dataset=dataset,
            months=min(max(months_covered, 1), 12),
        )
        for (indicator_id, area_id, period), (count, dataset, months_covered) in sorted(
            results.items()
        )
        if (indicator_id, area_id, period) not in given
    )
    changed = []
    for month in months:
        if locks.record_lock(month.period):
            continue  # a published assessment's seasonal pattern uses this month as it is
        key = (month.dataset, month.month)
        crimes, outside = totals.month_crimes.get(key, 0), totals.month_outside.get(key, 0)
        if (month.crimes, month.outside_area) != (crimes, outside):
            month.crimes, month.outside_area = crimes, outside
            changed.append(month)
    RecordMonth.objects.bulk_update(changed, ["crimes", "outside_area"], batch_size=500)
    return recount


def _aware(moment: datetime | None) -> datetime:
    if moment is None:
        return _EARLIEST.replace(tzinfo=None)
    return moment.replace(tzinfo=None)


def _count(partnership: Partnership, periods: list[str], asb: set[int], has_lookup: bool):
    """The record counts of `periods` grouped in the database by dataset, indicator, month,
    flag and whether they are in the partnership's area."""
    counts = RecordCount.objects.filter(partnership=partnership, period__in=periods)
    if has_lookup:
        lookup_codes = LsoaNeighbourhood.objects.filter(partnership=partnership).values("lsoa_code")
        counts = counts.annotate(
            inside=Case(
                When(Q(lsoa_code="") | Q(lsoa_code__in=lookup_codes), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        grouped = counts.values("dataset", "indicator_id", "period", "month", "flag", "inside")
    else:
        grouped = counts.values("dataset", "indicator_id", "period", "month", "flag")
    totals = _Totals()
    for row in grouped.annotate(total=Sum("count")).order_by():
        dataset, period, month, total = row["dataset"], row["period"], row["month"], row["total"]
        inside = row.get("inside", True)
        indicator: int | str = row["indicator_id"] if not row["flag"] else row["flag"]
        # Every dataset with records of an indicator is a candidate, even if none are inside.
        totals.values[(indicator, period)][dataset] += total if inside else 0
        if row["flag"]:
            continue
        if not inside:
            totals.month_outside[(dataset, month)] += total
        if row["indicator_id"] in asb:
            continue
        # A dataset with crimes (not only anti-social behaviour) may give "All crime".
        totals.crimes[period][dataset] += total if inside else 0
        if inside:
            totals.month_crimes[(dataset, month)] += total
    return totals


def _neighbourhood_counts(
    partnership: Partnership, winners: dict[str, str], asb: set[int], lookup: dict[str, int]
) -> dict[tuple[str, int], tuple[int, str]]:
    """(period, neighbourhood id) → (crimes, dataset), from each period's "All crime" dataset;
    every neighbourhood of the look-up has a figure, if only 0."""
    result: dict[tuple[str, int], tuple[int, str]] = {}
    if not winners:
        return result
    for period, dataset in winners.items():
        for neighbourhood_id in set(lookup.values()):
            result[(period, neighbourhood_id)] = (0, dataset)
    chosen = Q()
    for period, dataset in winners.items():
        chosen |= Q(period=period, dataset=dataset)
    rows = (
        RecordCount.objects.filter(chosen, partnership=partnership, flag="")
        .exclude(lsoa_code="")
        .exclude(indicator_id__in=asb)
        .values("period", "lsoa_code")
        .annotate(total=Sum("count"))
        .order_by()
    )
    for row in rows:
        neighbourhood_id = lookup.get(row["lsoa_code"])
        if neighbourhood_id is not None:
            count, dataset = result[(row["period"], neighbourhood_id)]
            result[(row["period"], neighbourhood_id)] = (count + row["total"], dataset)
    return result

"""Pure calculations behind the figures in a strategic assessment (no Django)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from assessments.periods import period_months, period_start_year

__all__ = [
    "HOUSEHOLDS",
    "RATE_BASES",
    "RESIDENTS",
    "IndicatorFigures",
    "NeighbourhoodRank",
    "SeasonalMonth",
    "change",
    "comparator_position",
    "indicator_figures",
    "is_full_year",
    "neighbourhood_ranking",
    "period_months",
    "period_start_year",
    "pct_change",
    "rate_per",
    "rate_denominator",
    "rate_per_1000",
    "seasonal_profile",
    "seasonal_years",
    "trend_series",
]

Number = int | Decimal

MONTH_LABELS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Assessment periods run April to March, the police and local government financial year.
PERIOD_MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)
SEASONAL_YEARS = 3

# What a rate per 1,000 is counted against. Most rates are per resident; some published
# comparators (iQuanta's residential burglary) are per household, and a rate is only ever
# set beside a comparator of the same basis.
RESIDENTS = "residents"
HOUSEHOLDS = "households"
RATE_BASES = (RESIDENTS, HOUSEHOLDS)


def _round(value: Decimal, places: int = 1) -> Decimal:
    """Round half up to ``places`` decimal places."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _decimal(value: Number | float) -> Decimal:
    """Convert to Decimal without binary float noise."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    return Decimal(value)


def change(current: int | None, previous: int | None) -> int | None:
    """Return the difference ``current - previous``, or None if either is unknown."""
    if current is None or previous is None:
        return None
    return current - previous


def pct_change(current: int | None, previous: int | None) -> Decimal | None:
    """Return the percentage change to one decimal place, or None if it is undefined."""
    if current is None or not previous:
        return None
    return _round(_decimal(current - previous) * 100 / _decimal(previous))


def rate_per(
    count: Number | None, population: Number | None, per: int = 1000, *, places: int = 1
) -> Decimal | None:
    """Return ``count`` per ``per`` of ``population``, or None without a positive population."""
    if count is None or population is None or population <= 0:
        return None
    return _round(_decimal(count) * per / _decimal(population), places)


def rate_per_1000(count: Number | None, population: Number | None) -> Decimal | None:
    """Return ``count`` per 1,000 of ``population`` to one decimal place."""
    return rate_per(count, population, 1000)


def rate_denominator(
    rate_basis: str, *, residents: int | None, households: int | None
) -> int | None:
    """The denominator a rate of `rate_basis` is counted against; None if it is not known.

    A missing household figure is never replaced by the residents (or the reverse): the rate
    is then unknown rather than a smaller number that looks comparable."""
    if rate_basis == RESIDENTS:
        return residents
    if rate_basis == HOUSEHOLDS:
        return households
    raise ValueError(f"{rate_basis!r} is not a rate basis (one of {', '.join(RATE_BASES)})")


def comparator_position(
    rate: Decimal | float | int | None, comparator_rate: Decimal | float | int | None
) -> str | None:
    """Return "below", "above" or "level with" for a rate against its comparator."""
    if rate is None or comparator_rate is None:
        return None
    ours, theirs = _decimal(rate), _decimal(comparator_rate)
    if ours < theirs:
        return "below"
    if ours > theirs:
        return "above"
    return "level with"


FULL_YEAR = 12


def is_full_year(months: int | None) -> bool:
    """Whether a figure covers its whole period (None: given for the whole year)."""
    return months is None or months >= FULL_YEAR


@dataclass(frozen=True, slots=True)
class IndicatorFigures:
    """The derived figures for one category in one period.

    `months` and `previous_months` say how many months of their periods the counts cover
    (None: the whole year). A part year is never compared with another year as if it were a
    whole one: change, % change and the comparator position are then unknown."""

    count: int | None
    previous_count: int | None
    change: int | None
    pct_change: Decimal | None
    rate_per_1000: Decimal | None
    msg_rate_per_1000: Decimal | None
    position: str | None
    months: int | None = None
    previous_months: int | None = None
    #: what `rate_per_1000` and `msg_rate_per_1000` are counted against
    rate_basis: str = RESIDENTS

    @property
    def is_partial(self) -> bool:
        return not is_full_year(self.months)

    @property
    def previous_is_partial(self) -> bool:
        return not is_full_year(self.previous_months)

    @property
    def comparable(self) -> bool:
        """Whether this year and last may be compared: both cover their whole year."""
        return not (self.is_partial or self.previous_is_partial)


def _rate_at_precision_of(
    count: int | None, population: int | None, comparator: Decimal | None
) -> Decimal | None:
    """Return the rate per 1,000 rounded to the comparator's decimal places (at least one)."""
    # Compare figures as printed, so the word never contradicts the numbers beside it,
    # but keep a comparator's extra precision (e.g. 0.85) rather than rounding it away.
    places = 1
    if comparator is not None and isinstance(comparator.as_tuple().exponent, int):
        places = max(1, -comparator.as_tuple().exponent)
    return rate_per(count, population, 1000, places=places)


def indicator_figures(
    *,
    count: int | None,
    previous_count: int | None,
    population: int | None,
    msg_rate: Decimal | float | int | None,
    months: int | None = None,
    previous_months: int | None = None,
    households: int | None = None,
    rate_basis: str = RESIDENTS,
) -> IndicatorFigures:
    """Assemble the change, rate and comparator position for one category and period.

    `population` is the residents, `households` the households; `rate_basis` says which the
    rate (and the comparator's) is per 1,000 of. `months`/`previous_months`: how many months
    each count covers (None or 12: the whole year). Change and % change need two whole years;
    the comparator (a yearly rate) a whole year."""
    denominator = rate_denominator(rate_basis, residents=population, households=households)
    rate = rate_per_1000(count, denominator)
    msg = None if msg_rate is None else _decimal(msg_rate)
    comparable = is_full_year(months) and is_full_year(previous_months)
    position = None
    if is_full_year(months):
        position = comparator_position(_rate_at_precision_of(count, denominator, msg), msg)
    return IndicatorFigures(
        count=count,
        previous_count=previous_count,
        change=change(count, previous_count) if comparable else None,
        pct_change=pct_change(count, previous_count) if comparable else None,
        rate_per_1000=rate,
        msg_rate_per_1000=msg,
        position=position,
        months=months,
        previous_months=previous_months,
        rate_basis=rate_basis,
    )


@dataclass(frozen=True, slots=True)
class NeighbourhoodRank:
    """One neighbourhood's count, rate and rank (1 = highest rate; None if unranked)."""

    name: str
    count: int
    population: int | None
    rate_per_1000: Decimal | None
    rank: int | None


def neighbourhood_ranking(
    rows: Iterable[tuple[str, int, int | None]],
) -> list[NeighbourhoodRank]:
    """Rank (name, count, population) rows by rate, highest first; unknown populations last."""
    ranked: list[tuple[Fraction, str, int, int]] = []
    unranked: list[tuple[str, int, int | None]] = []
    for name, count, population in rows:
        if population is None or population <= 0:
            unranked.append((name, count, population))
        else:
            ranked.append((Fraction(count, population), name, count, population))
    # Sort on the exact rate so that rounding never decides the order.
    ranked.sort(key=lambda r: (-r[0], -r[2], r[1].casefold(), r[1]))
    unranked.sort(key=lambda r: (-r[1], r[0].casefold(), r[0]))
    result = [
        NeighbourhoodRank(name, count, population, rate_per_1000(count, population), position)
        for position, (_, name, count, population) in enumerate(ranked, start=1)
    ]
    result.extend(
        NeighbourhoodRank(name, count, population, None, None)
        for name, count, population in unranked
    )
    return result


@dataclass(frozen=True, slots=True)
class SeasonalMonth:
    """One month's count against the average for that calendar month over `years` years."""

    month: str
    label: str
    count: int | None
    average: Decimal | None
    pct_vs_average: Decimal | None
    years: int = 0


def seasonal_profile(monthly_counts: Mapping[str, int], period: str) -> list[SeasonalMonth]:
    """Compare each month of ``period`` with that month's average over up to three periods
    (this one and the two before, as the seed's "three year average"). A month known in only
    one year is its own average, so it gets no percentage: 0.0% would claim a typical month."""
    profile = []
    for month in period_months(period):
        year, month_number = int(month[:4]), int(month[5:])
        history = [
            monthly_counts.get(f"{year - back:04d}-{month_number:02d}")
            for back in range(SEASONAL_YEARS)
        ]
        known = [value for value in history if value is not None]
        mean = Fraction(sum(known), len(known)) if known else None
        count = history[0]
        pct = None
        if count is not None and mean and len(known) >= 2:
            # Use the unrounded mean: rounding it first can move the percentage by 0.1.
            exact = (count - mean) * 100 / mean
            pct = _round(Decimal(exact.numerator) / Decimal(exact.denominator))
        average = None if mean is None else _round(Decimal(mean.numerator) / mean.denominator)
        profile.append(
            SeasonalMonth(month, MONTH_LABELS[month_number - 1], count, average, pct, len(known))
        )
    return profile


def seasonal_years(monthly_counts: Mapping[str, int], period: str) -> list[str]:
    """The periods, of ``period`` and the two before it, that have any monthly counts: the
    years a seasonal average can be taken over."""
    start = period_start_year(period)
    years = []
    for back in range(SEASONAL_YEARS - 1, -1, -1):
        earlier = f"{start - back}/{(start - back + 1) % 100:02d}"
        if any(month in monthly_counts for month in period_months(earlier)):
            years.append(earlier)
    return years


def trend_series(yearly_counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """Return (period, count) pairs in period order."""
    return sorted(yearly_counts.items())

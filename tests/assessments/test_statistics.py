"""Tests for assessments.statistics, pinned to the Safer Plymouth 2019/20 seed figures."""

import csv
import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from assessments.statistics import (
    HOUSEHOLDS,
    RESIDENTS,
    IndicatorFigures,
    NeighbourhoodRank,
    change,
    comparator_position,
    indicator_figures,
    neighbourhood_ranking,
    pct_change,
    period_months,
    rate_denominator,
    rate_per,
    rate_per_1000,
    seasonal_profile,
    seasonal_years,
    trend_series,
)

DATA_DIR = Path(__file__).resolve().parents[2] / "assessments" / "demo_data"
POPULATION = 262_100
HOUSEHOLDS_2019 = 110_000  # derived from the seed's 649 burglaries at 5.9 per 1,000 households

# (2018/19 count, 2019/20 count, MSG rate) from crime-summary.csv, so the pinned figures below
# do not depend on the shared data directory; one test checks that the two still agree.
SEED_COUNTS = {
    "All crime": (23626, 23024, Decimal("107.8")),
    "Robbery": (205, 238, Decimal("1.5")),
    "Shoplifting": (1587, 1468, Decimal("8.5")),
    "Theft of motor vehicle": (411, 367, Decimal("2.0")),
    "Rape": (337, 395, Decimal("1.3")),
    "Trafficking of drugs": (196, 195, Decimal("0.85")),
    "Anti-social behaviour incidents": (8838, 8126, None),
}


def figures_for(category: str) -> IndicatorFigures:
    previous, current, msg = SEED_COUNTS[category]
    return indicator_figures(
        count=current, previous_count=previous, population=POPULATION, msg_rate=msg
    )


def read_crime_summary() -> dict[str, dict[str, tuple[int, Decimal | None]]]:
    path = DATA_DIR / "crime-summary.csv"
    if not path.exists():
        pytest.skip(f"{path} is not available")
    table: dict[str, dict[str, tuple[int, Decimal | None]]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            msg = Decimal(row["msg_rate_per_1000"]) if row["msg_rate_per_1000"] else None
            table.setdefault(row["category"], {})[row["period"]] = (int(row["count"]), msg)
    return table


# --- the seed's figures ---------------------------------------------------------------------


def test_pinned_counts_match_the_shared_crime_summary():
    table = read_crime_summary()
    for category, (previous, current, msg) in SEED_COUNTS.items():
        assert table[category]["2018/19"][0] == previous
        assert table[category]["2019/20"] == (current, msg)


def test_all_crime_fell_by_602_or_two_and_a_half_percent_at_87_8_per_1000():
    figures = figures_for("All crime")
    assert figures.change == -602
    assert figures.pct_change == Decimal("-2.5")
    assert figures.rate_per_1000 == Decimal("87.8")
    assert figures.msg_rate_per_1000 == Decimal("107.8")
    assert figures.position == "below"


def test_residential_burglary_is_5_9_per_1000_households_below_the_groups_13_2():
    figures = indicator_figures(
        count=649,
        previous_count=667,
        population=POPULATION,
        households=HOUSEHOLDS_2019,
        msg_rate=Decimal("13.2"),
        rate_basis=HOUSEHOLDS,
    )
    assert figures.rate_per_1000 == Decimal("5.9")  # not 649 in 262,100 residents: 2.5
    assert figures.rate_basis == HOUSEHOLDS
    assert figures.position == "below"
    assert figures.change == -18


def test_a_household_rate_without_households_is_unknown_never_per_resident():
    figures = indicator_figures(
        count=649,
        previous_count=667,
        population=POPULATION,
        households=None,
        msg_rate=Decimal("13.2"),
        rate_basis=HOUSEHOLDS,
    )
    assert figures.rate_per_1000 is None
    assert figures.position is None  # 2.5 per resident is not "below" 13.2 per household
    assert figures.change == -18  # the counts are still compared


def test_a_resident_rate_ignores_the_households():
    figures = indicator_figures(
        count=23024,
        previous_count=23626,
        population=None,
        households=HOUSEHOLDS_2019,
        msg_rate=Decimal("107.8"),
    )
    assert figures.rate_basis == RESIDENTS
    assert (figures.rate_per_1000, figures.position) == (None, None)


def test_the_rate_denominator_matches_the_basis_and_refuses_any_other():
    assert rate_denominator(RESIDENTS, residents=262_100, households=110_000) == 262_100
    assert rate_denominator(HOUSEHOLDS, residents=262_100, households=110_000) == 110_000
    assert rate_denominator(HOUSEHOLDS, residents=262_100, households=None) is None
    with pytest.raises(ValueError, match="not a rate basis"):
        rate_denominator("people", residents=262_100, households=110_000)


def test_shoplifting_change_is_computed_not_copied_from_the_seed():
    figures = figures_for("Shoplifting")
    assert figures.change == -119  # the seed printed −199
    assert figures.pct_change == Decimal("-7.5")


def test_robbery_rose_by_33_or_16_1_percent():
    figures = figures_for("Robbery")
    assert figures.change == 33
    assert figures.pct_change == Decimal("16.1")
    assert figures.rate_per_1000 == Decimal("0.9")


def test_rape_rate_is_1_5_per_1000_not_the_seeds_1_6():
    figures = figures_for("Rape")
    assert figures.rate_per_1000 == Decimal("1.5")
    assert figures.position == "above"


def test_theft_of_motor_vehicle_fell_by_10_7_percent():
    assert figures_for("Theft of motor vehicle").pct_change == Decimal("-10.7")


def test_a_category_without_a_comparator_has_no_position():
    figures = figures_for("Anti-social behaviour incidents")
    assert figures.pct_change == Decimal("-8.1")
    assert figures.msg_rate_per_1000 is None
    assert figures.position is None


def test_a_two_decimal_comparator_is_compared_at_two_decimals():
    # 195 in 262,100 is 0.744: below 0.85, though it shows as 0.7 at one decimal.
    figures = figures_for("Trafficking of drugs")
    assert figures.rate_per_1000 == Decimal("0.7")
    assert figures.position == "below"


def test_every_category_in_the_crime_summary_has_a_change_that_matches_its_counts():
    table = read_crime_summary()
    for category, periods in table.items():
        previous, current = periods["2018/19"][0], periods["2019/20"][0]
        figures = indicator_figures(
            count=current,
            previous_count=previous,
            population=POPULATION,
            msg_rate=periods["2019/20"][1],
        )
        assert figures.change == current - previous, category


def test_indicator_figures_are_immutable():
    figures = figures_for("Robbery")
    with pytest.raises(dataclasses.FrozenInstanceError):
        figures.change = 0  # type: ignore[misc]


# --- the building blocks --------------------------------------------------------------------


def test_change_is_unknown_when_either_count_is_unknown():
    assert change(10, 4) == 6
    assert change(None, 4) is None
    assert change(10, None) is None


def test_percentage_change_is_undefined_from_zero_or_unknown():
    assert pct_change(5, 0) is None
    assert pct_change(5, None) is None
    assert pct_change(None, 5) is None
    assert pct_change(0, 5) == Decimal("-100.0")


def test_percentage_change_rounds_half_up_away_from_zero():
    assert pct_change(81, 80) == Decimal("1.3")  # 1.25
    assert pct_change(79, 80) == Decimal("-1.3")  # −1.25
    assert pct_change(80, 80) == Decimal("0.0")


def test_rates_are_per_1000_to_one_decimal_by_default():
    assert rate_per_1000(23024, POPULATION) == Decimal("87.8")
    assert rate_per(23024, POPULATION) == rate_per_1000(23024, POPULATION)
    assert rate_per(575, 100_000, per=100_000) == Decimal("575.0")
    assert rate_per(195, POPULATION, places=2) == Decimal("0.74")


def test_rates_need_a_positive_population():
    assert rate_per_1000(10, 0) is None
    assert rate_per_1000(10, None) is None
    assert rate_per_1000(None, 1000) is None


def test_comparator_position_reads_below_above_or_level_with():
    assert comparator_position(Decimal("87.8"), Decimal("107.8")) == "below"
    assert comparator_position(Decimal("13.4"), Decimal("11.2")) == "above"
    assert comparator_position(Decimal("1.5"), 1.5) == "level with"
    assert comparator_position(None, Decimal("1.0")) is None
    assert comparator_position(Decimal("1.0"), None) is None


def test_a_rate_that_rounds_to_the_comparator_is_level_with_it():
    # 393 in 262,100 is 1.4994, printed as 1.5 beside a comparator of 1.5.
    figures = indicator_figures(
        count=393, previous_count=None, population=POPULATION, msg_rate=Decimal("1.5")
    )
    assert figures.rate_per_1000 == Decimal("1.5")
    assert figures.position == "level with"
    assert figures.change is None
    assert figures.pct_change is None


# --- neighbourhoods -------------------------------------------------------------------------


def test_neighbourhoods_are_ranked_by_rate_highest_first():
    ranking = neighbourhood_ranking(
        [("Mutley", 855, 3441), ("City Centre", 3595, 7393), ("Stonehouse", 2490, 10016)]
    )
    assert [(r.rank, r.name) for r in ranking] == [
        (1, "City Centre"),
        (2, "Stonehouse"),
        (3, "Mutley"),
    ]
    assert ranking[0] == NeighbourhoodRank("City Centre", 3595, 7393, Decimal("486.3"), 1)
    assert ranking[1].rate_per_1000 == Decimal("248.6")
    assert ranking[2].rate_per_1000 == Decimal("248.5")


def test_equal_rates_are_ordered_by_count_then_name():
    ranking = neighbourhood_ranking(
        [("Ford", 100, 1000), ("Keyham", 200, 2000), ("Efford", 200, 2000), ("Manadon", 50, 100)]
    )
    assert [r.name for r in ranking] == ["Manadon", "Efford", "Keyham", "Ford"]
    assert [r.rank for r in ranking] == [1, 2, 3, 4]


def test_ranking_uses_the_exact_rate_not_the_rounded_one():
    # Both print as 100.0 per 1,000, but Ford's exact rate is higher despite fewer crimes.
    ranking = neighbourhood_ranking([("Keyham", 5000, 50001), ("Ford", 3001, 30000)])
    assert [r.rate_per_1000 for r in ranking] == [Decimal("100.0"), Decimal("100.0")]
    assert [r.name for r in ranking] == ["Ford", "Keyham"]


def test_neighbourhoods_without_population_are_listed_last_and_unranked():
    ranking = neighbourhood_ranking(
        [("Unmapped", 900, None), ("Ford", 10, 1000), ("Zero", 5, 0), ("Stoke", 20, 1000)]
    )
    assert [(r.name, r.rank) for r in ranking] == [
        ("Stoke", 1),
        ("Ford", 2),
        ("Unmapped", None),
        ("Zero", None),
    ]
    assert ranking[2].rate_per_1000 is None
    assert ranking[2].count == 900


def test_an_empty_list_of_neighbourhoods_gives_an_empty_ranking():
    assert neighbourhood_ranking([]) == []


# --- seasonal profile -----------------------------------------------------------------------


def three_years_of_months() -> dict[str, int]:
    counts = {}
    for start in (2017, 2018, 2019):
        for month in range(1, 13):
            year = start if month >= 4 else start + 1
            counts[f"{year}-{month:02d}"] = 100
    counts.update(
        {
            # April: 90, 100, 110 average 100, so 2019 is +10.0%.
            "2017-04": 90,
            "2018-04": 100,
            "2019-04": 110,
            # December: 120, 150, 90 average 120, so 2019 is −25.0%.
            "2017-12": 120,
            "2018-12": 150,
            "2019-12": 90,
            # June 79, 80, 81 and July 81, 80, 79 average 80: ±1.25% rounds to ±1.3%.
            "2017-06": 79,
            "2018-06": 80,
            "2019-06": 81,
            "2017-07": 81,
            "2018-07": 80,
            "2019-07": 79,
            # February: 100, 101, 101 average 100.67, so 2020 is +0.3%.
            "2019-02": 101,
            "2020-02": 101,
            # Outside the three periods, so they must not count.
            "2016-04": 1000,
            "2020-04": 1000,
        }
    )
    # May: 2017 missing, so the average is of 100 and 80.
    del counts["2017-05"]
    counts["2019-05"] = 80
    # August: only this year has data, so it is its own average.
    del counts["2017-08"], counts["2018-08"]
    counts["2019-08"] = 50
    # March 2020 has no data at all.
    del counts["2020-03"]
    return counts


def test_seasonal_profile_covers_april_to_march_of_the_period():
    profile = seasonal_profile(three_years_of_months(), "2019/20")
    assert [m.month for m in profile] == period_months("2019/20")
    assert profile[0].month == "2019-04"
    assert profile[-1].month == "2020-03"
    assert [m.label for m in profile] == [
        "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"
    ]  # fmt: skip


def test_seasonal_profile_compares_each_month_with_its_three_year_average():
    by_label = {m.label: m for m in seasonal_profile(three_years_of_months(), "2019/20")}
    expected = {
        "Apr": (110, Decimal("100.0"), Decimal("10.0")),
        "May": (80, Decimal("90.0"), Decimal("-11.1")),
        "Jun": (81, Decimal("80.0"), Decimal("1.3")),
        "Jul": (79, Decimal("80.0"), Decimal("-1.3")),
        "Sep": (100, Decimal("100.0"), Decimal("0.0")),
        "Dec": (90, Decimal("120.0"), Decimal("-25.0")),
        "Feb": (101, Decimal("100.7"), Decimal("0.3")),
    }
    for label, (count, average, pct) in expected.items():
        month = by_label[label]
        assert (month.count, month.average, month.pct_vs_average) == (count, average, pct), label


def test_a_month_known_in_only_one_year_gets_no_percentage_rather_than_zero():
    august = {m.label: m for m in seasonal_profile(three_years_of_months(), "2019/20")}["Aug"]
    assert (august.count, august.years, august.pct_vs_average) == (50, 1, None)


def test_each_month_says_how_many_years_its_average_uses():
    by_label = {m.label: m for m in seasonal_profile(three_years_of_months(), "2019/20")}
    assert (by_label["Apr"].years, by_label["May"].years, by_label["Mar"].years) == (3, 2, 2)


def test_seasonal_years_are_the_periods_with_monthly_data_oldest_first():
    assert seasonal_years(three_years_of_months(), "2019/20") == ["2017/18", "2018/19", "2019/20"]
    assert seasonal_years({"2019-05": 3}, "2019/20") == ["2019/20"]
    assert seasonal_years({"2018-05": 3, "2020-02": 1}, "2019/20") == ["2018/19", "2019/20"]
    assert seasonal_years({}, "2019/20") == []


def test_a_part_year_is_not_compared_with_a_whole_one():
    figures = indicator_figures(
        count=6000, previous_count=23626, population=262_100, msg_rate=107.8, months=3
    )
    assert (figures.change, figures.pct_change, figures.position) == (None, None, None)
    assert figures.is_partial and not figures.comparable
    assert figures.rate_per_1000 == Decimal("22.9")


def test_a_whole_year_is_not_compared_with_a_part_year_before_it():
    figures = indicator_figures(
        count=23024, previous_count=6000, population=262_100, msg_rate=107.8, previous_months=3
    )
    assert (figures.change, figures.pct_change) == (None, None)
    assert figures.position == "below" and figures.previous_is_partial


def test_twelve_months_counted_from_records_compare_like_a_whole_year():
    figures = indicator_figures(
        count=23024,
        previous_count=23626,
        population=None,
        msg_rate=None,
        months=12,
        previous_months=12,
    )
    assert (figures.change, str(figures.pct_change)) == (-602, "-2.5")


def test_a_month_without_data_has_no_percentage():
    march = seasonal_profile(three_years_of_months(), "2019/20")[-1]
    assert march.count is None
    assert march.pct_vs_average is None
    assert march.average == Decimal("100.0")


def test_seasonal_profile_without_any_data_is_twelve_empty_months():
    profile = seasonal_profile({}, "2019/20")
    assert len(profile) == 12
    assert all(m.count is None and m.average is None for m in profile)
    assert all(m.pct_vs_average is None for m in profile)


@pytest.mark.parametrize("period", ["2019/21", "2019-20", "19/20", ""])
def test_seasonal_profile_rejects_a_malformed_period(period):
    with pytest.raises(ValueError):
        seasonal_profile({}, period)


def test_a_period_spanning_the_century_is_accepted():
    assert period_months("2099/00")[-1] == "2100-03"


# --- trends ---------------------------------------------------------------------------------


def test_trend_series_is_in_period_order():
    assert trend_series({"2019/20": 23024, "2017/18": 22000, "2018/19": 23626}) == [
        ("2017/18", 22000),
        ("2018/19", 23626),
        ("2019/20", 23024),
    ]
    assert trend_series({}) == []

"""Suggested frequency and trend from linked indicators, with the reason in words."""

from decimal import Decimal as D

import pytest

from assessments.scoring import DEFAULT_MODEL
from assessments.suggestions import (
    LinkedFigure,
    is_total,
    quantile_cuts,
    suggest_frequency,
    suggest_trend,
)

FREQUENCY = DEFAULT_MODEL.factor("frequency")
TREND = DEFAULT_MODEL.factor("trend")
# Nine categories with quartile cuts 30, 50 and 70.
COUNTS = {f"Category {n}": D(n) for n in (10, 20, 30, 40, 50, 60, 70, 80, 90)}


def _freq(*counts):
    linked = [LinkedFigure(f"Crime {i}", D(c), None) for i, c in enumerate(counts)]
    return suggest_frequency(FREQUENCY, linked, COUNTS, "2019/20")


def test_quartile_cuts_interpolate_between_values():
    assert quantile_cuts(list(COUNTS.values()), 4) == [D(30), D(50), D(70)]
    assert quantile_cuts([D(1), D(2)], 2) == [D("1.5")]


def test_volume_in_the_top_quarter_suggests_constant():
    suggestion = _freq(90)
    assert suggestion.level_label == "Constant"
    assert "top quarter" in suggestion.reason and "Crime 0: 90 in 2019/20" in suggestion.reason


def test_each_quarter_suggests_its_level_with_the_cuts_exactly():
    assert _freq(70).level_label == "Constant"
    assert _freq(69).level_label == "Frequent"
    assert _freq(50).level_label == "Frequent"
    assert _freq(49).level_label == "Occasional"
    assert _freq(30).level_label == "Occasional"
    assert _freq(29).level_label == "Rare"


def test_linked_counts_are_summed_for_the_volume():
    suggestion = _freq(40, 40)
    assert suggestion.level_label == "Constant"
    assert "Crime 0 40 + Crime 1 40 = 80 in 2019/20" in suggestion.reason


def test_the_reason_names_the_cuts_and_where_the_volume_falls():
    assert _freq(45).reason == (
        "Crime 0: 45 in 2019/20. The 9 count indicators for 2019/20 split into quarters at "
        "30, 50 and 70; 45 is from 30 up to 50, in the second quarter from the bottom: Occasional."
    )
    assert "below 30, in the bottom quarter: Rare." in _freq(5).reason


def test_totals_such_as_all_crime_are_left_out_of_the_volume_comparison():
    with_totals = {**COUNTS, "All crime": D(23024), "Total recorded crime": D(23024)}
    linked = [LinkedFigure("Crime 0", D(75), None)]
    suggestion = suggest_frequency(FREQUENCY, linked, with_totals, "2019/20")
    # Counting the totals would move the cuts up to 35, 60 and 85, and 75 down to Frequent.
    assert suggestion.level_label == "Constant"
    assert (
        "The 9 count indicators for 2019/20 (leaving out All crime and Total recorded crime, "
        "totals of the others) split into quarters at 30, 50 and 70"
    ) in suggestion.reason


@pytest.mark.parametrize(
    "name",
    ["All crime", "all recorded crime", "Total recorded crime", "All crime excluding fraud"],
)
def test_names_of_totals_are_recognised(name):
    assert is_total(name)


@pytest.mark.parametrize("name", ["All other theft offences", "Robbery", "Shoplifting"])
def test_categories_are_not_taken_for_totals(name):
    assert not is_total(name)


def test_no_linked_indicators_gives_no_suggestion_and_says_so():
    for suggestion in (
        suggest_frequency(FREQUENCY, [], COUNTS, "2019/20"),
        suggest_trend(TREND, [], "2019/20", "2018/19"),
    ):
        assert suggestion.level_label is None
        assert suggestion.reason == "No indicators are linked to this risk."


def test_too_few_counts_to_compare_gives_no_frequency():
    linked = [LinkedFigure("Robbery", D(5), None)]
    only = {"Robbery": D(5), "All crime": D(9000)}
    assert suggest_frequency(FREQUENCY, linked, only, "2019/20").level_label is None


def test_a_rise_above_five_percent_is_rising_with_the_figures_in_the_reason():
    linked = [LinkedFigure("Domestic abuse crimes", D(4882), D(4642))]
    suggestion = suggest_trend(TREND, linked, "2019/20", "2018/19")
    assert suggestion.level_label == "Rising"
    assert suggestion.reason == (
        "Domestic abuse crimes: 4,882 in 2019/20, 5.2% up on 2018/19 (4,642): Rising."
    )


def test_exactly_five_percent_either_way_is_stable():
    up = [LinkedFigure("A", D(105), D(100))]
    down = [LinkedFigure("A", D(95), D(100))]
    assert suggest_trend(TREND, up, "2019/20", "2018/19").level_label == "Stable"
    assert suggest_trend(TREND, down, "2019/20", "2018/19").level_label == "Stable"


def test_a_fall_below_five_percent_is_falling():
    linked = [LinkedFigure("A", D(80), D(60)), LinkedFigure("B", D(10), D(60))]
    suggestion = suggest_trend(TREND, linked, "2019/20", "2018/19")
    assert suggestion.level_label == "Falling"
    assert "25.0% down on 2018/19 (120)" in suggestion.reason


def test_trend_needs_both_years():
    linked = [LinkedFigure("A", D(80), None)]
    suggestion = suggest_trend(TREND, linked, "2019/20", "2018/19")
    assert suggestion.level_label is None
    assert "2018/19" in suggestion.reason


def test_a_part_year_count_gives_no_trend_suggestion():
    from decimal import Decimal

    from assessments.scoring import DEFAULT_MODEL
    from assessments.suggestions import LinkedFigure, suggest_trend

    trend = next(f for f in DEFAULT_MODEL.factors if f.key == "trend")
    linked = [LinkedFigure("Robbery", Decimal(60), Decimal(238), months=3)]
    suggestion = suggest_trend(trend, linked, "2020/21", "2019/20")
    assert suggestion.level_label is None
    assert "cover only part of a year, so they are not compared" in suggestion.reason

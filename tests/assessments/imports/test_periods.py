"""Periods are YYYY/YY of consecutive years; months may be written as months or dates."""

import pytest

from assessments.periods import parse_month, parse_period, period_start_year


def test_a_period_of_consecutive_years_is_accepted_and_trimmed():
    assert parse_period(" 2019/20 ") == "2019/20"
    assert parse_period("1999/00") == "1999/00"


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("2019/21", "consecutive"),
        ("2019/2020", "two digits"),
        ("19/20", "first year in full"),
        ("2019-20", "like 2019/20"),
        ("", "like 2019/20"),
        ("1850/51", "outside"),
    ],
)
def test_a_malformed_period_is_refused_with_a_hint(text, hint):
    with pytest.raises(ValueError, match=hint):
        parse_period(text)


def test_the_start_year_of_a_period_is_the_year_of_its_april():
    assert period_start_year("2019/20") == 2019


@pytest.mark.parametrize(
    "text",
    ["2019-04", "2019-4", "2019-04-17", "17/04/2019", "2019-04-17 13:45:00", "17/04/2019 09:30"],
)
def test_a_month_may_be_written_as_a_month_or_a_date(text):
    assert parse_month(text) == "2019-04"


def test_a_custom_date_format_is_tried_first():
    assert parse_month("04/17/2019", "%m/%d/%Y") == "2019-04"


@pytest.mark.parametrize("text", ["2019-13", "31/02/2019", "April 2019", "", "2019-04-45"])
def test_a_month_that_is_not_a_month_is_refused(text):
    with pytest.raises(ValueError):
        parse_month(text)

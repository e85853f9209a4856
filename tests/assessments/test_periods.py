"""Periods are April to March, written 2019/20; months may be written as months or dates."""

import pytest
from django.core.exceptions import ValidationError

from assessments.periods import (
    parse_month,
    parse_period,
    period_for_month,
    period_months,
    period_start_year,
    previous_period,
    validate_period,
)
from tests.factories import AssessmentFactory


def test_a_period_of_consecutive_years_is_accepted():
    assert parse_period(" 2019/20 ") == "2019/20"


def test_the_century_turn_is_consecutive():
    assert parse_period("1999/00") == "1999/00"


@pytest.mark.parametrize("text", ["2019/21", "2019/2020", "19/20", "2019-20", "", "2019/19"])
def test_malformed_or_non_consecutive_periods_are_refused(text):
    with pytest.raises(ValueError):
        parse_period(text)


def test_a_period_runs_from_april_to_march():
    months = period_months("2019/20")
    assert months[0] == "2019-04" and months[-1] == "2020-03" and len(months) == 12


def test_january_belongs_to_the_period_that_began_the_april_before():
    assert period_for_month("2020-01") == "2019/20"
    assert period_for_month("2020-04") == "2020/21"


def test_previous_period_is_a_year_earlier():
    assert previous_period("2000/01") == "1999/00"


def test_the_model_validator_gives_a_clear_message():
    with pytest.raises(ValidationError, match="not two consecutive years"):
        validate_period("2019/21")


@pytest.mark.django_db
def test_an_assessment_with_a_bad_period_does_not_validate():
    assessment = AssessmentFactory.build(period="2019/21")
    with pytest.raises(ValidationError) as error:
        assessment.full_clean(exclude=["partnership"])
    assert "period" in error.value.message_dict


@pytest.mark.parametrize("text", ["２０１９/２０", "2019/２０", "٢٠١٩/٢٠"])
def test_periods_written_with_other_scripts_digits_are_refused(text):
    with pytest.raises(ValueError, match="not a period like 2019/20"):
        parse_period(text)


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

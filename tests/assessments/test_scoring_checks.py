"""Tests of the scoring model's checks in assessments.scoring_checks."""

from dataclasses import replace
from decimal import Decimal as D

import pytest

from assessments.scoring import DEFAULT_MODEL, Factor, Level
from assessments.scoring_checks import spec_problems, validate_spec

MODEL = DEFAULT_MODEL

# --- Validating a spec -------------------------------------------------------------------


def problems_with(**changes) -> list[str]:
    return validate_spec(replace(MODEL, **changes))


def without(dimension: str) -> tuple[Factor, ...]:
    return tuple(f for f in MODEL.factors if f.dimension != dimension)


def with_factor(target: str, **changes) -> tuple[Factor, ...]:
    return tuple(replace(f, **changes) if f.key == target else f for f in MODEL.factors)


def test_validate_spec_requires_a_factor_in_every_dimension():
    assert problems_with(factors=without("intelligence")) == [
        "The intelligence dimension has no factors."
    ]


def test_validate_spec_rejects_a_factor_with_an_empty_scale():
    assert problems_with(factors=with_factor("cost", levels=())) == [
        'Factor "Cost to respond" has no levels.'
    ]


def test_validate_spec_rejects_repeated_factor_keys():
    assert problems_with(factors=with_factor("cost", key="capacity")) == [
        'The factor key "capacity" is used more than once.'
    ]


def test_validate_spec_rejects_repeated_factor_names():
    assert problems_with(factors=with_factor("cost", name="Capacity")) == [
        'The factor name "Capacity" is used more than once.'
    ]


def test_validate_spec_rejects_an_unknown_dimension():
    problems = problems_with(factors=with_factor("cost", dimension="vibes"))
    assert problems == ['Factor "Cost to respond" has an unknown dimension "vibes".']


def test_validate_spec_rejects_repeated_level_labels_within_a_factor():
    levels = (Level("Strong", D(1)), Level("Strong", D(2)))
    assert problems_with(factors=with_factor("cost", levels=levels)) == [
        'Factor "Cost to respond" uses the level label "Strong" more than once.'
    ]


def test_validate_spec_allows_the_same_level_label_in_different_factors():
    assert MODEL.factor("cost").level("Strong").label == MODEL.factor("capacity").levels[0].label
    assert validate_spec(MODEL) == []


def test_validate_spec_rejects_levels_out_of_ascending_value_order():
    levels = tuple(reversed(MODEL.factor("confidence").levels))
    name = "Confidence in the intelligence picture"
    assert problems_with(factors=with_factor("confidence", levels=levels)) == [
        f'The levels of "{name}" must be in ascending order of value.'
    ]


def test_validate_spec_rejects_levels_with_equal_values():
    levels = (Level("Strong", D(1)), Level("Solid", D(1)))
    assert len(problems_with(factors=with_factor("cost", levels=levels))) == 1


def test_validate_spec_requires_moderate_threshold_below_high_threshold():
    assert problems_with(moderate_threshold=D(60)) == [
        "The moderate threshold must be below the high threshold."
    ]


def test_validate_spec_requires_positive_thresholds():
    assert problems_with(moderate_threshold=D(0)) == [
        "Both rating thresholds must be greater than zero."
    ]


def test_validate_spec_requires_likelihood_minimum_not_above_maximum():
    assert problems_with(likelihood_min=D(6)) == [
        "The likelihood minimum must not be greater than the maximum."
    ]
    assert problems_with(likelihood_min=D(5)) == []


def test_validate_spec_reports_every_problem_at_once():
    problems = problems_with(factors=without("harm"), moderate_threshold=D(70), likelihood_max=D(0))
    assert len(problems) == 3


def test_validate_spec_rejects_a_negative_harm_level():
    levels = (Level("Benefit", D(-1)), *MODEL.factor("community").levels)
    assert problems_with(factors=with_factor("community", levels=levels)) == [
        '"Harm to the community": the value of "Benefit" (-1) is negative; harm levels must '
        "be 0 or more, or a worse level could lower the score."
    ]


def test_validate_spec_rejects_a_negative_response_level():
    levels = (Level("Superb", D("-0.5")), *MODEL.factor("cost").levels)
    [problem] = problems_with(factors=with_factor("cost", levels=levels))
    assert '"Superb" (-0.5) is negative; response levels must be 0 or more' in problem


def test_validate_spec_allows_a_negative_likelihood_level_such_as_a_falling_trend():
    assert MODEL.factor("trend").level("Falling").value == -1
    assert validate_spec(MODEL) == []


@pytest.mark.parametrize("value", ["0", "-1.1"])
def test_validate_spec_rejects_a_confidence_multiplier_of_zero_or_less(value):
    levels = (Level("None", D(value)), *MODEL.factor("confidence").levels)
    [problem] = problems_with(factors=with_factor("confidence", levels=levels))
    assert f'"None" ({value}) must be greater than 0; intelligence levels multiply' in problem


def test_validate_spec_rejects_a_negative_response_step():
    assert problems_with(response_step=D("-0.2")) == [
        "The response step must not be negative: a weaker response must never lower the score."
    ]


def test_validate_spec_requires_a_response_base_and_likelihood_minimum_above_zero():
    problems = problems_with(response_base=D(0), likelihood_min=D(0))
    assert any(p.startswith("The response base must be greater than zero") for p in problems)
    assert any(p.startswith("The likelihood minimum must be greater than zero") for p in problems)


def test_validate_spec_rejects_level_values_with_more_than_three_decimal_places():
    levels = (Level("Low", D(1)), Level("Medium", D("1.2345")))
    assert problems_with(factors=with_factor("confidence", levels=levels)) == [
        '"Confidence in the intelligence picture": the value of "Medium" (1.2345) has more '
        "than 3 decimal places; scores keep 3."
    ]
    levels = (Level("Low", D(1)), Level("Medium", D("1.2340")))
    assert problems_with(factors=with_factor("confidence", levels=levels)) == []


def test_validate_spec_rejects_level_values_too_large_to_store():
    levels = (*MODEL.factor("physical").levels, Level("Apocalyptic", D(100_000)))
    [problem] = problems_with(factors=with_factor("physical", levels=levels))
    assert "too large" in problem


def test_validate_spec_rejects_a_blank_factor_name():
    assert problems_with(factors=with_factor("cost", name=" ")) == ["Every factor needs a name."]


def test_spec_problems_say_which_fields_they_are_about():
    spec = replace(MODEL, moderate_threshold=D(70), factors=with_factor("cost", levels=()))
    assert [p.about for p in spec_problems(spec)] == [
        ("levels:cost",),
        ("moderate_threshold", "high_threshold"),
    ]

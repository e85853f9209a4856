"""Unit and property tests for the pure scoring arithmetic in assessments.scoring."""

import json
from dataclasses import replace
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.scoring import (
    ANALYST_DIMENSIONS,
    DEFAULT_MODEL,
    DIMENSIONS,
    PARTNER_DIMENSIONS,
    RATING_ORDER,
    Factor,
    Level,
    ScoringModelSpec,
    aggregate_factor,
    analyst_factors,
    compute_risk,
    explain,
    level_label_for,
    partner_factors,
    rating_for,
    rating_movement,
    round1,
)
from assessments.scoring_checks import validate_spec

MODEL = DEFAULT_MODEL
BASELINE = {
    "physical": "Substantial",
    "psychological": "Moderate",
    "financial": "Low",
    "community": "Moderate",
    "frequency": "Frequent",
    "trend": "Stable",
    "confidence": "High",
    "capacity": "Adequate",
    "capability": "Adequate",
    "cost": "Adequate",
    "mitigation": "Adequate",
}


def scores(spec: ScoringModelSpec = MODEL, **labels: str | None) -> dict[str, D | None]:
    """Factor values for the baseline risk, with some factors set to other level labels."""
    chosen = {**BASELINE, **labels}
    return {
        key: None if label is None else spec.factor(key).level(label).value
        for key, label in chosen.items()
    }


def capacity() -> Factor:
    return MODEL.factor("capacity")


# --- The default model -------------------------------------------------------------------


def test_default_model_is_valid():
    assert validate_spec(MODEL) == []


def test_default_model_has_the_documented_factors_and_constants():
    assert [f.key for f in MODEL.factors] == list(BASELINE)
    assert [(lv.label, lv.value) for lv in MODEL.factor("physical").levels] == [
        ("None", 0),
        ("Low", 1),
        ("Moderate", 2),
        ("Substantial", 4),
        ("Critical", 8),
    ]
    assert [lv.value for lv in MODEL.factor("trend").levels] == [-1, 0, 1]
    assert [lv.value for lv in MODEL.factor("confidence").levels] == [
        D("1.0"),
        D("1.1"),
        D("1.25"),
    ]
    assert (MODEL.high_threshold, MODEL.moderate_threshold) == (60, 25)
    assert (MODEL.likelihood_min, MODEL.likelihood_max) == (1, 5)


def test_every_default_level_has_a_one_sentence_description():
    for factor in MODEL.factors:
        for level in factor.levels:
            assert level.description.endswith("."), (factor.key, level.label)


def test_factors_for_returns_one_dimensions_factors_in_order():
    keys = [f.key for f in MODEL.factors_for("response")]
    assert keys == ["capacity", "capability", "cost", "mitigation"]


def test_factor_lookup_by_unknown_key_raises_key_error():
    with pytest.raises(KeyError):
        MODEL.factor("nope")


# --- Combining factors -------------------------------------------------------------------


def test_harm_is_the_sum_of_the_harm_factors():
    values = scores(
        physical="Critical",
        psychological="Substantial",
        financial="Moderate",
        community="Substantial",
    )
    assert compute_risk(MODEL, values).harm == 18


def test_no_harm_at_all_scores_zero_and_is_standard_not_unrated():
    values = scores(physical="None", psychological="None", financial="None", community="None")
    result = compute_risk(MODEL, values)
    assert (result.score, result.rating) == (0, "Standard")


def test_likelihood_is_frequency_plus_trend():
    assert compute_risk(MODEL, scores(frequency="Frequent", trend="Rising")).likelihood == 4


def test_rare_and_falling_likelihood_is_clamped_up_to_one():
    assert compute_risk(MODEL, scores(frequency="Rare", trend="Falling")).likelihood == 1


def test_constant_and_rising_likelihood_of_five_stays_five():
    assert compute_risk(MODEL, scores(frequency="Constant", trend="Rising")).likelihood == 5


def test_likelihood_clamp_follows_the_models_own_bounds():
    narrow = replace(MODEL, likelihood_min=D(2), likelihood_max=D(3))
    wide = replace(MODEL, likelihood_min=D(0), likelihood_max=D(10))
    assert compute_risk(wide, scores(frequency="Rare", trend="Falling")).likelihood == 0
    assert compute_risk(wide, scores(frequency="Constant", trend="Rising")).likelihood == 5
    assert compute_risk(narrow, scores(frequency="Rare", trend="Falling")).likelihood == 2
    assert compute_risk(narrow, scores(frequency="Constant", trend="Rising")).likelihood == 3


def test_confidence_is_the_single_intelligence_factor_by_default():
    assert compute_risk(MODEL, scores(confidence="Medium")).confidence == D("1.1")


def test_confidence_is_the_product_of_several_intelligence_factors():
    extra = Factor("source", "Source reliability", "intelligence", (Level("Poor", D("1.25")),))
    spec = replace(MODEL, factors=(*MODEL.factors, extra))
    values = {**scores(spec, confidence="Medium"), "source": D("1.25")}
    assert compute_risk(spec, values).confidence == D("1.375")


def test_all_strong_response_is_zero_point_eight():
    values = scores(capacity="Strong", capability="Strong", cost="Strong", mitigation="Strong")
    assert compute_risk(MODEL, values).response == D("0.8")


def test_all_weak_response_is_one_point_four():
    values = scores(capacity="Weak", capability="Weak", cost="Weak", mitigation="Weak")
    assert compute_risk(MODEL, values).response == D("1.4")


def test_response_uses_the_mean_of_the_response_factors():
    values = scores(capacity="Limited", capability="Limited", cost="Weak", mitigation="Adequate")
    assert compute_risk(MODEL, values).response == D("1.2")


def test_score_is_harm_times_likelihood_times_confidence_times_response():
    values = scores(
        physical="Critical",
        psychological="Substantial",
        financial="Moderate",
        community="Substantial",
        frequency="Frequent",
        trend="Rising",
        confidence="Medium",
        capacity="Limited",
        capability="Limited",
        cost="Weak",
        mitigation="Adequate",
    )
    result = compute_risk(MODEL, values)
    assert result.score == D("95.04")
    assert result.rating == "High"
    assert result.missing == ()


# --- Ratings -----------------------------------------------------------------------------


def test_score_of_exactly_sixty_is_high():
    values = scores(
        physical="Substantial",
        psychological="Substantial",
        financial="Moderate",
        community="None",
        frequency="Constant",
        trend="Rising",
        confidence="High",
        capacity="Limited",
        capability="Limited",
        cost="Limited",
        mitigation="Limited",
    )
    result = compute_risk(MODEL, values)
    assert (result.score, result.rating) == (60, "High")
    assert rating_for(MODEL, D("60")) == "High"


def test_score_just_under_sixty_is_moderate():
    assert rating_for(MODEL, D("59.99")) == "Moderate"


def test_score_of_exactly_twenty_five_is_moderate():
    values = scores(
        physical="Substantial",
        psychological="Low",
        financial="None",
        community="None",
        frequency="Constant",
        trend="Rising",
        confidence="High",
    )
    result = compute_risk(MODEL, values)
    assert (result.score, result.rating) == (25, "Moderate")
    assert rating_for(MODEL, D("25")) == "Moderate"


def test_score_just_under_twenty_five_is_standard():
    assert rating_for(MODEL, D("24.99")) == "Standard"


def test_ratings_compare_the_unrounded_score():
    assert round1(D("59.96")) == D("60.0")
    assert rating_for(MODEL, D("59.96")) == "Moderate"


def test_a_missing_score_is_unrated():
    assert rating_for(MODEL, None) == "Unrated"


def test_round1_rounds_halves_up_to_one_decimal_place():
    assert str(round1(D("95.04"))) == "95.0"
    assert str(round1(D("2.25"))) == "2.3"
    assert str(round1(D("0.05"))) == "0.1"
    assert str(round1(D("60"))) == "60.0"


# --- Missing factors ---------------------------------------------------------------------


def test_a_risk_with_unscored_factors_is_unrated_and_lists_them_in_model_order():
    result = compute_risk(MODEL, scores(cost=None, physical=None))
    assert result.rating == "Unrated"
    assert result.score is None
    assert result.missing == ("physical", "cost")


def test_an_unrated_risk_still_reports_its_complete_dimensions():
    result = compute_risk(MODEL, scores(trend=None))
    assert result.likelihood is None
    assert result.harm == 9
    assert result.confidence == 1
    assert result.response == 1


def test_a_factor_absent_from_the_values_counts_as_missing():
    values = scores()
    del values["mitigation"]
    assert compute_risk(MODEL, values).missing == ("mitigation",)


# --- Explanations ------------------------------------------------------------------------


def test_explain_spells_out_each_step_of_the_arithmetic():
    values = scores(
        physical="Critical",
        psychological="Substantial",
        financial="Moderate",
        community="Substantial",
        frequency="Frequent",
        trend="Rising",
        confidence="Medium",
        capacity="Limited",
        capability="Limited",
        cost="Weak",
        mitigation="Adequate",
    )
    assert explain(MODEL, values) == [
        "Harm = 8 + 4 + 2 + 4 = 18",
        "Likelihood = clamp(3 + 1, 1, 5) = 4",
        "Confidence = 1.1",
        "Response = 0.6 + 0.2 × mean(3, 3, 4, 2) = 0.6 + 0.2 × 3 = 1.2",
        "Score = 18 × 4 × 1.1 × 1.2 = 95.0 ≥ 60 → High",
    ]


def test_explain_shows_a_falling_trend_as_a_subtraction_and_the_clamp():
    lines = explain(MODEL, scores(frequency="Rare", trend="Falling"))
    assert lines[1] == "Likelihood = clamp(1 − 1, 1, 5) = 1"


def test_explain_compares_a_standard_score_with_the_moderate_threshold():
    lines = explain(MODEL, scores())
    assert lines[-1] == "Score = 9 × 3 × 1 × 1 = 27.0 ≥ 25 → Moderate"
    low = explain(MODEL, scores(frequency="Occasional"))
    assert low[-1] == "Score = 9 × 2 × 1 × 1 = 18.0 < 25 → Standard"


def test_explain_shows_more_places_when_rounding_would_mislead():
    spec = replace(MODEL, high_threshold=D("83.2"))
    values = scores(
        physical="Critical",
        psychological="Substantial",
        financial="Moderate",
        community="Substantial",
        frequency="Frequent",
        trend="Rising",
        confidence="Medium",
        capacity="Limited",
        capability="Limited",
        cost="Adequate",
        mitigation="Strong",
    )
    assert explain(spec, values)[-1] == "Score = 18 × 4 × 1.1 × 1.05 = 83.16 ≥ 25 → Moderate"


def test_explain_names_the_missing_factors_of_an_unrated_risk():
    lines = explain(MODEL, scores(frequency=None, cost=None))
    assert lines[1] == "Likelihood: not yet scored (missing Frequency and volume)"
    assert lines[-1] == "Score: Unrated (missing Frequency and volume, Cost to respond)"


# --- Level labels ------------------------------------------------------------------------


def test_level_label_for_a_value_on_the_scale_is_the_levels_label():
    assert level_label_for(MODEL.factor("frequency"), D(3)) == "Frequent"
    assert level_label_for(MODEL.factor("confidence"), D(1)) == "High"


def test_level_label_for_a_value_between_levels_joins_the_neighbours_with_an_en_dash():
    assert level_label_for(MODEL.factor("frequency"), D("2.5")) == "Occasional–Frequent"
    assert level_label_for(MODEL.factor("physical"), D(3)) == "Moderate–Substantial"


def test_level_label_for_no_value_or_an_off_scale_value_is_none():
    assert level_label_for(MODEL.factor("frequency"), None) is None
    assert level_label_for(MODEL.factor("frequency"), D(9)) is None


# --- Aggregating a workshop --------------------------------------------------------------


def test_median_of_an_odd_number_of_submissions_is_the_middle_value():
    result = aggregate_factor(capacity(), agreed=None, submissions=[D(4), D(1), D(3)], analyst=None)
    assert (result.value, result.source, result.level_label) == (3, "median", "Limited")


def test_median_of_two_submissions_is_their_mean():
    result = aggregate_factor(capacity(), agreed=None, submissions=[D(1), D(3)], analyst=None)
    assert result.value == 2
    assert result.level_label == "Adequate"


def test_median_of_four_submissions_is_the_mean_of_the_middle_two():
    result = aggregate_factor(
        capacity(), agreed=None, submissions=[D(4), D(1), D(3), D(2)], analyst=None
    )
    assert result.value == D("2.5")
    assert result.level_label == "Adequate–Limited"


def test_agreed_value_beats_the_median():
    result = aggregate_factor(capacity(), agreed=D(4), submissions=[D(1), D(1)], analyst=D(2))
    assert (result.value, result.source, result.submissions) == (4, "agreed", 2)


def test_median_beats_the_analysts_pre_score():
    result = aggregate_factor(capacity(), agreed=None, submissions=[D(1)], analyst=D(4))
    assert (result.value, result.source) == (1, "median")


def test_analysts_pre_score_is_used_when_nobody_submitted():
    result = aggregate_factor(capacity(), agreed=None, submissions=[], analyst=D(3))
    assert (result.value, result.source, result.submissions) == (3, "analyst", 0)
    assert result.spread is None
    assert result.divergent is False


def test_no_agreed_submitted_or_analyst_value_gives_no_value():
    result = aggregate_factor(capacity(), agreed=None, submissions=[], analyst=None)
    assert (result.value, result.source, result.level_label) == (None, None, None)


def test_spread_is_the_lowest_and_highest_submission():
    result = aggregate_factor(capacity(), agreed=None, submissions=[D(3), D(1), D(2)], analyst=None)
    assert result.spread == (1, 3)


def test_strong_and_limited_submissions_are_divergent():
    result = aggregate_factor(capacity(), agreed=None, submissions=[D(1), D(3)], analyst=None)
    assert result.divergent is True


def test_strong_and_adequate_submissions_are_not_divergent():
    result = aggregate_factor(capacity(), agreed=None, submissions=[D(1), D(2), D(2)], analyst=None)
    assert result.divergent is False


def test_a_single_submission_is_not_divergent():
    result = aggregate_factor(capacity(), agreed=None, submissions=[D(4)], analyst=None)
    assert result.divergent is False


def test_divergence_counts_levels_not_values_on_the_harm_scale():
    physical = MODEL.factor("physical")
    # Substantial (4) and Critical (8) are neighbours; Moderate (2) to Critical spans two levels.
    assert not aggregate_factor(
        physical, agreed=None, submissions=[D(4), D(8)], analyst=None
    ).divergent
    assert aggregate_factor(physical, agreed=None, submissions=[D(2), D(8)], analyst=None).divergent


def test_an_agreed_value_still_reports_divergent_submissions():
    result = aggregate_factor(capacity(), agreed=D(2), submissions=[D(1), D(4)], analyst=None)
    assert (result.source, result.divergent, result.spread) == ("agreed", True, (1, 4))


# --- Serialising a spec ------------------------------------------------------------------


def test_to_dict_is_json_safe_and_from_dict_round_trips_exactly():
    data = json.loads(json.dumps(MODEL.to_dict()))
    rebuilt = ScoringModelSpec.from_dict(data)
    assert rebuilt == MODEL
    assert rebuilt.to_dict() == MODEL.to_dict()
    assert str(rebuilt.factor("confidence").levels[0].value) == "1.0"


def test_to_dict_writes_decimals_as_strings():
    data = MODEL.to_dict()
    assert data["response_base"] == "0.6"
    assert data["factors"][4]["levels"][0] == {
        "label": "Rare",
        "value": "1",
        "description": MODEL.factor("frequency").levels[0].description,
    }


# --- Properties --------------------------------------------------------------------------

MONOTONE_KEYS = [f.key for f in MODEL.factors if f.dimension in ("harm", "likelihood", "response")]


@st.composite
def scored_risk_and_a_raised_factor(draw):
    """A fully scored risk, plus a factor key and a higher level for that factor."""
    values = {f.key: draw(st.sampled_from(f.levels)).value for f in MODEL.factors}
    key = draw(st.sampled_from(MONOTONE_KEYS))
    higher = [lv.value for lv in MODEL.factor(key).levels if lv.value > values[key]]
    raised = draw(st.sampled_from(higher)) if higher else values[key]
    return values, key, raised


@given(scored_risk_and_a_raised_factor())
def test_raising_a_harm_likelihood_or_response_factor_never_lowers_the_score(case):
    values, key, raised = case
    before = compute_risk(MODEL, values)
    after = compute_risk(MODEL, {**values, key: raised})
    assert before.score is not None and after.score is not None
    assert after.score >= before.score


@given(scored_risk_and_a_raised_factor())
def test_raising_a_factor_never_lowers_the_rating(case):
    order = ["Standard", "Moderate", "High"]
    values, key, raised = case
    before = compute_risk(MODEL, values).rating
    after = compute_risk(MODEL, {**values, key: raised}).rating
    assert order.index(after) >= order.index(before)


@given(st.fixed_dictionaries({f.key: st.sampled_from(f.levels) for f in MODEL.factors}))
def test_every_fully_scored_risk_stays_within_the_models_range(levels):
    result = compute_risk(MODEL, {key: lv.value for key, lv in levels.items()})
    assert 0 <= result.harm <= 32
    assert 1 <= result.likelihood <= 5
    assert D("0.8") <= result.response <= D("1.4")
    assert 0 <= result.score <= 32 * 5 * D("1.25") * D("1.4")
    assert result.rating == rating_for(MODEL, result.score)


def _levels(draw, low: int, high: int) -> tuple[Level, ...]:
    values = draw(
        st.lists(
            st.decimals(min_value=low, max_value=high, places=2),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    return tuple(Level(f"L{i}", v) for i, v in enumerate(sorted(values)))


@st.composite
def any_model_a_risk_and_a_raised_factor(draw):
    """A random model (valid or not), a fully scored risk, and a higher level for a factor."""
    factors = []
    for dimension in ("harm", "likelihood", "intelligence", "response"):
        for n in range(draw(st.integers(1, 3))):
            key = f"{dimension}{n}"
            factors.append(Factor(key, key, dimension, _levels(draw, -3, 9)))
    low, high = sorted(draw(st.decimals(min_value=-2, max_value=6, places=1)) for _ in "ab")
    spec = replace(
        MODEL,
        factors=tuple(factors),
        likelihood_min=low,
        likelihood_max=high,
        response_base=draw(st.decimals(min_value=-1, max_value=2, places=1)),
        response_step=draw(st.decimals(min_value=-1, max_value=1, places=1)),
    )
    values = {f.key: draw(st.sampled_from(f.levels)).value for f in factors}
    key = draw(st.sampled_from([f.key for f in factors]))
    higher = [lv.value for lv in spec.factor(key).levels if lv.value > values[key]]
    raised = draw(st.sampled_from(higher)) if higher else values[key]
    return spec, values, key, raised


@given(any_model_a_risk_and_a_raised_factor())
def test_every_model_validate_spec_accepts_never_lowers_a_score_when_a_factor_rises(case):
    spec, values, key, raised = case
    before = compute_risk(spec, values).score
    after = compute_risk(spec, {**values, key: raised}).score
    if after < before:
        assert validate_spec(spec), "a model that lets a higher level lower the score was accepted"


# --- Who scores what, and how ratings compare ---------------------------------------------------


def test_the_analyst_pre_scores_harm_and_likelihood_and_partners_score_the_rest():
    assert [f.dimension for f in analyst_factors(MODEL)] == ["harm"] * 4 + ["likelihood"] * 2
    assert [f.key for f in partner_factors(MODEL)] == [
        "confidence",
        "capacity",
        "capability",
        "cost",
        "mitigation",
    ]


def test_every_dimension_is_scored_by_exactly_one_of_the_analyst_and_the_partners():
    assert sorted(ANALYST_DIMENSIONS + PARTNER_DIMENSIONS) == sorted(DIMENSIONS)
    every = {f.key for f in analyst_factors(MODEL)} | {f.key for f in partner_factors(MODEL)}
    assert len(analyst_factors(MODEL)) + len(partner_factors(MODEL)) == len(MODEL.factors)
    assert every == {f.key for f in MODEL.factors}


def test_a_renamed_factor_keeps_its_scorer_because_its_dimension_decides():
    renamed = replace(MODEL.factors[0], key="injury", name="Injury")
    spec = replace(MODEL, factors=(renamed, *MODEL.factors[1:]))
    assert analyst_factors(spec)[0].key == "injury"
    assert "injury" not in {f.key for f in partner_factors(spec)}


def test_ratings_rank_high_above_moderate_above_standard_above_unrated():
    assert sorted(RATING_ORDER, key=RATING_ORDER.get, reverse=True) == [
        "High",
        "Moderate",
        "Standard",
        "Unrated",
    ]


@pytest.mark.parametrize(
    ("previous", "current", "movement"),
    [
        (None, "High", "new"),
        (None, "Unrated", "new"),
        ("High", "Unrated", "unrated"),
        ("Unrated", "Unrated", "unrated"),
        ("Unrated", "Standard", "rated"),
        ("Standard", "High", "up"),
        ("Moderate", "High", "up"),
        ("High", "Moderate", "down"),
        ("Moderate", "Standard", "down"),
        ("Moderate", "Moderate", "same"),
        ("Something else", "Standard", "up"),
    ],
)
def test_a_risks_movement_compares_its_rating_with_last_years(previous, current, movement):
    assert rating_movement(previous, current) == movement

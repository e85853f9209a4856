"""Register services: edits, copying forward, the board's priority mark, the scoring model."""

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessments.models import (
    Assessment,
    AssessmentStatus,
    Indicator,
    RiskFactorScore,
    RiskOrigin,
    ScoreChange,
    ScoreKind,
    ScoringModel,
)
from assessments.scoring import DEFAULT_MODEL, Factor, Level
from assessments.services import (
    AssessmentLocked,
    ThemeNotEmpty,
    assessment_freeze_model,
    assessment_spec,
    factor_score_set,
    risk_save,
    risk_set_priority,
    scoring_model_save,
    theme_delete,
)
from reports.services import CopyForwardRefused, assessment_copy_forward
from tests.factories import FULL_SCORES, RiskFactory, ThemeFactory
from workshops.outcomes import assessment_outcomes

pytestmark = pytest.mark.django_db


def _score(risk, kind=ScoreKind.ANALYST, **overrides):
    for key, label in {**FULL_SCORES, **overrides}.items():
        factor_score_set(risk=risk, factor_key=key, kind=kind, level_label=label)


@pytest.fixture
def register(assessment, partnership):
    theme = ThemeFactory(assessment=assessment, name="Domestic abuse", impact="Severe.", order=2)
    risk = RiskFactory(theme=theme, name="Domestic homicide", description="Killings", order=1)
    indicator = Indicator.objects.create(partnership=partnership, name="Domestic abuse crimes")
    risk.indicators.add(indicator)
    return theme, risk, indicator


def test_copy_forward_carries_themes_risks_indicators_and_final_values(register, analyst):
    theme, risk, indicator = register
    _score(risk)
    factor_score_set(risk=risk, factor_key="trend", kind=ScoreKind.AGREED, level_label="Stable")
    target = assessment_copy_forward(source=risk.assessment, period="2020/21", user=analyst)
    new_theme = target.themes.get()
    assert (new_theme.name, new_theme.impact, new_theme.order) == ("Domestic abuse", "Severe.", 2)
    new_risk = target.risks.get()
    assert new_risk.origin == RiskOrigin.CARRIED and new_risk.carried_from == risk
    assert new_risk.description == "Killings" and new_risk.theme == new_theme
    assert list(new_risk.indicators.all()) == [indicator]
    trend = RiskFactorScore.objects.get(risk=new_risk, factor_key="trend")
    assert trend.kind == ScoreKind.ANALYST and trend.level_label == "Stable"
    assert trend.note == "Carried forward from 2019/20: Stable (agreed)"
    assert RiskFactorScore.objects.filter(risk=new_risk).count() == len(FULL_SCORES)
    assert ScoreChange.objects.filter(risk=new_risk).count() == len(FULL_SCORES)


def test_last_years_rating_shows_as_previous_rating_after_copy_forward(register, analyst):
    _, risk, _ = register
    _score(risk)
    before = assessment_outcomes(risk.assessment)[0]
    target = assessment_copy_forward(source=risk.assessment, period="2020/21", user=analyst)
    outcome = assessment_outcomes(target)[0]
    assert outcome.previous_rating == before.rating == "High"
    assert outcome.rating == "High" and outcome.movement == "same"


def test_copy_forward_refuses_an_existing_period(register, analyst, assessment):
    Assessment.objects.create(partnership=assessment.partnership, period="2020/21")
    with pytest.raises(CopyForwardRefused, match="already has an assessment for 2020/21"):
        assessment_copy_forward(source=assessment, period="2020/21", user=analyst)


def test_copy_forward_refuses_a_malformed_period(register, analyst, assessment):
    with pytest.raises(CopyForwardRefused):
        assessment_copy_forward(source=assessment, period="2020/22", user=analyst)


@pytest.mark.parametrize("period", ["2018/19", "2019/20"])
def test_copy_forward_refuses_a_period_that_is_not_later_than_the_source(
    register, analyst, assessment, period
):
    with pytest.raises(CopyForwardRefused, match="after 2019/20, such as 2020/21"):
        assessment_copy_forward(source=assessment, period=period, user=analyst)
    assert not Assessment.objects.filter(period="2018/19").exists()


def test_copy_forward_freezes_the_model_so_model_edits_never_move_the_copied_ratings(
    register, partnership, admin_user
):
    _, risk, _ = register
    _score(risk)  # 116.2, High
    target = assessment_copy_forward(source=risk.assessment, period="2020/21", user=admin_user)
    assert target.scoring_frozen_at is not None
    before = assessment_outcomes(target)[0]
    assert before.rating == "High"
    scoring_model_save(
        partnership=partnership,
        spec=replace(DEFAULT_MODEL, moderate_threshold=Decimal(150), high_threshold=Decimal(500)),
        user=admin_user,
    )
    target.refresh_from_db()
    after = assessment_outcomes(target)[0]
    assert after.result == before.result and after.rating == "High"


def test_editing_a_carried_risks_name_marks_it_changed_but_reordering_does_not(register, analyst):
    _, risk, indicator = register
    target = assessment_copy_forward(source=risk.assessment, period="2020/21", user=analyst)
    carried = target.risks.get()
    carried.order = 9
    risk_save(risk=carried, indicators=[indicator])
    assert carried.origin == RiskOrigin.CARRIED
    carried.name = "Domestic homicide and suicide"
    risk_save(risk=carried)
    carried.refresh_from_db()
    assert carried.origin == RiskOrigin.CHANGED


def test_relinking_a_carried_risks_indicators_marks_it_changed(register, analyst):
    _, risk, _ = register
    carried = assessment_copy_forward(source=risk.assessment, period="2020/21", user=analyst)
    carried = carried.risks.get()
    risk_save(risk=carried, indicators=[])
    assert carried.origin == RiskOrigin.CHANGED


def test_a_published_assessment_refuses_register_changes(register, board_member):
    theme, risk, _ = register
    risk.assessment.status = AssessmentStatus.PUBLISHED
    risk.assessment.save()
    risk.name = "Renamed"
    with pytest.raises(AssessmentLocked):
        risk_save(risk=risk)
    with pytest.raises(AssessmentLocked):
        risk_set_priority(risk=risk, is_priority=True, reason="Because", user=board_member)


def test_a_theme_with_risks_cannot_be_deleted(register):
    theme, _, _ = register
    with pytest.raises(ThemeNotEmpty):
        theme_delete(theme=theme)


def test_marking_a_priority_needs_a_reason_and_is_audited(register, board_member):
    _, risk, _ = register
    with pytest.raises(ValidationError):
        risk_set_priority(risk=risk, is_priority=True, reason="  ", user=board_member)
    risk_set_priority(risk=risk, is_priority=True, reason="Hidden harm", user=board_member)
    risk.refresh_from_db()
    assert risk.is_priority and risk.priority_reason == "Hidden harm"
    assert risk.priority_set_by == board_member
    change = ScoreChange.objects.get(risk=risk, factor_key="priority")
    assert (change.old_label, change.new_label, change.note) == (
        "Not a priority",
        "Partnership priority",
        "Hidden harm",
    )
    risk_set_priority(risk=risk, is_priority=False, reason="Now mainstream", user=board_member)
    risk.refresh_from_db()
    assert not risk.is_priority and risk.priority_reason == ""
    assert ScoreChange.objects.filter(risk=risk, factor_key="priority").count() == 2


def test_saving_the_model_bumps_its_version(partnership, admin_user):
    model = scoring_model_save(partnership=partnership, spec=DEFAULT_MODEL, user=admin_user)
    assert model.spec["version"] == 2
    model = scoring_model_save(partnership=partnership, spec=DEFAULT_MODEL, user=admin_user)
    assert model.spec["version"] == 3
    assert ScoringModel.objects.count() == 1


def test_an_invalid_model_is_refused(partnership, admin_user):
    bad = replace(DEFAULT_MODEL, moderate_threshold=Decimal(70))
    with pytest.raises(ValidationError, match="moderate threshold must be below"):
        scoring_model_save(partnership=partnership, spec=bad, user=admin_user)


def test_changing_the_model_does_not_change_a_frozen_assessments_results(
    register, partnership, admin_user
):
    _, risk, _ = register
    _score(risk)
    frozen = assessment_freeze_model(assessment=risk.assessment)
    before = assessment_outcomes(risk.assessment)[0].result
    harsher = tuple(
        Factor(f.key, f.name, f.dimension, tuple(Level(lv.label, lv.value * 2) for lv in f.levels))
        if f.dimension == "harm"
        else f
        for f in DEFAULT_MODEL.factors
    )
    scoring_model_save(
        partnership=partnership,
        spec=replace(DEFAULT_MODEL, factors=harsher, high_threshold=Decimal(500)),
        user=admin_user,
    )
    risk.assessment.refresh_from_db()
    after = assessment_outcomes(risk.assessment)[0].result
    assert after == before and after.rating == "High"
    assert risk.assessment.scoring_spec == frozen.to_dict()
    # A new assessment, not yet frozen, scores with the new model.
    new = assessment_copy_forward(source=risk.assessment, period="2020/21", user=admin_user)
    assert assessment_outcomes(new)[0].rating == "Moderate"


def test_a_frozen_model_is_parsed_once_and_a_refrozen_one_afresh(register):
    _, risk, _ = register
    assessment = risk.assessment
    assessment_freeze_model(assessment=assessment)
    first = assessment_spec(assessment)
    assert assessment_spec(Assessment.objects.get(pk=assessment.pk)) is first  # from the cache
    # Frozen again (as after an admin's re-freeze): a new key, parsed from the new copy.
    Assessment.objects.filter(pk=assessment.pk).update(
        scoring_spec=replace(DEFAULT_MODEL, high_threshold=Decimal(99)).to_dict(),
        scoring_frozen_at=assessment.scoring_frozen_at + timedelta(seconds=1),
    )
    again = assessment_spec(Assessment.objects.get(pk=assessment.pk))
    assert again is not first and again.high_threshold == Decimal(99)

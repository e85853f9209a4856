"""Outcomes: the agreed value, else the latest round's median, else the analyst's score."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import ScoreChange, ScoreKind
from assessments.scoring import DEFAULT_MODEL
from assessments.services import AssessmentLocked, factor_score_set
from tests.factories import FULL_SCORES, RiskFactory, ThemeFactory, WorkshopFactory
from workshops.models import Round, RoundRisk, Submission
from workshops.outcomes import assessment_outcomes

pytestmark = pytest.mark.django_db


def _score_fully(risk, kind=ScoreKind.ANALYST):
    for key, label in FULL_SCORES.items():
        factor_score_set(risk=risk, factor_key=key, kind=kind, level_label=label)


def _submit(round_, risk, organisation, factor_key, label):
    level = DEFAULT_MODEL.factor(factor_key).level(label)
    RoundRisk.objects.get_or_create(round=round_, risk=risk)
    Submission.objects.update_or_create(
        round=round_,
        risk=risk,
        organisation=organisation,
        factor_key=factor_key,
        defaults={"value": level.value, "level_label": label},
    )


def test_a_fully_pre_scored_risk_is_rated_from_the_analysts_scores(assessment):
    risk = RiskFactory(theme=ThemeFactory(assessment=assessment))
    _score_fully(risk)
    [outcome] = assessment_outcomes(assessment)
    # harm 8+8+2+4 = 22, likelihood 3+1 = 4, confidence 1.1, response 0.6+0.2×3 = 1.2
    assert outcome.result.score == Decimal("22") * 4 * Decimal("1.1") * Decimal("1.2")
    assert outcome.rating == "High"
    assert outcome.factors["capacity"].source == "analyst"


def test_a_risk_missing_factors_is_unrated_and_says_which(assessment):
    risk = RiskFactory(theme=ThemeFactory(assessment=assessment))
    factor_score_set(risk=risk, factor_key="physical", kind=ScoreKind.ANALYST, level_label="Low")
    [outcome] = assessment_outcomes(assessment)
    assert outcome.rating == "Unrated"
    assert "capacity" in outcome.result.missing


def test_partners_median_beats_the_analyst_and_agreed_beats_both(assessment, police, council):
    risk = RiskFactory(theme=ThemeFactory(assessment=assessment))
    _score_fully(risk)
    round_one = Round.objects.create(workshop=WorkshopFactory(assessment=assessment), number=1)
    _submit(round_one, risk, police, "capacity", "Strong")
    _submit(round_one, risk, council, "capacity", "Weak")
    [outcome] = assessment_outcomes(assessment)
    capacity = outcome.factors["capacity"]
    assert (capacity.source, capacity.value, capacity.submissions) == ("median", Decimal("2.5"), 2)
    assert capacity.divergent
    factor_score_set(
        risk=risk, factor_key="capacity", kind=ScoreKind.AGREED, level_label="Adequate"
    )
    [outcome] = assessment_outcomes(assessment)
    assert (outcome.factors["capacity"].source, outcome.factors["capacity"].value) == (
        "agreed",
        Decimal("2"),
    )


def test_only_the_latest_round_counts(assessment, police):
    risk = RiskFactory(theme=ThemeFactory(assessment=assessment))
    workshop = WorkshopFactory(assessment=assessment)
    first = Round.objects.create(workshop=workshop, number=1)
    second = Round.objects.create(workshop=workshop, number=2)
    _submit(first, risk, police, "capacity", "Weak")
    _submit(second, risk, police, "capacity", "Strong")
    [outcome] = assessment_outcomes(assessment)
    assert outcome.factors["capacity"].value == Decimal("1")


def test_every_score_change_is_audited_with_old_and_new(assessment, analyst):
    risk = RiskFactory(theme=ThemeFactory(assessment=assessment))
    factor_score_set(
        risk=risk, factor_key="physical", kind=ScoreKind.ANALYST, level_label="Low", user=analyst
    )
    factor_score_set(
        risk=risk, factor_key="physical", kind=ScoreKind.ANALYST, level_label="Critical"
    )
    change = ScoreChange.objects.first()
    assert (change.old_label, change.new_label) == ("Low", "Critical")
    assert ScoreChange.objects.count() == 2


def test_a_published_assessment_refuses_new_scores(assessment):
    risk = RiskFactory(theme=ThemeFactory(assessment=assessment))
    assessment.status = "published"
    assessment.save()
    risk.assessment.refresh_from_db()
    with pytest.raises(AssessmentLocked, match="published"):
        factor_score_set(
            risk=risk, factor_key="physical", kind=ScoreKind.ANALYST, level_label="Low"
        )


def test_result_queries_do_not_grow_with_the_number_of_risks(assessment, police):
    theme = ThemeFactory(assessment=assessment)
    round_one = Round.objects.create(workshop=WorkshopFactory(assessment=assessment), number=1)

    def add_risks(n):
        for _ in range(n):
            risk = RiskFactory(theme=theme)
            _score_fully(risk)
            _submit(round_one, risk, police, "capacity", "Strong")

    add_risks(2)
    with CaptureQueriesContext(connection) as few:
        assessment_outcomes(assessment)
    add_risks(10)
    with CaptureQueriesContext(connection) as many:
        outcomes = assessment_outcomes(assessment)
    assert len(outcomes) == 12
    assert len(many) == len(few)


def test_recording_a_submission_twice_keeps_one_row_and_audits_the_change(assessment, police):
    from workshops.services import submission_record, workshop_first_round

    risk = RiskFactory(theme=ThemeFactory(assessment=assessment))
    workshop = WorkshopFactory(assessment=assessment)
    workshop.risks.add(risk)
    round_one = workshop_first_round(workshop=workshop)
    for label in ("Strong", "Weak"):
        submission_record(
            round=round_one,
            risk=risk,
            organisation=police,
            factor_key="capacity",
            level_label=label,
        )
    assert Submission.objects.get().level_label == "Weak"
    change = ScoreChange.objects.filter(kind=ScoreKind.SUBMISSION).first()
    assert (change.old_label, change.new_label, change.round_number) == ("Strong", "Weak", 1)


def test_a_new_round_without_scores_keeps_the_earlier_rounds_result(assessment, police, council):
    risk = RiskFactory(theme=ThemeFactory(assessment=assessment))
    _score_fully(risk)
    workshop = WorkshopFactory(assessment=assessment)
    first = Round.objects.create(workshop=workshop, number=1)
    _submit(first, risk, police, "capacity", "Weak")
    _submit(first, risk, council, "capacity", "Weak")
    before = assessment_outcomes(assessment)[0]
    second = Round.objects.create(workshop=workshop, number=2)
    RoundRisk.objects.create(round=second, risk=risk)
    [outcome] = assessment_outcomes(assessment)
    capacity = outcome.factors["capacity"]
    assert (capacity.source, capacity.value, capacity.submissions) == ("median", Decimal(4), 2)
    assert outcome.result == before.result and outcome.scored_round.number == 1


def test_once_the_new_round_is_scored_it_replaces_the_earlier_round_whole(
    assessment, police, council
):
    risk = RiskFactory(theme=ThemeFactory(assessment=assessment))
    _score_fully(risk)
    workshop = WorkshopFactory(assessment=assessment)
    first = Round.objects.create(workshop=workshop, number=1)
    _submit(first, risk, police, "capacity", "Weak")
    _submit(first, risk, council, "physical", "None")  # a challenge made only in round 1
    second = Round.objects.create(workshop=workshop, number=2)
    _submit(second, risk, police, "capacity", "Strong")
    [outcome] = assessment_outcomes(assessment)
    assert outcome.scored_round.number == 2
    assert (outcome.factors["capacity"].value, outcome.factors["capacity"].submissions) == (1, 1)
    # Nobody challenged physical harm in round 2: the analyst's level counts again.
    assert outcome.factors["physical"].source == "analyst"


def test_the_json_export_keeps_the_earlier_rounds_values_until_the_new_round_is_scored(
    assessment, police
):
    from reports.exports import assessment_export

    risk = RiskFactory(theme=ThemeFactory(assessment=assessment))
    _score_fully(risk)
    workshop = WorkshopFactory(assessment=assessment)
    _submit(Round.objects.create(workshop=workshop, number=1), risk, police, "capacity", "Weak")
    exported = assessment_export(assessment)["risks"][0]
    RoundRisk.objects.create(round=Round.objects.create(workshop=workshop, number=2), risk=risk)
    assert assessment_export(assessment)["risks"][0] == exported
    assert exported["factors"]["Capacity"] | {"spread": None} == {
        "level": "Weak",
        "value": 4,
        "source": "median",
        "submissions": 1,
        "divergent": False,
        "spread": None,
    }


def test_a_partner_saving_while_the_live_feed_reads_outcomes_never_breaks_the_feed(
    assessment, police, council
):
    """The live feed's first read finds no scores for a risk; a partner's first save for it
    commits before the second read (as happens under a burst of saves, the two reads being two
    statements): the feed still answers, and counts that risk from the next read."""
    theme = ThemeFactory(assessment=assessment)
    scored, fresh = RiskFactory(theme=theme), RiskFactory(theme=theme)
    round_one = Round.objects.create(workshop=WorkshopFactory(assessment=assessment), number=1)
    _submit(round_one, scored, police, "capacity", "Strong")
    RoundRisk.objects.create(round=round_one, risk=fresh)
    statements = []
    context = {}

    def concurrent_save(execute, sql, params, many, context_):
        if "workshops_submission" in sql:
            statements.append(sql)
        if len(statements) == 2 and not context.get("saved"):
            context["saved"] = True
            # Another request's save, committed between the feed's two statements.
            _submit(round_one, fresh, council, "capacity", "Weak")
        return execute(sql, params, many, context_)

    with connection.execute_wrapper(concurrent_save):
        outcomes = {o.risk.id: o for o in assessment_outcomes(assessment, with_previous=False)}
    assert outcomes[scored.id].factors["capacity"].source == "median"
    assert outcomes[fresh.id].factors["capacity"].submissions == 0
    again = {o.risk.id: o for o in assessment_outcomes(assessment, with_previous=False)}
    assert again[fresh.id].factors["capacity"].level_label == "Weak"

"""Workshop rules without HTTP: withdrawn challenges, saves after a reveal, settled risks, and
the round of agreed values in the audit trail."""

from decimal import Decimal

import pytest

from assessments.models import RiskFactorScore, ScoreChange, ScoreKind
from tests.factories import WorkshopFactory
from tests.workshops.conftest import PARTNER_SCORES
from workshops.exceptions import RiskRevealed, RiskSettled
from workshops.models import Submission
from workshops.outcomes import assessment_outcomes
from workshops.services import (
    risk_scores_save,
    workshop_agree,
    workshop_create,
    workshop_lock,
    workshop_new_round,
    workshop_open,
    workshop_reveal,
)

pytestmark = pytest.mark.django_db


def _levels(**extra):
    return {key: (label, "") for key, label in PARTNER_SCORES.items()} | extra


def _save(workshop, risk, organisation, user=None, **extra):
    return risk_scores_save(
        workshop=workshop, risk=risk, organisation=organisation, levels=_levels(**extra), user=user
    )


def _outcome(assessment, risk):
    return next(o for o in assessment_outcomes(assessment) if o.risk.id == risk.id)


# --- withdrawing a challenge --------------------------------------------------------------------


def test_leaving_a_challenge_out_of_a_save_withdraws_it_and_audits_old_to_none(
    workshop, risks, police, police_partner
):
    _save(workshop, risks[0], police, physical=("Critical", "Two homicides."))
    _save(workshop, risks[0], police, user=police_partner)
    assert not Submission.objects.filter(factor_key="physical").exists()
    withdrawn = ScoreChange.objects.filter(factor_key="physical").order_by("-id").first()
    assert (withdrawn.old_label, withdrawn.new_label, withdrawn.new_value) == ("Critical", "", None)
    assert (withdrawn.round_number, withdrawn.changed_by) == (1, police_partner)
    assert withdrawn.organisation == police and withdrawn.note == "Challenge withdrawn."


def test_a_withdrawn_challenge_no_longer_feeds_the_median(
    workshop, risks, police, council, assessment
):
    _save(workshop, risks[0], police, physical=("Critical", "Two homicides."))
    _save(workshop, risks[0], council, physical=("Low", "Rare."))
    assert _outcome(assessment, risks[0]).factors["physical"].submissions == 2
    _save(workshop, risks[0], police)
    physical = _outcome(assessment, risks[0]).factors["physical"]
    assert (physical.submissions, physical.value, physical.source) == (1, Decimal(1), "median")


def test_saving_without_a_challenge_that_was_never_made_audits_nothing_extra(
    workshop, risks, police
):
    _save(workshop, risks[0], police)
    _save(workshop, risks[0], police)
    assert ScoreChange.objects.count() == len(PARTNER_SCORES)


# --- revealed risks ---------------------------------------------------------------------------


def test_a_revealed_risk_takes_no_more_scores_from_anyone(workshop, risks, police, council):
    _save(workshop, risks[0], police)
    workshop_reveal(workshop=workshop, risk=risks[0])
    before = list(Submission.objects.values_list("id", "level_label"))
    for organisation in (police, council):  # one changing its answer, one scoring late
        with pytest.raises(RiskRevealed, match="The facilitator may open a new round"):
            _save(workshop, risks[0], organisation, capacity=("Weak", ""))
    assert list(Submission.objects.values_list("id", "level_label")) == before
    _save(workshop, risks[1], council)  # other risks are still open


def test_a_new_round_for_a_revealed_risk_takes_scores_again(workshop, risks, council):
    workshop_reveal(workshop=workshop, risk=risks[0])
    workshop_new_round(workshop=workshop, risks=[risks[0]])
    assert _save(workshop, risks[0], council).number == 2


# --- settled risks: after a lock nothing can change ---------------------------------------------


def _second_workshop(assessment, risks, organisations):
    second = WorkshopFactory(assessment=assessment, title="Follow-up")
    second.risks.set(risks)
    second.organisations.set(organisations)
    workshop_open(workshop=second)
    return second


def test_another_workshop_cannot_agree_a_value_for_a_risk_settled_in_a_locked_workshop(
    assessment, risks, police, draft_workshop
):
    # Both workshops hold the risk; the first locks after agreeing Adequate.
    follow_up = _second_workshop(assessment, [risks[0]], [police])
    workshop_open(workshop=draft_workshop)
    workshop_agree(
        workshop=draft_workshop, risk=risks[0], factor_key="capacity", level_label="Adequate"
    )
    workshop_lock(workshop=draft_workshop)
    with pytest.raises(RiskSettled, match="Annual workshop"):
        workshop_agree(workshop=follow_up, risk=risks[0], factor_key="capacity", level_label="Weak")
    agreed = RiskFactorScore.objects.get(risk=risks[0], kind=ScoreKind.AGREED)
    assert agreed.level_label == "Adequate"


def test_partners_cannot_score_a_risk_another_workshop_settled_meanwhile(
    assessment, risks, police, draft_workshop
):
    follow_up = _second_workshop(assessment, risks, [police])
    _save(follow_up, risks[0], police)
    workshop_open(workshop=draft_workshop)
    workshop_lock(workshop=draft_workshop)
    with pytest.raises(RiskSettled):
        _save(follow_up, risks[0], police, capacity=("Weak", ""))
    with pytest.raises(RiskSettled):
        workshop_new_round(workshop=follow_up, risks=[risks[0]])
    assert Submission.objects.get(risk=risks[0], factor_key="capacity").level_label == "Limited"


def test_a_settled_risk_cannot_join_a_new_workshop(settled, assessment, risks, police):
    with pytest.raises(RiskSettled, match="Domestic abuse"):
        workshop_create(
            assessment=assessment, title="Again", risks=[risks[0]], organisations=[police]
        )
    assert assessment.workshops.count() == 1


def test_risks_of_a_locked_workshop_alone_are_settled(assessment, risks, police, draft_workshop):
    draft_workshop.risks.set([risks[0]])
    workshop_open(workshop=draft_workshop)
    workshop_lock(workshop=draft_workshop)
    follow_up = workshop_create(
        assessment=assessment, title="Knife crime", risks=[risks[1]], organisations=[police]
    )
    workshop_open(workshop=follow_up)
    workshop_agree(workshop=follow_up, risk=risks[1], factor_key="capacity", level_label="Weak")
    assert RiskFactorScore.objects.get(risk=risks[1], kind=ScoreKind.AGREED).level_label == "Weak"


# --- the round of agreed values -----------------------------------------------------------------


def test_an_agreed_value_is_audited_with_the_round_it_was_agreed_in(workshop, risks, facilitator):
    workshop_agree(
        workshop=workshop,
        risk=risks[0],
        factor_key="capacity",
        level_label="Adequate",
        user=facilitator,
    )
    workshop_new_round(workshop=workshop, risks=[risks[0]])
    workshop_agree(workshop=workshop, risk=risks[0], factor_key="capacity", level_label="Weak")
    rounds = list(
        ScoreChange.objects.filter(kind=ScoreKind.AGREED)
        .order_by("id")
        .values_list("round_number", "old_label", "new_label")
    )
    assert rounds == [(1, "", "Adequate"), (2, "Adequate", "Weak")]

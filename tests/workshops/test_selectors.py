"""Workshop reads without HTTP: which risks are settled, each risk's current round, a partner's
progress and the workshops a person sees."""

import pytest

from assessments.services import assessment_spec
from tests.factories import RiskFactory, WorkshopFactory
from tests.workshops.conftest import PARTNER_SCORES
from workshops.selectors import (
    current_round_risk,
    current_round_risks,
    scoring_page,
    scoring_progress,
    settled_risks,
    workshops_for_user,
)
from workshops.services import risk_scores_save, workshop_lock, workshop_new_round

pytestmark = pytest.mark.django_db

LEVELS = {key: (label, "") for key, label in PARTNER_SCORES.items()}


def test_only_a_locked_workshop_settles_its_risks_and_it_is_named(assessment, workshop, risks):
    assert settled_risks(assessment=assessment) == {}
    workshop_lock(workshop=workshop)
    everything = {risks[0].id: "Annual workshop", risks[1].id: "Annual workshop"}
    assert settled_risks(assessment=assessment) == everything
    assert settled_risks(assessment=assessment, risk_ids=[risks[1].id]) == {
        risks[1].id: "Annual workshop"
    }
    assert settled_risks(assessment=assessment, exclude_workshop=workshop) == {}


def test_each_risks_current_round_is_the_latest_that_asks_for_it(workshop, risks, assessment):
    workshop_new_round(workshop=workshop, risks=[risks[0]])
    current = current_round_risks(workshop)
    assert {risk_id: rr.round.number for risk_id, rr in current.items()} == {
        risks[0].id: 2,
        risks[1].id: 1,
    }
    assert current_round_risk(workshop, risks[0].id).round.number == 2
    elsewhere = RiskFactory(theme=risks[0].theme, name="Not in the workshop")
    assert current_round_risk(workshop, elsewhere.id) is None


def test_the_save_fragments_progress_counts_what_the_scoring_page_counts(
    workshop, risks, police, council
):
    spec = assessment_spec(workshop.assessment)
    risk_scores_save(workshop=workshop, risk=risks[0], organisation=police, levels=LEVELS)
    assert scoring_progress(workshop, police, spec) == (1, 2)
    assert scoring_page(workshop, police, spec)[1:] == (1, 2)
    assert scoring_progress(workshop, council, spec) == (0, 2)
    workshop_new_round(workshop=workshop, risks=[risks[0]])  # asks the police again
    assert scoring_progress(workshop, police, spec) == (0, 2)
    assert scoring_page(workshop, police, spec)[1:] == (0, 2)


def test_a_partner_sees_open_workshops_they_are_invited_to_and_a_facilitator_runs_them(
    assessment, workshop, police_partner, facilitator, outsider
):
    WorkshopFactory(assessment=assessment, title="Still a draft").organisations.set(
        workshop.organisations.all()
    )
    partners = workshops_for_user(police_partner)
    assert [(w.title, w.runs) for w in partners] == [("Annual workshop", False)]
    assert [(w.title, w.runs) for w in workshops_for_user(facilitator)] == [
        ("Annual workshop", True)
    ]
    assert workshops_for_user(outsider) == []

"""Blind scoring on the register and risk pages: partners see other organisations' workshop
scores only once the facilitator reveals them; those who may view results see them live."""

import pytest

from assessments.models import AssessmentStatus, Role, ScoreKind
from assessments.services import factor_score_set
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    RiskFactory,
    ThemeFactory,
    UserFactory,
    WorkshopFactory,
)
from workshops.services import risk_scores_save, workshop_new_round, workshop_open, workshop_reveal

pytestmark = pytest.mark.django_db

REGISTER = "/p/plymouth/2019-20/register/"
# Harm 4 + 2 + 1 + 2 = 9, likelihood 3 + 0 = 3, confidence 1.1, response 1.2: 35.6, Moderate.
ANALYST = {
    "physical": "Substantial",
    "psychological": "Moderate",
    "financial": "Low",
    "community": "Moderate",
    "frequency": "Frequent",
    "trend": "Stable",
    "confidence": "Medium",
    "capacity": "Limited",
    "capability": "Limited",
    "cost": "Limited",
    "mitigation": "Limited",
}
STRONG = {"confidence": "High", "capacity": "Strong", "capability": "Strong"}
STRONG |= {"cost": "Strong", "mitigation": "Strong"}
# With the police all Strong and the council Limited on capacity: capacity's median is
# Adequate (divergent, Strong to Limited), response 0.85, confidence 1.0; the council's
# challenge of financial harm (None) makes harm 8: 8 × 3 × 1.0 × 0.85 = 20.4, Standard.
ANALYST_VIEW = ("Moderate", "35.6")
PARTNERS_VIEW = ("Standard", "20.4")


@pytest.fixture
def risk(assessment):
    risk = RiskFactory(theme=ThemeFactory(assessment=assessment, name="Violence"), name="Knives")
    for key, label in ANALYST.items():
        factor_score_set(
            risk=risk, factor_key=key, kind=ScoreKind.ANALYST, level_label=label, note=""
        )
    return risk


@pytest.fixture
def workshop(assessment, risk, police, council):
    workshop = WorkshopFactory(assessment=assessment, title="Annual workshop")
    workshop.risks.set([risk])
    workshop.organisations.set([police, council])
    workshop_open(workshop=workshop)
    return workshop


def _submit(workshop, risk, organisation, levels, *, comment="", reasons=None):
    wanted = {key: (label, "") for key, label in levels.items()}
    wanted |= reasons or {}
    risk_scores_save(
        workshop=workshop, risk=risk, organisation=organisation, levels=wanted, comment=comment
    )


@pytest.fixture
def scored(workshop, risk, police, council):
    """Both organisations scored in round 1; nothing is revealed yet."""
    _submit(workshop, risk, police, STRONG, comment="Police have a knife-crime team now.")
    _submit(
        workshop,
        risk,
        council,
        STRONG | {"capacity": "Limited"},
        reasons={"financial": ("None", "Victims rarely lose money.")},
    )
    return workshop


@pytest.fixture
def fire_partner(partnership):
    """Faye, a partner for the fire service, which was not invited to the workshop."""
    fire = OrganisationFactory(partnership=partnership, name="Fire and Rescue")
    user = UserFactory(username="faye_fire")
    MembershipFactory(user=user, partnership=partnership, role=Role.PARTNER, organisation=fire)
    return user


def _risk_url(risk):
    return f"/p/plymouth/2019-20/risks/{risk.pk}/"


def _page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _shows(page, rating_and_score):
    rating, score = rating_and_score
    return f">{rating}</span>" in page and score in page


def test_partner_cannot_see_unrevealed_scores_on_the_risk_page(
    client, police_partner, risk, scored
):
    page = _page(client, police_partner, _risk_url(risk))
    assert _shows(page, ANALYST_VIEW) and not _shows(page, PARTNERS_VIEW)
    assert "Partners&#x27; median" not in page and "Partners' median" not in page
    assert "Divergent" not in page
    assert "No submissions" in page
    assert "workshop scores count here once the facilitator reveals them" in page


@pytest.mark.parametrize("person", ["police_partner", "fire_partner"])
def test_partner_cannot_see_unrevealed_scores_on_the_register(
    client, request, person, risk, scored
):
    page = _page(client, request.getfixturevalue(person), REGISTER)
    assert _shows(page, ANALYST_VIEW) and not _shows(page, PARTNERS_VIEW)


@pytest.mark.parametrize("person", ["facilitator", "board_member", "analyst", "admin_user"])
def test_those_who_may_view_results_see_unrevealed_scores_live(
    client, request, person, risk, scored
):
    user = request.getfixturevalue(person)
    assert _shows(_page(client, user, REGISTER), PARTNERS_VIEW)
    page = _page(client, user, _risk_url(risk))
    assert _shows(page, PARTNERS_VIEW)
    assert "Divergent (Strong to Limited)" in page and "All 2 submitted High" in page


def test_partner_sees_the_scores_once_the_facilitator_reveals_the_risk(
    client, police_partner, fire_partner, risk, scored
):
    workshop_reveal(workshop=scored, risk=risk)
    for user in (police_partner, fire_partner):
        page = _page(client, user, _risk_url(risk))
        assert _shows(page, PARTNERS_VIEW)
        assert "Divergent (Strong to Limited)" in page


def test_a_new_round_hides_its_scores_until_revealed_but_partners_keep_the_revealed_round(
    client, police_partner, facilitator, risk, scored, police
):
    workshop_reveal(workshop=scored, risk=risk)
    workshop_new_round(workshop=scored, risks=[risk])
    # Round 2 has only the police's scores: response 0.8, confidence 1.25, harm 9 again.
    _submit(scored, risk, police, {**STRONG, "confidence": "Low"})  # 9 × 3 × 1.25 × 0.8 = 27
    assert _shows(_page(client, police_partner, _risk_url(risk)), PARTNERS_VIEW)
    assert _shows(_page(client, facilitator, _risk_url(risk)), ("Moderate", "27.0"))


def test_partners_see_every_score_once_the_assessment_is_published(
    client, police_partner, risk, scored, assessment
):
    assessment.status = AssessmentStatus.PUBLISHED
    assessment.save()
    assert _shows(_page(client, police_partner, _risk_url(risk)), PARTNERS_VIEW)


def test_partners_do_not_see_comments_or_challenge_reasons_on_the_risk_page(
    client, police_partner, risk, scored
):
    workshop_reveal(workshop=scored, risk=risk)
    page = _page(client, police_partner, _risk_url(risk))
    assert "What partners said" not in page
    assert "knife-crime team" not in page and "rarely lose money" not in page


def test_facilitators_see_partners_comments_and_challenge_reasons_once_revealed(
    client, facilitator, risk, scored
):
    page = _page(client, facilitator, _risk_url(risk))
    assert "What partners said" in page and "knife-crime team" not in page
    assert "once the facilitator reveals" in page
    workshop_reveal(workshop=scored, risk=risk)
    page = _page(client, facilitator, _risk_url(risk))
    assert "Devon and Cornwall Police</span> commented: Police have a knife-crime team now." in page
    assert (
        "Plymouth City Council</span> challenged financial harm to victims, proposing None: "
        "Victims rarely lose money."
    ) in page


def _queries(client, user, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user)
    client.get(url)  # the first request after force_login starts the session's clocks (a write)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("person", ["police_partner", "facilitator"])
def test_risk_page_query_count_stays_flat_as_organisations_score_comment_and_rounds_are_added(
    client, request, person, risk, scored, partnership
):
    user = request.getfixturevalue(person)
    workshop_reveal(workshop=scored, risk=risk)
    before = _queries(client, user, _risk_url(risk))
    workshop_new_round(workshop=scored, risks=[risk])
    for n in range(4):
        organisation = OrganisationFactory(partnership=partnership, name=f"Charity {n}")
        scored.organisations.add(organisation)
        _submit(scored, risk, organisation, STRONG, comment=f"Comment {n}")
    workshop_reveal(workshop=scored, risk=risk)
    assert _queries(client, user, _risk_url(risk)) == before


def test_a_single_submission_is_not_called_agreed_by_all(
    client, facilitator, workshop, risk, police
):
    _submit(workshop, risk, police, {"confidence": "Low"})
    page = _page(client, facilitator, _risk_url(risk))
    assert "One submission (Low)" in page and "Agreed by all" not in page

"""The facilitator's live dashboard: every factor with its value and source, comments and
challenge reasons by organisation, the round that counts, and settled risks."""

import re

import pytest

from tests.factories import WorkshopFactory
from tests.workshops.conftest import PARTNER_SCORES, url
from workshops.services import (
    risk_scores_save,
    workshop_agree,
    workshop_lock,
    workshop_new_round,
    workshop_open,
)

pytestmark = pytest.mark.django_db


def _levels(**extra):
    return {key: (label, "") for key, label in PARTNER_SCORES.items()} | extra


def _live_card(client, workshop, risk) -> str:
    """The text of one risk's card in the live fragment, tags stripped, spaces collapsed."""
    live = client.get(url(workshop, "live")).content.decode()
    start = live.index(f'id="live-risk-{risk.pk}"')
    end = live.find('class="card mb-3 live-risk"', start)
    card = live[start : end if end > 0 else None]
    return " ".join(re.sub(r"<[^>]+>", " ", card).split())


def test_dashboard_lists_comments_and_challenge_reasons_with_organisation_names(
    client, workshop, risks, police, council, facilitator
):
    risk_scores_save(
        workshop=workshop,
        risk=risks[0],
        organisation=police,
        levels=_levels(physical=("Critical", "Two homicides this year.")),
        comment="Our calls doubled.",
    )
    risk_scores_save(
        workshop=workshop, risk=risks[0], organisation=council, levels=_levels(), comment="Agree."
    )
    client.force_login(facilitator)
    card = _live_card(client, workshop, risks[0])
    assert (
        "Round 1 · Devon and Cornwall Police proposes Critical for physical harm to victims: "
        "Two homicides this year." in card
    )
    assert "Round 1 · Devon and Cornwall Police comments: Our calls doubled." in card
    assert "Round 1 · Plymouth City Council comments: Agree." in card
    assert "Our calls doubled" not in _live_card(client, workshop, risks[1])


def test_dashboard_lists_every_factor_with_value_used_and_source_after_a_new_round(
    client, workshop, risks, police, council, facilitator
):
    risk_scores_save(
        workshop=workshop, risk=risks[0], organisation=police, levels=_levels(capacity=("Weak", ""))
    )
    risk_scores_save(
        workshop=workshop,
        risk=risks[0],
        organisation=council,
        levels=_levels(capacity=("Strong", "")),
    )
    workshop_agree(workshop=workshop, risk=risks[0], factor_key="cost", level_label="Strong")
    workshop_new_round(workshop=workshop, risks=[risks[0]])
    client.force_login(facilitator)
    card = _live_card(client, workshop, risks[0])
    assert "round 2" in card
    assert "Nobody has scored round 2 yet, so round 1's scores still count." in card
    # every factor is listed, scored by partners or not
    assert "Physical harm to victims — Not scored —" in card
    # An agreed value overriding a different partners' median says so.
    assert "Cost to respond Limited 2 Strong (partners' median Limited) Agreed" in card
    assert "Capacity Strong 1 Weak 1 Adequate–Limited Partners' median Divergent" in card
    live = client.get(url(workshop, "live")).content.decode()
    assert live.count('class="divergent"') == 1


def test_dashboard_shows_the_new_round_once_it_is_scored(
    client, workshop, risks, police, facilitator
):
    risk_scores_save(
        workshop=workshop, risk=risks[0], organisation=police, levels=_levels(capacity=("Weak", ""))
    )
    workshop_new_round(workshop=workshop, risks=[risks[0]])
    risk_scores_save(
        workshop=workshop,
        risk=risks[0],
        organisation=police,
        levels=_levels(capacity=("Strong", "")),
    )
    client.force_login(facilitator)
    card = _live_card(client, workshop, risks[0])
    assert "Nobody has scored round 2" not in card
    assert "Capacity Strong 1 Strong Partners' median Close" in card


def test_dashboard_marks_a_risk_settled_elsewhere_and_offers_no_agreement_for_it(
    client, assessment, risks, police, facilitator, draft_workshop
):
    follow_up = WorkshopFactory(assessment=assessment, title="Follow-up")
    follow_up.risks.set(risks)
    follow_up.organisations.set([police])
    workshop_open(workshop=follow_up)
    draft_workshop.risks.set([risks[0]])
    workshop_open(workshop=draft_workshop)
    workshop_lock(workshop=draft_workshop)
    client.force_login(facilitator)
    page = client.get(url(follow_up, "dashboard")).content.decode()
    assert "settled in the locked workshop “Annual workshop”" in page
    assert f"Record agreed level for “{risks[0].name}”" not in page
    assert f"Record agreed level for “{risks[1].name}”" in page
    assert f'id="round-risk-{risks[0].pk}" disabled' in page
    refused = client.post(
        url(follow_up, "agree", risk_id=risks[0].pk), {"choice": "capacity:Weak"}, follow=True
    )
    assert "Settled in a locked workshop" in refused.content.decode()


@pytest.mark.parametrize(
    ("state", "message", "controls"),
    [
        ("draft", "This workshop is not open yet", ["Open the workshop"]),
        ("open", None, ["Lock the workshop", "Reveal “Domestic abuse”", "Open a new round"]),
        ("locked", "This workshop is locked: its scores, rounds and agreed values", []),
        ("published", "The 2019/20 assessment is published: this workshop's scores are final", []),
    ],
)
def test_the_dashboard_says_what_state_the_workshop_is_in_and_offers_only_what_can_happen(
    client, draft_workshop, risks, assessment, facilitator, state, message, controls
):
    if state != "draft":
        workshop_open(workshop=draft_workshop)
    if state == "locked":
        workshop_lock(workshop=draft_workshop)
    if state == "published":
        assessment.status = "published"
        assessment.save()
    client.force_login(facilitator)
    page = client.get(url(draft_workshop, "dashboard")).content.decode()
    messages = [
        "This workshop is not open yet",
        "This workshop is locked",
        "assessment is published",
    ]
    for text in messages:
        assert (text in page) == bool(message and text in message), text
    offered = [
        "Open the workshop",
        "Lock the workshop",
        "Reveal “Domestic abuse”",
        "Open a new round",
    ]
    assert [c for c in offered if c in page] == controls

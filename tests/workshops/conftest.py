"""A workshop of the Plymouth assessment with two risks, inviting the police and the council,
and a person for every role a workshop URL can meet."""

import pytest

from assessments.models import Role
from tests.conftest import _member
from tests.factories import OrganisationFactory, RiskFactory, ThemeFactory, WorkshopFactory
from workshops.services import workshop_agree, workshop_lock, workshop_open

PARTNER_SCORES = {
    "confidence": "Medium",
    "capacity": "Limited",
    "capability": "Adequate",
    "cost": "Limited",
    "mitigation": "Adequate",
}


@pytest.fixture
def risks(assessment):
    theme = ThemeFactory(assessment=assessment, name="Violence")
    return [
        RiskFactory(theme=theme, name="Domestic abuse", order=1),
        RiskFactory(theme=theme, name="Knife crime", order=2),
    ]


@pytest.fixture
def draft_workshop(assessment, risks, police, council, facilitator):
    workshop = WorkshopFactory(assessment=assessment, title="Annual workshop")
    workshop.risks.set(risks)
    workshop.organisations.set([police, council])
    return workshop


@pytest.fixture
def workshop(draft_workshop):
    workshop_open(workshop=draft_workshop)
    return draft_workshop


def url(workshop, name="score", **extra):
    from django.urls import reverse

    return reverse(
        f"workshops:{name}",
        kwargs={"partnership": "plymouth", "period": "2019-20", "pk": workshop.pk, **extra},
    )


ROLES = [
    "anonymous",
    "partner_a",
    "partner_b",
    "uninvited_partner",
    "facilitator",
    "analyst",
    "board",
    "outsider",
]


@pytest.fixture
def people(
    partnership, police_partner, council_partner, facilitator, analyst, board_member, outsider
):
    """Everyone, by role: partner_a is the police's, partner_b the council's (both invited)."""
    fire = OrganisationFactory(partnership=partnership, name="Fire and Rescue")
    return {
        "anonymous": None,
        "partner_a": police_partner,
        "partner_b": council_partner,
        "uninvited_partner": _member("faye_fire", partnership, Role.PARTNER, fire),
        "facilitator": facilitator,
        "analyst": analyst,
        "board": board_member,
        "outsider": outsider,
    }


def sign_in(client, people, who) -> None:
    """Sign the client in as `who` of `people` (anonymous stays signed out)."""
    client.logout()
    if people[who]:
        client.force_login(people[who])


# What a role that may not do something gets: sent to sign in, forbidden, or not found.
NOT_ALLOWED = {
    "anonymous": 302,
    "facilitator": 403,
    "partner_a": 403,
    "partner_b": 403,
    "uninvited_partner": 403,
    "analyst": 403,
    "board": 403,
    "outsider": 404,
}


@pytest.fixture
def settled(workshop, risks, police):
    """The annual workshop agreed Adequate capacity for Domestic abuse, then was locked."""
    workshop_agree(workshop=workshop, risk=risks[0], factor_key="capacity", level_label="Adequate")
    workshop_lock(workshop=workshop)
    return workshop

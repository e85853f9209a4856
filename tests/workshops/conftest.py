"""A workshop of the Plymouth assessment with two risks, inviting the police and the council."""

import pytest

from tests.factories import RiskFactory, ThemeFactory, WorkshopFactory
from workshops.services import workshop_open

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

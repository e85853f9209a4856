"""The board's reason for a partnership priority shows beside the risk's rating everywhere."""

import pytest
from django.urls import reverse

from assessments.models import Risk
from assessments.services import risk_set_priority
from tests.factories import WorkshopFactory
from workshops.services import workshop_open

pytestmark = pytest.mark.django_db

REASON = "Retained for continued national focus."


@pytest.fixture
def priority(scored, board_member):
    risk = Risk.objects.get(assessment=scored, name="Domestic homicide")
    risk_set_priority(risk=risk, is_priority=True, reason=REASON, user=board_member)
    return risk


def _page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_results_lists_show_the_priority_reason(client, board_member, priority):
    page = _page(client, board_member, "/p/plymouth/2019-20/results/")
    assert "★ Partnership priority" in page and REASON in page


def test_the_theme_table_has_a_footnote_with_the_priority_reason(client, board_member, priority):
    url = f"/p/plymouth/2019-20/themes/{priority.theme_id}/"
    page = _page(client, board_member, url)
    assert (
        f"★ Domestic homicide ({priority_rating(priority)}) is a partnership priority: {REASON}"
    ) in page


def priority_rating(risk):
    from workshops.outcomes import assessment_outcomes

    return next(o.rating for o in assessment_outcomes(risk.assessment) if o.risk == risk)


def test_the_workshop_live_view_shows_the_priority_reason(
    client, facilitator, priority, police, council
):
    workshop = WorkshopFactory(assessment=priority.assessment, title="Annual workshop")
    workshop.risks.set([priority])
    workshop.organisations.set([police, council])
    workshop_open(workshop=workshop)
    url = reverse(
        "workshops:live",
        kwargs={"partnership": "plymouth", "period": "2019-20", "pk": workshop.pk},
    )
    page = _page(client, facilitator, url)
    assert "★ Partnership priority" in page
    assert f"Partnership priority: {REASON}" in page

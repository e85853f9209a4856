"""The demo's draft workshop: the facilitator opens it and the demo partners score in it."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from reports.demo import DEMO_WORKSHOP
from workshops.models import Submission, Workshop, WorkshopStatus

pytestmark = pytest.mark.django_db

BASE = "/p/plymouth/2019-20/"


def _ratings(client) -> dict[str, str]:
    return {r["risk"]: r["rating"] for r in client.get(BASE + "export/json/").json()["risks"]}


def test_the_demo_facilitator_opens_the_draft_workshop_and_the_police_score_in_it(demo, client):
    users = get_user_model().objects
    workshop = Workshop.objects.get(title=DEMO_WORKSHOP)
    assert workshop.status == WorkshopStatus.DRAFT
    assert workshop.risks.count() == 30
    assert sorted(workshop.organisations.values_list("name", flat=True)) == [
        "Devon and Cornwall Police",
        "Devon and Somerset Fire and Rescue Service",
        "Plymouth City Council",
    ]
    client.force_login(users.get(username="board"))
    ratings = _ratings(client)

    client.force_login(users.get(username="police"))
    assert DEMO_WORKSHOP not in client.get("/").content.decode()  # a draft is not shown yet
    client.force_login(users.get(username="facilitator"))
    assert client.post(f"{BASE}workshops/{workshop.pk}/open/").status_code == 302
    client.force_login(users.get(username="police"))
    assert DEMO_WORKSHOP in client.get("/").content.decode()
    risk = workshop.risks.get(name="Domestic abuse")
    answers = {
        "confidence": "Low",
        "capacity": "Weak",
        "capability": "Weak",
        "cost": "Weak",
        "mitigation": "Weak",
    }
    response = client.post(
        f"{BASE}workshops/{workshop.pk}/score/{risk.pk}/", answers, HTTP_HX_REQUEST="true"
    )
    assert "Saved your scores for Domestic abuse" in response.content.decode()
    assert Submission.objects.filter(risk=risk, organisation__name="Devon and Cornwall Police")

    # The demo's agreed scores still decide the ratings until the facilitator agrees new ones.
    client.force_login(users.get(username="board"))
    assert _ratings(client) == ratings


def test_loading_the_demo_again_keeps_one_demo_workshop_even_once_opened(demo, client):
    workshop = Workshop.objects.get(title=DEMO_WORKSHOP)
    workshop.status = WorkshopStatus.OPEN
    workshop.save()
    call_command("load_demo", stdout=io.StringIO())
    assert Workshop.objects.filter(title=DEMO_WORKSHOP).count() == 1

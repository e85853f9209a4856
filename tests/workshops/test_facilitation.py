"""Setting up and running a workshop: whole themes, settled risks refused for every role, the
published assessment's warning, and agreed values with their round in the audit trail."""

import re

import pytest
from django.urls import reverse

from assessments.models import AssessmentStatus, RiskFactorScore, ScoreChange, ScoreKind
from tests.factories import RiskFactory, ThemeFactory, WorkshopFactory
from tests.workshops.conftest import NOT_ALLOWED, ROLES, sign_in, url
from workshops.models import Round, Workshop
from workshops.services import workshop_agree, workshop_lock, workshop_open

pytestmark = pytest.mark.django_db

CREATE = reverse("workshops:create", args=["plymouth", "2019-20"])


@pytest.fixture
def arson(assessment):
    """A second theme with two risks."""
    theme = ThemeFactory(assessment=assessment, name="Fire", order=2)
    return [
        RiskFactory(theme=theme, name="Deliberate fires", order=1),
        RiskFactory(theme=theme, name="Arson of vehicles", order=2),
    ]


def test_choosing_a_whole_theme_adds_all_its_risks(
    client, assessment, risks, arson, police, facilitator
):
    client.force_login(facilitator)
    fire_theme = arson[0].theme
    response = client.post(
        CREATE,
        {
            "title": "Fire",
            "themes": [fire_theme.pk],
            "risks": [risks[0].pk],
            "organisations": [police.pk],
        },
    )
    assert response.status_code == 302
    workshop = Workshop.objects.get(title="Fire")
    assert set(workshop.risks.all()) == {risks[0], *arson}


def test_the_form_groups_risks_by_theme_with_styled_checkboxes(
    client, assessment, risks, arson, facilitator
):
    client.force_login(facilitator)
    page = client.get(CREATE).content.decode()
    boxes = re.findall(r'<input type="checkbox"[^>]*>', page)
    assert boxes and all('class="form-check-input"' in box for box in boxes)
    assert "All risks in Violence" in page and "All risks in Fire" in page
    fire = page[page.index(">Fire</legend>") :]
    assert fire.index("All risks in Fire") < fire.index("Deliberate fires")
    assert 'src="/static/js/workshop-form.js"' in page


def test_a_workshop_needs_a_risk_or_a_theme(client, assessment, risks, police, facilitator):
    client.force_login(facilitator)
    response = client.post(CREATE, {"title": "Empty", "organisations": [police.pk]})
    assert response.status_code == 200
    assert "Choose at least one risk, or a whole theme." in response.content.decode()
    assert not Workshop.objects.exists()


@pytest.fixture
def locked(workshop, risks):
    """The annual workshop agreed Adequate capacity for its risks, then locked."""
    for risk in risks:
        workshop_agree(workshop=workshop, risk=risk, factor_key="capacity", level_label="Adequate")
    workshop_lock(workshop=workshop)
    return workshop


@pytest.mark.parametrize("who", ROLES)
def test_a_new_workshop_cannot_take_a_risk_settled_in_a_locked_workshop_whoever_asks(
    client, people, locked, risks, arson, police, who
):
    sign_in(client, people, who)
    data = {"title": "Again", "risks": [risks[0].pk, arson[0].pk], "organisations": [police.pk]}
    response = client.post(CREATE, data)
    if who == "facilitator":
        assert response.status_code == 200
        page = response.content.decode()
        assert "Already settled in a locked workshop, so they can no longer be scored: " in page
        assert "Domestic abuse (in “Annual workshop”)" in page
        # Every risk of Violence is settled, so the whole theme is not offered.
        assert "All risks in Violence" not in page and "All risks in Fire" in page
    else:
        assert response.status_code == NOT_ALLOWED[who]
    assert list(Workshop.objects.all()) == [locked]


def test_a_whole_theme_leaves_out_its_settled_risks_and_the_form_shows_why(
    client, locked, risks, arson, police, facilitator, assessment
):
    extra = RiskFactory(theme=risks[0].theme, name="Stalking", order=3)
    client.force_login(facilitator)
    page = client.get(CREATE).content.decode()
    assert "(settled in “Annual workshop”)" in page
    assert re.search(r'<input class="form-check-input" type="checkbox" disabled[^>]*>', page)
    data = {"title": "Again", "themes": [risks[0].theme.pk], "organisations": [police.pk]}
    assert client.post(CREATE, data).status_code == 302
    assert list(Workshop.objects.get(title="Again").risks.all()) == [extra]


@pytest.mark.parametrize("who", ROLES)
def test_agreeing_a_value_for_a_settled_risk_is_refused_whoever_asks(
    client, people, assessment, risks, police, draft_workshop, who
):
    follow_up = WorkshopFactory(assessment=assessment, title="Follow-up")
    follow_up.risks.set(risks)
    follow_up.organisations.set([police])
    workshop_open(workshop=follow_up)
    workshop_open(workshop=draft_workshop)
    workshop_agree(
        workshop=draft_workshop, risk=risks[0], factor_key="capacity", level_label="Adequate"
    )
    workshop_lock(workshop=draft_workshop)
    sign_in(client, people, who)
    response = client.post(
        url(follow_up, "agree", risk_id=risks[0].pk), {"choice": "capacity:Weak"}
    )
    new_round = client.post(url(follow_up, "new_round"), {"risks": [risks[0].pk]})
    if who == "facilitator":
        assert response.status_code == new_round.status_code == 302
        shown = client.get(response.url).content.decode()
        assert (
            "Settled in a locked workshop, so its scores and agreed values can no longer" in shown
        )
    else:
        assert response.status_code == new_round.status_code == NOT_ALLOWED[who]
    agreed = RiskFactorScore.objects.get(risk=risks[0], kind=ScoreKind.AGREED)
    assert agreed.level_label == "Adequate"
    assert not Round.objects.filter(workshop=follow_up, number=2).exists()


def test_the_create_form_of_a_published_assessment_warns_before_anything_is_typed(
    client, assessment, risks, police, facilitator
):
    assessment.status = AssessmentStatus.PUBLISHED
    assessment.save()
    client.force_login(facilitator)
    page = client.get(CREATE).content.decode()
    assert "The 2019/20 assessment is published, so no workshop can be added to it" in page
    assert '<fieldset disabled aria-describedby="published-warning">' in page
    data = {"title": "Late", "risks": [risks[0].pk], "organisations": [police.pk]}
    refused = client.post(CREATE, data).content.decode()
    assert "is published and can no longer be changed" in refused
    assert not Workshop.objects.exists()


def test_the_audit_page_shows_the_round_of_an_agreed_value(
    client, workshop, risks, facilitator, board_member
):
    client.force_login(facilitator)
    client.post(url(workshop, "new_round"), {"risks": [risks[0].pk]})
    client.post(url(workshop, "agree", risk_id=risks[0].pk), {"choice": "capacity:Weak"})
    change = ScoreChange.objects.get(kind=ScoreKind.AGREED)
    assert change.round_number == 2
    client.force_login(board_member)
    page = client.get(reverse("workshops:audit", args=["plymouth", "2019-20"])).content.decode()
    row = page[page.index("<td>Agreed value</td>") :]
    assert row.index("<td>2</td>") < row.index("(none) → Weak")

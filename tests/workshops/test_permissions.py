"""Workshop actions for every role, with real answers: partners reach only their own
organisation's scores in workshops they are invited to; nobody reaches another partnership's
workshop. (Which role may open which workshop page is tests/test_permissions.py's matrix.)"""

import pytest
from django.urls import reverse

from assessments.models import Role
from tests.conftest import _member
from tests.factories import (
    AssessmentFactory,
    RiskFactory,
    ThemeFactory,
    WorkshopFactory,
)
from tests.workshops.conftest import PARTNER_SCORES, ROLES, sign_in, url
from workshops.models import RiskComment, Submission
from workshops.services import workshop_open

pytestmark = pytest.mark.django_db

RUN_ACTIONS = ["open", "lock", "new_round", "reveal", "agree"]


def _target(workshop, risks, name):
    extra = {"risk_id": risks[0].pk} if name in {"reveal", "agree", "score_risk"} else {}
    return url(workshop, name, **extra)


ALL = ROLES
EXPECT_RUN = {
    "facilitator": 200,
    "partner_a": 403,
    "partner_b": 403,
    "uninvited_partner": 403,
    "analyst": 403,
    "board": 403,
    "outsider": 404,
}
EXPECT_SCORE = {
    "facilitator": 403,
    "partner_a": 200,
    "partner_b": 200,
    "uninvited_partner": 404,
    "analyst": 403,
    "board": 403,
    "outsider": 404,
}


@pytest.mark.parametrize("who", ALL)
def test_each_role_may_only_do_the_workshop_actions_it_is_allowed(
    client, people, workshop, risks, who
):
    sign_in(client, people, who)
    for action in RUN_ACTIONS:
        response = client.post(
            _target(workshop, risks, action), {"choice": "capacity:Strong", "risks": [risks[0].pk]}
        )
        if who == "anonymous":
            assert response.status_code == 302 and "/login/" in response.url
        elif who == "facilitator":
            assert response.status_code == 302
        else:
            assert response.status_code == EXPECT_RUN[who], (action, who)
    response = client.post(_target(workshop, risks, "score_risk"), PARTNER_SCORES)
    if who == "anonymous":
        assert response.status_code == 302 and "/login/" in response.url
    elif who in {"partner_a", "partner_b"}:
        assert response.status_code == 302 and "/login/" not in response.url
    else:
        assert response.status_code == EXPECT_SCORE[who]
    saved = set(Submission.objects.values_list("organisation__name", flat=True))
    assert saved == (
        {people[who].memberships.get().organisation.name}
        if who in {"partner_a", "partner_b"}
        else set()
    )


def test_a_partner_writes_only_for_their_own_organisation_whatever_they_post(
    client, workshop, risks, police, council, police_partner
):
    client.force_login(police_partner)
    client.post(
        url(workshop, "score_risk", risk_id=risks[0].pk),
        {
            **PARTNER_SCORES,
            "organisation": council.pk,
            "organisation_id": council.pk,
            "comment": "x",
        },
    )
    assert set(Submission.objects.values_list("organisation", flat=True)) == {police.pk}
    assert set(RiskComment.objects.values_list("organisation", flat=True)) == {police.pk}


def test_a_partner_does_not_see_another_organisations_own_answers(
    client, workshop, risks, police_partner, council_partner
):
    client.force_login(council_partner)
    client.post(
        url(workshop, "score_risk", risk_id=risks[0].pk),
        {**PARTNER_SCORES, "capacity": "Weak", "comment": "Council secret"},
    )
    client.force_login(police_partner)
    body = client.get(url(workshop)).content.decode()
    assert "Council secret" not in body and "0 of 2 risks scored" in body


def test_partners_cannot_reach_a_draft_workshop(client, draft_workshop, police_partner):
    client.force_login(police_partner)
    assert client.get(url(draft_workshop)).status_code == 404


def test_people_not_named_in_a_workshop_naming_people_are_not_invited(
    client, workshop, partnership, police, police_partner
):
    colleague = _member("pam_police", partnership, Role.PARTNER, police)
    workshop.participants.set([colleague])
    client.force_login(police_partner)
    assert client.get(url(workshop)).status_code == 404
    client.force_login(colleague)
    assert client.get(url(workshop)).status_code == 200


def test_nobody_reaches_another_partnerships_workshop_by_any_url(
    client, outsider, police_partner, facilitator, workshop
):
    torbay = AssessmentFactory(partnership=outsider.memberships.get().partnership, period="2019/20")
    risk = RiskFactory(theme=ThemeFactory(assessment=torbay))
    theirs = WorkshopFactory(assessment=torbay)
    theirs.risks.set([risk])
    theirs.organisations.set([outsider.memberships.get().organisation])
    workshop_open(workshop=theirs)
    for user in (police_partner, facilitator):
        client.force_login(user)
        for slug in ("plymouth", "torbay"):
            for name in ("score", "dashboard", "live"):
                target = reverse(
                    f"workshops:{name}",
                    kwargs={"partnership": slug, "period": "2019-20", "pk": theirs.pk},
                )
                # 404, or 403 where the role may not run workshops at all: never the page
                assert client.get(target).status_code in {403, 404}, (user, target)
            target = reverse(
                "workshops:score_risk",
                kwargs={
                    "partnership": slug,
                    "period": "2019-20",
                    "pk": theirs.pk,
                    "risk_id": risk.pk,
                },
            )
            assert client.post(target, PARTNER_SCORES).status_code in {403, 404}
            target = reverse(
                "workshops:lock", kwargs={"partnership": slug, "period": "2019-20", "pk": theirs.pk}
            )
            assert client.post(target).status_code in {403, 404}
    # a risk of another workshop through one's own workshop
    client.force_login(police_partner)
    assert (
        client.post(url(workshop, "score_risk", risk_id=risk.pk), PARTNER_SCORES).status_code == 404
    )
    assert not Submission.objects.exists()


def test_csrf_protection_stays_on_for_saves(workshop, risks, police_partner):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(police_partner)
    assert (
        strict.post(url(workshop, "score_risk", risk_id=risks[0].pk), PARTNER_SCORES).status_code
        == 403
    )
    assert not Submission.objects.exists()

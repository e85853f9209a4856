"""Everyone signs in; each person sees only the partnerships they belong to."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ASSESSMENT_URL = "/p/plymouth/2019-20/"
OTHER_ASSESSMENT_URL = "/p/torbay/2019-20/"


def test_the_login_page_is_open_to_everyone(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Sign in to Workbench" in response.content


def test_anonymous_visitors_are_sent_to_login(client, assessment):
    response = client.get(ASSESSMENT_URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_signing_in_leads_to_the_home_page(client, analyst, assessment):
    response = client.post(
        reverse("login"), {"username": "asha_analyst", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302 and response.url == reverse("home")


def test_home_lists_the_users_assessments_with_status(client, analyst, assessment, outsider):
    client.force_login(analyst)
    response = client.get(reverse("home"))
    assert b"Safer Plymouth" in response.content
    assert b"Strategic assessment 2019/20" in response.content
    assert b"Draft" in response.content
    assert b"Safer Torbay" not in response.content


@pytest.mark.parametrize(
    "person",
    ["admin_user", "analyst", "facilitator", "police_partner", "council_partner", "board_member"],
)
def test_every_role_sees_its_own_partnerships_assessment(client, request, person, assessment):
    client.force_login(request.getfixturevalue(person))
    assert client.get(ASSESSMENT_URL).status_code == 200


@pytest.mark.parametrize(
    "person",
    ["admin_user", "analyst", "facilitator", "police_partner", "council_partner", "board_member"],
)
def test_no_role_sees_another_partnerships_assessment(client, request, person, outsider):
    client.force_login(request.getfixturevalue(person))
    assert client.get(OTHER_ASSESSMENT_URL).status_code == 404
    assert b"Safer Torbay" not in client.get(reverse("home")).content


def test_an_outsider_cannot_see_plymouth(client, outsider, assessment):
    client.force_login(outsider)
    assert client.get(ASSESSMENT_URL).status_code == 404


def test_signing_out_needs_a_post_and_ends_the_session(client, analyst, assessment):
    client.force_login(analyst)
    client.post(reverse("logout"))
    assert client.get(ASSESSMENT_URL).status_code == 302

"""`manage.py load_demo` builds the Safer Plymouth demo and is safe to run twice."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from assessments.demo import DEMO_PASSWORD, DEMO_USERS
from assessments.models import Assessment, Membership, Organisation, Partnership, Role

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "partnerships": Partnership.objects.count(),
        "organisations": Organisation.objects.count(),
        "users": get_user_model().objects.count(),
        "memberships": Membership.objects.count(),
        "assessments": Assessment.objects.count(),
    }


def test_load_demo_creates_safer_plymouth_with_a_user_for_every_role():
    call_command("load_demo", stdout=open("/dev/null", "w"))
    plymouth = Partnership.objects.get(slug="plymouth")
    assert (plymouth.name, plymouth.area_name) == ("Safer Plymouth", "Plymouth")
    assert plymouth.assessments.get().period == "2019/20"
    roles = set(plymouth.memberships.values_list("role", flat=True))
    assert roles == set(Role.values)
    assert plymouth.organisations.filter(is_responsible_authority=True).count() == 6


def test_demo_users_can_sign_in_with_the_documented_password(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    for demo_user in DEMO_USERS:
        response = client.post(
            "/login/", {"username": demo_user.username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302 and response.url == "/", demo_user.username
        client.post("/logout/")


def test_running_load_demo_twice_changes_nothing():
    call_command("load_demo", stdout=open("/dev/null", "w"))
    before = _counts()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert _counts() == before

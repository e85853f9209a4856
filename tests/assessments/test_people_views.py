"""The people pages as an admin uses them, and joining by an invitation link from the mail."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from assessments.models import Invitation, Membership, Organisation, PeopleChange, Role
from tests.assessments.imports.helpers import xlsx_bytes
from tests.factories import UserFactory

LINK = re.compile(r"http://testserver(/invitations/[\w-]+/)")
PASSWORD = "a-long-passphrase-9"


def _mailed_path() -> str:
    return LINK.search(mail.outbox[-1].body).group(1)


def _invite(client, **fields):
    data = {"name": "Nia Jones", "email": "nia@example.org", "role": "analyst", "organisation": ""}
    return client.post(reverse("assessments:invite", args=["plymouth"]), {**data, **fields})


@pytest.fixture
def client_factory():
    """Another browser: a client of its own, signed out."""
    from django.test import Client

    return Client


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_admin_sees_everyone_and_open_invitations_on_the_people_page(
    admin_client, analyst, police_partner
):
    _invite(admin_client)
    page = admin_client.get(reverse("assessments:people", args=["plymouth"])).content.decode()
    assert "asha_analyst" in page and "pat_police" in page and "Devon and Cornwall Police" in page
    assert "nia@example.org" in page and "Waiting until" in page


@pytest.mark.django_db(transaction=True)
def test_an_invitation_shows_its_link_to_copy_and_emails_it(admin_client, settings):
    response = _invite(admin_client)
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 invitation sent" in page and "Copy" in page
    assert _mailed_path() in page
    assert "Email is not set up on this server" in page  # tests send no real mail


def test_an_invitation_for_a_partner_without_an_organisation_says_what_to_do(admin_client):
    response = _invite(admin_client, role="partner")
    assert response.status_code == 400
    assert "A partner speaks for an organisation" in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_invited_person_chooses_a_username_and_password_and_is_signed_in(
    admin_client, client_factory
):
    _invite(admin_client)
    visitor = client_factory()
    path = _mailed_path()
    form = visitor.get(path).content.decode()
    assert "Join Safer Plymouth" in form and "nia@example.org" in form
    weak = visitor.post(
        path,
        {
            "username": "nia",
            "first_name": "Nia",
            "last_name": "Jones",
            "password1": "password",
            "password2": "password",
        },
    )
    assert weak.status_code == 400
    assert "This password is too common." in weak.content.decode()
    done = visitor.post(
        path,
        {
            "username": "nia",
            "first_name": "Nia",
            "last_name": "Jones",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        follow=True,
    )
    page = done.content.decode()
    assert "Welcome to Safer Plymouth" in page and "you are an analyst" in page
    assert Membership.objects.get(user__username="nia").role == Role.ANALYST
    again = client_factory().get(path)
    assert again.status_code == 404 and "does not work" in again.content.decode()


def test_someone_signed_in_as_another_person_is_asked_to_sign_out_first(
    admin_client, client, analyst
):
    _invite(admin_client)
    invitation = Invitation.objects.get()
    from assessments.people_services import invitation_resend

    sent = invitation_resend(invitation=invitation, user=None, base_url="http://testserver")
    client.force_login(analyst)
    path = LINK.search(sent.link).group(1)
    page = client.post(path).content.decode()
    assert "but you are signed in as asha_analyst" in page
    assert Invitation.objects.get().accepted_at is None


@pytest.mark.django_db(transaction=True)
def test_a_revoked_invitation_link_says_it_does_not_work(admin_client, client_factory):
    _invite(admin_client)
    path = _mailed_path()
    invitation = Invitation.objects.get()
    response = admin_client.post(
        reverse("assessments:invitation_revoke", args=["plymouth", invitation.pk]), follow=True
    )
    assert "The invitation to nia@example.org is revoked" in response.content.decode()
    assert client_factory().get(path).status_code == 404


def test_the_last_admin_cannot_demote_themselves_and_nothing_changes(admin_client, admin_user):
    membership = admin_user.memberships.get()
    url = reverse("assessments:person", args=["plymouth", membership.pk])
    response = admin_client.post(url, {"role": "analyst", "organisation": ""})
    assert response.status_code == 400
    assert "only admin" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN
    deactivate = reverse("assessments:person_deactivate", args=["plymouth", membership.pk])
    refused = admin_client.post(deactivate, follow=True)
    assert "only admin" in refused.content.decode()


def test_admin_changes_a_role_and_the_history_shows_it(admin_client, police_partner, council):
    membership = police_partner.memberships.get()
    url = reverse("assessments:person", args=["plymouth", membership.pk])
    admin_client.post(url, {"role": "facilitator", "organisation": council.pk})
    history = admin_client.get(reverse("assessments:people_history", args=["plymouth"]))
    page = history.content.decode()
    assert "Role changed" in page and "Partner" in page and "Facilitator" in page
    assert "Organisation changed" in page


def test_a_deactivated_person_is_listed_as_such_and_reaches_nothing(
    admin_client, client, police_partner, assessment
):
    membership = police_partner.memberships.get()
    admin_client.post(reverse("assessments:person_deactivate", args=["plymouth", membership.pk]))
    page = admin_client.get(reverse("assessments:people", args=["plymouth"])).content.decode()
    assert "Deactivated" in page
    client.force_login(police_partner)
    assert client.get(assessment.get_absolute_url()).status_code in (302, 404)


def test_admin_adds_renames_and_retires_organisations(admin_client):
    url = reverse("assessments:organisations", args=["plymouth"])
    admin_client.post(url, {"name": "Torbay Fire"})
    duplicate = admin_client.post(url, {"name": "TORBAY FIRE"})
    assert duplicate.status_code == 400 and "already has an organisation" in (
        duplicate.content.decode()
    )
    fire = Organisation.objects.get(name="Torbay Fire")
    admin_client.post(
        reverse("assessments:organisation_edit", args=["plymouth", fire.pk]), {"name": "Fire"}
    )
    retired = admin_client.post(
        reverse("assessments:organisation_retire", args=["plymouth", fire.pk]), follow=True
    )
    page = retired.content.decode()
    assert "Fire is retired; its history is kept." in page and "Retired" in page
    invite_form = admin_client.get(reverse("assessments:invite", args=["plymouth"]))
    assert ">Fire<" not in invite_form.content.decode()
    assert PeopleChange.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_bulk_file_invites_everyone_and_shows_each_link(admin_client, police):
    workbook = xlsx_bytes(
        [
            ["name", "email", "organisation", "role"],
            ["Ann Analyst", "ann@example.org", "", "Analyst"],
            ["Pat Police", "pat@example.org", "Devon and Cornwall Police", "Partner"],
        ]
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("people.xlsx", workbook)
    response = admin_client.post(
        reverse("assessments:people_import", args=["plymouth"]), {"file": upload}
    )
    page = response.content.decode()
    assert "2 invitations sent" in page and "ann@example.org" in page and "pat@example.org" in page
    assert len(mail.outbox) == 2


def test_a_bulk_file_with_problems_invites_nobody_and_lists_them(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "people.csv", b"name,email,organisation,role\nAnn,ann@example.org,Nowhere,captain\n"
    )
    response = admin_client.post(
        reverse("assessments:people_import", args=["plymouth"]), {"file": upload}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nobody was invited: 1 problem" in page
    assert "row 2, column &#x27;role&#x27;" in page
    assert not Invitation.objects.exists()


def test_admins_see_people_links_and_analysts_the_new_assessment_link_on_home(
    client, admin_user, analyst, police_partner
):
    client.force_login(admin_user)
    page = client.get("/").content.decode()
    assert reverse("assessments:people", args=["plymouth"]) in page
    client.force_login(analyst)
    page = client.get("/").content.decode()
    assert reverse("reports:assessment_create", args=["plymouth"]) in page
    assert reverse("assessments:people", args=["plymouth"]) not in page
    client.force_login(police_partner)
    page = client.get("/").content.decode()
    assert "Start an assessment" not in page


@pytest.mark.django_db(transaction=True)
def test_a_site_admin_starts_a_partnership_and_sees_its_admins_link(client):
    client.force_login(UserFactory(username="root", is_superuser=True))
    home = client.get("/").content.decode()
    assert "Start a partnership" in home
    response = client.post(
        reverse("assessments:partnership_create"),
        {
            "name": "Safer Torbay",
            "slug": "torbay",
            "area_name": "Torbay",
            "admin_name": "Tam Admin",
            "admin_email": "tam@torbay.example",
        },
    )
    page = response.content.decode()
    assert "Safer Torbay is started" in page and "tam@torbay.example" in page
    assert _mailed_path() in page
    taken = client.post(
        reverse("assessments:partnership_create"),
        {
            "name": "X",
            "slug": "torbay",
            "area_name": "X",
            "admin_name": "X",
            "admin_email": "x@x.x",
        },
    )
    assert taken.status_code == 400 and "That web address is taken" in taken.content.decode()


@pytest.mark.django_db(transaction=True)
def test_joining_from_a_locked_address_creates_the_account_but_signs_in_only_after_the_lock(
    admin_client, client_factory, settings
):
    settings.WORKBENCH_ADDRESS_FAILURE_LIMIT = 2
    _invite(admin_client)
    visitor = client_factory()
    for username in ("someone", "another"):
        visitor.post(reverse("login"), {"username": username, "password": "guess"})
    fields = {"username": "nia", "first_name": "Nia", "password1": PASSWORD, "password2": PASSWORD}
    response = visitor.post(_mailed_path(), fields, follow=True)
    assert "_auth_user_id" not in visitor.session
    assert Membership.objects.filter(user__username="nia").exists()
    assert "Too many sign-in attempts" in response.content.decode()


def test_a_new_workshop_offers_neither_retired_organisations_nor_deactivated_partners(
    client, facilitator, admin_user, assessment, police_partner, council_partner, police
):
    from assessments.people_services import membership_deactivate, organisation_retire

    membership_deactivate(membership=police_partner.memberships.get(), user=admin_user)
    organisation_retire(organisation=police, user=admin_user)
    client.force_login(facilitator)
    page = client.get(reverse("workshops:create", args=["plymouth", "2019-20"])).content.decode()
    assert "Plymouth City Council" in page and council_partner.get_full_name() in page
    assert "Devon and Cornwall Police" not in page
    assert police_partner.get_full_name() not in page


def test_someone_already_signed_in_with_the_invited_email_joins_with_one_button(
    client, partnership
):
    from assessments.people_services import invitation_create

    elsewhere = UserFactory(username="sam", email="sam@example.org")
    sent = invitation_create(
        partnership=partnership,
        email="SAM@example.org",
        name="Sam",
        role=Role.BOARD,
        organisation=None,
        user=None,
        base_url="http://testserver",
    )
    client.force_login(elsewhere)
    path = LINK.search(sent.link).group(1)
    assert "Join Safer Plymouth" in client.get(path).content.decode()
    response = client.post(path, follow=True)
    assert "You have joined Safer Plymouth." in response.content.decode()
    assert Membership.objects.get(user=elsewhere).role == Role.BOARD

"""Invitations, roles, deactivation and organisations: the rules, and the audit they leave."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from assessments import people_services as services
from assessments.models import Invitation, Membership, PeopleAction, PeopleChange, Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

LINK = re.compile(r"http://testserver/invitations/[\w-]+/")


def _token(sent) -> str:
    return sent.link.rstrip("/").rsplit("/", 1)[1]


def _invite(partnership, admin_user, **overrides):
    fields = {
        "partnership": partnership,
        "email": "nia@example.org",
        "name": "Nia Jones",
        "role": Role.ANALYST,
        "organisation": None,
        "user": admin_user,
        "base_url": "http://testserver",
    }
    return services.invitation_create(**{**fields, **overrides})


@pytest.mark.django_db(transaction=True)
def test_an_invited_person_is_emailed_a_link_that_the_page_also_shows(partnership, admin_user):
    sent = _invite(partnership, admin_user)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nia@example.org"]
    assert "Safer Plymouth" in message.subject
    assert LINK.search(message.body).group(0) == sent.link
    assert "analyst" in message.body


def test_only_the_digest_of_an_invitation_link_is_stored(partnership, admin_user):
    sent = _invite(partnership, admin_user)
    stored = Invitation.objects.get()
    assert _token(sent) not in stored.token_digest
    assert services.invitation_for_token(_token(sent)) == stored


def test_an_invitation_link_works_once(partnership, admin_user):
    sent = _invite(partnership, admin_user)
    invitation = services.invitation_for_token(_token(sent))
    services.invitation_accept(
        invitation=invitation, username="nia", password="a-long-passphrase-9", first_name="Nia"
    )
    assert services.invitation_for_token(_token(sent)) is None
    with pytest.raises(services.PeopleRefused):
        services.invitation_accept(invitation=invitation, username="nia2", password="x-long-9")
    assert get_user_model().objects.filter(email="nia@example.org").count() == 1


def test_an_expired_invitation_link_no_longer_works(partnership, admin_user):
    sent = _invite(partnership, admin_user)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert services.invitation_for_token(_token(sent)) is None


def test_resending_makes_a_new_link_and_the_old_one_stops_working(partnership, admin_user):
    first = _invite(partnership, admin_user)
    again = services.invitation_resend(invitation=first.invitation, user=admin_user)
    assert again.link != first.link
    assert services.invitation_for_token(_token(first)) is None
    assert services.invitation_for_token(_token(again)) is not None


def test_a_revoked_invitation_link_no_longer_works(partnership, admin_user):
    sent = _invite(partnership, admin_user)
    services.invitation_revoke(invitation=sent.invitation, user=admin_user)
    assert services.invitation_for_token(_token(sent)) is None
    with pytest.raises(services.PeopleRefused):
        services.invitation_resend(invitation=sent.invitation, user=admin_user)


def test_accepting_makes_a_member_with_the_invited_role_and_organisation(
    partnership, admin_user, police
):
    sent = _invite(partnership, admin_user, role=Role.PARTNER, organisation=police)
    user = services.invitation_accept(
        invitation=sent.invitation, username="nia", password="a-long-passphrase-9"
    )
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.organisation) == (Role.PARTNER, police)
    assert user.check_password("a-long-passphrase-9")


def test_nobody_is_invited_twice_or_when_already_a_member(partnership, admin_user, analyst):
    analyst.email = "asha@example.org"
    analyst.save()
    with pytest.raises(services.PeopleRefused, match="already a member"):
        _invite(partnership, admin_user, email="ASHA@example.org")
    _invite(partnership, admin_user)
    with pytest.raises(services.PeopleRefused, match="already been invited"):
        _invite(partnership, admin_user, email="Nia@Example.org")


def test_a_partner_is_invited_only_with_a_current_organisation(partnership, admin_user, police):
    with pytest.raises(services.PeopleRefused, match="organisation"):
        _invite(partnership, admin_user, role=Role.PARTNER)
    services.organisation_retire(organisation=police, user=admin_user)
    with pytest.raises(services.PeopleRefused, match="retired"):
        _invite(partnership, admin_user, role=Role.PARTNER, organisation=police)
    assert not Invitation.objects.exists()


def test_nobody_can_demote_or_deactivate_the_last_admin(partnership, admin_user):
    only = admin_user.memberships.get()
    with pytest.raises(services.PeopleRefused, match="only admin"):
        services.membership_change(
            membership=only, role=Role.ANALYST, organisation=None, user=admin_user
        )
    with pytest.raises(services.PeopleRefused, match="only admin"):
        services.membership_deactivate(membership=only, user=admin_user)
    only.refresh_from_db()
    assert only.role == Role.ADMIN and only.deactivated_at is None


def test_an_admin_can_step_down_once_there_is_another(partnership, admin_user):
    second = MembershipFactory(partnership=partnership, role=Role.ADMIN)
    services.membership_change(
        membership=admin_user.memberships.get(),
        role=Role.ANALYST,
        organisation=None,
        user=admin_user,
    )
    with pytest.raises(services.PeopleRefused):
        services.membership_deactivate(membership=second, user=admin_user)


def test_a_deactivated_person_cannot_sign_in_and_their_history_stays(
    client, partnership, admin_user, police_partner
):
    membership = police_partner.memberships.get()
    services.membership_deactivate(membership=membership, user=admin_user)
    police_partner.refresh_from_db()
    assert not police_partner.is_active
    response = client.post(
        "/login/", {"username": "pat_police", "password": "correct-horse-battery"}
    )
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    kept = Membership.everyone.get(pk=membership.pk)
    assert kept.deactivated_at is not None
    assert kept.organisation.name == "Devon and Cornwall Police"
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_someone_in_two_partnerships_keeps_signing_in_to_the_other(
    partnership, admin_user, police_partner
):
    elsewhere = OrganisationFactory().partnership
    MembershipFactory(user=police_partner, partnership=elsewhere, role=Role.BOARD)
    services.membership_deactivate(
        membership=Membership.objects.get(user=police_partner, partnership=partnership),
        user=admin_user,
    )
    police_partner.refresh_from_db()
    assert police_partner.is_active
    assert [m.partnership for m in police_partner.memberships.all()] == [elsewhere]


def test_a_deactivated_person_invited_again_comes_back_in_their_own_account(
    partnership, admin_user, police_partner, council
):
    police_partner.email = "pat@example.org"
    police_partner.save()
    membership = police_partner.memberships.get()
    services.membership_deactivate(membership=membership, user=admin_user)
    sent = _invite(partnership, admin_user, email="pat@example.org", organisation=council)
    police_partner.refresh_from_db()
    services.invitation_accept(invitation=sent.invitation, user=police_partner)
    back = Membership.objects.get(pk=membership.pk)
    assert (back.role, back.organisation) == (Role.ANALYST, council)
    police_partner.refresh_from_db()
    assert police_partner.is_active


def test_a_retired_organisation_keeps_its_history_and_people_first_move(
    partnership, admin_user, police, police_partner, council
):
    with pytest.raises(services.PeopleRefused, match="1 person speaks for"):
        services.organisation_retire(organisation=police, user=admin_user)
    services.membership_change(
        membership=police_partner.memberships.get(),
        role=Role.PARTNER,
        organisation=council,
        user=admin_user,
    )
    services.organisation_retire(organisation=police, user=admin_user)
    police.refresh_from_db()
    assert police.is_retired and police.name == "Devon and Cornwall Police"


def test_organisation_names_stay_unique_whatever_their_case(partnership, admin_user, police):
    with pytest.raises(services.PeopleRefused):
        services.organisation_create(
            partnership=partnership, name="devon and cornwall police", user=admin_user
        )
    other = services.organisation_create(partnership=partnership, name="Fire", user=admin_user)
    with pytest.raises(services.PeopleRefused):
        services.organisation_rename(
            organisation=other, name="DEVON AND CORNWALL POLICE", user=admin_user
        )


def test_every_change_to_people_and_organisations_is_in_the_history(
    partnership, admin_user, police, police_partner
):
    sent = _invite(partnership, admin_user, role=Role.BOARD)
    services.invitation_resend(invitation=sent.invitation, user=admin_user)
    services.invitation_revoke(invitation=sent.invitation, user=admin_user)
    services.membership_change(
        membership=police_partner.memberships.get(),
        role=Role.FACILITATOR,
        organisation=police,
        user=admin_user,
    )
    services.membership_deactivate(membership=police_partner.memberships.get(), user=admin_user)
    services.organisation_rename(organisation=police, name="Police", user=admin_user)
    actions = list(PeopleChange.objects.order_by("id").values_list("action", flat=True))
    assert actions == [
        PeopleAction.INVITED,
        PeopleAction.INVITATION_RESENT,
        PeopleAction.INVITATION_REVOKED,
        PeopleAction.ROLE_CHANGED,
        PeopleAction.DEACTIVATED,
        PeopleAction.ORGANISATION_RENAMED,
    ]
    role_change = PeopleChange.objects.get(action=PeopleAction.ROLE_CHANGED)
    assert (role_change.old_value, role_change.new_value) == ("Partner", "Facilitator")
    assert role_change.changed_by_username == "alex_admin"
    renamed = PeopleChange.objects.get(action=PeopleAction.ORGANISATION_RENAMED)
    assert (renamed.old_value, renamed.new_value) == ("Devon and Cornwall Police", "Police")


def test_the_history_outlives_the_people_it_names(partnership, admin_user, police_partner):
    services.membership_deactivate(membership=police_partner.memberships.get(), user=admin_user)
    name = police_partner.get_full_name()
    police_partner.delete()
    change = PeopleChange.objects.get(action=PeopleAction.DEACTIVATED)
    assert change.person is None and change.person_name == name


def test_a_site_admin_starts_a_partnership_and_invites_its_first_admin(db):
    root = UserFactory(username="root", is_superuser=True)
    sent = services.partnership_create(
        name="Safer Torbay",
        slug="torbay",
        area_name="Torbay",
        admin_email="tam@torbay.example",
        admin_name="Tam Admin",
        user=root,
    )
    invitation = sent.invitation
    assert invitation.partnership.name == "Safer Torbay"
    assert invitation.role == Role.ADMIN
    assert sent.link.startswith("http://localhost:8000/invitations/")
    assert PeopleChange.objects.filter(
        partnership=invitation.partnership, action=PeopleAction.PARTNERSHIP_CREATED
    ).exists()


def test_the_django_admin_shows_the_people_history_but_cannot_change_or_erase_it(
    client, partnership, admin_user
):
    services.organisation_create(partnership=partnership, name="Fire", user=admin_user)
    change = PeopleChange.objects.get()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    listing = client.get("/django-admin/assessments/peoplechange/")
    assert listing.status_code == 200 and "Organisation added" in listing.content.decode()
    delete = client.post(f"/django-admin/assessments/peoplechange/{change.pk}/delete/")
    assert delete.status_code == 403
    assert PeopleChange.objects.filter(pk=change.pk).exists()

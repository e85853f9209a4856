"""Writes to a partnership's people: partnerships, organisations, invitations and memberships.
Every change is recorded in PeopleChange, in the same transaction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from assessments.models import (
    Invitation,
    Membership,
    Organisation,
    Partnership,
    PeopleAction,
    PeopleChange,
    Role,
    token_digest,
)


class PeopleRefused(Exception):
    """A change to people that would break a rule; the message says which, nothing changed."""


@dataclass(frozen=True)
class SentInvitation:
    """An invitation and its link, which exists only now (the database keeps its digest)."""

    invitation: Invitation
    link: str
    emailed: bool


def _audit(partnership: Partnership, action: str, user, **fields) -> PeopleChange:
    return PeopleChange.objects.create(
        partnership=partnership, action=action, changed_by=user, **fields
    )


def _person_name(person) -> str:
    return person.get_full_name() or person.get_username()


def invitation_days() -> int:
    return settings.WORKBENCH_INVITATION_DAYS


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_digest(token)


def invitation_link(token: str, base_url: str | None = None) -> str:
    """The absolute link to accept an invitation: from the request's own address on the web,
    else WORKBENCH_SITE_URL (for the command line)."""
    base = (base_url or settings.WORKBENCH_SITE_URL).rstrip("/")
    return base + reverse("assessments:invitation_accept", kwargs={"token": token})


def _send(invitation: Invitation, token: str, base_url: str | None) -> SentInvitation:
    link = invitation_link(token, base_url)
    context = {"invitation": invitation, "link": link, "days": invitation_days()}
    subject = f"You are invited to {invitation.partnership.name} on Workbench"
    body = render_to_string("assessments/people/invitation_email.txt", context)
    # After commit: a rolled-back import or refusal never emails anybody.
    transaction.on_commit(
        lambda: send_mail(subject, body, None, [invitation.email], fail_silently=False)
    )
    return SentInvitation(invitation, link, emailed=settings.WORKBENCH_EMAIL_CONFIGURED)


def _check_invitable(partnership: Partnership, email: str, role: str, organisation) -> None:
    if role not in Role.values:
        raise PeopleRefused(f"{role!r} is not a role.")
    if organisation is not None:
        if organisation.partnership_id != partnership.pk:
            raise PeopleRefused("The organisation must belong to the same partnership.")
        if organisation.is_retired:
            raise PeopleRefused(f"{organisation.name} is retired; choose a current organisation.")
    if role == Role.PARTNER and organisation is None:
        raise PeopleRefused("A partner speaks for an organisation: choose one.")
    if Membership.objects.filter(partnership=partnership, user__email__iexact=email).exists():
        raise PeopleRefused(f"{email} is already a member of {partnership.name}.")
    if Invitation.objects.filter(
        partnership=partnership,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).exists():
        raise PeopleRefused(f"{email} has already been invited; send that invitation again.")


def invitation_create(
    *,
    partnership: Partnership,
    email: str,
    name: str,
    role: str,
    organisation: Organisation | None,
    user,
    base_url: str | None = None,
) -> SentInvitation:
    """Invite `email` to the partnership with `role`, emailing a link that expires."""
    email = email.strip()
    with transaction.atomic():
        _check_invitable(partnership, email, role, organisation)
        token, digest = _new_token()
        now = timezone.now()
        invitation = Invitation.objects.create(
            partnership=partnership,
            email=email,
            name=name.strip(),
            role=role,
            organisation=organisation,
            token_digest=digest,
            invited_by=user,
            sent_at=now,
            expires_at=now + timedelta(days=invitation_days()),
        )
        _audit(
            partnership,
            PeopleAction.INVITED,
            user,
            person_name=invitation.name or email,
            email=email,
            organisation=organisation,
            new_value=invitation.get_role_display(),
        )
        return _send(invitation, token, base_url)


def invitation_resend(
    *, invitation: Invitation, user, base_url: str | None = None
) -> SentInvitation:
    """A new link with a new expiry; the old link stops working."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_open:
            raise PeopleRefused(
                f"The invitation to {invitation.email} was {invitation.state_label.lower()}; "
                "it cannot be sent again."
            )
        token, invitation.token_digest = _new_token()
        invitation.sent_at = timezone.now()
        invitation.expires_at = invitation.sent_at + timedelta(days=invitation_days())
        invitation.save(update_fields=["token_digest", "sent_at", "expires_at"])
        _audit(
            invitation.partnership,
            PeopleAction.INVITATION_RESENT,
            user,
            person_name=invitation.name or invitation.email,
            email=invitation.email,
            organisation=invitation.organisation,
            new_value=invitation.get_role_display(),
        )
        return _send(invitation, token, base_url)


def invitation_revoke(*, invitation: Invitation, user) -> Invitation:
    """The link stops working at once; the invitation stays listed as revoked."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_open:
            raise PeopleRefused(
                f"The invitation to {invitation.email} was already "
                f"{invitation.state_label.lower()}."
            )
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        _audit(
            invitation.partnership,
            PeopleAction.INVITATION_REVOKED,
            user,
            person_name=invitation.name or invitation.email,
            email=invitation.email,
            organisation=invitation.organisation,
            old_value=invitation.get_role_display(),
        )
        return invitation


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link names, if it can still be accepted (not used, revoked, expired)."""
    invitation = (
        Invitation.objects.select_related("partnership", "organisation")
        .filter(token_digest=token_digest(token))
        .first()
    )
    if invitation is None or invitation.state != "pending":
        return None
    return invitation


def invitation_accept(
    *,
    invitation: Invitation,
    user=None,
    username: str = "",
    password: str = "",
    first_name: str = "",
    last_name: str = "",
):
    """Use the invitation once: a new account (username and password, already validated) or
    the signed-in `user` of the same email joins the partnership with the invited role."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.state != "pending":
            raise PeopleRefused("This invitation link has already been used or has expired.")
        if user is None:
            user = get_user_model().objects.create_user(
                username=username,
                email=invitation.email,
                password=password,
                first_name=first_name,
                last_name=last_name,
            )
        elif not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
        membership = Membership.everyone.filter(
            user=user, partnership=invitation.partnership
        ).first() or Membership(user=user, partnership=invitation.partnership)
        membership.role = invitation.role
        membership.organisation = invitation.organisation
        membership.deactivated_at = None
        membership.save()
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        _audit(
            invitation.partnership,
            PeopleAction.JOINED,
            user,
            person=user,
            person_name=_person_name(user),
            email=invitation.email,
            organisation=invitation.organisation,
            new_value=invitation.get_role_display(),
        )
        return user


def _other_admins(membership: Membership) -> int:
    return (
        Membership.objects.filter(partnership_id=membership.partnership_id, role=Role.ADMIN)
        .exclude(pk=membership.pk)
        .count()
    )


def _locked(membership: Membership) -> Membership:
    """The membership re-read under a lock of its partnership, so two admins demoting each
    other at once cannot both succeed and leave nobody in charge."""
    Partnership.objects.select_for_update().filter(pk=membership.partnership_id).first()
    return Membership.everyone.select_related("user", "organisation", "partnership").get(
        pk=membership.pk
    )


def membership_change(
    *, membership: Membership, role: str, organisation: Organisation | None, user
) -> Membership:
    """Change a member's role and the organisation they speak for."""
    with transaction.atomic():
        membership = _locked(membership)
        if membership.deactivated_at:
            raise PeopleRefused(f"{_person_name(membership.user)} is deactivated.")
        if role not in Role.values:
            raise PeopleRefused(f"{role!r} is not a role.")
        if role == Role.PARTNER and organisation is None:
            raise PeopleRefused("A partner speaks for an organisation: choose one.")
        if organisation is not None and organisation.partnership_id != membership.partnership_id:
            raise PeopleRefused("The organisation must belong to the same partnership.")
        if membership.role == Role.ADMIN and role != Role.ADMIN and not _other_admins(membership):
            raise PeopleRefused(
                f"{_person_name(membership.user)} is the partnership's only admin: make "
                "someone else an admin first."
            )
        old_role, old_org = membership.get_role_display(), membership.organisation
        membership.role, membership.organisation = role, organisation
        membership.save(update_fields=["role", "organisation"])
        person = {"person": membership.user, "person_name": _person_name(membership.user)}
        if old_role != membership.get_role_display():
            _audit(
                membership.partnership,
                PeopleAction.ROLE_CHANGED,
                user,
                **person,
                organisation=organisation,
                old_value=old_role,
                new_value=membership.get_role_display(),
            )
        if old_org != organisation:
            _audit(
                membership.partnership,
                PeopleAction.ORGANISATION_CHANGED,
                user,
                **person,
                organisation=organisation,
                old_value=old_org.name if old_org else "",
                new_value=organisation.name if organisation else "",
            )
        return membership


def membership_deactivate(*, membership: Membership, user) -> Membership:
    """The person can no longer sign in to this partnership; their history stays."""
    with transaction.atomic():
        membership = _locked(membership)
        if membership.deactivated_at:
            raise PeopleRefused(f"{_person_name(membership.user)} is already deactivated.")
        if membership.role == Role.ADMIN and not _other_admins(membership):
            raise PeopleRefused(
                f"{_person_name(membership.user)} is the partnership's only admin: make "
                "someone else an admin first."
            )
        membership.deactivated_at = timezone.now()
        membership.save(update_fields=["deactivated_at"])
        person = membership.user
        # Signing in is refused once no partnership has them (a site admin keeps their account).
        if not person.is_superuser and not Membership.objects.filter(user=person).exists():
            person.is_active = False
            person.save(update_fields=["is_active"])
        _audit(
            membership.partnership,
            PeopleAction.DEACTIVATED,
            user,
            person=person,
            person_name=_person_name(person),
            email=person.email,
            organisation=membership.organisation,
            old_value=membership.get_role_display(),
        )
        return membership


def organisation_create(
    *, partnership: Partnership, name: str, is_responsible_authority: bool = False, user
) -> Organisation:
    """A new partner organisation."""
    name = name.strip()
    with transaction.atomic():
        if Organisation.objects.filter(partnership=partnership, name__iexact=name).exists():
            raise PeopleRefused(f"{partnership.name} already has an organisation called {name}.")
        organisation = Organisation.objects.create(
            partnership=partnership, name=name, is_responsible_authority=is_responsible_authority
        )
        _audit(
            partnership,
            PeopleAction.ORGANISATION_ADDED,
            user,
            organisation=organisation,
            new_value=name,
        )
        return organisation


def organisation_rename(*, organisation: Organisation, name: str, user) -> Organisation:
    """Rename an organisation; its scores and people follow (the audit keeps the old name)."""
    name = name.strip()
    with transaction.atomic():
        taken = Organisation.objects.filter(
            partnership_id=organisation.partnership_id, name__iexact=name
        ).exclude(pk=organisation.pk)
        if taken.exists():
            raise PeopleRefused(f"Another organisation is already called {name}.")
        old = organisation.name
        if old == name:
            return organisation
        organisation.name = name
        organisation.save(update_fields=["name"])
        _audit(
            organisation.partnership,
            PeopleAction.ORGANISATION_RENAMED,
            user,
            organisation=organisation,
            organisation_name=name,
            old_value=old,
            new_value=name,
        )
        return organisation


def organisation_retire(*, organisation: Organisation, user) -> Organisation:
    """Retire an organisation: no longer offered for people or workshops; its history stays."""
    with transaction.atomic():
        if organisation.is_retired:
            raise PeopleRefused(f"{organisation.name} is already retired.")
        speaking = Membership.objects.filter(organisation=organisation).count()
        if speaking:
            raise PeopleRefused(
                f"{speaking} {'person speaks' if speaking == 1 else 'people speak'} for "
                f"{organisation.name}: move them to another organisation or deactivate them first."
            )
        open_invitations = Invitation.objects.filter(
            organisation=organisation, accepted_at__isnull=True, revoked_at__isnull=True
        )
        if open_invitations.exists():
            raise PeopleRefused(f"Revoke the open invitations to {organisation.name} first.")
        organisation.retired_at = timezone.now()
        organisation.save(update_fields=["retired_at"])
        _audit(
            organisation.partnership,
            PeopleAction.ORGANISATION_RETIRED,
            user,
            organisation=organisation,
            old_value=organisation.name,
        )
        return organisation


def partnership_create(
    *,
    name: str,
    slug: str,
    area_name: str,
    admin_email: str,
    admin_name: str,
    user,
    base_url: str | None = None,
) -> SentInvitation:
    """A site admin starts a partnership and invites its first admin."""
    with transaction.atomic():
        if Partnership.objects.filter(slug=slug).exists():
            raise PeopleRefused(f"The web address {slug!r} is taken; choose another.")
        partnership = Partnership.objects.create(name=name, slug=slug, area_name=area_name)
        _audit(partnership, PeopleAction.PARTNERSHIP_CREATED, user, new_value=name)
        return invitation_create(
            partnership=partnership,
            email=admin_email,
            name=admin_name,
            role=Role.ADMIN,
            organisation=None,
            user=user,
            base_url=base_url,
        )

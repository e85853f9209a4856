"""Invitations to join a partnership, and the permanent history of changes to its people."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from assessments.models.core import Organisation, Partnership, Role


def token_digest(token: str) -> str:
    """The SHA-256 of an invitation token: only the digest is stored, so a database copy
    holds no working link."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationState(models.TextChoices):
    PENDING = "pending", "Waiting"
    EXPIRED = "expired", "Expired"
    ACCEPTED = "accepted", "Accepted"
    REVOKED = "revoked", "Revoked"


class Invitation(models.Model):
    """An email address asked to join a partnership with a role: one link, used once, which
    expires. Resending makes a new link; the old one stops working."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    name = models.CharField(max_length=300, blank=True, help_text="As the admin wrote it.")
    role = models.CharField(max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invitations", null=True, blank=True
    )
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="invitation_role_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.PARTNER) | models.Q(organisation__isnull=False),
                name="invitation_partner_has_organisation",
            ),
            # One open invitation per address and partnership; accepted and revoked ones stay.
            models.UniqueConstraint(
                fields=["partnership", "email"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.partnership} as {self.get_role_display()}"

    @property
    def state(self) -> str:
        if self.accepted_at:
            return InvitationState.ACCEPTED
        if self.revoked_at:
            return InvitationState.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationState.EXPIRED
        return InvitationState.PENDING

    @property
    def state_label(self) -> str:
        return InvitationState(self.state).label

    @property
    def is_open(self) -> bool:
        """Still to be accepted or revoked (an expired one can be resent)."""
        return self.accepted_at is None and self.revoked_at is None


class PeopleAction(models.TextChoices):
    PARTNERSHIP_CREATED = "partnership_created", "Partnership created"
    INVITED = "invited", "Invited"
    INVITATION_RESENT = "invitation_resent", "Invitation sent again"
    INVITATION_REVOKED = "invitation_revoked", "Invitation revoked"
    JOINED = "joined", "Joined"
    ROLE_CHANGED = "role_changed", "Role changed"
    ORGANISATION_CHANGED = "organisation_changed", "Organisation changed"
    DEACTIVATED = "deactivated", "Deactivated"
    REACTIVATED = "reactivated", "Reactivated"
    ORGANISATION_ADDED = "organisation_added", "Organisation added"
    ORGANISATION_RENAMED = "organisation_renamed", "Organisation renamed"
    ORGANISATION_RETIRED = "organisation_retired", "Organisation retired"


class PeopleChange(models.Model):
    """Audit trail of a partnership's people, roles, invitations and organisations.

    Permanent, like ScoreChange: each row keeps the names it shows as they were, and
    outlives the person, organisation and invitation it links to (set to null if they go).
    Nothing in the app updates or deletes a row.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="people_changes"
    )
    action = models.CharField(max_length=30, choices=PeopleAction.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    person_name = models.CharField(max_length=300, blank=True, help_text="Name or email then.")
    email = models.EmailField(blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation_name = models.CharField(max_length=200, blank=True)
    old_value = models.CharField(max_length=200, blank=True)
    new_value = models.CharField(max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_by_username = models.CharField(max_length=150, blank=True)
    changed_by_name = models.CharField(max_length=301, blank=True, help_text="Full name then.")
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=PeopleAction.values),
                name="people_change_action_valid",
            ),
        ]

    def save(self, *args, **kwargs) -> None:
        if self.changed_by_id and not self.changed_by_username:
            self.changed_by_username = self.changed_by.get_username()
            self.changed_by_name = self.changed_by.get_full_name()
        if self.organisation_id and not self.organisation_name:
            self.organisation_name = self.organisation.name
        super().save(*args, **kwargs)

    @property
    def who(self) -> str:
        return self.changed_by_name or self.changed_by_username

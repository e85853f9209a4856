"""Partnerships, their organisations and people, and yearly assessments."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from assessments.periods import period_to_slug, validate_period


class Partnership(models.Model):
    """A Community Safety Partnership, e.g. Safer Plymouth."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    area_name = models.CharField(max_length=200, help_text="The area the partnership covers.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A partner agency taking part in a partnership's assessment."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="organisations"
    )
    name = models.CharField(max_length=200)
    is_responsible_authority = models.BooleanField(
        default=False, help_text="One of the statutory responsible authorities."
    )

    class Meta:
        ordering = ["-is_responsible_authority", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"], name="organisation_unique_name_in_partnership"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    ANALYST = "analyst", "Analyst"
    FACILITATOR = "facilitator", "Facilitator"
    PARTNER = "partner", "Partner"
    BOARD = "board", "Board member"


class Membership(models.Model):
    """A user's role in one partnership, speaking for one organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships", null=True, blank=True
    )
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["partnership__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partnership"], name="membership_one_role_per_partnership"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.PARTNER) | models.Q(organisation__isnull=False),
                name="membership_partner_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.partnership}"

    def clean(self) -> None:
        if self.organisation_id and self.organisation.partnership_id != self.partnership_id:
            raise ValidationError(
                {"organisation": "The organisation must belong to the same partnership."}
            )
        if self.role == Role.PARTNER and not self.organisation_id:
            raise ValidationError({"organisation": "A partner scores for an organisation."})


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    WORKSHOP = "workshop", "Workshop"
    PUBLISHED = "published", "Published"


class Assessment(models.Model):
    """One partnership's strategic assessment for one period (April to March)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="assessments"
    )
    period = models.CharField(
        max_length=7, validators=[validate_period], help_text="Like 2019/20 (April to March)."
    )
    status = models.CharField(
        max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # The scoring model this assessment is scored with, frozen (as ScoringModelSpec.to_dict())
    # when scoring starts, so later edits to the partnership's model never change its results.
    scoring_spec = models.JSONField(null=True, blank=True, editable=False)
    scoring_frozen_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["partnership__name", "-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "period"], name="assessment_one_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=AssessmentStatus.values),
                name="assessment_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} {self.period}"

    def get_absolute_url(self) -> str:
        return reverse(
            "assessment", kwargs={"partnership": self.partnership.slug, "period": self.period_slug}
        )

    @property
    def period_slug(self) -> str:
        return period_to_slug(self.period)

    @property
    def is_published(self) -> bool:
        return self.status == AssessmentStatus.PUBLISHED

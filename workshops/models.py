"""Live partnership workshops: who is invited, rounds of scoring, and partners' submissions."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from assessments.models import Assessment, Organisation, Risk


class WorkshopStatus(models.TextChoices):
    DRAFT = "draft", "Not yet open"
    OPEN = "open", "Open"
    LOCKED = "locked", "Locked"


class Workshop(models.Model):
    """A scoring session for some of an assessment's risks, with invited organisations."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="workshops")
    title = models.CharField(max_length=200)
    date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=WorkshopStatus.choices, default=WorkshopStatus.DRAFT
    )
    risks = models.ManyToManyField(Risk, related_name="workshops")
    organisations = models.ManyToManyField(Organisation, related_name="workshops")
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="workshops"
    )
    named_display = models.BooleanField(
        default=False, help_text="After a reveal, show which organisation gave which score."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=WorkshopStatus.values), name="workshop_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_locked(self) -> bool:
        return self.status == WorkshopStatus.LOCKED


class Round(models.Model):
    """A round of scoring; a facilitator may open another round for chosen risks."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField()
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workshop", "number"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "number"], name="round_unique_number"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="round_number_positive"),
        ]

    def __str__(self) -> str:
        return f"Round {self.number}"


class RoundRisk(models.Model):
    """A risk being scored in a round, and whether the facilitator has revealed it."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="round_risks")
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="round_risks")
    revealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "risk"], name="round_risk_unique"),
        ]


class Submission(models.Model):
    """One organisation's score for one factor of one risk in one round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="submissions")
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="submissions")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="submissions"
    )
    factor_key = models.CharField(max_length=40)
    value = models.DecimalField(max_digits=8, decimal_places=3)
    level_label = models.CharField(max_length=60)
    reason = models.TextField(blank=True, help_text="Why, when challenging harm or likelihood.")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["risk", "factor_key", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation", "risk", "factor_key"],
                name="submission_one_per_organisation_risk_factor_round",
            ),
        ]


class RiskComment(models.Model):
    """An organisation's comment on a risk in a round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="comments")
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="workshop_comments")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation", "risk"], name="risk_comment_one_per_organisation"
            ),
        ]

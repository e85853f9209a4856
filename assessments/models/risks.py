"""The risk register, the scoring model, analyst and agreed factor scores, and their audit."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from assessments.models.core import Assessment, Organisation, Partnership
from assessments.models.evidence import Indicator


class ScoringModel(models.Model):
    """A partnership's current scoring model, held as a ScoringModelSpec dictionary."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="scoring_model"
    )
    spec = models.JSONField(help_text="assessments.scoring.ScoringModelSpec.to_dict()")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    def __str__(self) -> str:
        return f"{self.partnership}: {self.spec.get('name', 'scoring model')}"

    def clean(self) -> None:
        from assessments.scoring import ScoringModelSpec, validate_spec

        try:
            problems = validate_spec(ScoringModelSpec.from_dict(self.spec))
        except (KeyError, TypeError, ValueError, ArithmeticError) as error:
            problems = [f"The model could not be read: {error}"]
        if problems:
            raise ValidationError({"spec": problems})


class Theme(models.Model):
    """A group of risks, e.g. 'Domestic abuse and sexual violence', with its narrative."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)
    # The seed's narrative headings; Markdown, rendered safely.
    key_statistics = models.TextField(blank=True)
    impact = models.TextField(blank=True)
    likelihood = models.TextField(blank=True)
    organisational_response = models.TextField(blank=True)
    knowledge_gaps = models.TextField(blank=True)
    recommendation = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "name"], name="theme_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class RiskOrigin(models.TextChoices):
    NEW = "new", "New"
    CARRIED = "carried", "Carried forward"
    CHANGED = "changed", "Changed"


class Risk(models.Model):
    """One community-safety risk scored in an assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="risks")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="risks")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="risks")
    origin = models.CharField(max_length=10, choices=RiskOrigin.choices, default=RiskOrigin.NEW)
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to"
    )
    is_priority = models.BooleanField(default=False)
    priority_reason = models.TextField(blank=True)
    priority_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    priority_set_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["theme__order", "theme__name", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "name"], name="risk_unique_name"),
            models.CheckConstraint(
                condition=models.Q(is_priority=False) | ~models.Q(priority_reason=""),
                name="risk_priority_needs_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(origin__in=RiskOrigin.values), name="risk_origin_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.theme_id and self.assessment_id and self.theme.assessment_id != self.assessment_id:
            raise ValidationError({"theme": "The theme belongs to another assessment."})
        if self.is_priority and not self.priority_reason.strip():
            raise ValidationError({"priority_reason": "Say why this risk is a priority."})


class ScoreKind(models.TextChoices):
    ANALYST = "analyst", "Analyst's pre-score"
    AGREED = "agreed", "Agreed value"
    SUBMISSION = "submission", "Partner submission"


class RiskFactorScore(models.Model):
    """The analyst's pre-score or the agreed value of one factor of one risk."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="factor_scores")
    factor_key = models.CharField(max_length=40)
    kind = models.CharField(
        max_length=10,
        choices=[(ScoreKind.ANALYST, ScoreKind.ANALYST.label), (ScoreKind.AGREED, "Agreed")],
    )
    value = models.DecimalField(max_digits=8, decimal_places=3)
    level_label = models.CharField(max_length=60)
    note = models.TextField(blank=True, help_text="The evidence or discussion behind it.")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["risk", "factor_key", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["risk", "factor_key", "kind"], name="risk_factor_score_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=[ScoreKind.ANALYST, ScoreKind.AGREED]),
                name="risk_factor_score_kind_valid",
            ),
        ]


class ScoreChange(models.Model):
    """Audit trail: every change to any score, who made it, when, and old → new."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="score_changes"
    )
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="score_changes")
    factor_key = models.CharField(max_length=40, help_text="or 'priority' for the board's mark")
    kind = models.CharField(max_length=10, choices=ScoreKind.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    round_number = models.PositiveIntegerField(null=True, blank=True)
    old_value = models.DecimalField(max_digits=8, decimal_places=3, null=True, blank=True)
    new_value = models.DecimalField(max_digits=8, decimal_places=3, null=True, blank=True)
    old_label = models.CharField(max_length=60, blank=True)
    new_label = models.CharField(max_length=60, blank=True)
    note = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["assessment", "changed_at"], name="score_change_by_time")]


class EmergingIssue(models.Model):
    """An issue the partnership is watching but does not score (the seed's 'Emerging issues')."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="emerging_issues"
    )
    title = models.CharField(max_length=200)
    text = models.TextField(help_text="Markdown, rendered safely.")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "title"], name="emerging_issue_unique_title"
            )
        ]

    def __str__(self) -> str:
        return self.title

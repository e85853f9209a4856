"""The risk register, the scoring model, analyst and agreed factor scores, and their audit."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from assessments.models.carried import CarriedForward
from assessments.models.core import Assessment, Organisation, Partnership
from assessments.models.data import Indicator


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
        from assessments.scoring import ScoringModelSpec
        from assessments.scoring_checks import validate_spec

        try:
            problems = validate_spec(ScoringModelSpec.from_dict(self.spec))
        except (KeyError, TypeError, ValueError, ArithmeticError) as error:
            problems = [f"The model could not be read: {error}"]
        if problems:
            raise ValidationError({"spec": problems})


class Theme(CarriedForward):
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
    # Withdrawn from the assessment: kept with its scores and history, left out of the results,
    # the report and the exports (a risk scored in a workshop is never deleted).
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_reason = models.TextField(blank=True)

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
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True) | ~models.Q(withdrawn_reason=""),
                name="risk_withdrawal_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_withdrawn(self) -> bool:
        """Whether the risk is withdrawn from its assessment."""
        return self.withdrawn_at is not None

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


# Audit rows that are not a score but about the whole risk: deleted (its scores went with it),
# withdrawn from the assessment, or reinstated.
RISK_DELETED = "deleted"
RISK_WITHDRAWN = "withdrawn"
RISK_REINSTATED = "reinstated"
RISK_EVENTS = (RISK_DELETED, RISK_WITHDRAWN, RISK_REINSTATED)
AUDIT_KINDS = [
    *ScoreKind.choices,
    (RISK_DELETED, "Risk deleted"),
    (RISK_WITHDRAWN, "Risk withdrawn"),
    (RISK_REINSTATED, "Risk reinstated"),
]


class ScoreChangeQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for change in objs:
            change.fill_names()
        return super().bulk_create(objs, *args, **kwargs)


class ScoreChange(models.Model):
    """Audit trail: every change to any score, who made it, when, and old → new.

    Permanent: each row keeps the names of its risk, factor, organisation and person as they
    were, and outlives them (their links are set to null when they go). An assessment with an
    audit trail cannot be deleted.
    """

    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="score_changes"
    )
    risk = models.ForeignKey(
        Risk, on_delete=models.SET_NULL, null=True, blank=True, related_name="score_changes"
    )
    risk_name = models.CharField(max_length=200, help_text="The risk's name at the time.")
    factor_key = models.CharField(
        max_length=40, blank=True, help_text="or 'priority' for the board's mark"
    )
    factor_name = models.CharField(max_length=200, blank=True, help_text="As it was named then.")
    kind = models.CharField(max_length=10, choices=AUDIT_KINDS)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation_name = models.CharField(max_length=200, blank=True)
    round_number = models.PositiveIntegerField(null=True, blank=True)
    old_value = models.DecimalField(max_digits=8, decimal_places=3, null=True, blank=True)
    new_value = models.DecimalField(max_digits=8, decimal_places=3, null=True, blank=True)
    old_label = models.CharField(max_length=60, blank=True)
    new_label = models.CharField(max_length=60, blank=True)
    note = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_by_username = models.CharField(max_length=150, blank=True)
    changed_by_name = models.CharField(max_length=301, blank=True, help_text="Full name then.")
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ScoreChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["assessment", "changed_at"], name="score_change_by_time")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[value for value, _ in AUDIT_KINDS]),
                name="score_change_kind_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(risk_name=""), name="score_change_names_its_risk"
            ),
            # A score names its factor; a deletion or withdrawal is of the whole risk.
            models.CheckConstraint(
                condition=models.Q(kind__in=RISK_EVENTS) | ~models.Q(factor_name=""),
                name="score_change_names_its_factor",
            ),
        ]

    def save(self, *args, **kwargs) -> None:
        self.fill_names()
        super().save(*args, **kwargs)

    def fill_names(self) -> None:
        """Copy the names of the risk, organisation and person linked, to outlive them."""
        # Callers pass the objects themselves, so this reads nothing from the database.
        if not self.risk_name and self.risk_id:
            self.risk_name = self.risk.name
        if not self.organisation_name and self.organisation_id:
            self.organisation_name = self.organisation.name
        if not self.changed_by_username and self.changed_by_id:
            self.changed_by_username = self.changed_by.get_username()
            self.changed_by_name = self.changed_by.get_full_name()

    @property
    def is_risk_event(self) -> bool:
        """Whether the row is about the whole risk (deleted, withdrawn, reinstated), not a score."""
        return self.kind in RISK_EVENTS

    @property
    def who(self) -> str:
        """The person's full name then, else their username; empty if nobody was recorded."""
        return self.changed_by_name or self.changed_by_username


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

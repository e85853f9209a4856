"""Partnerships, their organisations and people, and yearly assessments."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Cast, Length, Substr
from django.db.models.lookups import Exact, In
from django.urls import reverse

from assessments.periods import period_to_slug, validate_period


class Partnership(models.Model):
    """A Community Safety Partnership, e.g. Safer Plymouth."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    area_name = models.CharField(max_length=200, help_text="The area the partnership covers.")
    # How many board members must approve an assessment as it stands before it is published.
    approvals_required = models.PositiveSmallIntegerField(
        default=1, help_text="Board approvals needed before an assessment is published."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(approvals_required__gte=1, approvals_required__lte=50),
                name="partnership_approvals_required_1_to_50",
            )
        ]

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
    # Retired, never deleted: its scores, submissions and people keep pointing at it.
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-is_responsible_authority", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"], name="organisation_unique_name_in_partnership"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    ANALYST = "analyst", "Analyst"
    FACILITATOR = "facilitator", "Facilitator"
    PARTNER = "partner", "Partner"
    BOARD = "board", "Board member"


class CurrentMembershipManager(models.Manager):
    """Memberships still in force: a deactivated one is kept for the history, never used."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(deactivated_at__isnull=True)


class Membership(models.Model):
    """A user's role in one partnership, speaking for one organisation.

    `objects` sees only current memberships (so a deactivated person reaches nothing);
    `everyone` sees the deactivated too, for the people page and its history.
    """

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
    deactivated_at = models.DateTimeField(null=True, blank=True)

    objects = CurrentMembershipManager()
    everyone = models.Manager()  # noqa: DJ012 (a second manager, not a field)

    class Meta:
        ordering = ["partnership__name", "user__username"]
        base_manager_name = "everyone"
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

    @property
    def role_with_article(self) -> str:
        """The role as said in a sentence: "an admin", "a board member"."""
        role = self.get_role_display().lower()
        return f"{'an' if role[0] in 'aeiou' else 'a'} {role}"

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


# The database's own check of `YYYY/YY`, in SQL that SQLite and PostgreSQL both run without
# extensions or registered functions (so other tools can still write to the tables): seven
# characters, ASCII digits around a slash — by equality, which no collation stretches to
# other digits — and the second year following the first. The year range (1990-2100) and the
# friendly messages stay in periods.parse_period, via the field's validator.
_DIGITS = list("0123456789")
PERIOD_IS_YYYY_YY = models.Q(
    Exact(Length("period"), 7),
    Exact(Substr("period", 5, 1), "/"),
    *(In(Substr("period", position, 1), _DIGITS) for position in (1, 2, 3, 4, 6, 7)),
)
_START_YEAR = Cast(Substr("period", 1, 4), models.IntegerField())
_END_YEAR = Cast(Substr("period", 6, 2), models.IntegerField())
# (start + 1) mod 100 with integer division, which both databases do for whole numbers.
_NEXT_YEAR_TWO_DIGITS = (_START_YEAR + 1) - ((_START_YEAR + 1) / 100) * 100
# CASE makes the casts run only on digits (PostgreSQL would raise on a cast of "ab").
PERIOD_YEARS_ARE_CONSECUTIVE = models.Q(
    models.Case(
        models.When(PERIOD_IS_YYYY_YY, then=Exact(_END_YEAR, _NEXT_YEAR_TWO_DIGITS)),
        default=models.Value(False),
        output_field=models.BooleanField(),
    )
)


class AssessmentLocked(Exception):
    """Raised on any attempt to change a published assessment."""

    def __init__(self, assessment: Assessment):
        super().__init__(
            f"The {assessment.period} assessment is published and can no longer be changed. "
            "Start the next period from it instead."
        )


class AssessmentQuerySet(models.QuerySet):
    """Bulk writes refuse published assessments as `Assessment.save()` does."""

    def update(self, **kwargs):
        # bulk_update() comes through here too. The database's trigger refuses it anyway
        # (migration 0006); this says so with the app's own message instead of an IntegrityError.
        published = self.filter(status=AssessmentStatus.PUBLISHED).order_by().first()
        if published is not None:
            raise AssessmentLocked(published)
        return super().update(**kwargs)

    update.alters_data = True


class Assessment(models.Model):
    """One partnership's strategic assessment for one period (April to March).

    Published is final: `save()` and `QuerySet.update()` refuse to write a published
    assessment, and a database trigger refuses any UPDATE that would change one (migration
    0006, on SQLite and PostgreSQL), whoever the caller, the Django admin and raw SQL included.
    """

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

    objects = AssessmentQuerySet.as_manager()

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
            models.CheckConstraint(condition=PERIOD_IS_YYYY_YY, name="assessment_period_yyyy_yy"),
            models.CheckConstraint(
                condition=PERIOD_YEARS_ARE_CONSECUTIVE,
                name="assessment_period_years_consecutive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} {self.period}"

    def save(self, *args, **kwargs) -> None:
        """Save, unless the assessment is published as stored (AssessmentLocked)."""
        stored = getattr(self, "_stored_status", None)
        if stored is None and self.pk is not None:
            # Built by hand with an existing id: ask the database.
            stored = Assessment.objects.filter(pk=self.pk).values_list("status", flat=True)
            stored = next(iter(stored), None)
        if stored == AssessmentStatus.PUBLISHED:
            raise AssessmentLocked(self)
        super().save(*args, **kwargs)
        self._stored_status = self.status

    def get_absolute_url(self) -> str:
        return reverse(
            "assessments:assessment",
            kwargs={"partnership": self.partnership.slug, "period": self.period_slug},
        )

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The status as stored, so save() knows a published row without another query.
        if "status" in field_names:
            instance._stored_status = values[field_names.index("status")]
        return instance

    def refresh_from_db(self, using=None, fields=None, from_queryset=None) -> None:
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if fields is None or "status" in fields:
            self._stored_status = self.status

    @property
    def period_slug(self) -> str:
        return period_to_slug(self.period)

    @property
    def is_published(self) -> bool:
        return self.status == AssessmentStatus.PUBLISHED

"""Board sign-off: approvals of an assessment and the frozen versions it was published as."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from assessments.models import Assessment
from reports.front_matter import SECTION_KEYS


class Approval(models.Model):
    """A board member's comment on an assessment, approving it or not."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="approvals")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="approvals"
    )
    comment = models.TextField(blank=True)
    approved = models.BooleanField(default=False)
    at = models.DateTimeField(auto_now_add=True)
    # reports.snapshot.content_fingerprint() of what was approved: an approval counts toward
    # publishing only while the assessment still matches it.
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(approved=True) | ~models.Q(comment=""),
                name="approval_comment_or_approve",
            )
        ]

    def __str__(self) -> str:
        verb = "approved" if self.approved else "commented on"
        return f"{self.user} {verb} {self.assessment}"


class Publication(models.Model):
    """An immutable published version of an assessment: everything as it was, as JSON."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="publications"
    )
    version = models.PositiveIntegerField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField()
    snapshot = models.JSONField(help_text="reports.snapshot.assessment_snapshot()")

    class Meta:
        ordering = ["assessment", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "version"], name="publication_unique_version"
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="publication_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} version {self.version}"


class ReportSection(models.Model):
    """One section of an assessment's front matter (reports.front_matter.SECTIONS), Markdown
    with live figures; carried forward from last year it needs review until saved again."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="report_sections"
    )
    key = models.CharField(max_length=40)
    text = models.TextField(blank=True)
    # Copied from last year's assessment and not yet saved by anyone this year.
    needs_review = models.BooleanField(default=False)
    carried_from = models.CharField(max_length=7, blank=True)  # that year's period
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["assessment", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "key"], name="report_section_one_per_key"
            ),
            models.CheckConstraint(
                condition=models.Q(key__in=SECTION_KEYS), name="report_section_key_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.key}"

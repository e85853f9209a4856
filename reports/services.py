"""Writes of the reports app: narrative, emerging issues, approvals and publishing."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from assessments.models import Assessment, AssessmentStatus, EmergingIssue, Theme
from assessments.services import AssessmentLocked, assessment_ensure_editable
from reports.models import Approval, Publication
from reports.results import NARRATIVE_HEADINGS
from reports.snapshot import assessment_snapshot

NARRATIVE_FIELDS = tuple(key for key, _ in NARRATIVE_HEADINGS)


def _locked_assessment(assessment: Assessment) -> Assessment:
    """Lock the assessment's row for this transaction and refuse if it is published."""
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    assessment_ensure_editable(current)
    return current


@transaction.atomic
def theme_narrative_set(*, theme: Theme, values: Mapping[str, str], user=None) -> Theme:
    """Save a theme's narrative (Markdown) under the seed's headings."""
    _locked_assessment(theme.assessment)
    unknown = set(values) - set(NARRATIVE_FIELDS)
    if unknown:
        raise ValueError(f"Not narrative fields: {', '.join(sorted(unknown))}")
    for key, text in values.items():
        setattr(theme, key, text.strip())
    theme.save(update_fields=list(values))
    return theme


@transaction.atomic
def emerging_issue_save(*, issue: EmergingIssue) -> EmergingIssue:
    """Create or update an emerging issue (not scored) of an editable assessment."""
    _locked_assessment(issue.assessment)
    issue.full_clean()
    issue.save()
    return issue


@transaction.atomic
def emerging_issue_delete(*, issue: EmergingIssue) -> None:
    """Delete an emerging issue of an editable assessment."""
    _locked_assessment(issue.assessment)
    issue.delete()


@transaction.atomic
def approval_record(*, assessment: Assessment, user, comment: str, approved: bool) -> Approval:
    """A board member comments on the assessment and may approve it for publication."""
    _locked_assessment(assessment)
    comment = comment.strip()
    if not approved and not comment:
        raise ValidationError({"comment": "Write a comment, or approve the assessment."})
    return Approval.objects.create(
        assessment=assessment, user=user, comment=comment, approved=approved
    )


@transaction.atomic
def assessment_publish(*, assessment: Assessment, user) -> Publication:
    """Freeze the assessment as a new published version; afterwards it refuses every change."""
    current = _locked_assessment(assessment)
    if not Approval.objects.filter(assessment=current, approved=True).exists():
        raise ValidationError("At least one board member must approve before publishing.")
    now = timezone.now()
    version = (
        Publication.objects.filter(assessment=current).aggregate(v=Max("version"))["v"] or 0
    ) + 1
    # Status and date first, so the snapshot records the assessment as published.
    current.status = AssessmentStatus.PUBLISHED
    current.published_at = now
    current.save(update_fields=["status", "published_at"])
    publication = Publication.objects.create(
        assessment=current,
        version=version,
        published_by=user,
        published_at=now,
        snapshot=assessment_snapshot(current),
    )
    assessment.status, assessment.published_at = current.status, current.published_at
    return publication


__all__ = [
    "AssessmentLocked",
    "NARRATIVE_FIELDS",
    "approval_record",
    "assessment_publish",
    "emerging_issue_delete",
    "emerging_issue_save",
    "theme_narrative_set",
]

"""The frozen copy of an assessment kept when it is published."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from assessments.models import Assessment, EmergingIssue, Theme
from reports.exports import assessment_export
from reports.results import NARRATIVE_HEADINGS, participants

SNAPSHOT_SCHEMA = "workbench-publication/1"


def assessment_snapshot(assessment: Assessment) -> dict[str, Any]:
    """Scores, model, narrative, emerging issues, data and approvals, as JSON-safe values."""
    data = dict(assessment_export(assessment))
    data["snapshot_schema"] = SNAPSHOT_SCHEMA
    data["themes"] = [
        {
            "name": theme.name,
            "description": theme.description,
            **{key: getattr(theme, key) for key, _ in NARRATIVE_HEADINGS},
        }
        for theme in Theme.objects.filter(assessment=assessment).order_by("order", "name")
    ]
    data["emerging_issues"] = [
        {"title": issue.title, "text": issue.text}
        for issue in EmergingIssue.objects.filter(assessment=assessment)
    ]
    data["approvals"] = [
        {
            "user": approval.user.get_full_name() or approval.user.username,
            "comment": approval.comment,
            "approved": approval.approved,
            "at": approval.at,
        }
        for approval in assessment.approvals.select_related("user")
    ]
    data["participants"] = [org.name for org in participants(assessment)]
    # Round-trip through JSON so Decimals and datetimes are stored as the page will read them.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))

"""The frozen copy of an assessment kept when it is published."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from assessments.models import Assessment, EmergingIssue, Theme
from assessments.services import assessment_spec
from reports.results import NARRATIVE_HEADINGS, crime_table, participants
from workshops.results import assessment_outcomes

SNAPSHOT_SCHEMA = "workbench-publication/1"


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def basic_export(assessment: Assessment) -> dict[str, Any]:
    """The JSON export's core (PRODUCT.md schema), used until `reports.exports` is merged."""
    spec = assessment_spec(assessment)
    risks = []
    for outcome in assessment_outcomes(assessment, spec=spec):
        result, risk = outcome.result, outcome.risk
        risks.append(
            {
                "theme": risk.theme.name,
                "risk": risk.name,
                "harm": _number(result.harm),
                "likelihood": _number(result.likelihood),
                "confidence": _number(result.confidence),
                "response": _number(result.response),
                "score": _number(result.score),
                "rating": result.rating,
                "priority": risk.is_priority,
                "priority_reason": risk.priority_reason,
                "previous_rating": outcome.previous_rating,
                "factors": {
                    spec.factor(key).name: {
                        "level": value.level_label,
                        "value": _number(value.value),
                        "source": value.source,
                        "submissions": value.submissions,
                        "divergent": value.divergent,
                    }
                    for key, value in outcome.factors.items()
                },
            }
        )
    indicators = [
        {
            "category": row.name,
            "period": assessment.period,
            "count": row.figures.count,
            "previous_count": row.figures.previous_count,
            "change": row.figures.change,
            "pct_change": _number(row.figures.pct_change),
            "rate_per_1000": _number(row.figures.rate_per_1000),
            "msg_rate_per_1000": _number(row.figures.msg_rate_per_1000),
        }
        for row in crime_table(assessment)
    ]
    return {
        "schema": "workbench-assessment/1",
        "partnership": assessment.partnership.name,
        "period": assessment.period,
        "status": assessment.status,
        "scoring_model": spec.to_dict(),
        "risks": risks,
        "indicators": indicators,
    }


def export_data(assessment: Assessment) -> dict[str, Any]:
    """The JSON export: the shared `assessment_export` when available, else `basic_export`."""
    try:
        from reports.exports import assessment_export
    except ImportError:
        return basic_export(assessment)
    return assessment_export(assessment)


def assessment_snapshot(assessment: Assessment) -> dict[str, Any]:
    """Scores, model, narrative, emerging issues, data and approvals, as JSON-safe values."""
    data = dict(export_data(assessment))
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

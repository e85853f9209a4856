"""The frozen copy of an assessment kept when it is published, and where every export reads.

A snapshot is the JSON export (`workbench-assessment/1`, PRODUCT.md) with the report document
(`reports.document.report_document`) under `"report"`. Publishing stores one; for a published
assessment every page and file is rendered from it, for a draft from a fresh one.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from assessments.models import Assessment
from assessments.services import assessment_spec
from reports.document import report_document
from reports.exports import assessment_export, risk_json
from workshops.outcomes import assessment_outcomes

SNAPSHOT_SCHEMA = "workbench-publication/2"
# Keys a snapshot holds beside the JSON export's (schema 1 stored some of these at the top).
NOT_EXPORT_KEYS = frozenset(
    {"snapshot_schema", "report", "approvals", "themes", "emerging_issues", "participants"}
)
# What a board member approves: the scores, model, register, narrative and the evidence shown.
# Approvals, status and who took part are left out, so approving changes nothing approved.
APPROVED_REPORT_KEYS = (
    "model",
    "risks",
    "themes",
    "emerging_issues",
    "quick_facts",
    "crime_table",
    "other_statistics",
    "neighbourhoods",
    "seasonal",
    "trend",
    # Schema 2: how much of the year the figures cover and where they come from.
    "crime_coverage",
    "crime_sources",
    "neighbourhood_figures",
    "seasonal_pattern",
    "trend_part_years",
    # Schema 4: the front matter.
    "front_matter",
)


def _json_safe(data: dict[str, Any]) -> dict[str, Any]:
    # Round-trip so Decimals and datetimes are stored exactly as a reader will get them back.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def assessment_snapshot(assessment: Assessment) -> dict[str, Any]:
    """The export and the report document of the assessment as it is now, as JSON values."""
    spec = assessment_spec(assessment)
    outcomes = assessment_outcomes(assessment, spec=spec)
    data = assessment_export(assessment, spec=spec, outcomes=outcomes)
    data["snapshot_schema"] = SNAPSHOT_SCHEMA
    data["report"] = report_document(assessment, spec=spec, outcomes=outcomes)
    return _json_safe(data)


def snapshot_export(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The `workbench-assessment/1` JSON export held in a snapshot."""
    return {key: value for key, value in snapshot.items() if key not in NOT_EXPORT_KEYS}


def content_fingerprint(snapshot: dict[str, Any]) -> str:
    """A hash of everything a board member approves, to tell whether it changed since."""
    report = snapshot["report"]
    approved = {
        "risks": snapshot["risks"],
        "report": {key: report.get(key) for key in APPROVED_REPORT_KEYS},
    }
    text = json.dumps(approved, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def assessment_fingerprint(assessment: Assessment) -> tuple[str, list[dict[str, Any]]]:
    """The fingerprint of the assessment as it is now, and its risks as exported, without
    building the rest of the export (its audit trail can be long)."""
    spec = assessment_spec(assessment)
    outcomes = assessment_outcomes(assessment, spec=spec)
    approved = _json_safe(
        {
            "risks": [risk_json(outcome, spec) for outcome in outcomes],
            "report": report_document(assessment, spec=spec, outcomes=outcomes),
        }
    )
    return content_fingerprint(approved), approved["risks"]


def latest_publication(assessment: Assessment):
    """The assessment's most recent published version, or None."""
    from reports.models import Publication

    return Publication.objects.filter(assessment=assessment).order_by("-version").first()


def frozen_snapshot(assessment: Assessment) -> dict[str, Any] | None:
    """What a published assessment was frozen as (None for drafts and pre-report snapshots)."""
    if not assessment.is_published:
        return None
    publication = latest_publication(assessment)
    if publication is None or "report" not in publication.snapshot:
        return None
    return publication.snapshot


def current_snapshot(assessment: Assessment) -> dict[str, Any]:
    """The published snapshot if there is one, else the assessment as it is now."""
    return frozen_snapshot(assessment) or assessment_snapshot(assessment)

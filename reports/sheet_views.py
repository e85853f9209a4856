"""The JSON export download. (The offline scoring sheet's pages are `workshops.sheet.pages`.)"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from assessments import access
from reports.exports import assessment_export
from reports.snapshot import frozen_snapshot, snapshot_export


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def assessment_export_json(request: HttpRequest, partnership: str, period: str) -> HttpResponse:
    """The `workbench-assessment/1` JSON export, as a download (as published, once it is)."""
    assessment, _ = access.assessment_for(request.user, partnership, period, access.EXPORT)
    frozen = frozen_snapshot(assessment)
    data = snapshot_export(frozen) if frozen else assessment_export(assessment)
    content = json.dumps(data, indent=2, ensure_ascii=False)
    name = f"{assessment.partnership.slug}-{assessment.period_slug}-assessment.json"
    return _attachment(content.encode("utf-8"), "application/json", name)

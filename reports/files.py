"""Downloadable files of an assessment: CSV (risks), XLSX (four sheets), the PDF report and
the same report as a Word document (DOCX, `reports/word.py`).

Each is rendered from a snapshot (`reports/snapshot.py`): the published one for a published
assessment, so its files never change, else one read fresh.
"""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Font

from assessments.models import AUDIT_KINDS, Assessment
from assessments.safe_cells import CSV_QUOTING, safe_row, xlsx_append
from reports.presentation import report_context
from reports.snapshot import current_snapshot, snapshot_export

RISK_HEADER = [
    "Theme", "Risk", "Harm", "Likelihood", "Confidence", "Response", "Score", "Rating",
    "Previous rating", "Priority", "Priority reason",
]  # fmt: skip
KIND_NAMES = dict(AUDIT_KINDS)

Snapshot = dict[str, Any]


def _snapshot(source: Assessment | Snapshot) -> Snapshot:
    """Accept an assessment (its current snapshot is used) or a snapshot."""
    return current_snapshot(source) if isinstance(source, Assessment) else source


def _num(value: Any) -> float | int | None:
    """Numbers stay numbers in spreadsheets (a document's decimals are exact text)."""
    if value is None or value == "":
        return None
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


def assessment_json(source: Assessment | Snapshot) -> bytes:
    """The `workbench-assessment/1` export as UTF-8 JSON text."""
    text = json.dumps(snapshot_export(_snapshot(source)), indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def risk_table(source: Assessment | Snapshot) -> list[list]:
    """One row per risk, in register order."""
    return [
        [
            risk["theme"],
            risk["risk"],
            _num(risk["harm"]),
            _num(risk["likelihood"]),
            _num(risk["confidence"]),
            _num(risk["response"]),
            _num(risk["score"]),
            risk["rating"],
            risk["previous_rating"] or "",
            "Yes" if risk["priority"] else "No",
            risk["priority_reason"] or "",
        ]
        for risk in _snapshot(source)["risks"]
    ]


def assessment_csv(source: Assessment | Snapshot) -> str:
    """Risks with their scores, one row each, formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=CSV_QUOTING)
    writer.writerow(safe_row(RISK_HEADER))
    for row in risk_table(source):
        writer.writerow(safe_row(row))
    return out.getvalue()


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list]) -> None:
    sheet = workbook.create_sheet(title)
    xlsx_append(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        xlsx_append(sheet, row)
    sheet.freeze_panes = "A2"
    for column, name in zip(sheet.columns, header, strict=False):
        sheet.column_dimensions[column[0].column_letter].width = max(12, min(40, len(name) + 4))


def _local_time(iso: str) -> datetime:
    """An ISO 8601 time as the site's local wall-clock time (Excel cells hold no zone)."""
    moment = datetime.fromisoformat(iso).astimezone(ZoneInfo(settings.TIME_ZONE))
    return moment.replace(tzinfo=None)


def assessment_xlsx(source: Assessment | Snapshot) -> bytes:
    """Sheets: risks, factor scores, indicators, audit; formula-safe, numbers stay numbers."""
    snapshot = _snapshot(source)
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(workbook, "Risks", RISK_HEADER, risk_table(snapshot))
    factor_rows = [
        [
            risk["theme"],
            risk["risk"],
            name,
            value["level"] or "",
            _num(value["value"]),
            value["source"] or "",
            value["submissions"],
            "Yes" if value["divergent"] else "No",
        ]
        for risk in snapshot["risks"]
        for name, value in risk["factors"].items()
    ]
    _sheet(
        workbook,
        "Factor scores",
        ["Theme", "Risk", "Factor", "Level", "Value", "Source", "Submissions", "Divergent"],
        factor_rows,
    )
    indicator_rows = [
        [
            v["indicator"],
            v["area"],
            v["period"],
            _num(v["value"]),
            _num(v["msg_rate_per_1000"]),
            v["source"],
        ]
        for v in snapshot["report"]["indicator_values"]
    ]
    _sheet(
        workbook,
        "Indicators",
        ["Indicator", "Area", "Period", "Value", "MSG rate per 1,000", "Source"],
        indicator_rows,
    )
    audit_rows = [
        [
            _local_time(change["when"]),
            change["risk"],
            change["factor"],
            KIND_NAMES.get(change["kind"], change["kind"]),
            change["organisation"] or "",
            change["old_level"] or "",
            change["new_level"] or "",
            _num(change["old_value"]),
            _num(change["new_value"]),
            change["note"] or "",
            change["who"] or "",
        ]
        for change in snapshot["audit"]
    ]
    _sheet(
        workbook,
        "Audit",
        [
            f"When ({settings.TIME_ZONE} time)",
            "Risk",
            "Factor",
            "Kind",
            "Organisation",
            "Old level",
            "New level",
            "Old value",
            "New value",
            "Note",
            "By",
        ],
        audit_rows,
    )
    for cell in workbook["Audit"]["A"][1:]:
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    workbook["Audit"].column_dimensions["A"].width = 30
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def assessment_pdf_html(source: Assessment | Snapshot) -> str:
    """The report as one HTML document with its own print CSS."""
    context = report_context(_snapshot(source)["report"], prefix="pdf")
    return render_to_string("reports/pdf/assessment.html", context)


def assessment_pdf_document(source: Assessment | Snapshot):
    """The laid-out report (a WeasyPrint Document: `.pages`, `.write_pdf()`)."""
    from weasyprint import HTML

    from reports.pdf_fetcher import StaticFilesOnly

    # No base URL: the report embeds everything; the fetcher refuses all but our static files.
    html = assessment_pdf_html(source)
    return HTML(string=html, base_url=None, url_fetcher=StaticFilesOnly()).render()


def assessment_pdf(source: Assessment | Snapshot) -> bytes:
    """The strategic assessment as a PDF."""
    # Without the system's HarfBuzz-Subset library WeasyPrint subsets fonts with fontTools,
    # which stamps each font with the current time unless SOURCE_DATE_EPOCH is set; a fixed
    # stamp keeps a published report's PDF byte-identical from one download to the next.
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    return assessment_pdf_document(source).write_pdf()


def assessment_docx(source: Assessment | Snapshot) -> bytes:
    """The strategic assessment as a Word document, the same document as the PDF."""
    from reports.word import assessment_docx_from_document

    return assessment_docx_from_document(_snapshot(source)["report"])


EXPORTS = {
    "json": ("application/json", assessment_json),
    "csv": ("text/csv; charset=utf-8", lambda s: assessment_csv(s).encode("utf-8")),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", assessment_xlsx),
    "pdf": ("application/pdf", assessment_pdf),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        assessment_docx,
    ),
}


def export_file(source: Assessment | Snapshot, fmt: str) -> tuple[bytes, str]:
    """(body, content type) of one export format (KeyError for an unknown format)."""
    content_type, build = EXPORTS[fmt]
    return build(_snapshot(source)), content_type

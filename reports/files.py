"""Downloadable files of an assessment: CSV (risks), XLSX (four sheets) and the PDF report."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Font

from assessments.models import Assessment, IndicatorValue, ScoreChange
from reports.results import participants, report_context, risk_rows
from reports.safe_cells import safe_row

RISK_HEADER = [
    "Theme", "Risk", "Harm", "Likelihood", "Confidence", "Response", "Score", "Rating",
    "Previous rating", "Priority", "Priority reason",
]  # fmt: skip


def _num(value: Decimal | None) -> float | int | None:
    """Numbers stay numbers in spreadsheets."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def risk_table(assessment: Assessment) -> list[list]:
    """One row per risk, in register order."""
    rows = []
    for row in risk_rows(assessment):
        result, risk = row.outcome.result, row.risk
        rows.append(
            [
                risk.theme.name,
                risk.name,
                _num(result.harm),
                _num(result.likelihood),
                _num(result.confidence),
                _num(result.response),
                None if row.score is None else float(row.score),
                result.rating,
                row.outcome.previous_rating or "",
                "Yes" if risk.is_priority else "No",
                risk.priority_reason,
            ]
        )
    return rows


def assessment_csv(assessment: Assessment) -> str:
    """Risks with their scores, one row each, formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(RISK_HEADER)
    for row in risk_table(assessment):
        writer.writerow(safe_row(row))
    return out.getvalue()


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(safe_row(row))
    sheet.freeze_panes = "A2"
    for column, name in zip(sheet.columns, header, strict=False):
        sheet.column_dimensions[column[0].column_letter].width = max(12, min(40, len(name) + 4))


def assessment_xlsx(assessment: Assessment) -> bytes:
    """Sheets: risks, factor scores, indicators, audit; formula-safe, numbers stay numbers."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(workbook, "Risks", RISK_HEADER, risk_table(assessment))
    factor_rows = []
    for row in risk_rows(assessment):
        for key, value in row.outcome.factors.items():
            factor_rows.append(
                [
                    row.risk.theme.name,
                    row.risk.name,
                    key,
                    value.level_label or "",
                    _num(value.value),
                    value.source or "",
                    value.submissions,
                    "Yes" if value.divergent else "No",
                ]
            )
    _sheet(
        workbook,
        "Factor scores",
        ["Theme", "Risk", "Factor", "Level", "Value", "Source", "Submissions", "Divergent"],
        factor_rows,
    )
    indicator_rows = [
        [
            v.indicator.name,
            v.area.name,
            v.period,
            _num(v.value),
            _num(v.msg_rate_per_1000),
            v.source,
        ]
        for v in IndicatorValue.objects.filter(indicator__partnership=assessment.partnership)
        .select_related("indicator", "area")
        .order_by("indicator__order", "indicator__name", "area__name", "period")
    ]
    _sheet(
        workbook,
        "Indicators",
        ["Indicator", "Area", "Period", "Value", "MSG rate per 1,000", "Source"],
        indicator_rows,
    )
    audit_rows = [
        [
            change.changed_at.replace(tzinfo=None),
            change.risk.name,
            change.factor_key,
            change.get_kind_display(),
            change.organisation.name if change.organisation else "",
            change.old_label,
            change.new_label,
            _num(change.old_value),
            _num(change.new_value),
            change.note,
            change.changed_by.username if change.changed_by else "",
        ]
        for change in ScoreChange.objects.filter(assessment=assessment)
        .select_related("risk", "organisation", "changed_by")
        .order_by("changed_at", "id")
    ]
    _sheet(
        workbook,
        "Audit",
        [
            "When",
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
        ],  # fmt: skip
        audit_rows,
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def assessment_pdf_html(assessment: Assessment) -> str:
    """The report as one HTML document with its own print CSS."""
    context = report_context(assessment)
    context["participants"] = participants(assessment)
    if not context["participants"]:
        context["members"] = list(assessment.partnership.organisations.all())
    return render_to_string("reports/pdf/assessment.html", context)


def assessment_pdf_document(assessment: Assessment):
    """The laid-out report (a WeasyPrint Document: `.pages`, `.write_pdf()`)."""
    from weasyprint import HTML

    # No base URL: the report embeds everything, so WeasyPrint never fetches anything.
    return HTML(string=assessment_pdf_html(assessment), base_url=None).render()


def assessment_pdf(assessment: Assessment) -> bytes:
    """The strategic assessment as a PDF."""
    return assessment_pdf_document(assessment).write_pdf()

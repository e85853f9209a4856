"""A downloaded scoring sheet: its rows (every risk × factor) and its files, CSV (UTF-8 with
BOM, for Excel) and XLSX with drop-downs. Every cell is neutralised (`assessments.safe_cells`),
and `parse` reads it back as it was."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from assessments.models import Assessment, Risk, RiskFactorScore
from assessments.safe_cells import CSV_QUOTING, safe_row, xlsx_append, xlsx_value
from assessments.scoring import ScoringModelSpec
from workshops.sheet.parse import SHEET_COLUMNS
from workshops.sheet.resolve import own_kind

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class SheetRow:
    """One row of a downloaded sheet."""

    theme: str
    risk: str
    factor: str
    level: str
    organisation: str = ""
    comment: str = ""

    def cells(self) -> list[str]:
        return [self.theme, self.risk, self.factor, self.level, self.organisation, self.comment]


def sheet_rows(assessment: Assessment, spec: ScoringModelSpec, *, filled: bool) -> list[SheetRow]:
    """Every risk × factor in register and model order; `filled` adds the current own scores."""
    # Withdrawn risks are no part of the assessment: nobody scores them.
    risks = list(
        Risk.objects.filter(assessment=assessment, withdrawn_at__isnull=True).select_related(
            "theme"
        )
    )
    own: dict[tuple[int, str, str], RiskFactorScore] = {}
    if filled:
        own = {
            (score.risk_id, score.factor_key, score.kind): score
            for score in RiskFactorScore.objects.filter(risk__assessment=assessment)
        }
    rows = []
    for risk in risks:
        for factor in spec.factors:
            score = own.get((risk.id, factor.key, own_kind(factor)))
            rows.append(
                SheetRow(
                    theme=risk.theme.name,
                    risk=risk.name,
                    factor=factor.name,
                    level=score.level_label if score else "",
                    comment=score.note if score else "",
                )
            )
    return rows


def sheet_csv(rows: list[SheetRow]) -> bytes:
    """The sheet as CSV; the BOM makes Excel read it as UTF-8."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=CSV_QUOTING)
    writer.writerow(safe_row(SHEET_COLUMNS))
    for row in rows:
        writer.writerow(safe_row(row.cells()))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _text(cell, value: str):
    """The cell, holding `value` neutralised (`assessments.safe_cells`), as text."""
    xlsx_value(cell, value)
    return cell


def sheet_xlsx(rows: list[SheetRow], spec: ScoringModelSpec, organisations: list[str]) -> bytes:
    """The sheet as a workbook: "Scores" first (the one that is read back), each level cell a
    drop-down of its factor's levels, organisations a drop-down too, and a "Levels" guide."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    scores = workbook.active
    scores.title = "Scores"
    xlsx_append(scores, list(SHEET_COLUMNS))
    for cell in scores[1]:
        cell.font = Font(bold=True)
    for row in rows:
        xlsx_append(scores, row.cells())
    scores.freeze_panes = "A2"
    for index, width in enumerate((34, 44, 38, 16, 34, 60), start=1):
        scores.column_dimensions[get_column_letter(index)].width = width

    # The guide: one column per factor listing its levels (the drop-downs' sources), and the
    # descriptions underneath for scorers.
    guide = workbook.create_sheet("Levels")
    ranges: dict[str, str] = {}
    for index, factor in enumerate(spec.factors, start=1):
        letter = get_column_letter(index)
        _text(guide.cell(row=1, column=index), factor.name).font = Font(bold=True)
        for offset, level in enumerate(factor.levels, start=2):
            _text(guide.cell(row=offset, column=index), level.label)
        ranges[factor.name] = f"Levels!${letter}$2:${letter}${len(factor.levels) + 1}"
        guide.column_dimensions[letter].width = 24
    org_column = len(spec.factors) + 2
    org_letter = get_column_letter(org_column)
    _text(guide.cell(row=1, column=org_column), "Organisations").font = Font(bold=True)
    for offset, name in enumerate(organisations, start=2):
        _text(guide.cell(row=offset, column=org_column), name)
    guide.column_dimensions[org_letter].width = 40
    start = max(max(len(f.levels) for f in spec.factors) + 3, len(organisations) + 3)
    _text(guide.cell(row=start, column=1), "What each level means").font = Font(bold=True)
    line = start + 1
    for factor in spec.factors:
        for level in factor.levels:
            values = [factor.name, level.label, level.description]
            for column, value in enumerate(values, start=1):
                _text(guide.cell(row=line, column=column), value).alignment = Alignment(
                    wrap_text=column == 3, vertical="top"
                )
            line += 1

    by_factor: dict[str, list[str]] = {}
    for number, row in enumerate(rows, start=2):
        by_factor.setdefault(row.factor, []).append(f"D{number}")
    for factor_name, cells in by_factor.items():
        if factor_name not in ranges:
            continue
        validation = DataValidation(
            type="list",
            formula1=f"={ranges[factor_name]}",
            allow_blank=True,
            errorTitle="Not a level",
            error=f"Choose one of the levels of {factor_name}.",
            promptTitle=factor_name[:32],
            prompt="Choose a level from the list.",
        )
        for cell in cells:
            validation.add(cell)
        scores.add_data_validation(validation)
    if organisations and rows:
        validation = DataValidation(
            type="list",
            formula1=f"=Levels!${org_letter}$2:${org_letter}${len(organisations) + 1}",
            allow_blank=True,
            errorTitle="Not an organisation",
            error="Choose an organisation of the partnership, or leave it empty.",
        )
        validation.add(f"E2:E{len(rows) + 1}")
        scores.add_data_validation(validation)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

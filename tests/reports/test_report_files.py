"""CSV and XLSX exports neutralise formulas; numbers stay numbers; the PDF reads like a report."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from assessments.models import IndicatorValue, Risk, ScoreChange, ScoreKind
from assessments.safe_cells import safe_cell, safe_row
from assessments.services import factor_score_set
from reports.files import assessment_csv, assessment_json, assessment_pdf_html, assessment_xlsx

DANGEROUS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_safe_cell_neutralises_formula_starts(text):
    assert safe_cell(text) == "'" + text


def test_safe_cell_leaves_numbers_and_plain_text_alone():
    assert safe_row([-5, 1.5, None, "Burglary", ""]) == [-5, 1.5, None, "Burglary", ""]


@pytest.fixture
def hostile(scored):
    theme = scored.themes.first()
    theme.name = "+cmd|' /C calc'!A0"
    theme.save()
    risk = Risk.objects.get(assessment=scored, name="Burglary")
    risk.name = '=HYPERLINK("http://evil","x")'
    risk.save()
    factor_score_set(
        risk=risk,
        factor_key="physical",
        kind=ScoreKind.ANALYST,
        level_label="Moderate",
        note="@SUM(1)",
    )
    return scored


def test_csv_export_neutralises_formulas(hostile):
    rows = list(csv.reader(io.StringIO(assessment_csv(hostile))))
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://evil","x")' in cells
    assert "'+cmd|' /C calc'!A0" in cells
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in cells)


def test_xlsx_export_neutralises_formulas_and_keeps_numbers(hostile):
    workbook = load_workbook(io.BytesIO(assessment_xlsx(hostile)))
    assert workbook.sheetnames == ["Risks", "Factor scores", "Indicators", "Audit"]
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    assert not any(t.startswith(("=", "+", "-", "@", "\t", "\r")) for t in texts)
    assert "'@SUM(1)" in texts  # the audit note
    risks = workbook["Risks"]
    header = [c.value for c in risks[1]]
    score = header.index("Score")
    scores = [row[score].value for row in risks.iter_rows(min_row=2)]
    assert all(isinstance(s, int | float) for s in scores)
    assert 116.2 in scores


def test_pdf_holds_cover_contents_data_lists_themes_and_appendices(scored):
    html = assessment_pdf_html(scored)
    for text in [
        "A strategic assessment of threat, risk and harm",
        "Contents",
        "Quick facts",
        "Crime table",
        "High level risks",
        "Moderate level risks",
        "Standard level risks",
        "Domestic abuse and sexual violence",
        "Acquisitive crime",
        "Emerging issues",
        "Appendix A",
        "Appendix B: the scoring model",
        "Acknowledgements",
    ]:
        assert text in html, text
    assert "<svg" in html


def test_xlsx_names_factors_in_the_factor_and_audit_sheets(scored):
    workbook = load_workbook(io.BytesIO(assessment_xlsx(scored)))
    factors = {row[2] for row in workbook["Factor scores"].iter_rows(min_row=2, values_only=True)}
    assert "Physical harm to victims" in factors and "physical" not in factors
    audited = {row[2] for row in workbook["Audit"].iter_rows(min_row=2, values_only=True)}
    assert "Confidence in the intelligence picture" in audited and "confidence" not in audited


def test_xlsx_indicators_cover_the_period_and_the_one_before_only(scored):
    robbery = IndicatorValue.objects.get(indicator__name="Robbery", period="2019/20")
    IndicatorValue.objects.create(
        indicator=robbery.indicator, area=robbery.area, period="2020/21", value=300
    )
    workbook = load_workbook(io.BytesIO(assessment_xlsx(scored)))
    periods = {row[2] for row in workbook["Indicators"].iter_rows(min_row=2, values_only=True)}
    assert periods == {"2018/19", "2019/20"}  # not 2017/18's All crime, nor 2020/21


def test_xlsx_audit_times_are_local_time_with_the_zone_named(scored):
    summer = datetime(2019, 7, 1, 11, 30, tzinfo=UTC)
    ScoreChange.objects.filter(assessment=scored).update(changed_at=summer)
    sheet = load_workbook(io.BytesIO(assessment_xlsx(scored)))["Audit"]
    assert sheet["A1"].value == "When (Europe/London time)"
    assert sheet["A2"].value == datetime(2019, 7, 1, 12, 30)  # British Summer Time
    assert sheet["A2"].number_format == "yyyy-mm-dd hh:mm:ss"


def test_the_json_audit_keeps_times_in_iso_8601_with_their_offset(scored):
    data = json.loads(assessment_json(scored))
    assert data["audit"][0]["when"].endswith("+00:00")


def test_pdf_charts_keep_their_proportions(scored):
    """WeasyPrint squares an inline <svg> styled `height:auto`, centring charts in white space."""
    html = assessment_pdf_html(scored)
    roots = re.findall(r"<svg\b[^>]*>", html)
    assert len(roots) >= 2  # the trend chart and the heat map
    assert not [root for root in roots if " style=" in root]

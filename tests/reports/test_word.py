"""The Word report: the PDF's document with Word headings and real tables, ratings as words,
formula-safe cells; `export_assessment --format docx`; frozen with a publication."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from docx import Document

from assessments.models import Assessment, Risk
from reports.files import assessment_docx
from reports.services import approval_record, assessment_publish, theme_narrative_set

pytestmark = pytest.mark.django_db


def _open(body: bytes):
    return Document(io.BytesIO(body))


def _cells(doc) -> list[str]:
    return [cell.text for t in doc.tables for row in t.rows for cell in row.cells]


def _headings(doc) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]


def test_the_word_report_has_the_pdfs_chapters_as_word_headings(scored):
    headings = _headings(_open(assessment_docx(scored)))
    assert ("Heading 1", "Introduction") in headings
    assert ("Heading 1", "Risks") in headings
    assert ("Heading 2", "Crime table") in headings
    assert ("Heading 2", "Harm by likelihood") in headings
    assert ("Heading 2", "Domestic abuse and sexual violence") in headings
    assert ("Heading 1", "Appendix B: the scoring model") in headings


def test_the_word_reports_tables_hold_each_risks_rating_word(scored):
    doc = _open(assessment_docx(scored))
    cells = _cells(doc)
    assert "Domestic abuse: High" in " ".join(cells)  # the heat map, risk by risk
    assert "Burglary: Standard" in " ".join(cells)
    assert any(c.startswith("High") for c in cells)  # the theme table's rating column
    crime = next(t for t in doc.tables if t.rows[0].cells[0].text == "Crime / incident type")
    assert [c.text for c in crime.rows[1].cells][:3] == ["All crime", "23,626", "23,024"]


def test_narrative_markdown_becomes_word_lists_and_bold(scored):
    doc = _open(assessment_docx(scored))
    bullets = [p for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert any("reported rapes" in p.text and p.runs[0].bold for p in bullets)


def test_the_word_report_neutralises_formulas_in_its_tables(scored, analyst):
    Risk.objects.filter(name="Burglary").update(name='=HYPERLINK("http://x")')
    theme = scored.themes.get(name="Acquisitive crime")
    theme_narrative_set(theme=theme, values={"impact": "Plain words."}, user=analyst)
    cells = _cells(_open(assessment_docx(scored)))
    assert not any(c.startswith("=") for c in cells)
    assert any(c.startswith("'=HYPERLINK") for c in cells)


def test_export_assessment_writes_a_docx_that_opens_with_python_docx(scored, tmp_path):
    out = tmp_path / "plymouth.docx"
    call_command(
        "export_assessment",
        partnership="plymouth",
        period="2019/20",
        format="docx",
        output=str(out),
        stderr=io.StringIO(),
    )
    doc = Document(str(out))
    assert any("High" in c for c in _cells(doc))


def test_the_board_downloads_the_word_report(client, scored, board_member):
    client.force_login(board_member)
    response = client.get("/p/plymouth/2019-20/export/docx/")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.docx"')
    assert _headings(_open(response.content))


def test_the_demos_published_word_report_has_the_seeds_introduction_and_movement(demo):
    assessment = Assessment.objects.get(partnership__slug="plymouth", period="2019/20")
    board = get_user_model().objects.get(username="board")
    approval_record(assessment=assessment, user=board, comment="", approved=True)
    publication = assessment_publish(assessment=assessment, user=board)
    doc = _open(assessment_docx(publication.snapshot))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Safer Plymouth is the community safety partnership" in text
    assert "Livewell South West" in text and "Plymouth CAB" in text
    cells = " ".join(_cells(doc))
    assert "New this year" not in cells
    assert "Up from Standard" in cells
    # Every High risk is shown as High in the heat map.
    for risk in publication.snapshot["report"]["risks"]:
        if risk["rating"] == "High":
            assert f"{risk['name']}: High" in cells, risk["name"]
    for word in ("Import", "upload", "click"):
        assert word not in text

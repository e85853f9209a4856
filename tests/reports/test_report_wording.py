"""The printed report speaks to its reader: it never tells them to import, upload or click,
draft or published; where data are missing it says so in the reader's words."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from assessments.models import Assessment
from reports.files import assessment_pdf_document
from reports.services import approval_record, assessment_publish

pytestmark = pytest.mark.django_db

# Words that tell the reader to do something in the app ("important" is not "import").
INSTRUCTIONS = re.compile(
    r"\b(import(s|ed|ing)?|upload\w*|click\w*|tick\w*|press\w*|download\w*)\b", re.IGNORECASE
)


def pdf_text(source) -> str:
    """Every piece of text WeasyPrint laid out on the PDF's pages, in order."""
    from weasyprint.formatting_structure import boxes

    def walk(box):
        if isinstance(box, boxes.TextBox):
            yield box.text
        for child in getattr(box, "children", ()):
            yield from walk(child)

    document = assessment_pdf_document(source)
    return " ".join(text for page in document.pages for text in walk(page._page_box))


def test_a_draft_report_without_monthly_figures_says_so_and_gives_no_instruction(scored):
    text = pdf_text(scored)
    assert "Monthly crime figures for 2019/20 were not available" in text
    assert not INSTRUCTIONS.findall(text)


def test_the_demos_published_report_holds_no_instruction_to_its_reader(demo):
    assessment = Assessment.objects.get(partnership__slug="plymouth", period="2019/20")
    board = get_user_model().objects.get(username="board")
    approval_record(assessment=assessment, user=board, comment="", approved=True)
    publication = assessment_publish(assessment=assessment, user=board)
    text = pdf_text(publication.snapshot)
    assert "Safer Plymouth is the community safety partnership" in " ".join(text.split())
    assert not INSTRUCTIONS.findall(text)

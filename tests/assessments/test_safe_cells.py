"""Spreadsheet cells that could start a formula are neutralised, and read back as they were."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.safe_cells import FORMULA_STARTS, safe_cell, safe_row, unneutralised


@pytest.mark.parametrize("text", ["=SUM(A1)", "+1", "-2", "@cmd", "\tx", "\rx"])
def test_text_that_could_start_a_formula_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


def test_other_cells_are_left_alone():
    assert safe_row(["Burglary", "", 3, None, 1.5, "a=b"]) == ["Burglary", "", 3, None, 1.5, "a=b"]


@pytest.mark.parametrize("text", ["=SUM(A1)", "+1", "-2", "@cmd", "\tTabbed", "\rCR", "\r\nCRLF"])
def test_a_neutralised_cell_reads_back_as_the_text_it_was_tab_and_cr_included(text):
    assert unneutralised(safe_cell(text)) == text


def test_a_cr_that_an_xlsx_file_read_back_as_lf_still_loses_its_apostrophe():
    assert unneutralised("'\nCR") == "\nCR"


@pytest.mark.parametrize("text", ["'quoted", "it's", "'", "", "'a=b", "' =x"])
def test_an_apostrophe_that_neutralises_nothing_is_kept(text):
    assert unneutralised(text) == text


@given(st.text())
def test_reading_back_any_downloaded_cell_gives_what_reading_its_text_gives(text):
    assert unneutralised(safe_cell(text)) == unneutralised(text)
    if not text.startswith("'"):
        assert unneutralised(safe_cell(text)) == text


def test_the_inverse_knows_every_character_the_neutraliser_guards():
    for start in FORMULA_STARTS:
        assert unneutralised(safe_cell(start + "x")) == start + "x"

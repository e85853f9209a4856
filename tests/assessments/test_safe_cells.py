"""Spreadsheet cells that could start a formula are neutralised, and read back as they were."""

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from assessments.safe_cells import (
    CSV_QUOTING,
    FORMULA_STARTS,
    could_start_formula,
    safe_cell,
    safe_row,
    unneutralised,
    xlsx_append,
    xlsx_value,
)


@pytest.mark.parametrize("text", ["=SUM(A1)", "+1", "-2", "@cmd", "\tx", "\rx", "\nx"])
def test_text_that_could_start_a_formula_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", [";=1+1", ",=1+1", " =1", '"=1', "; ,@x", "\u00a0+1", "'=1"])
def test_a_formula_after_spaces_quotes_or_separators_gets_an_apostrophe_too(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["＝1+1", "＋1", "－1", "＠SUM(A1)", "；＝1", "\u3000＝1"])
def test_a_full_width_formula_start_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


def test_csv_fields_that_are_text_are_always_quoted():
    out = io.StringIO()
    csv.writer(out, quoting=CSV_QUOTING).writerow(safe_row(["x;=1+1", 3, 1.5, "", None]))
    assert out.getvalue() == '"x;=1+1",3,1.5,"",""\r\n'


def test_an_xlsx_cell_holding_formula_like_text_is_text():
    workbook = Workbook()
    sheet = workbook.active
    xlsx_append(sheet, ["=1+1", 2])
    xlsx_value(sheet.cell(row=2, column=1), "@SUM(A1)")
    assert [c.data_type for c in sheet[1]] == ["s", "n"]
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == "'@SUM(A1)"


def test_other_cells_are_left_alone():
    assert safe_row(["Burglary", "", 3, None, 1.5, "a=b"]) == ["Burglary", "", 3, None, 1.5, "a=b"]


@pytest.mark.parametrize("text", ["=SUM(A1)", "+1", "-2", "@cmd", "\tTabbed", "\rCR", "\r\nCRLF"])
def test_a_neutralised_cell_reads_back_as_the_text_it_was_tab_and_cr_included(text):
    assert unneutralised(safe_cell(text)) == text


def test_a_cr_that_an_xlsx_file_read_back_as_lf_still_loses_its_apostrophe():
    assert unneutralised("'\nCR") == "\nCR"


@pytest.mark.parametrize("text", ["'quoted", "it's", "'", "", "'a=b", "' x=y"])
def test_an_apostrophe_that_neutralises_nothing_is_kept(text):
    assert unneutralised(text) == text


@given(st.text())
def test_reading_back_any_downloaded_cell_gives_the_text_it_was(text):
    assert unneutralised(safe_cell(text)) == text


@given(st.text())
def test_any_text_is_either_safe_as_it_is_or_given_an_apostrophe(text):
    assert safe_cell(text).startswith("'") or not could_start_formula(text)


def test_the_inverse_knows_every_character_the_neutraliser_guards():
    for start in FORMULA_STARTS:
        assert unneutralised(safe_cell(start + "x")) == start + "x"

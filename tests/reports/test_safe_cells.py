"""Spreadsheet cells that could start a formula are neutralised."""

import pytest

from reports.safe_cells import safe_cell, safe_row


@pytest.mark.parametrize("text", ["=SUM(A1)", "+1", "-2", "@cmd", "\tx", "\rx"])
def test_text_that_could_start_a_formula_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


def test_other_cells_are_left_alone():
    assert safe_row(["Burglary", "", 3, None, 1.5, "a=b"]) == ["Burglary", "", 3, None, 1.5, "a=b"]

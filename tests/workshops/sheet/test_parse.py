"""Reading an offline scoring sheet: `theme,risk,factor,level,organisation,comment` (structure
only)."""

import pytest

from tests.assessments.imports.helpers import at, refused, table
from tests.sheets_helpers import sheet_text
from workshops.sheet.parse import ScoreRow, parse_score_sheet

HEADER = "theme,risk,factor,level,organisation,comment\n"


def test_score_rows_are_parsed_with_an_empty_organisation_for_the_analyst():
    rows = parse_score_sheet(
        table(
            HEADER + "Drugs,County lines,Physical harm to victims,Substantial,,Seizures up\n"
            "Drugs,County lines,Capacity,Limited,Devon and Cornwall Police,\n"
        )
    )
    assert rows == [
        ScoreRow(
            "Drugs", "County lines", "Physical harm to victims", "Substantial", "", "Seizures up", 2
        ),
        ScoreRow(
            "Drugs", "County lines", "Capacity", "Limited", "Devon and Cornwall Police", "", 3
        ),
    ]


def test_score_sheet_with_an_empty_level_names_row_and_column():
    problems = refused(parse_score_sheet, table(HEADER + "Drugs,County lines,Capacity,,,\n"))
    assert "empty" in at(problems, 2, "level").message


def test_a_partly_filled_sheet_may_skip_rows_without_a_level():
    data = table(HEADER + "Drugs,County lines,Capacity,,,\nDrugs,County lines,Cost,Weak,,\n")
    assert [r.factor for r in parse_score_sheet(data, skip_blank_levels=True)] == ["Cost"]


def test_score_sheet_with_duplicate_scores_by_one_organisation_names_both_rows():
    data = table(
        HEADER + "Drugs,County lines,Capacity,Weak,Police,\n"
        "Drugs,County lines,Capacity,Strong,Council,\n"
        "Drugs,County lines,Capacity,Limited,police,\n"
    )
    assert "already in row 2" in at(refused(parse_score_sheet, data), 4, "factor").message


def test_score_sheet_with_an_overlong_comment_is_refused():
    data = table(HEADER + f"Drugs,County lines,Capacity,Weak,,{'x' * 2001}\n")
    assert "at most 2,000" in at(refused(parse_score_sheet, data), 2, "comment").message


def test_score_sheet_with_missing_columns_is_refused():
    problems = refused(parse_score_sheet, table("theme,risk,level\nA,B,C\n"))
    assert [(p.row, p.column) for p in problems] == [(1, "factor")]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\n"])
def test_a_neutralised_cell_is_read_as_the_text_it_was_before_its_spaces_are_folded(start):
    cells = [f"'{start}Drugs", f"'{start}County lines", "Capacity", f"'{start}Weak", ""]
    (row,) = parse_score_sheet(table(sheet_text([[*cells, f"'{start}Noted"]])))
    kept = "" if start.isspace() else start  # a leading tab, CR or LF is space, folded away
    read = (row.theme, row.risk, row.level, row.comment)
    assert read == (kept + "Drugs", kept + "County lines", kept + "Weak", kept + "Noted")

"""Offline scoring sheets: `theme,risk,factor,level,organisation,comment` (structure only)."""

from assessments.imports.scores import ScoreRow, parse_score_sheet

from .helpers import at, refused, table

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

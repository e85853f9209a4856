"""Checking a table's header: every expected column found once, and nothing unexplained."""

from assessments.imports.parse import require_columns
from assessments.imports.parse.columns import table_rows

from ..helpers import at, refused, table


def test_require_columns_gives_the_index_of_each_expected_column():
    result = table("count,Period,extra_note\n1,2019/20,x\n")
    columns = require_columns(result, ["period", "count"], ["msg"], allow_extra=True)
    assert columns == {"count": 0, "period": 1}


def test_require_columns_reports_missing_and_unknown_columns_together():
    result = table("period,cnt,count\n2019/20,1,2\n")
    problems = refused(require_columns, result, ["period", "category", "count"])
    assert "missing" in at(problems, 1, "category").message
    assert "unknown column" in at(problems, 1, "cnt").message


def test_require_columns_suggests_the_column_a_typo_meant():
    problems = refused(require_columns, table("period,categry\n1,2\n"), ["period", "category"])
    assert "did you mean 'category'" in at(problems, 1, "categry").message


def test_require_columns_reports_a_column_given_twice():
    problems = refused(require_columns, table("period,Period\n1,2\n"), ["period"])
    assert "2 times" in at(problems, 1, "period").message


def test_rows_report_values_past_the_header_or_under_a_blank_heading():
    result = table("period,,count\n2019/20,x,1,oops\n")
    problems = refused(lambda: list(table_rows(result, ["period", "count"])))
    assert "no heading" in at(problems, 2, "B").message
    assert "no heading (the header ends at column C)" in at(problems, 2, "D").message


def test_a_cell_past_the_header_is_refused_even_where_extra_columns_are_allowed():
    from assessments.imports.parse import parse_register

    result = table("theme,risk,notes\nViolence,Robbery,ok,,stray\n")
    problems = refused(parse_register, result, allow_extra_columns=True)
    assert "'stray' but its column has no heading" in at(problems, 2, "E").message


def test_a_cell_longer_than_excel_allows_is_refused_at_its_row_and_column_and_read_no_further():
    from assessments.imports.parse import parse_register

    result = table(
        f"theme,risk,description,notes\nViolence,Robbery,{'d' * 40_000},{'n' * 33_000}\n"
    )
    problems = refused(parse_register, result, allow_extra_columns=True)
    assert [(p.row, p.column, p.message) for p in problems] == [
        (
            2,
            "description",
            "the cell holds more than 32,767 characters, the most a cell may hold (as in Excel)",
        ),
        (
            2,
            "notes",
            "the cell holds more than 32,767 characters, the most a cell may hold (as in Excel)",
        ),
    ]

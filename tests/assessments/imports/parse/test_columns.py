"""Checking a table's header: every expected column found once, and nothing unexplained."""

from assessments.imports.parse import require_columns

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


def test_require_columns_reports_values_under_no_heading():
    result = table("period,count\n2019/20,1,oops\n")
    problems = refused(require_columns, result, ["period", "count"])
    assert "no heading" in at(problems, 2, "C").message

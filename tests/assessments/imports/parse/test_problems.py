"""Problems read like a spreadsheet user's instructions, and there are never too many."""

from assessments.imports.parse import MAX_PROBLEMS, ImportFailed, ImportProblem


def test_a_problem_names_its_row_and_column():
    problem = ImportProblem(4, "count", "'abc' is not a whole number")
    assert str(problem) == "row 4, column 'count': 'abc' is not a whole number"


def test_a_problem_about_the_whole_file_is_just_its_message():
    assert str(ImportProblem(None, None, "the file is empty")) == "the file is empty"


def test_a_problem_in_one_of_several_files_names_the_file_first():
    problem = ImportProblem(7, "Month", "bad", file="2019-04-street.csv")
    assert str(problem) == "2019-04-street.csv, row 7, column 'Month': bad"


def test_problems_are_frozen_and_comparable():
    assert ImportProblem(2, "a", "b") == ImportProblem(2, "a", "b")


def test_import_failed_lists_every_problem_under_the_file_name():
    failure = ImportFailed(
        [ImportProblem(2, "count", "one"), ImportProblem(3, "period", "two")], "summary.csv"
    )
    text = str(failure)
    assert text.startswith("summary.csv was not imported: 2 problems")
    assert "- row 2, column 'count': one" in text and "- row 3, column 'period': two" in text
    assert failure.filename == "summary.csv"


def test_import_failed_keeps_two_hundred_problems_and_counts_the_rest():
    problems = [ImportProblem(row, "count", "bad") for row in range(2, 1002)]
    failure = ImportFailed(problems, None)
    assert len(failure.problems) == MAX_PROBLEMS + 1
    assert failure.problems[-1].message == "…and 800 more problems"
    assert failure.total == 1000
    assert failure.filename is None

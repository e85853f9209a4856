"""Summary tables: `period,category,count,msg_rate_per_1000`."""

from decimal import Decimal

import pytest

from assessments.imports.parse import SummaryRow, parse_summary, read_table

from ..helpers import MB, PLYMOUTH, at, refused, table, xlsx_bytes

HEADER = "period,category,count,msg_rate_per_1000\n"


def summary(body: str) -> list[SummaryRow]:
    return parse_summary(table(HEADER + body, "summary.csv"))


def summary_problems(body: str, header: str = HEADER):
    return refused(parse_summary, table(header + body, "summary.csv"))


def test_the_plymouth_summary_parses_to_its_42_rows():
    path = PLYMOUTH / "crime-summary.csv"
    rows = parse_summary(read_table(path.read_bytes(), path.name, max_bytes=MB))
    assert len(rows) == 42
    all_crime = next(r for r in rows if (r.period, r.category) == ("2019/20", "All crime"))
    assert all_crime.count == 23024
    assert all_crime.msg_rate_per_1000 == Decimal("107.8")
    assert all_crime.row == 3
    assert rows[0] == SummaryRow("2018/19", "All crime", 23626, None, 2, rate_basis="residents")
    burglary = [r.rate_basis for r in rows if r.category == "Burglary residential"]
    assert burglary == ["households", "households"]


def test_the_same_summary_as_a_workbook_gives_the_same_rows():
    path = PLYMOUTH / "crime-summary.csv"
    from_csv = parse_summary(read_table(path.read_bytes(), path.name, max_bytes=MB))
    sheet = [["period", "category", "count", "msg_rate_per_1000", "msg_rank", "rate_basis"]] + [
        [
            r.period,
            r.category,
            r.count,
            float(r.msg_rate_per_1000) if r.msg_rate_per_1000 else None,
            f"{r.msg_rank} of {r.msg_group_size}" if r.msg_rank else None,
            "households" if r.rate_basis == "households" else None,
        ]
        for r in from_csv
    ]
    from_xlsx = parse_summary(read_table(xlsx_bytes(sheet), "summary.xlsx", max_bytes=MB))
    assert from_xlsx == from_csv


def test_summary_counts_may_use_thousands_separators():
    assert summary('2019/20,All crime,"23,024",107.8\n')[0].count == 23024


def test_summary_without_the_optional_rate_column_is_accepted():
    rows = parse_summary(table("period,category,count\n2019/20,Robbery,238\n"))
    assert rows == [SummaryRow("2019/20", "Robbery", 238, None, 2)]


def test_summary_with_text_count_names_row_and_column():
    problems = summary_problems("2019/20,Robbery,238,\n2019/20,Rape,abc,\n")
    assert at(problems, 3, "count").message == "'abc' is not a whole number"
    assert str(problems[0]) == "row 3, column 'count': 'abc' is not a whole number"


def test_summary_with_a_decimal_count_is_refused():
    assert "not a whole number" in at(summary_problems("2019/20,Rape,12.5,\n"), 2, "count").message


def test_summary_with_negative_count_is_refused():
    assert "negative" in at(summary_problems("2019/20,Robbery,-5,\n"), 2, "count").message


def test_summary_with_absurd_count_is_refused():
    problem = at(summary_problems("2019/20,Robbery,99999999,\n"), 2, "count")
    assert "too large" in problem.message


def test_summary_with_a_huge_number_of_digits_is_refused_without_crashing():
    problem = at(summary_problems(f"2019/20,Robbery,{'9' * 5000},\n"), 2, "count")
    assert "too large" in problem.message


def test_summary_with_empty_count_is_refused():
    assert "empty" in at(summary_problems("2019/20,Robbery,,\n"), 2, "count").message


@pytest.mark.parametrize("period", ["2019/21", "19/20", "2019/2020", "2019-20"])
def test_summary_with_bad_period_names_row_and_column(period):
    problem = at(summary_problems(f"{period},Robbery,238,\n"), 2, "period")
    assert repr(period) in problem.message


def test_summary_with_blank_category_is_refused():
    assert "empty" in at(summary_problems("2019/20, ,238,\n"), 2, "category").message


@pytest.mark.parametrize(
    ("rate", "words"),
    [
        ("-1.5", "negative"),
        ("100000", "too large"),
        ("abc", "not a number"),
        ("1e5", "not a number"),
    ],
)
def test_summary_with_bad_rate_is_refused(rate, words):
    problem = at(summary_problems(f"2019/20,Robbery,238,{rate}\n"), 2, "msg_rate_per_1000")
    assert words in problem.message


def test_summary_with_duplicate_period_and_category_names_both_rows():
    problems = summary_problems("2019/20,Robbery,238,\n2018/19,Robbery,205,\n2019/20,robbery,9,\n")
    problem = at(problems, 4, "category")
    assert "already in row 2" in problem.message
    assert len(problems) == 1


def test_summary_with_wrong_header_is_refused_naming_the_columns():
    problems = summary_problems("2019/20,Robbery,238\n", header="year,crime,number\n")
    for column in ("period", "category", "count"):
        assert "missing" in at(problems, 1, column).message
    assert "unknown column" in at(problems, 1, "year").message


def test_summary_with_missing_column_is_refused():
    problems = summary_problems("2019/20,Robbery\n", header="period,category\n")
    assert [(p.row, p.column) for p in problems] == [(1, "count")]


def test_summary_with_an_extra_column_is_refused_unless_extra_columns_are_allowed():
    data = table("period,category,count,note\n2019/20,Robbery,238,typed from the seed\n")
    assert "unknown column" in at(refused(parse_summary, data), 1, "note").message
    assert parse_summary(data, allow_extra_columns=True)[0].count == 238


def test_summary_reports_every_problem_of_every_row_at_once():
    problems = summary_problems("2019/21,,x,-1\n19/20,Rape,-3,\n")
    places = {(p.row, p.column) for p in problems}
    assert places == {
        (2, "period"),
        (2, "category"),
        (2, "count"),
        (2, "msg_rate_per_1000"),
        (3, "period"),
        (3, "count"),
    }


def test_the_position_in_the_most_similar_group_reads_as_a_number_or_n_of_m():
    rows = parse_summary(
        table(
            "period,category,count,msg_rank,msg_group_size\n"
            "2019/20,All crime,23024,2 of 15,\n2019/20,Robbery,238,3,15\n2019/20,Rape,395,,\n"
        )
    )
    assert [(r.msg_rank, r.msg_group_size) for r in rows] == [(2, 15), (3, 15), (None, None)]


def test_a_position_beyond_its_group_or_disagreeing_sizes_are_refused():
    problems = refused(
        parse_summary,
        table(
            "period,category,count,msg_rank,msg_group_size\n"
            "2019/20,All crime,1,16 of 15,\n2019/20,Robbery,1,2 of 15,14\n2019/20,Rape,1,x,\n"
        ),
    )
    assert "beyond the group" in at(problems, 2, "msg_rank").message
    assert "differs" in at(problems, 3, "msg_group_size").message
    assert "not a position" in at(problems, 4, "msg_rank").message


# --- rate basis: per 1,000 residents or households ------------------------------------------


def test_a_rate_basis_column_says_residents_or_households_and_blank_means_residents():
    rows = parse_summary(
        table(
            "period,category,count,msg_rate_per_1000,rate_basis\n"
            "2019/20,Burglary residential,649,13.2,households\n"
            "2019/20,Robbery,238,1.5,\n"
            "2019/20,Rape,395,1.3, Residents \n"
        )
    )
    assert [r.rate_basis for r in rows] == ["households", "residents", "residents"]


def test_without_a_rate_basis_column_the_basis_is_left_unsaid():
    assert summary("2019/20,Robbery,238,1.5\n")[0].rate_basis is None


def test_an_unknown_rate_basis_names_row_and_column():
    problems = summary_problems(
        "2019/20,Robbery,238,1.5,per household\n2019/20,Rape,395,1.3,people\n",
        header="period,category,count,msg_rate_per_1000,rate_basis\n",
    )
    assert "'per household' is not a rate basis" in at(problems, 2, "rate_basis").message
    assert "residents or households" in at(problems, 3, "rate_basis").message


def test_one_category_given_two_rate_bases_is_refused():
    problems = summary_problems(
        "2018/19,Burglary residential,667,,households\n2019/20,burglary residential,649,13.2,\n",
        header="period,category,count,msg_rate_per_1000,rate_basis\n",
    )
    message = at(problems, 3, "rate_basis").message
    assert "per 1,000 households in row 2" in message

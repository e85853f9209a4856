"""Population per area and period: `area,period,population[,households]`."""

from assessments.imports.parse import PopulationRow, parse_population, read_table

from ..helpers import MB, PLYMOUTH, at, refused, table, xlsx_bytes


def test_the_plymouth_population_parses_with_its_households():
    path = PLYMOUTH / "area.csv"
    rows = parse_population(read_table(path.read_bytes(), path.name, max_bytes=MB))
    assert rows == [PopulationRow("Plymouth", "2019/20", 262100, 2, 110000, True)]


def test_population_without_a_households_column_leaves_households_unsaid():
    rows = parse_population(table("area,period,population\nPlymouth,2019/20,262100\n"))
    assert (rows[0].households, rows[0].households_given) == (None, False)


def test_an_empty_households_cell_means_not_known():
    data = table('area,period,population,households\nA,2019/20,5000,\nB,2019/20,6000,"2,500"\n')
    rows = parse_population(data)
    assert [(r.households, r.households_given) for r in rows] == [(None, True), (2500, True)]


def test_households_in_a_workbook_parse_like_the_csv():
    sheet = [
        ["area", "period", "population", "households"],
        ["Plymouth", "2019/20", 262100, 110000],
    ]
    rows = parse_population(table(xlsx_bytes(sheet), "area.xlsx"))
    assert rows == [PopulationRow("Plymouth", "2019/20", 262100, 2, 110000, True)]


def test_households_that_are_not_whole_positive_numbers_name_row_and_column():
    data = table(
        "area,period,population,households\n"
        "A,2019/20,5000,many\nB,2019/20,5000,0\nC,2019/20,5000,-3\nD,2019/20,5000,2.5\n"
    )
    problems = refused(parse_population, data)
    assert "not a whole number" in at(problems, 2, "households").message
    assert "too small" in at(problems, 3, "households").message
    assert "negative" in at(problems, 4, "households").message
    assert "not a whole number" in at(problems, 5, "households").message


def test_more_households_than_residents_is_refused_as_swapped_columns():
    data = table("area,period,population,households\nPlymouth,2019/20,110000,262100\n")
    problem = at(refused(parse_population, data), 2, "households")
    assert "262,100 households is more than the 110,000 residents" in problem.message


def test_population_with_text_names_row_and_column():
    problems = refused(parse_population, table("area,period,population\nPlymouth,2019/20,lots\n"))
    assert "not a whole number" in at(problems, 2, "population").message


def test_population_of_zero_or_absurd_size_is_refused():
    data = table("area,period,population\nA,2019/20,0\nB,2019/20,200000000\nC,2019/20,-4\n")
    problems = refused(parse_population, data)
    assert "too small" in at(problems, 2, "population").message
    assert "too large" in at(problems, 3, "population").message
    assert "negative" in at(problems, 4, "population").message


def test_population_with_bad_period_is_refused():
    problems = refused(parse_population, table("area,period,population\nA,2019/21,5\n"))
    assert "consecutive" in at(problems, 2, "period").message


def test_population_with_duplicate_area_and_period_names_both_rows():
    data = table("area,period,population\nPlymouth,2019/20,1\nplymouth ,2019/20,2\n")
    assert "already in row 2" in at(refused(parse_population, data), 3, "area").message


def test_population_with_wrong_header_is_refused():
    problems = refused(parse_population, table("place,year,people\nA,2019/20,5\n"))
    missing = {p.column for p in problems if "missing" in p.message}
    assert missing == {"area", "period", "population"}

"""Population per area and period: `area,period,population`."""

from assessments.imports import PopulationRow, parse_population, read_table

from .helpers import MB, PLYMOUTH, at, refused, table


def test_the_plymouth_population_parses():
    path = PLYMOUTH / "area.csv"
    rows = parse_population(read_table(path.read_bytes(), path.name, max_bytes=MB))
    assert rows == [PopulationRow("Plymouth", "2019/20", 262100, 2)]


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

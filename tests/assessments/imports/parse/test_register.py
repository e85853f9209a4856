"""The risk register: `theme,risk[,description,categories]`."""

from assessments.imports.parse import RegisterRow, parse_register, read_table

from ..helpers import MB, PLYMOUTH, at, refused, table


def test_register_rows_split_categories_on_semicolons_or_bars():
    data = table(
        "theme,risk,description,categories\n"
        "Acquisitive crime,Burglary,Homes and businesses,Burglary residential; "
        "Burglary business and community | burglary residential\n"
        "Acquisitive crime,Robbery,,\n"
    )
    assert parse_register(data) == [
        RegisterRow(
            "Acquisitive crime",
            "Burglary",
            "Homes and businesses",
            ("Burglary residential", "Burglary business and community"),
            2,
        ),
        RegisterRow("Acquisitive crime", "Robbery", "", (), 3),
    ]


def test_the_plymouth_register_parses_when_its_extra_columns_are_allowed():
    path = PLYMOUTH / "plymouth-2019-20-risk-register.csv"
    data = read_table(path.read_bytes(), path.name, max_bytes=MB)
    rows = parse_register(data, allow_extra_columns=True)
    assert len(rows) == 30
    assert rows[22].risk == "Violence, with or without injury"
    problems = refused(parse_register, data)
    assert {p.column for p in problems} == {"published_rating", "note"}


def test_register_with_duplicate_theme_and_risk_names_both_rows():
    data = table("theme,risk\nDrugs,Possession\nDrugs,possession\n")
    assert "already in row 2" in at(refused(parse_register, data), 3, "risk").message


def test_the_same_risk_in_two_themes_is_refused_as_a_risk_name_is_unique_in_an_assessment():
    # The database allows one risk of a name per assessment: two would fail on writing.
    problems = refused(parse_register, table("theme,risk\nA,Homicide\nB,homicide\n"))
    assert "already in row 2" in at(problems, 3, "risk").message


def test_register_with_a_blank_risk_or_an_overlong_name_is_refused():
    data = table(f"theme,risk\nDrugs,\n{'x' * 201},Homicide\n")
    problems = refused(parse_register, data)
    assert "empty" in at(problems, 2, "risk").message
    assert "at most 200" in at(problems, 3, "theme").message


def test_register_with_wrong_header_is_refused():
    problems = refused(parse_register, table("Theme name,Risk name\nA,B\n"))
    assert {p.column for p in problems if "missing" in p.message} == {"theme", "risk"}

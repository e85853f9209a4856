"""People to invite: `name,email,organisation,role`."""

from assessments.imports.parse import PersonRow, parse_people

from ..helpers import at, refused, table, xlsx_bytes

ROLES = {"admin": "Admin", "analyst": "Analyst", "partner": "Partner", "board": "Board member"}


def test_people_rows_read_roles_by_value_or_label_in_any_case():
    data = table(
        "name,email,organisation,role\n"
        "Ann Analyst, ann@torbay.example ,Torbay Council,analyst\n"
        "Bo Board,bo@torbay.example,,BOARD MEMBER\n"
    )
    assert parse_people(data, roles=ROLES) == [
        PersonRow("Ann Analyst", "ann@torbay.example", "Torbay Council", "analyst", 2),
        PersonRow("Bo Board", "bo@torbay.example", "", "board", 3),
    ]


def test_each_bad_cell_is_named_by_row_and_column():
    data = table(
        "name,email,organisation,role\n"
        ",not-an-address,Police,captain\n"
        "Pat,pat@torbay.example,Police,partner\n"
        "Pat again,PAT@torbay.example,Police,partner\n"
    )
    problems = refused(parse_people, data, roles=ROLES)
    assert "empty" in at(problems, 2, "name").message
    assert "not an email address" in at(problems, 2, "email").message
    assert "'captain' is not a role" in at(problems, 2, "role").message
    assert "already in row 3" in at(problems, 4, "email").message


def test_a_people_file_without_a_column_is_refused_naming_it():
    problems = refused(
        parse_people, table("name,email,role\nAnn,ann@x.example,analyst\n"), roles=ROLES
    )
    assert "missing" in at(problems, 1, "organisation").message


def test_a_people_workbook_reads_like_its_csv():
    data = table(
        xlsx_bytes(
            [["name", "email", "organisation", "role"], ["Ann", "ann@x.example", "", "Admin"]]
        ),
        "people.xlsx",
    )
    assert parse_people(data, roles=ROLES) == [PersonRow("Ann", "ann@x.example", "", "admin", 2)]


def test_a_people_file_longer_than_the_limit_is_refused_at_the_first_row_too_many():
    rows = "".join(f"P{n},p{n}@x.example,,analyst\n" for n in range(4))
    problems = refused(
        parse_people, table("name,email,organisation,role\n" + rows), roles=ROLES, max_rows=3
    )
    assert "more than 3 rows" in at(problems, 5, None).message

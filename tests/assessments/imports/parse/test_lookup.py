"""The LSOA look-up: `lsoa_code,neighbourhood`."""

from assessments.imports.parse import LookupRow, parse_lookup

from ..helpers import at, refused, table


def test_lookup_rows_are_parsed_with_codes_in_capitals():
    rows = parse_lookup(table("LSOA code,Neighbourhood\ne01018936,City Centre\nW01000001,Wales\n"))
    assert rows == [LookupRow("E01018936", "City Centre", 2), LookupRow("W01000001", "Wales", 3)]


def test_lookup_with_a_malformed_code_names_row_and_column():
    problems = refused(parse_lookup, table("lsoa_code,neighbourhood\nE0101893,Mutley\n"))
    assert "not an LSOA code" in at(problems, 2, "lsoa_code").message


def test_lookup_with_an_empty_neighbourhood_is_refused():
    problems = refused(parse_lookup, table("lsoa_code,neighbourhood\nE01018936,\n"))
    assert "empty" in at(problems, 2, "neighbourhood").message


def test_lookup_with_a_duplicate_code_names_both_rows():
    data = table("lsoa_code,neighbourhood\nE01018936,A\nE01018937,B\nE01018936,C\n")
    assert "already in row 2" in at(refused(parse_lookup, data), 4, "lsoa_code").message


def test_lookup_with_missing_column_is_refused():
    problems = refused(parse_lookup, table("lsoa_code\nE01018936\n"))
    assert "missing" in at(problems, 1, "neighbourhood").message

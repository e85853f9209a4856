"""Reading uploads: CSV or XLSX by content and name, and refusing what cannot be read."""

import io
import random
import time
import zipfile

import pytest

from assessments.imports.parse import read_table

from ..helpers import (
    MB,
    at,
    every_row,
    excel_workbook,
    refused,
    table,
    with_declared_size,
    xlsx_bytes,
    zip_bytes,
)


def test_a_csv_gives_its_header_and_rows_numbered_as_a_spreadsheet_shows_them():
    result = table("Period, Category ,COUNT\n2019/20,Robbery,238\n\n2018/19,Robbery,205\n")
    assert result.header == ["period", "category", "count"]
    assert result.raw_header == ["Period", "Category", "COUNT"]
    assert every_row(result) == [
        (2, ["2019/20", "Robbery", "238"]),
        (4, ["2018/19", "Robbery", "205"]),
    ]


def test_header_names_are_matched_ignoring_case_and_spacing():
    assert table("Msg rate  per 1000\n1\n").header == ["msg_rate_per_1000"]


def test_crlf_and_a_byte_order_mark_are_read_like_plain_lf():
    plain = table("period,count\n2019/20,1\n")
    windows = table(b"\xef\xbb\xbfperiod,count\r\n2019/20,1\r\n")
    assert (windows.header, every_row(windows)) == (plain.header, every_row(plain))


def test_windows_1252_text_is_read_when_it_is_not_utf8():
    result = table("area,population\nCaf\xe9 \xa3,5\n".encode("cp1252"))
    assert every_row(result)[0][1] == ["Café £", "5"]


def test_a_quoted_cell_may_hold_commas_and_line_breaks():
    result = table('theme,risk\n"Violence, with or without injury","one\ntwo"\n2,3\n')
    assert every_row(result) == [
        (2, ["Violence, with or without injury", "one\ntwo"]),
        (3, ["2", "3"]),
    ]


def test_a_workbook_is_read_from_its_first_sheet_with_numbers_as_text():
    data = xlsx_bytes([["period", "count", "rate"], ["2019/20", 23024, 107.8], [None, None]])
    result = read_table(data, "summary.xlsx", max_bytes=MB)
    assert result.header == ["period", "count", "rate"]
    assert every_row(result) == [(2, ["2019/20", "23024", "107.8"])]


def test_a_workbook_is_recognised_by_content_whatever_its_name():
    data = xlsx_bytes([["period"], ["2019/20"]])
    assert every_row(read_table(data, "summary.csv", max_bytes=MB)) == [(2, ["2019/20"])]


def test_an_empty_file_is_refused():
    assert "empty" in refused(table, "")[0].message


def test_a_file_of_blank_lines_is_refused_as_having_no_header():
    assert "no header row" in refused(table, "\n\n ,\n")[0].message


def test_a_header_without_data_rows_is_refused():
    problem = refused(table, "period,category,count\n\n")[0]
    assert "no data rows" in problem.message and problem.row == 1


def test_a_file_over_the_limit_is_refused_saying_the_limit_in_mb():
    data = b"period,count\n" + b"2019/20,1\n" * 200_000
    problem = refused(read_table, io.BytesIO(data), "big.csv", max_bytes=MB)[0]
    assert "larger than the 1 MB limit" in problem.message


def test_random_binary_junk_is_refused_as_binary():
    junk = bytes(random.Random(1).randrange(256) for _ in range(5000)) + b"\x00"
    assert "binary data" in refused(table, junk, "junk.csv")[0].message


def test_text_with_control_characters_is_refused_as_binary():
    assert "binary data" in refused(table, b"period\x01,count\n1,2\n")[0].message


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_refused():
    assert "not text" in refused(table, b"period,count\n\x81\x8d,1\n")[0].message


def test_a_utf16_file_is_refused_with_advice():
    data = "period,count\n2019/20,1\n".encode("utf-16")
    assert "UTF-16" in refused(table, data)[0].message


def test_a_text_file_renamed_xlsx_is_refused_as_not_a_workbook():
    problem = refused(table, "period,count\n2019/20,1\n", "summary.xlsx")[0]
    assert "summary.xlsx is not a valid Excel workbook" in problem.message


def test_a_zip_that_is_not_a_workbook_is_refused_as_not_a_workbook():
    data = zip_bytes({"notes.txt": b"hello"})
    problem = refused(table, data, "summary.xlsx")[0]
    assert "is not a valid Excel workbook" in problem.message


def test_a_corrupt_workbook_is_refused_as_not_a_workbook():
    data = zip_bytes({"[Content_Types].xml": b"<nonsense", "xl/workbook.xml": b"<nonsense"})
    assert "not a valid Excel workbook" in refused(table, data, "summary.xlsx")[0].message


def test_an_old_xls_file_is_refused_with_advice():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)
    assert ".xlsx" in refused(table, data, "summary.xls")[0].message


def test_a_workbook_zip_bomb_is_refused_before_it_is_opened(workbook_bomb):
    assert len(workbook_bomb) < MB
    started = time.perf_counter()
    problems = refused(read_table, workbook_bomb, "bomb.xlsx", max_bytes=10 * MB)
    assert time.perf_counter() - started < 1
    assert any("zip bomb" in problem.message for problem in problems)


def test_an_endless_quoted_field_is_refused_fast_naming_row_and_column():
    data = b'period,category,count\n2019/20,Robbery,238\n2019/20,"' + b"x" * (5 * MB)
    started = time.perf_counter()
    problems = refused(lambda: every_row(read_table(data, "endless.csv", max_bytes=10 * MB)))
    assert time.perf_counter() - started < 2
    problem = at(problems, 3, "category")
    assert "unclosed" in problem.message


def test_an_endless_line_without_quotes_is_refused():
    data = b"period,category\n2019/20," + b"x" * (3 * MB)
    problem = refused(read_table, data, "endless.csv", max_bytes=10 * MB)[0]
    assert problem.row == 2 and "longer than 1 MB" in problem.message


def test_a_quote_left_open_at_the_end_of_the_file_is_refused():
    problem = refused(table, 'period,category\n2019/20,"Robbery\n')[0]
    assert problem.row == 2 and "unclosed" in problem.message


def test_a_workbook_with_zip_members_over_the_total_limit_is_refused(monkeypatch):
    from assessments.imports.parse import workbooks

    monkeypatch.setattr(workbooks, "MAX_WORKBOOK_UNCOMPRESSED", 1000)
    data = xlsx_bytes([["period"], ["2019/20"]])
    assert "limit" in refused(read_table, data, "big.xlsx", max_bytes=MB)[0].message


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"])
def test_a_workbook_whose_part_fails_its_crc_check_is_refused_as_damaged(part):
    cells = '<c r="A{0}" t="s"><v>{1}</v></c><c r="B{0}" t="s"><v>{2}</v></c>'
    sheet = f'<row r="1">{cells.format(1, 0, 1)}</row><row r="2">{cells.format(2, 2, 3)}</row>'
    data = excel_workbook(sheet, ["period", "category", "2019/20", "Robbery"])
    size = zipfile.ZipFile(io.BytesIO(data)).getinfo(part).file_size
    damaged = with_declared_size(data, part, size - 5)
    problem = refused(lambda: every_row(read_table(damaged, "summary.xlsx", max_bytes=MB)))[0]
    assert "summary.xlsx is not a valid Excel workbook (its ZIP archive is damaged" in (
        problem.message
    )


# --- rows as a stream, as wide as the header, within every limit ---------------------------


def test_a_problem_deep_in_the_file_surfaces_as_its_rows_are_read():
    data = b'period,count\n2019/20,1\n2019/20,2\n2019/20,"3\n'
    result = read_table(data, "summary.csv", max_bytes=MB)  # the header and the first row
    rows = iter(result.rows)
    assert next(rows).cells == ["2019/20", "1"]
    assert next(rows).cells == ["2019/20", "2"]
    assert "unclosed" in at(refused(next, rows), 4, "count").message


def test_a_tables_rows_are_read_once_and_counted_once_all_are_read():
    result = table("period,count\n2019/20,1\n2018/19,2\n")
    with pytest.raises(TypeError, match="once they have all been read"):
        len(result.rows)
    assert len(list(result.rows)) == 2 and len(result.rows) == 2
    with pytest.raises(RuntimeError, match="read once"):
        list(result.rows)


def test_a_header_over_the_column_limit_is_refused_at_its_first_column_too_many():
    header = ",".join(f"c{index}" for index in range(1_001))
    problem = at(refused(table, f"{header}\n1\n"), 1, "ALM")
    assert (
        problem.message == "the header has more than 1,000 columns; a table may have at most 1,000"
    )


def test_a_workbook_header_over_the_column_limit_is_refused_likewise():
    data = xlsx_bytes([[f"c{index}" for index in range(1_001)], [1]])
    problem = at(refused(read_table, data, "wide.xlsx", max_bytes=MB), 1, "ALM")
    assert "more than 1,000 columns" in problem.message


def test_a_header_of_a_million_columns_is_refused_without_splitting_it_into_cells():
    header = ",".join(f"c{index:07d}" for index in range(1_000_000)).encode()
    started = time.perf_counter()
    problem = at(refused(read_table, header + b"\n1\n", "wide.csv", max_bytes=20 * MB), 1, "ALM")
    assert time.perf_counter() - started < 5
    assert "more than 1,000 columns" in problem.message


def test_a_row_longer_than_the_row_limit_is_refused_before_it_is_split_into_cells():
    data = b"period,category,count\n2019/20,Robbery,1\n" + b"12," * 2_000_000 + b"\n"
    started = time.perf_counter()
    problems = refused(lambda: every_row(read_table(data, "wide.csv", max_bytes=10 * MB)))
    assert time.perf_counter() - started < 5
    assert at(problems, 3, "D").message == "the row has more than 3 cells (and more than 4 MB)"


def test_more_rows_than_a_table_may_have_are_refused_at_the_first_row_too_many():
    data = b"lsoa_code,neighbourhood\n" + b"E01000001,Centre\n" * 100_001
    problem = refused(lambda: every_row(read_table(data, "lookup.csv", max_bytes=10 * MB)))[0]
    assert problem.row == 100_002
    assert problem.message == (
        "the file has more than 100,000 rows of data; a table may have at most 100,000"
    )

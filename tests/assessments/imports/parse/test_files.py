"""Reading uploads: CSV or XLSX by content and name, and refusing what cannot be read."""

import io
import random
import time

from assessments.imports.parse import read_table

from ..helpers import MB, at, refused, table, xlsx_bytes, zip_bytes


def test_a_csv_gives_its_header_and_rows_numbered_as_a_spreadsheet_shows_them():
    result = table("Period, Category ,COUNT\n2019/20,Robbery,238\n\n2018/19,Robbery,205\n")
    assert result.header == ["period", "category", "count"]
    assert result.raw_header == ["Period", "Category", "COUNT"]
    assert result.rows == [(2, ["2019/20", "Robbery", "238"]), (4, ["2018/19", "Robbery", "205"])]


def test_header_names_are_matched_ignoring_case_and_spacing():
    assert table("Msg rate  per 1000\n1\n").header == ["msg_rate_per_1000"]


def test_crlf_and_a_byte_order_mark_are_read_like_plain_lf():
    plain = table("period,count\n2019/20,1\n")
    windows = table(b"\xef\xbb\xbfperiod,count\r\n2019/20,1\r\n")
    assert (windows.header, windows.rows) == (plain.header, plain.rows)


def test_windows_1252_text_is_read_when_it_is_not_utf8():
    result = table("area,population\nCaf\xe9 \xa3,5\n".encode("cp1252"))
    assert result.rows[0][1] == ["Café £", "5"]


def test_a_quoted_cell_may_hold_commas_and_line_breaks():
    result = table('theme,risk\n"Violence, with or without injury","one\ntwo"\n2,3\n')
    assert result.rows == [(2, ["Violence, with or without injury", "one\ntwo"]), (3, ["2", "3"])]


def test_a_workbook_is_read_from_its_first_sheet_with_numbers_as_text():
    data = xlsx_bytes([["period", "count", "rate"], ["2019/20", 23024, 107.8], [None, None]])
    result = read_table(data, "summary.xlsx", max_bytes=MB)
    assert result.header == ["period", "count", "rate"]
    assert result.rows == [(2, ["2019/20", "23024", "107.8"])]


def test_a_workbook_is_recognised_by_content_whatever_its_name():
    data = xlsx_bytes([["period"], ["2019/20"]])
    assert read_table(data, "summary.csv", max_bytes=MB).rows == [(2, ["2019/20"])]


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
    problems = refused(read_table, data, "endless.csv", max_bytes=10 * MB)
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
    from assessments.imports.parse import files

    monkeypatch.setattr(files, "MAX_WORKBOOK_UNCOMPRESSED", 1000)
    data = xlsx_bytes([["period"], ["2019/20"]])
    assert "limit" in refused(read_table, data, "big.xlsx", max_bytes=MB)[0].message

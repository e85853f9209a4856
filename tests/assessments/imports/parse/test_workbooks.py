"""Reading a workbook's first sheet as a stream: the values openpyxl would read, no padding,
nothing kept past the header's width, and every part's size checked before it is read."""

import base64
import io
import random
import zipfile

import openpyxl
import pytest

from assessments.imports.parse import read_table
from assessments.imports.parse.rows import Width
from assessments.imports.parse.workbooks import Workbook, cell_text

from ..helpers import MB, at, every_row, excel_workbook, refused, with_declared_size, xlsx_bytes

# Styles: 0 General, 1 a date (14), 2 a date and time (22), 3 a time (21), 4 a duration
# ([h]:mm:ss, 46), 5 a custom date format, 6 a percentage.
CELL_FORMATS = (
    '<xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="22"/><xf numFmtId="21"/>'
    '<xf numFmtId="46"/><xf numFmtId="164"/><xf numFmtId="9"/>'
)
NUMBER_FORMATS = '<numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
STRINGS = ["period", "Robbery", "  spaced  ", "Café £", "line\nbreak"]
SHEET = (
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
    '<c r="C1" t="s"><v>2</v></c><c r="E1" t="s"><v>3</v></c></row>'
    '<row r="3"><c r="A3"><v>23024</v></c><c r="B3"><v>107.8</v></c><c r="C3"><v>1e3</v></c>'
    '<c r="D3" t="b"><v>1</v></c><c r="E3" t="e"><v>#N/A</v></c>'
    '<c r="F3" t="str"><f>A3&amp;"x"</f><v>23024x</v></c><c r="G3" t="s"><v>4</v></c></row>'
    '<row r="4"><c r="A4" s="1"><v>43556</v></c><c r="B4" s="2"><v>43556.5</v></c>'
    '<c r="C4" s="3"><v>0.25</v></c><c r="D4" s="4"><v>1.5</v></c>'
    '<c r="E4" s="5"><v>43921</v></c><c r="F4" s="6"><v>0.125</v></c></row>'
    '<row r="5"><c r="A5" t="inlineStr"><is><r><t>rich </t></r><r><t>text</t></r>'
    '<rPh sb="0" eb="4"><t>phonetic</t></rPh></is></c><c r="B5"/><c r="C5" t="s"/></row>'
    "<row><c><v>1</v></c><c><v>2</v></c></row>"
)


def openpyxl_rows(data: bytes) -> list[tuple[int, list[str]]]:
    """What openpyxl reads (read-only, cached values), as text without trailing blanks."""
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    found = []
    for number, values in enumerate(workbook.worksheets[0].values, start=1):
        cells = [cell_text(value) for value in values]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            found.append((number, cells))
    workbook.close()
    return found


def streamed(data: bytes, width: int = 1000) -> list[tuple[int, list[str]]]:
    workbook = Workbook(io.BytesIO(data), "book.xlsx")
    return [(row.number, row.cells) for row in workbook.rows(Width(width))]


@pytest.mark.parametrize("date1904", [False, True])
def test_every_kind_of_cell_reads_as_openpyxl_reads_it(date1904):
    data = excel_workbook(
        SHEET,
        STRINGS,
        number_formats=NUMBER_FORMATS,
        cell_formats=CELL_FORMATS,
        date1904=date1904,
    )
    assert streamed(data) == openpyxl_rows(data)
    assert streamed(data)[2][1][:3] == (
        ["2023-04-02", "2023-04-02 12:00:00", "06:00:00"]
        if date1904
        else ["2019-04-01", "2019-04-01 12:00:00", "06:00:00"]
    )


def test_openpyxls_own_workbooks_read_as_openpyxl_reads_them():
    data = xlsx_bytes([["period", "count"], ["2019/20", 5, None, 1.5], [None], [True, "x"]])
    assert streamed(data) == openpyxl_rows(data)


def test_a_row_with_one_cell_at_column_zzz_is_not_padded_out_to_it():
    workbook = openpyxl.Workbook()
    workbook.active.append(["theme", "risk"])
    workbook.active.cell(row=2, column=18_278, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = list(Workbook(io.BytesIO(buffer.getvalue()), "book.xlsx").rows(Width(2)))
    assert [(row.number, row.cells, row.beyond) for row in rows] == [
        (1, ["theme", "risk"], None),
        (2, [], (18_277, "x")),
    ]


def test_a_table_keeps_no_cell_past_its_header():
    data = xlsx_bytes([["theme", "risk"], ["Violence", "Robbery", None, "note"]])
    assert every_row(read_table(data, "register.xlsx", max_bytes=MB)) == [
        (2, ["Violence", "Robbery"])
    ]


def test_the_first_worksheet_is_read_even_after_a_chart_sheet():
    data = excel_workbook('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', ["period"])
    archive = zipfile.ZipFile(io.BytesIO(data))
    parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b'<sheet name="Data"', b'<sheet name="Chart" sheetId="2" r:id="rId9"/><sheet name="Data"'
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/chartsheet" Target="chartsheets/sheet1.xml"/></Relationships>',
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as rebuilt:
        for name, content in parts.items():
            rebuilt.writestr(name, content)
    assert streamed(buffer.getvalue()) == [(1, ["period"])]


def test_a_row_numbered_past_excels_last_row_is_refused_as_malformed():
    data = excel_workbook('<row r="1048577"><c r="A1048577"><v>1</v></c></row>')
    problem = refused(lambda: streamed(data))[0]
    assert "numbers a row beyond 1,048,576" in problem.message


def test_a_worksheet_declaring_more_than_a_part_may_hold_is_refused_before_it_is_read():
    """Under the ratio check (about 40 times) and the total, but over the part limit."""
    noise = base64.b64encode(random.Random(15).randbytes(1_200_000)).decode()
    data = excel_workbook(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{noise}</t></is></c></row>')
    sheet = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    declared = 51 * MB
    assert declared / sheet.compress_size < 200
    problems = refused(
        read_table,
        with_declared_size(data, "xl/worksheets/sheet1.xml", declared),
        "big.xlsx",
        max_bytes=10 * MB,
    )
    assert [p.message for p in problems] == [
        "'xl/worksheets/sheet1.xml' would expand to 51 MB, more than the 50 MB a part of a "
        "workbook may hold"
    ]


def test_shared_strings_over_their_part_limit_are_refused_however_well_they_compress(
    monkeypatch,
):
    from assessments.imports.parse import workbooks

    monkeypatch.setattr(workbooks, "MAX_OTHER_PART", 100_000)
    data = excel_workbook('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', ["x" * 200_000])
    problem = refused(read_table, data, "book.xlsx", max_bytes=MB)[0]
    assert "'xl/sharedStrings.xml' would expand to 195 KB" in problem.message
    assert "more than the 98 KB (0.10 MB) a part of a workbook may hold" in problem.message


def test_a_workbook_cell_longer_than_excel_allows_is_refused_at_its_row_and_column():
    from assessments.imports.parse import parse_register

    cell = '<c r="{}" t="inlineStr"><is><t>{}</t></is></c>'.format
    header = cell("A1", "theme") + cell("B1", "risk") + cell("C1", "description")
    row = cell("A2", "Violence") + cell("B2", "Robbery") + cell("C2", "d" * 40_000)
    data = excel_workbook(f'<row r="1">{header}</row><row r="2">{row}</row>')  # openpyxl cuts
    problems = refused(parse_register, read_table(data, "register.xlsx", max_bytes=MB))
    assert "more than 32,767 characters" in at(problems, 2, "description").message


def test_a_workbook_of_more_elements_than_the_reading_may_take_is_refused(monkeypatch):
    from assessments.imports.parse import workbooks

    monkeypatch.setattr(workbooks, "MAX_XML_ELEMENTS", 50)
    sheet = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 40))
    problem = refused(lambda: every_row(read_table(excel_workbook(sheet), "x.xlsx", max_bytes=MB)))
    assert "hold more than 50 cells and other items" in problem[0].message

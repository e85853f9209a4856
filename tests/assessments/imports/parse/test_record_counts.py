"""Record-level files with a column mapping: counted by category, month, area and flag."""

import csv
import io
import time
from collections import Counter

import pytest

from assessments.imports.parse import ColumnMapping, ImportFailed, aggregate_records, record_counts

from ..helpers import MB, at, refused, xlsx_bytes

MAPPING = ColumnMapping(
    month="Date", category="Offence", area="Ward", flags=("Alcohol", "Domestic")
)
HEADER = "Ref,Date,Offence,Ward,Alcohol,Domestic\n"


def aggregate(text: str | bytes, name: str = "records.csv", mapping=MAPPING, **options):
    data = text.encode("utf-8") if isinstance(text, str) else text
    options.setdefault("max_bytes", 100 * MB)
    return aggregate_records([(name, io.BytesIO(data))], mapping, **options)


def problems_of(text: str | bytes, mapping=MAPPING, **options):
    return refused(aggregate, text, mapping=mapping, **options)


def test_records_are_counted_by_category_month_area_and_flag():
    result = aggregate(
        HEADER + "1,17/04/2019,Burglary,Stoke,y,\n"
        "2,2019-04-30,Burglary,Stoke,,Yes\n"
        "3,2019-05,Burglary,Stoke,X,TRUE\n"
        "4,01/05/2019,Robbery,,no,0\n"
    )
    assert result.counts == {
        ("Burglary", "2019-04", "Stoke", ""): 2,
        ("Burglary", "2019-04", "Stoke", "Alcohol"): 1,
        ("Burglary", "2019-04", "Stoke", "Domestic"): 1,
        ("Burglary", "2019-05", "Stoke", ""): 1,
        ("Burglary", "2019-05", "Stoke", "Alcohol"): 1,
        ("Burglary", "2019-05", "Stoke", "Domestic"): 1,
        ("Robbery", "2019-05", "", ""): 1,
    }
    assert result.rows == 4 and result.files == ["records.csv"]
    assert result.total() == 4 and result.total("Alcohol") == 2


def test_identical_rows_are_separate_incidents_and_all_counted():
    row = "1,2019-04,Anti-social behaviour,Stoke,,\n"
    counts = aggregate(HEADER + row * 3).counts
    assert counts == {("Anti-social behaviour", "2019-04", "Stoke", ""): 3}


def test_a_mapping_without_area_counts_under_an_empty_area():
    mapping = ColumnMapping(month="date", category="offence")
    result = aggregate(HEADER + "1,2019-04,Burglary,Stoke,,\n", mapping=mapping)
    assert result.counts == {("Burglary", "2019-04", "", ""): 1}


def test_records_with_bad_month_name_row_and_column():
    problems = problems_of(HEADER + "1,2019-04,Burglary,Stoke,,\n2,2019-13,Burglary,Stoke,,\n")
    problem = at(problems, 3, "Date")
    assert "'2019-13' is not a month" in problem.message
    assert problem.file == "records.csv"


def test_a_bad_value_on_many_rows_lists_a_few_rows_and_counts_the_rest():
    problems = problems_of(HEADER + "1,2019-13,Burglary,Stoke,,\n" * 50)
    assert [p.row for p in problems if p.row] == [2, 3, 4, 5, 6]
    assert problems[-1].message == "…and 45 more rows with '2019-13'"


def test_records_with_an_empty_category_are_refused():
    problems = problems_of(HEADER + "1,2019-04, ,Stoke,,\n")
    assert "empty" in at(problems, 2, "Offence").message


def test_records_with_a_flag_that_is_not_yes_or_no_are_refused():
    problems = problems_of(HEADER + "1,2019-04,Burglary,Stoke,maybe,\n")
    assert "yes/no" in at(problems, 2, "Alcohol").message


def test_records_with_a_ragged_row_name_the_row():
    problems = problems_of(HEADER + "1,2019-04,Burglary,Stoke,,\n2,2019-04,Burglary\n")
    assert "3 cells but the header has 6" in at(problems, 3, None).message


def test_records_with_an_extra_comma_in_an_unquoted_cell_are_refused_not_shifted():
    problems = problems_of(HEADER + "1,2019-04,Burglary,Stoke, Devonport,,\n")
    assert "7 cells" in at(problems, 2, None).message


def test_records_missing_a_mapped_column_are_refused_naming_it():
    problems = problems_of("Ref,Date,Crime,Ward,Alcohol,Domestic\n1,2019-04,Burglary,Stoke,,\n")
    assert "'Offence' is missing" in at(problems, 1, "Offence").message


def test_every_problem_of_every_file_is_reported_together():
    good = HEADER + "1,2019-04,Burglary,Stoke,,\n"
    with pytest.raises(ImportFailed) as failure:
        aggregate_records(
            [
                ("a.csv", io.BytesIO(good.encode())),
                ("b.csv", io.BytesIO((HEADER + "1,2019-13,Burglary,Stoke,,\n").encode())),
                ("c.csv", io.BytesIO(b"Ref,Date\n1,2019-04\n")),
            ],
            MAPPING,
            max_bytes=MB,
        )
    assert {p.file for p in failure.value.problems} == {"b.csv", "c.csv"}
    assert failure.value.filename is None


def test_quoted_cells_with_commas_and_line_breaks_are_counted_like_csv_reads_them():
    text = (
        HEADER + '1,2019-04,"Violence, with injury","Stoke\nDamerel",,\n'
        '"2",2019-04,"Burglary ""dwelling""",Stoke,,\n'
    )
    assert aggregate(text).counts == {
        ("Violence, with injury", "2019-04", "Stoke Damerel", ""): 1,
        ('Burglary "dwelling"', "2019-04", "Stoke", ""): 1,
    }


QUOTED_CELLS = [
    "Violence, with injury",
    'Burglary "dwelling"',
    '"Quoted", and, commas',
    "Theft\nfrom the person",
    "Theft\r\nof a vehicle",
    'a "", b',
    "Drugs",
]
#: Area codes are at most 20 characters.
QUOTED_AREAS = ['St "B", Ward', "North\nWard", "E01,\r\nE02", '""', "Stoke"]


def quoted_file(ending: str, bom: bool) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=ending)
    writer.writerow(HEADER.strip().split(","))
    for number in range(5_000):
        writer.writerow(
            [
                f'ref "{number}", line\nbreak' if number % 5 == 0 else f"ref {number}",
                "2019-04" if number % 2 else "2019-05-17",
                QUOTED_CELLS[number % len(QUOTED_CELLS)],
                QUOTED_AREAS[number % len(QUOTED_AREAS)] if number % 4 else "",
                "y" if number % 3 == 0 else "",
                "no",
            ]
        )
    return (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode()


def csv_count(data: bytes) -> Counter:
    """The same counts, read by Python's own csv module, row by row."""
    expected: Counter = Counter()
    text = io.StringIO(data.decode("utf-8-sig"), newline="")
    for row in csv.DictReader(text):
        key = (" ".join(row["Offence"].split()), row["Date"][:7], " ".join(row["Ward"].split()))
        expected[(*key, "")] += 1
        if row["Alcohol"] == "y":
            expected[(*key, "Alcohol")] += 1
    return expected


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", [False, True])
def test_quoted_cells_with_commas_quotes_and_line_breaks_count_as_pythons_csv_reads_them(
    ending, bom, monkeypatch, tmp_path
):
    data = quoted_file(ending, bom)

    def no_exact_pass(*args, **kwargs):
        raise AssertionError("a valid file went to the exact pass")

    monkeypatch.setattr(record_counts, "exact_pass", no_exact_pass)
    expected = csv_count(data)
    assert expected.total() > 5_000
    assert aggregate(data).counts == dict(expected)  # a stream, copied for the engine
    path = tmp_path / "records.csv"
    path.write_bytes(data)
    from_disk = aggregate_records([("records.csv", path.open("rb"))], MAPPING, max_bytes=100 * MB)
    assert from_disk.counts == dict(expected)  # a file on disk, read where it is


def test_a_bad_month_after_quoted_line_breaks_is_named_by_its_row_and_column():
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER.strip().split(","))
    for number in range(10):
        writer.writerow([number, "2019-04", "Theft,\nfrom the person", 'St "B"\r\n', "", ""])
    writer.writerow([10, "2019-13", "Drugs", "Stoke", "", ""])
    problems = problems_of(buffer.getvalue())
    assert "2019-13" in at(problems, 12, "Date").message


def test_blank_lines_and_empty_rows_are_ignored():
    text = HEADER + "\n1,2019-04,Burglary,Stoke,,\n\n,,,,,\n2,2019-04,Burglary,Stoke,,\n\n"
    assert aggregate(text).counts == {("Burglary", "2019-04", "Stoke", ""): 2}


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_any_line_ending_gives_the_same_counts(ending):
    text = (HEADER + "1,2019-04,Burglary,Stoke,,\n2,2019-05,Drugs,,y,\n").replace("\n", ending)
    assert aggregate(text).total() == 2
    assert aggregate(text).counts[("Drugs", "2019-05", "", "Alcohol")] == 1


def test_a_stray_quote_inside_a_cell_is_read_as_a_quote():
    text = HEADER + '1,2019-04,Burglary,St "Budeaux,,\n2,2019-04,Burglary,Stoke,,\n'
    assert aggregate(text).counts[("Burglary", "2019-04", 'St "Budeaux', "")] == 1


def test_windows_1252_records_are_decoded():
    text = (HEADER + "1,2019-04,Caf\xe9 theft,Stoke,,\n").encode("cp1252")
    assert ("Café theft", "2019-04", "Stoke", "") in aggregate(text).counts


def test_a_workbook_of_records_is_counted():
    data = xlsx_bytes(
        [
            ["Ref", "Date", "Offence", "Ward", "Alcohol", "Domestic"],
            [1, "2019-04-17", "Burglary", "Stoke", "y"],
            [2, "17/04/2019", "Burglary", None, None, None],
        ]
    )
    result = aggregate(data, "records.xlsx")
    assert result.counts == {
        ("Burglary", "2019-04", "Stoke", ""): 1,
        ("Burglary", "2019-04", "Stoke", "Alcohol"): 1,
        ("Burglary", "2019-04", "", ""): 1,
    }


def test_a_large_file_with_quoted_line_breaks_across_blocks_counts_like_csv():
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER.strip().split(","))
    expected = Counter()
    for number in range(60_000):
        ward = f"Ward\n{number % 7}" if number % 997 == 0 else f"Ward {number % 50}"
        category = "Burglary, dwelling" if number % 3 else "Drugs"
        writer.writerow([f"ref-{number:040d}", "2019-04", category, ward, "", ""])
        expected[(category, "2019-04", " ".join(ward.split()), "")] += 1
    data = buffer.getvalue().encode()
    assert len(data) > 3 * MB
    assert aggregate(data).counts == dict(expected)


def test_records_over_the_size_limit_are_refused_saying_the_limit():
    text = HEADER + "1,2019-04,Burglary,Stoke,,\n" * 100_000
    problem = problems_of(text, max_bytes=MB)[0]
    assert "larger than the 1 MB limit" in problem.message


def test_records_with_an_endless_field_are_refused_fast_naming_row_and_column():
    data = (HEADER + '1,2019-04,Burglary,Stoke,,\n2,2019-04,"').encode() + b"x" * (5 * MB)
    started = time.perf_counter()
    problems = problems_of(data)
    assert time.perf_counter() - started < 3
    assert "unclosed" in at(problems, 3, "Offence").message


def test_records_that_are_binary_junk_are_refused():
    problems = problems_of(HEADER.encode() + bytes(range(256)) * 10)
    assert "binary data" in problems[0].message


def test_an_empty_records_file_is_refused():
    assert "empty" in problems_of(b"")[0].message


def test_records_files_with_only_headers_are_refused():
    assert "no records" in problems_of(HEADER)[0].message


def test_progress_is_reported_about_every_megabyte_up_to_the_total():
    text = (HEADER + "1,2019-04,Burglary,Stoke,,\n" * 150_000).encode()
    seen = []
    aggregate(text, progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == len(text)
    assert len(seen) >= len(text) // MB


def test_a_stream_that_cannot_be_reread_is_refused_rather_than_miscounted():
    class OneWay(io.RawIOBase):
        def __init__(self, data):
            self.data = io.BytesIO(data)

        def readable(self):
            return True

        def readinto(self, buffer):
            chunk = self.data.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    data = (HEADER + "1,2019-13,Burglary,Stoke,,\n").encode()
    with pytest.raises(ImportFailed) as failure:
        aggregate_records([("pipe.csv", OneWay(data))], MAPPING, max_bytes=MB)
    assert "second time" in failure.value.problems[0].message


def test_no_sources_is_refused():
    assert "no files" in refused(aggregate_records, [], MAPPING, max_bytes=MB)[0].message


def test_a_row_with_a_cell_too_many_balancing_one_with_a_cell_too_few_is_refused_not_shifted():
    text = "Category,Month,Area\nRobbery,2019-04,E01,extra\nArson,2019-05\nDrugs,2019-06,E02\n"
    mapping = ColumnMapping(month="Month", category="Category", area="Area")
    problems = refused(
        aggregate_records, [("f.csv", io.BytesIO(text.encode()))], mapping, max_bytes=MB
    )
    assert {p.row for p in problems} == {2, 3}
    assert all("the header has 3" in p.message for p in problems)

"""Whatever arrives, the import layer answers with rows or ImportFailed, never a crash; and
the fast record count always agrees with a plain row-by-row count."""

import csv
import io
import os
from collections import Counter
from unittest import mock

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from assessments.imports.parse import (
    POLICE_UK,
    ColumnMapping,
    ImportFailed,
    aggregate_records,
    parse_summary,
    read_table,
    record_sources,
)

#: FUZZ_EXAMPLES=5000 for a longer hunt; no example database is written.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
POLICE_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)

tokens = st.sampled_from(
    [
        "2019/20",
        "2019/21",
        "19/20",
        "2019-04",
        "2019-13",
        "17/04/2019",
        "Robbery",
        "All crime",
        "23,024",
        "-5",
        "99999999",
        "107.8",
        "abc",
        "",
        " ",
        '"',
        '""',
        ",",
        "\n",
        "\r\n",
        "\r",
        "é",
        "£",
        "\ufeff",
        "\x00",
        "E01018936",
        "Anti-social behaviour",
        "y",
        "maybe",
    ]
)
cells = st.one_of(tokens, st.text(max_size=12))


@st.composite
def near_csv(draw, header: str) -> bytes:
    rows = draw(st.lists(st.lists(cells, min_size=0, max_size=14), max_size=12))
    separator = draw(st.sampled_from([",", ",", ",", ";", "\t"]))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = header + ending + ending.join(separator.join(row) for row in rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return text.encode(encoding, errors="replace")


def only_import_failed(action) -> None:
    try:
        action()
    except ImportFailed as failure:
        assert failure.problems
        assert all(isinstance(str(problem), str) for problem in failure.problems)


@FUZZ
@given(data=st.binary(max_size=3000), name=st.sampled_from(["x.csv", "x.xlsx", "x", "x.xls"]))
def test_random_bytes_as_a_summary_raise_nothing_but_import_failed(data, name):
    only_import_failed(lambda: parse_summary(read_table(data, name, max_bytes=2000)))


@FUZZ
@given(
    data=near_csv("period,category,count,msg_rate_per_1000"),
    name=st.sampled_from(["s.csv", "s.xlsx"]),
)
def test_near_valid_summary_text_raises_nothing_but_import_failed(data, name):
    only_import_failed(lambda: parse_summary(read_table(data, name, max_bytes=100_000)))


@FUZZ
@given(data=st.binary(max_size=3000))
def test_random_bytes_as_records_raise_nothing_but_import_failed(data):
    only_import_failed(
        lambda: aggregate_records([("r.csv", io.BytesIO(data))], POLICE_UK, max_bytes=2000)
    )


@FUZZ
@given(data=near_csv(POLICE_HEADER), chunk=st.sampled_from([16, 64, 1 << 20]))
def test_near_valid_police_text_raises_nothing_but_import_failed(data, chunk):
    with mock.patch.object(record_sources, "CHUNK", chunk):
        only_import_failed(
            lambda: aggregate_records([("r.csv", io.BytesIO(data))], POLICE_UK, max_bytes=10**6)
        )


names = st.text(
    alphabet=st.sampled_from(list('ab ,"\n\r\t;éZ£') + ["\u2028"]), min_size=0, max_size=10
)
months = st.sampled_from(["2019-04", "2019-05-17", "01/06/2019", " 2019-04 "])


MONTHS = {"2019-04": "2019-04", "2019-05-17": "2019-05", "01/06/2019": "2019-06"}
FLAGS = {"": False, "no": False, "y": True}


def plain_count(text: str) -> Counter | None:
    """The counts as `csv` reads `text` row by row, or None if the file should be refused."""
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    body = [row for row in parsed[1:] if any(cell.strip() for cell in row)]
    expected: Counter = Counter()
    for row in body:
        if len(row) != 4 or not row[0].split() or row[1].strip() not in MONTHS:
            return None
        if row[3].strip().lower() not in FLAGS:
            return None
        base = (" ".join(row[0].split()), MONTHS[row[1].strip()], " ".join(row[2].split()))
        expected[(*base, "")] += 1
        if FLAGS[row[3].strip().lower()]:
            expected[(*base, "Flag")] += 1
    return expected or None


@FUZZ
@given(
    rows=st.lists(st.tuples(names, months, names, st.sampled_from(["", "y", "No"])), max_size=40),
    chunk=st.sampled_from([8, 32, 256, 1 << 20]),
    ending=st.sampled_from(["\n", "\r\n"]),
    quote_all=st.booleans(),
)
def test_fast_counts_equal_a_plain_csv_count_of_the_same_bytes(rows, chunk, ending, quote_all):
    buffer = io.StringIO()
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    writer = csv.writer(buffer, lineterminator=ending, quoting=quoting)
    writer.writerow(["Category", "Month", "Area", "Flag"])
    writer.writerows(rows)
    text = buffer.getvalue()
    expected = plain_count(text)

    mapping = ColumnMapping(month="Month", category="Category", area="Area", flags=("Flag",))
    source = [("f.csv", io.BytesIO(text.encode()))]
    with mock.patch.object(record_sources, "CHUNK", chunk):
        event("refused" if expected is None else "counted")
        if expected is None:
            only_import_failed(lambda: aggregate_records(source, mapping, max_bytes=10**6))
        else:
            result = aggregate_records(source, mapping, max_bytes=10**6)
            assert result.counts == dict(expected)
            assert result.rows == expected.total() - expected_flagged(expected)


def expected_flagged(counts: Counter) -> int:
    return sum(count for key, count in counts.items() if key[3])


plain_cells = st.sampled_from(["Robbery", "Arson", "2019-04", "2019-05", "E01", "", "y", "no"])


@FUZZ
@given(
    rows=st.lists(st.lists(plain_cells, min_size=2, max_size=6), min_size=1, max_size=30),
    chunk=st.sampled_from([8, 32, 256, 1 << 20]),
    ending=st.sampled_from(["\n", "\r\n"]),
    final_break=st.booleans(),
)
def test_rows_with_too_many_or_too_few_cells_are_never_counted_in_the_wrong_columns(
    rows, chunk, ending, final_break
):
    """Unquoted rows of any width: a row with a cell too many can balance one with a cell too
    few, so the fast count must prove every row's width, not just the total."""
    text = "Category,Month,Area,Flag" + ending + ending.join(",".join(r) for r in rows)
    if final_break:
        text += ending
    widths = {len(row) for row in rows if any(cell.strip() for cell in row)}  # blank: skipped
    mapping = ColumnMapping(month="Month", category="Category", area="Area", flags=("Flag",))
    source = [("f.csv", io.BytesIO(text.encode()))]
    with mock.patch.object(record_sources, "CHUNK", chunk):
        if widths - {4}:
            event("ragged")
            with pytest.raises(ImportFailed) as failure:
                aggregate_records(source, mapping, max_bytes=10**6)
            assert any("cells but the header has 4" in str(p) for p in failure.value.problems)
        else:
            expected = plain_count(text)
            event("counted" if expected is not None else "refused")
            if expected is None:
                only_import_failed(lambda: aggregate_records(source, mapping, max_bytes=10**6))
            else:
                assert aggregate_records(source, mapping, max_bytes=10**6).counts == dict(expected)

"""Every importer, fuzzed through the function its command calls (`data_import`, like
`manage.py import_data`), so that the database writes are exercised too: random bytes,
near-valid CSV and real workbooks with random cells. Whatever arrives, the answer is the
import's outcome or ImportFailed, never another exception, and a refused file changes nothing.

Examples per test: FUZZ_EXAMPLES (default 40) for bytes and CSV, a third fewer for workbooks
(building one costs more); FUZZ_EXAMPLES=2000 for a longer hunt. The offline scoring sheet is
fuzzed the same way in tests/workshops/test_score_sheet_fuzz.py.
"""

from __future__ import annotations

import io
import os
import zipfile
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from assessments.imports import ColumnMapping, ImportFailed, data_import
from assessments.models import (
    Area,
    Assessment,
    CategoryMapping,
    ImportRun,
    Indicator,
    IndicatorValue,
    LsoaNeighbourhood,
    Population,
    RecordCount,
    RecordMonth,
    Risk,
    Theme,
)

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
WORKBOOK_EXAMPLES = max(1, EXAMPLES * 2 // 3)


def fuzz(examples: int = EXAMPLES):
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,
            HealthCheck.data_too_large,
        ],
    )


POLICE_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)
HEADERS = {
    "summary": "period,category,count,msg_rate_per_1000,area,msg_rank,msg_group_size,rate_basis",
    "population": "area,period,population,households",
    "lookup": "lsoa_code,neighbourhood",
    "indicators": "indicator,period,value,unit,comparator,comparator_value,kind",
    "register": "theme,risk,description,categories",
    "mappings": "source_label,indicator",
    "police": POLICE_HEADER,
    "mapped": "Date,Offence,LSOA,DA",
}
MAPPED = ColumnMapping(month="Date", category="Offence", area="LSOA", flags=("DA",))
TOKENS = [
    "2019/20", "2018/19", "2019/21", "19/20", "2019-04", "2019-13", "2099-01", "2017-01",
    "17/04/2019", "04/17/2019", "Robbery", "All crime", "Plymouth", "City Centre",
    "Anti-social behaviour", "E01018936", "E0101893", "23,024", "-5", "0", "99999999",
    "107.8", "2 of 15", "16 of 15", "abc", "", " ", '"', '""', ",", "\n", "\r\n", "é", "£",
    "\ufeff", "\x00", "y", "maybe", "health", "England", "=SUM(A1)", "x" * 300, "households",
    "residents",
]  # fmt: skip
tokens = st.sampled_from(TOKENS)
cells = st.one_of(tokens, tokens, st.text(max_size=12))
KINDS = ["summary", "population", "lookup", "indicators", "register", "mappings"]
MODELS = (
    Area,
    Assessment,
    CategoryMapping,
    ImportRun,
    Indicator,
    IndicatorValue,
    LsoaNeighbourhood,
    Population,
    RecordCount,
    RecordMonth,
    Risk,
    Theme,
)


def snapshot() -> dict:
    return {model.__name__: list(model.objects.order_by("pk").values_list()) for model in MODELS}


def import_or_refuse(partnership, kind: str, files, **options) -> None:
    """Import; if refused, nothing in the database may have changed."""
    before = snapshot()
    try:
        data_import(partnership=partnership, period="2019/20", kind=kind, files=files, **options)
    except ImportFailed as failure:
        assert failure.problems and all(str(problem) for problem in failure.problems)
        assert snapshot() == before, "a refused import changed the database"
        event("refused")
    else:
        event("imported")


def options_for(kind: str) -> tuple[str, dict]:
    if kind == "police":
        return "records", {"preset": "police-uk"}
    if kind == "mapped":
        return "records", {"mapping": MAPPED}
    return kind, {}


@st.composite
def near_csv(draw, header: str) -> bytes:
    rows = draw(st.lists(st.lists(cells, min_size=0, max_size=13), max_size=10))
    separator = draw(st.sampled_from([",", ",", ",", ";", "\t"]))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = header + ending + ending.join(separator.join(row) for row in rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return text.encode(encoding, errors="replace")


workbook_cells = st.one_of(
    tokens.filter(lambda t: not any(ord(c) < 32 and c not in "\t\n\r" for c in t)),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 12, 31)),
    st.booleans(),
    st.none(),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe"),
        max_size=15,
    ),
)


@st.composite
def workbook(draw, header: str, kind: str | None = None) -> bytes:
    """A real .xlsx made by openpyxl: the kind's header (sometimes altered) and random cells."""
    import openpyxl

    names = header.split(",")
    if kind is not None and draw(st.booleans()):
        # Plausible rows, some cells typed as numbers or dates as Excel would store them.
        body = [[_as_excel(cell) for cell in row] for row in draw(plausible_rows(kind))]
    else:
        if draw(st.booleans()):
            names = draw(st.permutations(names))[: draw(st.integers(1, len(names)))]
        body = draw(
            st.lists(st.lists(workbook_cells, max_size=len(names) + 2), min_size=0, max_size=8)
        )
    rows = [names, *([_sheet_safe(cell) for cell in row] for row in body)]
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    if draw(st.booleans()):
        book.create_sheet("second").append(["ignored"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _as_excel(text: str):
    """A cell as Excel would store what was typed: numbers and dates as such."""
    for convert in (int, float, date.fromisoformat, datetime.fromisoformat):
        try:
            return convert(text.replace(",", "")) if convert in (int, float) else convert(text)
        except ValueError:
            continue
    return text


def _sheet_safe(value):
    """What a worksheet can hold: openpyxl refuses control characters, as Excel does."""
    if not isinstance(value, str):
        return value
    return "".join(c for c in value if c in "\t\n\r" or (ord(c) >= 32 and c not in "\ufffe\uffff"))


def police_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


ALL = [*KINDS, "police", "mapped"]

PERIODS = ["2017/18", "2018/19", "2019/20", "2020/21"]
NAMES = ["All crime", "Robbery", "Burglary", "Shoplifting", "Anti-social behaviour", "Arson"]
CODES = ["E01018936", "E01018937", "W01000001", "e01018938", ""]
PLACES = ["Plymouth", "City Centre", "Stonehouse", "x" * 200]
#: Per kind, the values each column usually holds: files made of them mostly import, so the
#: writes (and their constraints, on both databases) are fuzzed too, not only the refusals.
POOLS: dict[str, list[list[str]]] = {
    "summary": [
        PERIODS,
        NAMES,
        ["0", "5", "23,024", "9999999"],
        ["", "107.8", "0.85"],
        ["", "", *PLACES],
        ["", "2", "2 of 15", "15/15"],
        ["", "", "15"],
    ],
    "population": [PLACES, PERIODS, ["262100", "1", "100000000"]],
    "lookup": [CODES, PLACES[1:]],
    "indicators": [
        NAMES,
        PERIODS,
        ["1.58", "575", "0"],
        ["percent", "per 100000", "", "people"],
        ["England", "South West", ""],
        ["", "1.39"],
        ["health", "crime", "other", ""],
    ],
    "register": [
        ["Acquisitive crime", "Violence"],
        ["Robbery", "Burglary", "Knife crime"],
        ["", "A description."],
        ["", "", "", "Robbery; Burglary"],
    ],
    "mappings": [["Bicycle theft", "Other theft", "Drugs"], NAMES[1:]],
    "police": [
        ["", "abc123"],
        ["2019-04", "2019-05", "2018-06", "2020-03"],
        ["Devon & Cornwall Police"],
        ["Devon & Cornwall Police"],
        ["-4.14", ""],
        ["50.37", ""],
        ["On or near Royal Parade", "No Location"],
        CODES,
        ["Plymouth 001A", ""],
        NAMES[1:],
        ["", "Under investigation"],
        [""],
    ],
    "mapped": [
        ["2019-04-03", "17/05/2019", "2019-06", "2019-06-30 13:45"],
        NAMES[1:],
        CODES,
        ["y", "", "no", "TRUE"],
    ],
}


@st.composite
def plausible_rows(draw, kind: str) -> list[list[str]]:
    """Rows of the kind's columns, almost every cell a plausible value."""
    pools = POOLS[kind]
    # Summaries refuse a period, category and area given twice: keep them short.
    count = draw(st.integers(min_value=1, max_value=3 if kind == "summary" else 8))
    return [
        [draw(st.sampled_from(pool)) if draw(st.integers(0, 19)) else draw(cells) for pool in pools]
        for _ in range(count)
    ]


def csv_bytes(header: str, rows: list[list[str]]) -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header.split(","))
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


# --- random bytes ---------------------------------------------------------------------------


@fuzz()
@given(kind=st.sampled_from(ALL), data=st.binary(max_size=2000), name=st.sampled_from(
    ["x.csv", "x.xlsx", "x", "x.xls", "2019-04-x-street.csv"]
))  # fmt: skip
def test_random_bytes_of_any_kind_are_imported_or_refused_never_crash(
    partnership, kind, data, name
):
    kind_name, options = options_for(kind)
    import_or_refuse(partnership, kind_name, [(name, io.BytesIO(data))], **options)


# --- near-valid CSV -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ALL)
@fuzz()
@given(data=st.data())
def test_near_valid_csv_of_each_kind_is_imported_or_refused_never_crash(partnership, kind, data):
    content = data.draw(near_csv(HEADERS[kind]))
    name = data.draw(st.sampled_from(["2019-04-x-street.csv", "upload.csv", "upload.xlsx"]))
    kind_name, options = options_for(kind)
    import_or_refuse(partnership, kind_name, [(name, io.BytesIO(content))], **options)


# --- plausible files: mostly valid rows, so that most of them import ----------------------


@pytest.mark.parametrize("kind", ALL)
@fuzz()
@given(data=st.data())
def test_plausible_files_of_each_kind_import_whole_or_are_refused_whole(partnership, kind, data):
    rows = data.draw(plausible_rows(kind))
    kind_name, options = options_for(kind)
    name = "2019-04-devon-and-cornwall-street.csv" if kind == "police" else "upload.csv"
    content = csv_bytes(HEADERS[kind], rows)
    import_or_refuse(partnership, kind_name, [(name, io.BytesIO(content))], **options)


# --- real workbooks with random cells -------------------------------------------------------


@pytest.mark.parametrize("kind", [*KINDS, "mapped"])
@fuzz(WORKBOOK_EXAMPLES)
@given(data=st.data())
def test_real_workbooks_with_random_cells_are_imported_or_refused_never_crash(
    partnership, kind, data
):
    content = data.draw(workbook(HEADERS[kind], kind))
    kind_name, options = options_for(kind)
    import_or_refuse(partnership, kind_name, [("upload.xlsx", io.BytesIO(content))], **options)


# --- police.uk ZIPs: members of any content -------------------------------------------------


@fuzz()
@given(
    street=st.one_of(
        st.binary(max_size=1500),
        near_csv(POLICE_HEADER),
        plausible_rows("police").map(lambda rows: csv_bytes(POLICE_HEADER, rows)),
    ),
    other=st.one_of(st.none(), st.binary(max_size=200)),
    twice=st.booleans(),
)
def test_police_uk_zips_with_fuzzed_members_are_imported_or_refused_never_crash(
    partnership, street, other, twice
):
    members = {"2019-04/2019-04-devon-and-cornwall-street.csv": street}
    if twice:
        members["copy/2019-04-devon-and-cornwall-street.csv"] = street
    if other is not None:
        members["2019-04/2019-04-devon-and-cornwall-outcomes.csv"] = other
    upload = ("download.zip", io.BytesIO(police_zip(members)))
    import_or_refuse(partnership, "records", [upload], preset="police-uk")


# --- the category mapping form --------------------------------------------------------------


@fuzz()
@given(label=cells, indicator=st.one_of(st.none(), st.just("Robbery")), new=cells)
def test_the_category_mapping_form_accepts_or_explains_any_input(
    partnership, label, indicator, new
):
    from django.db import transaction

    from assessments import services
    from assessments.forms import CategoryMappingForm

    chosen = None
    if indicator:
        chosen, _ = Indicator.objects.get_or_create(partnership=partnership, name=indicator)
    form = CategoryMappingForm(
        {"source_label": label, "indicator": chosen.pk if chosen else "", "new_indicator": new},
        partnership=partnership,
    )
    if form.is_valid():
        with transaction.atomic():
            services.category_mapping_create(
                partnership=partnership,
                source_label=form.cleaned_data["source_label"],
                indicator=form.cleaned_data["indicator"],
                new_indicator=form.cleaned_data["new_indicator"],
            )
        event("mapped")
    else:
        assert form.errors
        event("explained")

"""The offline scoring sheet, fuzzed through `score_sheet_import` (what `manage.py
import_scores` and the upload page call): random bytes, near-valid CSV and real workbooks
with random cells are imported or refused with ImportFailed, never another exception, and a
refused sheet changes nothing. FUZZ_EXAMPLES (default 40; workbooks two thirds of it)."""

from __future__ import annotations

import io
import os

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from assessments.imports import ImportFailed
from assessments.models import ImportRun, RiskFactorScore, ScoreChange
from assessments.scoring import DEFAULT_MODEL
from tests.sheets_helpers import HEADER, make_register
from workshops.models import RiskComment, Round, Submission, Workshop
from workshops.sheet.apply import score_sheet_import

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
WORKBOOK_FUZZ = settings(FUZZ, max_examples=max(1, EXAMPLES * 2 // 3))
NAMES = [
    "Domestic abuse",
    "Domestic homicide",
    "Acquisitive crime",
    "Burglary",
    "Devon and Cornwall Police",
    "Plymouth City Council",
    "Nobody",
    *(factor.name for factor in DEFAULT_MODEL.factors[:4]),
    *(level.label for level in DEFAULT_MODEL.factors[0].levels),
    "Capacity",
    "Strong",
    "Weak",
    "'=SUM(1)",
    "",
    " ",
    '"',
    ",",
    "\n",
    "\x00",
    "é",
    "x" * 5000,
]
cells = st.one_of(st.sampled_from(NAMES), st.sampled_from(NAMES), st.text(max_size=10))
MODELS = (RiskFactorScore, ScoreChange, Submission, RiskComment, Workshop, Round, ImportRun)


@pytest.fixture
def register(assessment, police, council):
    make_register(assessment)
    return assessment


def snapshot() -> dict:
    return {model.__name__: list(model.objects.order_by("pk").values_list()) for model in MODELS}


def import_or_refuse(assessment, data: bytes, filename: str) -> None:
    before = snapshot()
    try:
        score_sheet_import(assessment=assessment, data=data, filename=filename)
    except ImportFailed as failure:
        assert failure.problems and all(str(problem) for problem in failure.problems)
        assert snapshot() == before, "a refused sheet changed the database"
        event("refused")
    else:
        event("imported")


@FUZZ
@given(data=st.binary(max_size=2000), name=st.sampled_from(["s.csv", "s.xlsx", "s"]))
def test_random_bytes_as_a_scoring_sheet_are_refused_or_imported_never_crash(register, data, name):
    import_or_refuse(register, data, name)


@FUZZ
@given(
    rows=st.lists(st.lists(cells, min_size=0, max_size=8), max_size=10),
    ending=st.sampled_from(["\n", "\r\n"]),
    encoding=st.sampled_from(["utf-8", "cp1252", "utf-16"]),
)
def test_near_valid_scoring_sheets_are_refused_or_imported_never_crash(
    register, rows, ending, encoding
):
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=ending)
    writer.writerow(HEADER)
    writer.writerows(rows)
    import_or_refuse(register, buffer.getvalue().encode(encoding, errors="replace"), "s.csv")


@WORKBOOK_FUZZ
@given(
    rows=st.lists(
        st.lists(
            st.one_of(
                st.sampled_from([n for n in NAMES if "\x00" not in n]),
                st.integers(-5, 5),
                st.floats(allow_nan=False, allow_infinity=False),
                st.none(),
                st.booleans(),
            ),
            max_size=8,
        ),
        max_size=8,
    ),
    header=st.permutations(HEADER),
)
def test_real_workbook_scoring_sheets_with_random_cells_are_refused_or_imported(
    register, rows, header
):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(list(header))
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    import_or_refuse(register, buffer.getvalue(), "s.xlsx")

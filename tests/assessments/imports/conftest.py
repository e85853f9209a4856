"""The parse half's tests (`parse/`, and the scoring sheet's `test_scores.py`) need no Django
and no database. They run with the rest of the suite, or alone without pytest-django (the
suite's own conftest needs Django, hence --confcutdir):

    .venv/bin/pytest tests/assessments/imports/parse tests/assessments/imports/test_scores.py \
        -p no:django --confcutdir=tests/assessments/imports

The store half's tests (`store/`) write to the database, through `data_import`.
"""

from __future__ import annotations

import pytest

from .helpers import zip_bomb


@pytest.fixture(scope="session")
def workbook_bomb() -> bytes:
    return zip_bomb(
        "xl/worksheets/sheet1.xml",
        extra={"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"},
    )


@pytest.fixture(scope="session")
def street_bomb() -> bytes:
    return zip_bomb("2019-04/2019-04-devon-and-cornwall-street.csv")

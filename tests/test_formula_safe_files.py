"""Every cell of every CSV and XLSX file the app writes for the demo is safe to open.

Names, notes and reasons chosen as attacks (OWASP's CSV injection examples, `;=1+1`, full-width
`＝`) are put into the demo; then every spreadsheet a user can download (the exports, the
scoring sheets blank and filled, and the published version's files) is read cell by cell.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from openpyxl import load_workbook

from assessments.models import Organisation, Risk, ScoreKind, Theme
from assessments.services import assessment_freeze_model, factor_score_set, risk_set_priority
from reports.services import approval_record, assessment_publish

pytestmark = pytest.mark.django_db

BASE = "/p/plymouth/2019-20/"
# What a spreadsheet may take as the start of a formula, written here independently of the
# app's own list: after any spaces, quotes or separators, one of = + - @ (or their
# full-width forms), a tab, CR or LF. A cell starting with an apostrophe is text.
FORMULA = re.compile(r"^[ \u00a0\u3000\",;，；]*[=+\-@＝＋－＠\t\r\n]")
# A CSV file of quoted text fields and bare numbers only, each row ended by a line break.
QUOTED_CSV = re.compile(r'(?:(?:"(?:[^"]|"")*"|-?\d+(?:\.\d+)?)(?:,|\r\n))*')
ATTACKS = [
    ";=1+1",
    '=HYPERLINK("http://evil.example","x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "＝1+1",
    "\t=1",
    " =1",
    ",@x",
    "\r=1",
]


def _attack_the_demo(demo) -> None:
    """Every kind of text a file shows gets an attack: themes, risks, factors, levels,
    organisations, notes, the priority reason and the audit trail's names."""
    users = get_user_model().objects
    for theme, attack in zip(Theme.objects.filter(assessment=demo), ATTACKS, strict=False):
        theme.name = attack
        theme.save()
    risks = list(Risk.objects.filter(assessment=demo))
    for risk, attack in zip(risks, ATTACKS, strict=False):
        risk.name = f"{attack} {risk.pk}"
        risk.save()
    for org, attack in zip(
        Organisation.objects.filter(partnership=demo.partnership), ATTACKS, strict=False
    ):
        org.name = attack
        org.save()
    spec = assessment_freeze_model(assessment=demo).to_dict()
    for factor, attack in zip(spec["factors"], ATTACKS * 3, strict=False):
        factor["name"] = attack + " " + factor["key"]
        factor["levels"][0]["label"] = "=" + factor["levels"][0]["label"]
        factor["levels"][0]["description"] = "@" + factor["levels"][0]["description"]
    # A new freezing time, as the parsed frozen model is cached by it.
    demo.scoring_spec, demo.scoring_frozen_at = spec, timezone.now()
    demo.save()
    risks = list(Risk.objects.filter(assessment=demo).select_related("assessment"))
    analyst = users.get(username="analyst")
    # A valid username can start a formula ("@", "+" and "-" are allowed in one).
    attacker = users.create_user(username="@SUM(A1)", password="x")
    first = spec["factors"][0]
    factor_score_set(
        risk=risks[0],
        factor_key=first["key"],
        kind=ScoreKind.ANALYST,
        level_label=first["levels"][0]["label"],
        note=";=1+1 ＝2",
        user=analyst,
    )
    risk_set_priority(risk=risks[1], is_priority=True, reason="+1 because", user=attacker)


def _csv_cells(body: bytes) -> list[str]:
    text = body.decode("utf-8-sig")
    # Every text field is quoted, so no separator inside one can split it into new cells.
    assert QUOTED_CSV.fullmatch(text), text[:300]
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return [cell for row in rows for cell in row]


def _xlsx_cells(body: bytes) -> list[str]:
    workbook = load_workbook(io.BytesIO(body))
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


def _files(client) -> dict[str, bytes]:
    names = {
        "export.csv": BASE + "export/csv/",
        "export.xlsx": BASE + "export/xlsx/",
        "blank-sheet.csv": BASE + "scoring-sheet.csv",
        "blank-sheet.xlsx": BASE + "scoring-sheet.xlsx",
        "filled-sheet.csv": BASE + "scoring-sheet.csv?filled=1",
        "filled-sheet.xlsx": BASE + "scoring-sheet.xlsx?filled=1",
    }
    files = {}
    for name, url in names.items():
        response = client.get(url)
        assert response.status_code == 200, url
        files[name] = response.content
    return files


def test_no_cell_of_any_spreadsheet_the_app_writes_could_run_as_a_formula(client, demo):
    _attack_the_demo(demo)
    client.force_login(get_user_model().objects.get(username="analyst"))
    files = _files(client)
    board = get_user_model().objects.get(username="board")
    approval_record(assessment=demo, user=board, comment="Clear.", approved=True)
    assessment_publish(assessment=demo, user=board, accept_unrated=True)
    client.force_login(board)
    for fmt in ("csv", "xlsx"):
        files[f"published.{fmt}"] = client.get(BASE + f"published/1/export/{fmt}/").content
        files[f"export-after-publishing.{fmt}"] = client.get(BASE + f"export/{fmt}/").content
    seen = set()
    for name, body in files.items():
        cells = _csv_cells(body) if name.endswith(".csv") else _xlsx_cells(body)
        assert cells, name
        formulas = [cell for cell in cells if FORMULA.match(cell)]
        assert not formulas, f"{name}: {formulas[:5]}"
        seen.update(cells)
    # The attacks did reach the files, neutralised: each is there after its apostrophe.
    for attack in (";=1+1", "＝1+1", " =1", ",@x", "-2+3"):
        assert any(cell.startswith("'" + attack) for cell in seen), attack
    assert "'@SUM(A1)" in seen  # the audit trail's who
    assert any(True for _ in _numbers(files["export.xlsx"]))  # numbers stay numbers


def _numbers(body: bytes):
    for sheet in load_workbook(io.BytesIO(body)).worksheets:
        for row in sheet.iter_rows(values_only=True):
            yield from (value for value in row if isinstance(value, int | float))

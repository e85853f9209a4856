"""`export_assessment` writes CSV, XLSX, PDF and JSON, and fails cleanly on bad input."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.parametrize(
    ("fmt", "starts"),
    [("csv", b'"Theme","Risk"'), ("xlsx", b"PK"), ("pdf", b"%PDF"), ("json", b"{")],
)
def test_export_command_writes_each_format(scored, tmp_path, fmt, starts):
    out = tmp_path / f"plymouth.{fmt}"
    call_command(
        "export_assessment",
        "--partnership=plymouth",
        "--period=2019/20",
        f"--format={fmt}",
        f"--output={out}",
    )
    assert out.read_bytes().startswith(starts)
    if fmt == "json":
        data = json.loads(out.read_text())
        assert data["schema"] == "workbench-assessment/1"
        assert {r["risk"] for r in data["risks"]} == {
            "Domestic abuse",
            "Domestic homicide",
            "Burglary",
        }


def test_export_command_names_a_missing_assessment(scored, tmp_path):
    with pytest.raises(CommandError, match="no 2020/21 assessment"):
        call_command(
            "export_assessment",
            "--partnership=plymouth",
            "--period=2020/21",
            "--format=csv",
            f"--output={tmp_path / 'x.csv'}",
        )

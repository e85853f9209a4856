"""An import killed part-way leaves the database exactly as it was before."""

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
TYPES = ["Anti-social behaviour", "Burglary", "Shoplifting", "Violence and sexual offences"]


def _manage(db: Path, *args: str, **popen) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env["DATABASE_URL"] = f"sqlite:///{db}"
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **popen,
    )


def _run(db: Path, *args: str) -> None:
    process = _manage(db, *args)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err.decode()


def _police_uk_file(path: Path, rows: int) -> None:
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(
            "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
            "LSOA code,LSOA name,Crime type,Last outcome category,Context".split(",")
        )
        for i in range(rows):
            writer.writerow(
                [
                    "",
                    f"2019-{4 + i % 9:02d}",
                    "Devon & Cornwall Police",
                    "Devon & Cornwall Police",
                    "-4.14",
                    "50.37",
                    "On or near Royal Parade",
                    f"E0101{i % 5000:04d}",
                    "Plymouth 001A",
                    TYPES[i % len(TYPES)],
                    "",
                    "",
                ]
            )


def _record_rows(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute("select count(*) from assessments_recordcount").fetchone()[0]


@pytest.mark.slow
def test_killing_an_import_at_any_moment_never_leaves_half_an_import(tmp_path):
    db = tmp_path / "faults.sqlite3"
    _run(db, "migrate", "-v0")
    _run(db, "load_demo")
    data = tmp_path / "2019-street.csv"
    _police_uk_file(data, 120_000)
    command = ("import_data", str(data), "--partnership", "plymouth", "--period", "2019/20")
    command += ("--kind", "records", "--preset", "police-uk")

    started = time.monotonic()
    _run(db, *command)
    full_import_seconds = time.monotonic() - started
    complete = _record_rows(db)
    assert complete > 0

    # Start from an empty table again, then kill imports at moments across their whole run.
    with sqlite3.connect(db) as connection:
        connection.execute("delete from assessments_recordcount")
    outcomes = set()
    for fraction in (0.3, 0.5, 0.7, 0.8, 0.9, 0.95):
        process = _manage(db, *command, start_new_session=True)
        time.sleep(full_import_seconds * fraction)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        rows = _record_rows(db)
        assert rows in (0, complete), f"killed at {fraction:.0%}: {rows} of {complete} rows"
        outcomes.add(rows)
        with sqlite3.connect(db) as connection:
            connection.execute("delete from assessments_recordcount")
    assert 0 in outcomes, "no kill landed before the import finished"

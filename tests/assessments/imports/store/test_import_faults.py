"""An import killed part-way leaves the database exactly as it was before, on SQLite and (when
DATABASE_URL points at PostgreSQL) on PostgreSQL.

The import runs in a child process whose every write inside the import's transaction is
counted; at the chosen write the child writes a marker file and waits with the transaction
still open, and the test kills it with SIGKILL. So each kill provably lands mid-transaction:
at the first write, half-way, and after the very last write just before the commit.
"""

from __future__ import annotations

import csv
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

BASE_DIR = Path(__file__).resolve().parents[4]
TYPES = ["Anti-social behaviour", "Burglary", "Shoplifting", "Violence and sexual offences"]

# Runs `manage.py <args>` counting writes inside transactions; pauses (transaction open) at
# write number PAUSE_AT after writing the marker file, or at the end writes the total there.
DRIVER = """
import os, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from django.core.management import call_command
from django.db import connection

marker, pause_at = sys.argv[1], int(sys.argv[2])
writes = 0

def signal_test(text):
    # Write then rename: the test never sees the marker half-written.
    with open(marker + ".part", "w") as file:
        file.write(text)
    os.replace(marker + ".part", marker)

def count_writes(execute, sql, params, many, context):
    global writes
    result = execute(sql, params, many, context)
    verb = sql.lstrip().split(None, 1)[0].upper()
    if connection.in_atomic_block and verb in {"INSERT", "UPDATE", "DELETE"}:
        writes += 1
        if writes == pause_at:
            signal_test(f"paused at write {writes} inside the import's transaction")
            time.sleep(600)  # hold the transaction open until the test kills this process
    return result

with connection.execute_wrapper(count_writes):
    call_command(*sys.argv[3:])
signal_test(str(writes))
"""


def _env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env["DATABASE_URL"] = database_url
    return env


def _run(database_url: str, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=_env(database_url),
        capture_output=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr.decode()


def _driver(database_url: str, marker: Path, pause_at: int, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(marker), str(pause_at), *args],
        cwd=BASE_DIR,
        env=_env(database_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


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


class Database:
    """A throwaway database for the child processes, and a fingerprint of all its tables."""

    def __init__(self, url: str, connect, tables_sql: str):
        self.url, self._connect, self._tables_sql = url, connect, tables_sql

    def fingerprint(self) -> dict[str, tuple[int, str]]:
        """Each table's row count and a digest of all its rows (sessions excepted)."""
        prints = {}
        with self._connect() as connection:
            cursor = connection.cursor()
            cursor.execute(self._tables_sql)
            for (table,) in cursor.fetchall():
                if table == "django_session":
                    continue
                cursor.execute(f'SELECT * FROM "{table}"')
                rows = sorted(repr(row) for row in cursor.fetchall())
                digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
                prints[table] = (len(rows), digest)
        return prints

    def transaction_open_elsewhere(self) -> bool | None:
        """Whether another connection sits in an open transaction (PostgreSQL only)."""
        return None


class PostgresDatabase(Database):
    def transaction_open_elsewhere(self) -> bool:
        with self._connect() as connection:
            cursor = connection.cursor()
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'"
            )
            return cursor.fetchone()[0] > 0


@contextmanager
def _database(tmp_path: Path) -> Iterator[Database]:
    """SQLite in tmp_path, or a fresh PostgreSQL database when the tests run on PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        path = tmp_path / "faults.sqlite3"
        yield Database(
            f"sqlite:///{path}",
            lambda: sqlite3.connect(path),
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )
        return
    import psycopg

    parts = urlsplit(url)
    name = f"workbench_faults_{uuid.uuid4().hex[:8]}"
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    own = urlunsplit(parts._replace(path=f"/{name}"))
    try:
        yield PostgresDatabase(
            own,
            lambda: psycopg.connect(own, autocommit=True),
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
        )
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _kill_at_write(database: Database, tmp_path: Path, write: int, command: tuple) -> str:
    """Run the import, kill it at `write` with its transaction open; the marker's text."""
    marker = tmp_path / f"paused-{write}"
    process = _driver(database.url, marker, write, *command)
    deadline = time.monotonic() + 300
    while not marker.exists():
        assert process.poll() is None, f"the import ended before write {write}: " + (
            process.stderr.read().decode()
        )
        assert time.monotonic() < deadline, f"the import never reached write {write}"
        time.sleep(0.02)
    open_transaction = database.transaction_open_elsewhere()
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    assert open_transaction in (True, None), "PostgreSQL showed no open transaction"
    return marker.read_text()


@pytest.mark.slow
def test_killing_an_import_mid_transaction_never_leaves_half_an_import(tmp_path):
    data = tmp_path / "2019-street.csv"
    _police_uk_file(data, 40_000)
    command = ("import_data", str(data), "--partnership", "plymouth", "--period", "2019/20")
    command += ("--kind", "records", "--preset", "police-uk")
    with _database(tmp_path) as database:
        _run(database.url, "migrate", "-v0")
        _run(database.url, "load_demo")
        demo = database.fingerprint()

        # Killed at its first write, a first import leaves the demo as it was.
        marker = _kill_at_write(database, tmp_path, 1, command)
        assert marker == "paused at write 1 inside the import's transaction"
        assert database.fingerprint() == demo

        # A complete import changes the database (so the comparisons above can fail)...
        _run(database.url, *command)
        assert "assessments_recordcount" in {
            table for table, print_ in database.fingerprint().items() if demo.get(table) != print_
        }
        # ...and so does a re-import (it replaces the counts and logs itself), whose writes
        # are counted to choose where to kill the next ones.
        done = tmp_path / "complete"
        complete = _driver(database.url, done, 0, *command)
        assert complete.wait(timeout=600) == 0, complete.stderr.read().decode()
        writes = int(done.read_text())
        assert writes >= 3, f"only {writes} writes: too few to kill in the middle"
        imported = database.fingerprint()

        # A re-import killed half-way, or after its last write just before the commit, leaves
        # every table as the last complete import left it.
        for write in (writes // 2, writes):
            marker = _kill_at_write(database, tmp_path, write, command)
            assert marker == f"paused at write {write} inside the import's transaction"
            assert database.fingerprint() == imported, f"killed at write {write} of {writes}"

"""Time and peak memory of a web worker answering hostile uploads (issue 15's table).

    .venv/bin/python benchmarks/hostile_uploads.py [--only NAME ...] [--app DIR ...]
                                                   [--sign-in] [--keep DIR]

Builds each file below, then for each serves the app with gunicorn as the README does (sync
workers, four of them, but `--timeout 300` so that a slow answer is timed rather than
killed) on a copy of a migrated SQLite database holding a partnership, its 2019/20 assessment
and an analyst; signs in as the analyst, posts the file (streamed from disk) to the page a
person would use, and reports the answer's time, the worker's peak memory (VmHWM of every
worker, so the one that took the upload; the workers' peak before the upload in brackets),
the status, the first problem shown, and whether any row of any table changed. With
`--sign-in`, it then posts the slowest file twice at once and times an anonymous sign-in page
meanwhile. `--app DIR` serves another checkout's code (e.g. `git archive main | tar -x -C
DIR`), once per DIR, side by side. One line a file, then one result line: the worst time and
peak memory against 60 s and 300 MB.

- register-zzz: XLSX, 12,000 rows each with one cell at column ZZZ, to the register import;
- sheet-zzz: XLSX, 4,000 rows of the same kind, to the scoring-sheet upload;
- wide-rows: CSV, 30 rows of 10^6 cells (90 MB), to the summary import;
- wide-header: CSV, a header of 10^6 columns (10 MB), to the summary import;
- lookup-100k: not hostile, 100,000 rows of LSOA look-up (2 MB), which must be imported.

`--workers` sets gunicorn's workers (default 4, as the README); with `--workers 2` the two
uploads of `--sign-in` hold every worker, so the sign-in page waits for one of them.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
SLUG = "hostile"
PERIOD = "2019/20"
PASSWORD = "hostile-analyst-password"
TIME_LIMIT = 60.0
MEMORY_LIMIT_MB = 300
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SERVER_ENV = {
    "DJANGO_SECRET_KEY": "hostile-uploads-benchmark-key",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_SECURE_COOKIES": "0",
    "DJANGO_HSTS_SECONDS": "0",
    "PYTHONDONTWRITEBYTECODE": "1",
}


def _zzz_workbook(header: list[str], rows: int, values) -> bytes:
    import openpyxl
    from openpyxl.utils import column_index_from_string

    zzz = column_index_from_string("ZZZ")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for index in range(rows):
        for column, value in enumerate(values(index), start=1):
            sheet.cell(row=index + 2, column=column, value=value)
        sheet.cell(row=index + 2, column=zzz, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def register_zzz() -> bytes:
    return _zzz_workbook(
        ["theme", "risk"], 12_000, lambda i: ["Violence against the person", f"Risk {i:05d}"]
    )


def sheet_zzz() -> bytes:
    return _zzz_workbook(
        ["theme", "risk", "factor", "level"], 4_000, lambda i: ["Violence", f"Risk {i}"]
    )


def wide_rows() -> bytes:
    row = ",".join(["ab"] * 1_000_000).encode()
    return b"period,category,count\n" + b"\n".join([row] * 30) + b"\n"


def wide_header() -> bytes:
    header = ",".join(f"c{index:07d}" for index in range(1_000_000)).encode()
    return header + b"\n2019/20,Robbery,1\n"


def lookup_100k() -> bytes:
    """Not hostile: the largest table a partnership might send, 100,000 look-up rows."""
    rows = "".join(f"E{index:08d},Neighbourhood {index % 40}\n" for index in range(100_000))
    return ("lsoa_code,neighbourhood\n" + rows).encode()


#: name: (build, file name, page, form field, kind)
CASES = {
    "register-zzz": (register_zzz, "register.xlsx", "evidence/import/", "files", "register"),
    "sheet-zzz": (sheet_zzz, "sheet.xlsx", "scoring-sheet/upload/", "file", None),
    "wide-rows": (wide_rows, "wide-rows.csv", "evidence/import/", "files", "summary"),
    "wide-header": (wide_header, "wide-header.csv", "evidence/import/", "files", "summary"),
    "lookup-100k": (lookup_100k, "lookup.csv", "evidence/import/", "files", "lookup"),
}
#: Files that should be imported (the others must leave the database as it was).
IMPORTED = {"lookup-100k"}


# --- the database ----------------------------------------------------------------------------


def _setup_django(app: Path, database: Path) -> None:
    os.environ.update(SERVER_ENV)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(app))
    import django

    django.setup()


def prepare(app: Path, database: Path) -> None:
    """Migrate a fresh SQLite file and add the partnership, assessment and analyst."""
    _setup_django(app, database)
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from assessments.models import Assessment, Membership, Partnership, Role

    partnership = Partnership.objects.create(name="Hostile", slug=SLUG, area_name="Hostile")
    Assessment.objects.create(partnership=partnership, period=PERIOD)
    user = get_user_model().objects.create_user("analyst", password=PASSWORD)
    Membership.objects.create(user=user, partnership=partnership, role=Role.ANALYST)


def row_counts(app: Path, database: Path) -> None:
    """Print how many rows each table holds, as JSON (sessions and sign-in records aside)."""
    _setup_django(app, database)
    from django.apps import apps

    skip = {"sessions.Session", "axes.AccessLog", "axes.AccessAttempt", "axes.AccessFailureLog"}
    counts = {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.label not in skip
    }
    print(json.dumps(counts))


def _counts(app: Path, database: Path) -> dict:
    found = subprocess.run(
        [sys.executable, __file__, "--counts", str(app), str(database)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(found.stdout.strip().splitlines()[-1])


# --- the server ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn serving `app`'s code on `database`, as the README runs it."""

    def __init__(self, app: Path, database: Path, workers: int) -> None:
        self.port = _free_port()
        env = {**os.environ, **SERVER_ENV, "DATABASE_URL": f"sqlite:///{database}"}
        env["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1"
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "300",
                "--log-level",
                "warning",
            ],
            cwd=app,
            env=env,
            start_new_session=True,
            stderr=subprocess.DEVNULL,  # the static-files notice, once a worker
        )
        until = time.monotonic() + 60
        while time.monotonic() < until:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with status {self.process.returncode}")
            try:
                if Browser(self.port).request("GET", "/login/")[0] == 200:
                    if len(self.workers()) == workers:
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit("gunicorn did not answer in time")

    def workers(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def peak_mb(self) -> float:
        """The highest VmHWM of the workers: the peak memory of the one that did the work."""
        peaks = []
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            peaks.append(int(status.split("VmHWM:")[1].split()[0]) / 1024)
        return max(peaks)

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=60)


class Browser:
    """One person's cookies over plain HTTP connections."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        try:
            sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            page = response.read().decode("utf-8", "replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, page
        finally:
            connection.close()

    def sign_in(self) -> None:
        _, page = self.request("GET", "/login/")
        form = {"username": "analyst", "password": PASSWORD}
        form["csrfmiddlewaretoken"] = CSRF_RE.search(page).group(1)
        status, _ = self.request(
            "POST",
            "/login/",
            urlencode(form),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}/login/",
            },
        )
        if status != 302:
            raise SystemExit(f"signing in answered {status}")

    def upload(self, page: str, field: str, path: Path, kind: str | None):
        """Post `path` as a person's browser would, streamed from disk; (status, page)."""
        _, form_page = self.request("GET", page)
        fields = {"csrfmiddlewaretoken": CSRF_RE.search(form_page).group(1)}
        if kind:
            fields["kind"] = kind
        body = Multipart(fields, field, path)
        return self.request(
            "POST",
            page,
            body,
            {
                "Content-Type": f"multipart/form-data; boundary={body.boundary}",
                "Content-Length": str(body.size),
                "Referer": f"http://127.0.0.1:{self.port}{page}",
            },
        )


class Multipart:
    """A multipart/form-data body whose file part is read from disk as it is sent."""

    def __init__(self, fields: dict[str, str], field: str, path: Path) -> None:
        self.boundary = uuid.uuid4().hex
        head = b"".join(
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
            for name, value in fields.items()
        )
        head += (
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{path.name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        self.parts = [
            io.BytesIO(head),
            path.open("rb"),
            io.BytesIO(f"\r\n--{self.boundary}--\r\n".encode()),
        ]
        self.size = len(head) + path.stat().st_size + len(self.parts[2].getvalue())

    def read(self, size: int = -1) -> bytes:
        while self.parts:
            data = self.parts[0].read(size)
            if data:
                return data
            self.parts.pop(0).close()
        return b""


def _first_problem(html: str) -> str:
    """The answer's problem heading and first problem, as plain text."""
    found = re.search(r"(Nothing was imported|was not imported).{0,3000}", html, flags=re.S)
    if not found:
        return ""
    plain = " ".join(re.sub(r"<[^>]+>", " ", found.group(0)).split())
    plain = plain.replace("&#x27;", "'").replace("File Row Column Problem ", "")
    plain = plain.replace("Nothing was changed. Fix these and upload the file again. ", "")
    return plain.split(" Kind * ")[0][:160]


# --- the runs --------------------------------------------------------------------------------


def run_one(app: Path, template: Path, work: Path, name: str, path: Path, workers: int) -> dict:
    _, _, page, field, kind = CASES[name]
    database = work / f"{name}-{app.name}.sqlite3"
    shutil.copy(template, database)
    before = _counts(app, database)
    server = Server(app, database, workers)
    try:
        browser = Browser(server.port)
        browser.sign_in()
        url = f"/p/{SLUG}/2019-20/{page}"
        browser.request("GET", url)  # every worker's baseline includes the page
        baseline = server.peak_mb()
        started = time.perf_counter()
        status, answer = browser.upload(url, field, path, kind)
        seconds = time.perf_counter() - started
        peak = server.peak_mb()
    finally:
        server.stop()
    return {
        "seconds": seconds,
        "peak_mb": peak,
        "baseline_mb": baseline,
        "status": status,
        "message": _first_problem(answer),
        "unchanged": _counts(app, database) == before,
    }


def sign_in_while_busy(
    app: Path, template: Path, work: Path, name: str, path: Path, workers: int
) -> float:
    """Seconds an anonymous sign-in page takes while `name` is posted twice at once."""
    _, _, page, field, kind = CASES[name]
    database = work / f"busy-{app.name}.sqlite3"
    shutil.copy(template, database)
    server = Server(app, database, workers)
    try:
        uploads = []
        for _ in range(2):
            browser = Browser(server.port)
            browser.sign_in()
            url = f"/p/{SLUG}/2019-20/{page}"
            thread = threading.Thread(target=browser.upload, args=(url, field, path, kind))
            uploads.append(thread)
        for thread in uploads:
            thread.start()
        time.sleep(1.0)  # both uploads are being read
        started = time.perf_counter()
        status, _ = Browser(server.port).request("GET", "/login/")
        waited = time.perf_counter() - started
        for thread in uploads:
            thread.join()
    finally:
        server.stop()
    if status != 200:
        raise SystemExit(f"the sign-in page answered {status}")
    return waited


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", choices=list(CASES), default=list(CASES))
    parser.add_argument("--app", type=Path, action="append", help="serve this checkout's code")
    parser.add_argument("--sign-in", action="store_true", help="time the sign-in page too")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    parser.add_argument("--prepare", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--counts", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--build", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(*args.prepare)
        return 0
    if args.counts:
        row_counts(*args.counts)
        return 0
    if args.build:  # in its own process, so that this one stays small
        name, path = args.build
        Path(path).write_bytes(CASES[name][0]())
        return 0

    apps = [app.resolve() for app in args.app or [ROOT]]
    work = Path(tempfile.mkdtemp(prefix="wb-hostile-"))
    folder = args.keep or work
    folder.mkdir(parents=True, exist_ok=True)
    worst_time = worst_memory = 0.0
    failed = False
    try:
        templates = {}
        for app in apps:
            templates[app] = work / f"template-{app.name}.sqlite3"
            run = [sys.executable, __file__, "--prepare", str(app), str(templates[app])]
            subprocess.run(run, check=True, cwd=app)
        paths = {}
        for name in args.only:
            paths[name] = folder / CASES[name][1]
            if not paths[name].exists():
                build = [sys.executable, __file__, "--build", name, str(paths[name])]
                subprocess.run(build, check=True)
        for name in args.only:
            for app in apps:
                found = run_one(app, templates[app], work, name, paths[name], args.workers)
                changed = not found["unchanged"]
                expected = changed if name in IMPORTED else not changed
                database = ("changed" if changed else "unchanged") + ("" if expected else "!")
                print(
                    f"{name} [{app.name}]: {paths[name].stat().st_size / 1024:,.0f} KB, "
                    f"{found['seconds']:.1f} s, peak {found['peak_mb']:,.0f} MB "
                    f"({found['baseline_mb']:,.0f} MB before), HTTP {found['status']}, "
                    f"database {database}; load "
                    f"{os.getloadavg()[0]:.2f}: {found['message']}",
                    flush=True,
                )
                if app == apps[-1]:
                    worst_time = max(worst_time, found["seconds"])
                    worst_memory = max(worst_memory, found["peak_mb"])
                    failed |= not expected
        if args.sign_in:
            slowest = args.only[0]
            for app in apps:
                waited = sign_in_while_busy(
                    app, templates[app], work, slowest, paths[slowest], args.workers
                )
                print(
                    f"sign-in page while two {slowest} uploads run [{app.name}]: {waited:.2f} s; "
                    f"load {os.getloadavg()[0]:.2f}",
                    flush=True,
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    met = worst_time <= TIME_LIMIT and worst_memory <= MEMORY_LIMIT_MB and not failed
    print(
        f"hostile uploads [{apps[-1].name}]: worst {worst_time:.1f} s (limit {TIME_LIMIT:.0f}), "
        f"worst worker peak {worst_memory:,.0f} MB (limit {MEMORY_LIMIT_MB}); "
        f"{'met' if met else 'MISSED'}; load average {os.getloadavg()[0]:.2f}"
    )
    return 0 if met else 2


if __name__ == "__main__":
    sys.exit(main())

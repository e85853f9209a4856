"""How fast and how lean is `manage.py import_data` on record files, next to pandas and polars?

    .venv/bin/python benchmarks/import_records.py --rows 1000000 [--quoted] [--repeat 3]

Writes N rows shaped like data.police.uk street-level files (the 12 columns, 14 crime types,
12 months, 200 LSOAs, about 30% anti-social behaviour with no Crime ID, 2% with no location;
with --quoted, every 7th row's location is a quoted field with a comma, as in any file saved
from Excel) to a temporary file, then times whole processes, side by side and interleaved so
that all see the same load (each peak RSS, from `os.wait4`, belongs to one process alone):

- ours:   `manage.py import_data FILE --kind records --preset police-uk`, with the default
          settings: start Django, check, count, replace the dataset's months in the database,
          recount the yearly figures and log the import, in one transaction. The database is
          a fresh SQLite file per run (copies of one migrated file) unless DATABASE_URL is set;
          then each run imports into a partnership of its own, removed afterwards.
- pandas: `read_csv` + `groupby(["Crime type", "Month", "LSOA code"], dropna=False).size()`.
- polars: `scan_csv(infer_schema=False)` + the same `group_by(...).len()`, streaming.

Then one more import, in process, splits our time into counting, writing (COPY on
PostgreSQL) and the commit, and its stored counts are checked against pandas' groups. It
prints the load average before each run, the best times, the ratios ours/pandas and
ours/polars and each method's peak RSS, and one result line. Targets: from 1,000,000 rows,
ratio ours/pandas <= 0.8 and our peak RSS <= 400 MB; from 6,000,000 rows, <= 0.5 and <= 600
MB (smaller runs, as in CI, only check the counts). Exit status 1 if the counts differ, 2 if
a target is missed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)
CRIME_TYPES = [
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
    "Other crime",
]
OUTCOMES = [
    "Investigation complete; no suspect identified",
    "Unable to prosecute suspect",
    "Under investigation",
    "Status update unavailable",
    "Offender given a caution",
    "Awaiting court outcome",
]
MONTHS = [f"2019-{month:02d}" for month in range(4, 13)] + [
    f"2020-{month:02d}" for month in range(1, 4)
]
#: (from this many rows, ratio ours/pandas at most, our peak RSS at most in MB), largest first.
TARGETS = ((6_000_000, 0.5, 600), (1_000_000, 0.8, 400))


def generate(path: Path, rows: int, seed: int = 2019, *, quoted: bool = False) -> None:
    """Write `rows` police.uk-shaped rows to `path`; with `quoted`, every 7th row's location
    is a quoted field with a comma in it, as in any file saved from Excel."""
    rng = random.Random(seed)
    lsoas = [(f"E0101{8000 + i:04d}", f"Plymouth {i // 4:03d}{'ABCD'[i % 4]}") for i in range(200)]
    force = "Devon & Cornwall Police"
    crimes = CRIME_TYPES[1:]
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER + "\n")
        lines = []
        for number in range(rows):
            antisocial = rng.random() < 0.3
            crime_type = "Anti-social behaviour" if antisocial else rng.choice(crimes)
            crime_id = "" if antisocial else hashlib.sha256(b"%d" % number).hexdigest()
            outcome = "" if antisocial else rng.choice(OUTCOMES)
            if rng.random() < 0.02:
                code = name = longitude = latitude = ""
                location = "No Location"
            else:
                code, name = rng.choice(lsoas)
                longitude = f"{-4.2 + rng.random() * 0.1:.6f}"
                latitude = f"{50.35 + rng.random() * 0.1:.6f}"
                location = f"On or near Street {rng.randrange(3000)}"
                if quoted and number % 7 == 0:
                    location = '"On or near Royal Parade, City Centre"'
            month = rng.choice(MONTHS)
            lines.append(
                f"{crime_id},{month},{force},{force},{longitude},{latitude},{location},"
                f"{code},{name},{crime_type},{outcome},\n"
            )
            if len(lines) == 10_000:
                out.writelines(lines)
                lines.clear()
        out.writelines(lines)


# --- the workers, each run in a process of its own ---------------------------------------------

PERIOD = "2019/20"
KEY = ["Crime type", "Month", "LSOA code"]


def _django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def work_partnership(database_url: str, slug: str) -> dict[str, object]:
    """Create (or, with a slug starting "-", delete) a benchmark partnership."""
    _django(database_url)
    from assessments.models import Partnership

    if slug.startswith("-"):
        Partnership.objects.filter(slug=slug[1:]).delete()
    else:
        Partnership.objects.get_or_create(
            slug=slug, defaults={"name": f"Benchmark {slug}", "area_name": "Benchmark"}
        )
    return {}


def work_breakdown(path: str, database_url: str, slug: str) -> dict[str, object]:
    """Our import in process, timed in parts, and the counts it stored."""
    _django(database_url)
    from django.db import connection
    from django.db.models import Sum

    from assessments.imports.store import importer, record_imports
    from assessments.models import Partnership, RecordCount

    partnership = Partnership.objects.get(slug=slug)
    timings: dict[str, float] = {"commit": 0.0}
    reading = record_imports.records_read

    def timed_read(**options):
        started = time.perf_counter()
        try:
            return reading(**options)
        finally:
            timings["count"] = time.perf_counter() - started

    committing = connection.commit

    def timed_commit():
        started = time.perf_counter()
        try:
            return committing()
        finally:
            timings["commit"] += time.perf_counter() - started

    importer.record_imports.records_read = timed_read
    connection.commit = timed_commit
    started = time.perf_counter()
    importer.data_import(
        partnership=partnership, period=PERIOD, kind="records", paths=[path], preset="police-uk"
    )
    seconds = time.perf_counter() - started
    connection.commit = committing
    stored = (
        RecordCount.objects.filter(partnership=partnership, flag="")
        .values_list("indicator__name", "month", "lsoa_code")
        .annotate(total=Sum("count"))
    )
    return {
        "seconds": seconds,
        **timings,
        "rows_written": RecordCount.objects.filter(partnership=partnership).count(),
        "counts": {"\t".join(key): total for *key, total in stored},
    }


def work_pandas(path: str, output: str) -> None:
    import pandas as pd

    sizes = pd.read_csv(path).groupby(KEY, dropna=False).size()
    counts = {
        "\t".join("" if pd.isna(part) else str(part) for part in key): int(count)
        for key, count in sizes.items()
    }
    Path(output).write_text(json.dumps(counts))


def work_polars(path: str, output: str) -> None:
    import polars as pl

    sizes = (
        pl.scan_csv(path, infer_schema=False, empty_string_is_null=False)
        .group_by(KEY)
        .len()
        .collect(engine="streaming")
    )
    counts = {"\t".join(key): count for *key, count in sizes.iter_rows()}
    Path(output).write_text(json.dumps(counts))


# --- the runner --------------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    cpu: float
    peak_mb: float
    load: float


def _worker(*arguments: str) -> list[str]:
    return [sys.executable, __file__, "--worker", *arguments]


def measure(command: list[str], env: dict[str, str]) -> Run:
    """One whole process: wall time, CPU time and peak RSS."""
    load = os.getloadavg()[0]
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(command)} failed with exit status {code}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, load)


def run_json(command: list[str], env: dict[str, str]) -> dict:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()[-2000:]}")
    return json.loads(done.stdout or b"{}")


class Databases:
    """A fresh SQLite file per run (copies of one migrated file holding the partnership), or
    DATABASE_URL with a partnership per run."""

    def __init__(self, folder: Path) -> None:
        self.shared = os.environ.get("DATABASE_URL", "")
        self.folder = folder
        self.template = folder / "template.sqlite3"
        self.runs = 0
        self.slugs: list[str] = []
        url = self.shared or f"sqlite:///{self.template}"
        env = {**os.environ, "DATABASE_URL": url}
        migrate = subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env)
        if migrate.returncode != 0:
            raise SystemExit("could not migrate the benchmark's database")
        if not self.shared:
            run_json(_worker("partnership", url, "benchmark"), os.environ.copy())

    @property
    def label(self) -> str:
        if not self.shared:
            return "SQLite, a fresh file per run"
        return f"DATABASE_URL ({self.shared.split(':', 1)[0]})"

    def next(self) -> tuple[str, str]:
        """A database URL and a partnership slug for one run."""
        self.runs += 1
        if self.shared:
            slug = f"benchmark-{os.getpid()}-{self.runs}"
            self.slugs.append(slug)
            run_json(_worker("partnership", self.shared, slug), os.environ.copy())
            return self.shared, slug
        fresh = self.folder / f"run-{self.runs}.sqlite3"
        shutil.copy(self.template, fresh)
        return f"sqlite:///{fresh}", "benchmark"

    def clean(self) -> None:
        for slug in self.slugs:
            run_json(_worker("partnership", self.shared, f"-{slug}"), os.environ.copy())


def _targets(rows: int) -> tuple[float, float] | None:
    for from_rows, ratio, rss in TARGETS:
        if rows >= from_rows:
            return ratio, rss
    return None


def _measure_all(path: Path, databases: Databases, repeat: int, folder: Path) -> dict:
    runs: dict[str, list[Run]] = {"ours": [], "pandas": [], "polars": []}
    env = {key: value for key, value in os.environ.items() if key != "WORKBENCH_UPLOAD_MAX_MB"}
    for _ in range(repeat):  # interleaved, so that all see the same load
        url, slug = databases.next()
        command = [sys.executable, "manage.py", "import_data", str(path), "--kind", "records"]
        command += ["--preset", "police-uk", "--partnership", slug, "--period", PERIOD]
        runs["ours"].append(measure([*command, "--quiet-progress"], {**env, "DATABASE_URL": url}))
        for method in ("pandas", "polars"):
            output = str(folder / f"{method}.json")
            runs[method].append(measure(_worker(method, str(path), output), env))
    for method, measured in runs.items():
        for number, run in enumerate(measured, start=1):
            print(
                f"  {method:>6} run {number}: load average {run.load:.2f} before; "
                f"{run.seconds:.2f} s, {run.cpu:.2f} s CPU, peak RSS {run.peak_mb:.0f} MB"
            )
    return runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--quoted", action="store_true", help="a quoted field every 7th row")
    parser.add_argument("--repeat", type=int, default=3, help="runs per method; best time kept")
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        method, *rest = args.worker
        result = {
            "partnership": work_partnership,
            "breakdown": work_breakdown,
            "pandas": work_pandas,
            "polars": work_polars,
        }[method](*rest)
        if result is not None:
            json.dump(result, sys.stdout)
        return 0

    with tempfile.TemporaryDirectory(prefix="workbench-bench-") as name:
        folder = Path(name)
        path = folder / "2019-20-devon-and-cornwall-street.csv"
        started = time.perf_counter()
        generate(path, args.rows, args.seed, quoted=args.quoted)
        size_mb = path.stat().st_size / 1_048_576
        shape = "quoted field every 7th row" if args.quoted else "no quotes"
        print(
            f"generated {args.rows:,} rows ({size_mb:,.0f} MB, {shape}) in "
            f"{time.perf_counter() - started:.1f} s"
        )
        databases = Databases(folder)
        print(f"ours imports into {databases.label}")
        try:
            runs = _measure_all(path, databases, max(args.repeat, 1), folder)
            url, slug = databases.next()
            load = os.getloadavg()[0]
            detail = run_json(_worker("breakdown", str(path), url, slug), os.environ.copy())
        finally:
            databases.clean()
        pandas_counts = json.loads((folder / "pandas.json").read_text())
        polars_counts = json.loads((folder / "polars.json").read_text())

    best = {method: min(measured, key=lambda run: run.seconds) for method, measured in runs.items()}
    peak = {method: max(run.peak_mb for run in measured) for method, measured in runs.items()}
    for method in runs:
        print(
            f"{method:>6}: {best[method].seconds:6.2f} s (best of {len(runs[method])}, whole "
            f"process; {best[method].cpu:.2f} s CPU)   peak RSS {peak[method]:6.0f} MB"
        )
    print(
        f"  ours in process (load {load:.2f} before): {detail['seconds']:.2f} s = "
        f"{detail['count']:.2f} s checking and counting + "
        f"{detail['seconds'] - detail['count'] - detail['commit']:.2f} s writing "
        f"{detail['rows_written']:,} totals and the yearly figures + {detail['commit']:.2f} s "
        "commit"
    )
    ours = detail["counts"]
    same = ours == pandas_counts == polars_counts
    print(
        f"totals: ours (in the database) {sum(ours.values()):,}, pandas "
        f"{sum(pandas_counts.values()):,}, polars {sum(polars_counts.values()):,}; "
        f"{len(ours):,} groups, {'identical' if same else 'DIFFERENT'}"
    )
    ratio = best["ours"].seconds / best["pandas"].seconds
    to_polars = best["ours"].seconds / best["polars"].seconds
    targets = _targets(args.rows)
    verdict = "targets apply from 1,000,000 rows; not checked"
    met = True
    if targets is not None:
        ratio_goal, rss_goal = targets
        met = ratio <= ratio_goal and peak["ours"] <= rss_goal
        verdict = (
            f"targets ratio <= {ratio_goal}, RSS <= {rss_goal} MB: {'met' if met else 'MISSED'}"
        )
    print(
        f"import_records: {args.rows:,} rows, {shape}, {databases.label}: ours "
        f"{best['ours'].seconds:.2f} s, pandas {best['pandas'].seconds:.2f} s, polars "
        f"{best['polars'].seconds:.2f} s; ratio ours/pandas {ratio:.2f}, ours/polars "
        f"{to_polars:.2f}; peak RSS ours {peak['ours']:.0f} MB, pandas {peak['pandas']:.0f} MB, "
        f"polars {peak['polars']:.0f} MB; {verdict}"
    )
    if not same:
        return 1
    return 0 if met else 2


if __name__ == "__main__":
    sys.exit(main())

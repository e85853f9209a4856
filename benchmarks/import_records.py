"""How fast and how lean is the record-level import, end to end, next to pandas?

    .venv/bin/python benchmarks/import_records.py --rows 1000000 [--repeat 3]

Writes N rows shaped like data.police.uk street-level files (the 12 columns, 14 crime types,
12 months, 200 LSOAs, about 30% anti-social behaviour with no Crime ID, 2% with no location)
to a temporary file, then, in a fresh subprocess per method and per repeat (so that each peak
RSS, from `os.wait4`, belongs to one method alone):

- ours:   the whole import, through the function `manage.py import_data` calls:
          `data_import(paths=[file], kind="records", preset="police-uk")`: parse, validate,
          count, replace the dataset's months in the database, recount the yearly figures
          and log the import, in one transaction. The database is a fresh SQLite file
          (migrated once, copied for each run) unless DATABASE_URL is set; then that database
          is migrated and each run imports into a partnership of its own, removed afterwards.
- pandas: `read_csv` + `groupby(["Crime type", "Month", "LSOA code"], dropna=False).size()`.

It checks that the counts stored in the database equal pandas' groups, and prints both times
(best of --repeat), our time split into counting and writing, the peak RSS of each process
and the ratio ours/pandas. Targets (issue 3, for 1,000,000 rows): ratio <= 1.5 and our peak
RSS < 400 MB; they are checked from 1,000,000 rows up (smaller runs, as in CI, only check
the counts). Exit status 1 if the counts differ, 2 if a target is missed.
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
TARGET_RATIO = 1.5
TARGET_RSS_MB = 400
TARGET_ROWS = 1_000_000


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


# --- the workers, each run in its own process --------------------------------------------------

PERIOD = "2019/20"
#: The benchmark's files are larger than the default 100 MB upload limit.
UPLOAD_MAX_MB = "100000"


def _django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["WORKBENCH_UPLOAD_MAX_MB"] = UPLOAD_MAX_MB
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def run_ours(path: str, database_url: str) -> dict[str, object]:
    _django(database_url)
    from django.db.models import Sum

    from assessments.imports.store import importer, record_imports
    from assessments.models import Partnership, RecordCount

    partnership = Partnership.objects.create(
        name="Benchmark", slug=f"benchmark-{os.getpid()}", area_name="Benchmark"
    )
    timings: dict[str, float] = {}
    reading = record_imports.records_read

    def timed_read(**options):  # the counting part, timed on its own
        started = time.perf_counter()
        try:
            return reading(**options)
        finally:
            timings["count"] = time.perf_counter() - started

    importer.record_imports.records_read = timed_read
    try:
        started = time.perf_counter()
        importer.data_import(
            partnership=partnership,
            period=PERIOD,
            kind="records",
            paths=[path],
            preset="police-uk",
        )
        seconds = time.perf_counter() - started
        stored = (
            RecordCount.objects.filter(partnership=partnership, flag="")
            .values_list("indicator__name", "month", "lsoa_code")
            .annotate(total=Sum("count"))
        )
        counts = {"\t".join(key): total for *key, total in stored}
        written = RecordCount.objects.filter(partnership=partnership).count()
    finally:
        if not database_url.startswith("sqlite"):
            partnership.delete()
    return {
        "seconds": seconds,
        "count_seconds": timings["count"],
        "rows_written": written,
        "counts": counts,
    }


def run_pandas(path: str, database_url: str) -> dict[str, object]:
    import pandas as pd

    started = time.perf_counter()
    frame = pd.read_csv(path)
    sizes = frame.groupby(["Crime type", "Month", "LSOA code"], dropna=False).size()
    seconds = time.perf_counter() - started
    counts = {
        "\t".join("" if pd.isna(part) else str(part) for part in key): int(count)
        for key, count in sizes.items()
    }
    return {"seconds": seconds, "counts": counts}


WORKERS = {"ours": run_ours, "pandas": run_pandas}


@dataclass
class Run:
    seconds: float
    cpu: float
    peak_mb: float
    result: dict


def measure(method: str, path: Path, database_url: str) -> Run:
    """One method's run in a child process of its own: times, CPU, peak RSS and its result."""
    child = subprocess.Popen(
        [sys.executable, __file__, "--worker", method, str(path), database_url],
        stdout=subprocess.PIPE,
        cwd=ROOT,
    )
    output = child.stdout.read() if child.stdout else b""
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"the {method} worker failed with exit status {child.returncode}")
    result = json.loads(output)
    cpu = usage.ru_utime + usage.ru_stime
    return Run(result["seconds"], cpu, usage.ru_maxrss / 1024, result)


class Databases:
    """A fresh SQLite database per run (copies of one migrated file), or DATABASE_URL."""

    def __init__(self, folder: Path) -> None:
        self.shared = os.environ.get("DATABASE_URL", "")
        self.folder = folder
        self.template = folder / "template.sqlite3"
        self.runs = 0
        url = self.shared or f"sqlite:///{self.template}"
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url},
            check=False,
        )
        if migrate.returncode != 0:
            raise SystemExit("could not migrate the benchmark's database")

    @property
    def label(self) -> str:
        if not self.shared:
            return "a fresh SQLite file per run"
        return f"DATABASE_URL ({self.shared.split(':', 1)[0]})"

    def next(self) -> str:
        if self.shared:
            return self.shared
        self.runs += 1
        fresh = self.folder / f"run-{self.runs}.sqlite3"
        shutil.copy(self.template, fresh)
        return f"sqlite:///{fresh}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per method; best time kept")
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument(
        "--worker", nargs=3, metavar=("METHOD", "PATH", "DB"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()

    if args.worker:
        method, path, database_url = args.worker
        json.dump(WORKERS[method](path, database_url), sys.stdout)
        return 0

    with tempfile.TemporaryDirectory(prefix="workbench-bench-") as folder:
        path = Path(folder) / "2019-20-devon-and-cornwall-street.csv"
        started = time.perf_counter()
        generate(path, args.rows, args.seed)
        size_mb = path.stat().st_size / 1_048_576
        print(
            f"generated {args.rows:,} rows ({size_mb:,.0f} MB) in "
            f"{time.perf_counter() - started:.1f} s; load average {os.getloadavg()[0]:.2f}"
        )
        databases = Databases(Path(folder))
        print(f"ours imports into {databases.label}")
        runs: dict[str, list[Run]] = {method: [] for method in WORKERS}
        for _ in range(max(args.repeat, 1)):  # interleaved, so that both see the same load
            for method in WORKERS:
                runs[method].append(measure(method, path, databases.next()))
        for method, measured in runs.items():
            best = min(measured, key=lambda run: run.seconds)
            peak = max(run.peak_mb for run in measured)
            detail = ""
            if method == "ours":
                counting = best.result["count_seconds"]
                detail = (
                    f"\n        = {counting:.2f} s checking and counting + "
                    f"{best.seconds - counting:.2f} s writing {best.result['rows_written']:,} "
                    "totals and the yearly figures"
                )
            print(
                f"{method:>6}: {best.seconds:6.2f} s (best of {len(measured)}; whole process "
                f"{best.cpu:.2f} s CPU)   peak RSS {peak:6.0f} MB{detail}"
            )
        print(f"load average after: {os.getloadavg()[0]:.2f}")

    ours = min(runs["ours"], key=lambda run: run.seconds)
    pandas = min(runs["pandas"], key=lambda run: run.seconds)
    ours_counts, pandas_counts = ours.result["counts"], pandas.result["counts"]
    same = ours_counts == pandas_counts
    print(
        f"totals: ours (in the database) {sum(ours_counts.values()):,}, pandas "
        f"{sum(pandas_counts.values()):,}, {len(ours_counts):,} groups, "
        f"{'identical' if same else 'DIFFERENT'}"
    )
    ratio = ours.seconds / pandas.seconds
    peak = max(run.peak_mb for run in runs["ours"])
    ratio_ok = ratio <= TARGET_RATIO
    rss_ok = peak < TARGET_RSS_MB
    checked = args.rows >= TARGET_ROWS
    if checked:
        print(
            f"ratio ours/pandas: {ratio:.2f} (target <= {TARGET_RATIO}: "
            f"{'met' if ratio_ok else 'MISSED'}); our peak RSS {peak:.0f} MB "
            f"(target < {TARGET_RSS_MB} MB: {'met' if rss_ok else 'MISSED'})"
        )
    else:
        print(
            f"ratio ours/pandas: {ratio:.2f}; our peak RSS {peak:.0f} MB (the targets apply "
            f"from {TARGET_ROWS:,} rows, where fixed costs no longer dominate; not checked here)"
        )
    if not same:
        return 1
    return 0 if (ratio_ok and rss_ok) or not checked else 2


if __name__ == "__main__":
    sys.exit(main())

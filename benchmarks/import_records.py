"""How fast and how lean is the record-level import, next to pandas?

    .venv/bin/python benchmarks/import_records.py --rows 1000000

Writes N rows shaped like data.police.uk street-level files (the 12 columns, 14 crime types,
12 months, 200 LSOAs, about 30% anti-social behaviour with no Crime ID, 2% with no location)
to a temporary file, then counts them by crime type, month and LSOA in a fresh subprocess per
method and per repeat, so that each peak RSS (from `os.wait4`) belongs to one method alone:

- ours:   `aggregate_records(..., POLICE_UK)`
- pandas: `read_csv` + `groupby(["Crime type", "Month", "LSOA code"], dropna=False).size()`

It checks that both give the same counts and prints the times (best of --repeat), peak RSS
and the ratio ours/pandas. Targets: ratio <= 1.5 and our peak RSS < 400 MB. Exit status 1 if
the counts differ, 2 if a target is missed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
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


def generate(path: Path, rows: int, seed: int = 2019) -> None:
    """Write `rows` police.uk-shaped rows to `path`."""
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


def run_ours(path: str) -> dict[str, object]:
    from assessments.imports import POLICE_UK, aggregate_records

    def opener():
        return open(path, "rb")  # closed by aggregate_records

    started = time.perf_counter()
    aggregate = aggregate_records([(Path(path).name, opener)], POLICE_UK, max_bytes=8 * 1024**3)
    counts = {"\t".join(key[:3]): count for key, count in aggregate.counts.items() if key[3] == ""}
    return {"seconds": time.perf_counter() - started, "counts": counts}


def run_pandas(path: str) -> dict[str, object]:
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


def measure(method: str, path: Path) -> tuple[float, float, float, dict[str, int]]:
    """(seconds, CPU seconds of the whole process, peak RSS in MB, counts) of one method, run
    in a child process of its own."""
    child = subprocess.Popen(
        [sys.executable, __file__, "--worker", method, str(path)],
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
    return result["seconds"], cpu, usage.ru_maxrss / 1024, result["counts"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per method; best time kept")
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--worker", nargs=2, metavar=("METHOD", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        method, path = args.worker
        json.dump(WORKERS[method](path), sys.stdout)
        return 0

    with tempfile.TemporaryDirectory(prefix="workbench-bench-") as folder:
        path = Path(folder) / "2019-20-devon-and-cornwall-street.csv"
        started = time.perf_counter()
        generate(path, args.rows, args.seed)
        size_mb = path.stat().st_size / 1_048_576
        print(
            f"generated {args.rows:,} rows ({size_mb:,.0f} MB) in "
            f"{time.perf_counter() - started:.1f} s"
        )
        runs: dict[str, list[tuple[float, float, float, dict[str, int]]]] = {
            method: [] for method in WORKERS
        }
        for _ in range(max(args.repeat, 1)):  # interleaved, so that both see the same load
            for method in WORKERS:
                runs[method].append(measure(method, path))
        results = {}
        for method, measured in runs.items():
            seconds = min(run[0] for run in measured)
            cpu = min(run[1] for run in measured)
            peak = max(run[2] for run in measured)
            results[method] = (seconds, peak, measured[0][3])
            print(
                f"{method:>6}: {seconds:6.2f} s (best of {len(measured)}; whole process "
                f"{cpu:.2f} s CPU)   peak RSS {peak:6.0f} MB"
            )

    ours, pandas = results["ours"], results["pandas"]
    same = ours[2] == pandas[2]
    total = sum(ours[2].values())
    print(
        f"totals: ours {total:,}, pandas {sum(pandas[2].values()):,}, "
        f"{len(ours[2]):,} groups, {'identical' if same else 'DIFFERENT'}"
    )
    ratio = ours[0] / pandas[0]
    ratio_ok = ratio <= TARGET_RATIO
    rss_ok = ours[1] < TARGET_RSS_MB
    print(
        f"ratio ours/pandas: {ratio:.2f} (target <= {TARGET_RATIO}: "
        f"{'met' if ratio_ok else 'MISSED'}); our peak RSS {ours[1]:.0f} MB "
        f"(target < {TARGET_RSS_MB} MB: {'met' if rss_ok else 'MISSED'})"
    )
    if not same:
        return 1
    return 0 if ratio_ok and rss_ok else 2


if __name__ == "__main__":
    sys.exit(main())

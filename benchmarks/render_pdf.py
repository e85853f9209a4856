"""Render the Plymouth demo's PDF report and print its page count and render time.

    python benchmarks/render_pdf.py [--runs 3] [--output /tmp/plymouth.pdf]

Uses the database in DATABASE_URL (SQLite by default), migrated first. Loads the full demo
(`load_demo`: the seed's register, scores, narrative and emerging issues) inside a transaction
that is rolled back, so nothing is left behind. Each run reads the report snapshot afresh (as
an unpublished assessment's download does) and lays it out with WeasyPrint; both parts are
timed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from reports.demo import demo_full_load  # noqa: E402
from reports.files import assessment_pdf_document  # noqa: E402
from reports.snapshot import current_snapshot  # noqa: E402


class Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--output", default="/tmp/plymouth-2019-20.pdf")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    try:
        with transaction.atomic():
            assessment = demo_full_load()
            timings, reading = [], []
            for _ in range(args.runs):
                started = time.perf_counter()
                snapshot = current_snapshot(assessment)
                read = time.perf_counter()
                document = assessment_pdf_document(snapshot)
                pdf = document.write_pdf()
                timings.append(time.perf_counter() - started)
                reading.append(read - started)
            Path(args.output).write_bytes(pdf)
            pages = len(document.pages)
            risks = assessment.risks.count()
            themes = assessment.themes.count()
            raise Rollback
    except Rollback:
        pass
    print(f"demo assessment: {risks} risks in {themes} themes")
    print(f"pages: {pages}")
    print(
        f"render time: best {min(timings):.2f} s, "
        f"mean {sum(timings) / len(timings):.2f} s over {len(timings)} runs "
        f"(reading the snapshot: best {min(reading):.2f} s)"
    )
    print(f"size: {len(pdf) / 1024:.0f} KiB, written to {args.output}")


if __name__ == "__main__":
    main()

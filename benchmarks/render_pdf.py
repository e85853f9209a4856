"""Render the Plymouth demo's PDF report and print its page count and render time.

    python benchmarks/render_pdf.py [--runs 3] [--output /tmp/plymouth.pdf]

Uses the database in DATABASE_URL (SQLite by default). Runs `load_demo`; if the demo has no
scored risks yet, fills the demo assessment for the run only (from the demo's scoring sheet and
the seed's crime summary) inside a transaction that is rolled back, so nothing is left behind.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from assessments.demo import demo_load  # noqa: E402
from assessments.models import (  # noqa: E402
    Area,
    AreaKind,
    Assessment,
    Indicator,
    IndicatorValue,
    Population,
    Risk,
    ScoreKind,
    Theme,
)
from assessments.scoring import DEFAULT_MODEL  # noqa: E402
from assessments.services import factor_score_set  # noqa: E402
from reports.files import assessment_pdf_document  # noqa: E402

SCORES = ROOT / "assessments" / "demo_data" / "plymouth-2019-20-scores.csv"
SEED_DATA = Path("/work/shared/data/plymouth-2019-20")
HARM_AND_LIKELIHOOD = {"harm", "likelihood"}


class Rollback(Exception):
    pass


def fill_demo(assessment: Assessment) -> None:
    """Themes, risks and scores from the demo scoring sheet; crime figures from the seed."""
    by_name = {factor.name: factor for factor in DEFAULT_MODEL.factors}
    themes: dict[str, Theme] = {}
    risks: dict[tuple[str, str], Risk] = {}
    with SCORES.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            theme = themes.get(row["theme"])
            if theme is None:
                theme, _ = Theme.objects.get_or_create(
                    assessment=assessment, name=row["theme"], defaults={"order": len(themes)}
                )
                themes[row["theme"]] = theme
            key = (row["theme"], row["risk"])
            if key not in risks:
                risks[key], _ = Risk.objects.get_or_create(
                    assessment=assessment,
                    name=row["risk"],
                    defaults={"theme": theme, "order": len(risks)},
                )
            factor = by_name[row["factor"]]
            kind = (
                ScoreKind.ANALYST if factor.dimension in HARM_AND_LIKELIHOOD else ScoreKind.AGREED
            )
            factor_score_set(
                risk=risks[key],
                factor_key=factor.key,
                kind=kind,
                level_label=row["level"],
                note=row["comment"],
            )
    slavery = Risk.objects.filter(assessment=assessment, name__icontains="slavery").first()
    if slavery and not slavery.is_priority:
        slavery.is_priority = True
        slavery.priority_reason = "Retained as a priority due to continued national focus."
        slavery.save()
    if (SEED_DATA / "crime-summary.csv").exists():
        partnership = assessment.partnership
        area, _ = Area.objects.get_or_create(
            partnership=partnership, kind=AreaKind.PARTNERSHIP, defaults={"name": "Plymouth"}
        )
        Population.objects.get_or_create(
            area=area, period=assessment.period, defaults={"population": 262100}
        )
        with (SEED_DATA / "crime-summary.csv").open(newline="", encoding="utf-8") as handle:
            for order, row in enumerate(csv.DictReader(handle)):
                indicator, _ = Indicator.objects.get_or_create(
                    partnership=partnership, name=row["category"], defaults={"order": order}
                )
                msg = row.get("msg_rate_per_1000") or None
                IndicatorValue.objects.update_or_create(
                    indicator=indicator,
                    area=area,
                    period=row["period"],
                    defaults={
                        "value": int(row["count"]),
                        "msg_rate_per_1000": msg and Decimal(msg),
                    },
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--output", default="/tmp/plymouth-2019-20.pdf")
    args = parser.parse_args()
    try:
        with transaction.atomic():
            assessment = demo_load()
            filled = not assessment.risks.exists()
            if filled:
                fill_demo(assessment)
            timings = []
            for _ in range(args.runs):
                started = time.perf_counter()
                document = assessment_pdf_document(assessment)
                pdf = document.write_pdf()
                timings.append(time.perf_counter() - started)
            Path(args.output).write_bytes(pdf)
            pages = len(document.pages)
            risks = assessment.risks.count()
            themes = assessment.themes.count()
            raise Rollback
    except Rollback:
        pass
    print(
        f"demo assessment: {risks} risks in {themes} themes"
        + (" (filled for this run)" if filled else "")
    )
    print(f"pages: {pages}")
    print(
        f"render time: best {min(timings):.2f} s, "
        f"mean {sum(timings) / len(timings):.2f} s over {len(timings)} runs"
    )
    print(f"size: {len(pdf) / 1024:.0f} KiB, written to {args.output}")


if __name__ == "__main__":
    main()

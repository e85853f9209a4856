"""Time the heavy pages of a large assessment and count their SQL queries.

    .venv/bin/python benchmarks/page_speed.py [--organisations 60] [--risks 40] [--rounds 3]
                                              [--runs 5]

Builds a throwaway assessment (every organisation submits every partner factor of every risk
in every round, written with bulk_create) in the database in DATABASE_URL, else in
/tmp/wb-pagespeed.sqlite3 (migrated first), then requests each page with Django's test client
as the facilitator or a board member and prints the median server time over N runs and the
number of SQL queries. The data lives in its own partnership (`page-speed`), removed first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG = "page-speed"
PERIOD = "2019/20"


@dataclass(frozen=True)
class Page:
    label: str
    url_name: str
    who: str  # "facilitator" or "board"
    extra: tuple[tuple[str, object], ...] = ()


PAGES = (
    Page("workshop dashboard", "workshops:dashboard", "facilitator", (("pk", "workshop"),)),
    Page("dashboard live fragment", "workshops:live", "facilitator", (("pk", "workshop"),)),
    Page("results", "reports:results", "board"),
    Page("risk register", "reports:register", "board"),
    Page("risk page", "reports:risk_detail", "board", (("risk_id", "risk"),)),
    Page("export JSON", "reports:export", "board", (("fmt", "json"),)),
    Page("export CSV", "reports:export", "board", (("fmt", "csv"),)),
    Page("export XLSX", "reports:export", "board", (("fmt", "xlsx"),)),
    Page("export PDF", "reports:export", "board", (("fmt", "pdf"),)),
)


def build_world(organisations: int, risks: int, rounds: int, slug: str = SLUG) -> dict:
    """A partnership with N organisations, R scored risks and a workshop of `rounds` rounds."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from assessments.models import (
        Assessment,
        Membership,
        Organisation,
        Partnership,
        Risk,
        RiskFactorScore,
        Role,
        ScoreKind,
        Theme,
    )
    from assessments.scoring import analyst_factors, partner_factors
    from assessments.services import assessment_spec
    from workshops.models import Round, RoundRisk, Submission, Workshop, WorkshopStatus

    users = get_user_model()
    partnership = Partnership.objects.create(name=f"Safer {slug}", slug=slug, area_name=slug)
    assessment = Assessment.objects.create(partnership=partnership, period=PERIOD)
    spec = assessment_spec(assessment)
    orgs = Organisation.objects.bulk_create(
        Organisation(partnership=partnership, name=f"Agency {n:03}") for n in range(organisations)
    )
    people = {}
    for role in ("facilitator", "board"):
        user = users.objects.create(username=f"{slug}-{role}")
        user.set_unusable_password()
        user.save()
        Membership.objects.create(
            user=user,
            partnership=partnership,
            organisation=orgs[0],
            role=getattr(Role, role.upper()),
        )
        people[role] = user
    themes = Theme.objects.bulk_create(
        Theme(assessment=assessment, name=f"Theme {n}", order=n) for n in range(max(1, risks // 8))
    )
    risk_rows = Risk.objects.bulk_create(
        Risk(assessment=assessment, theme=themes[n % len(themes)], name=f"Risk {n:03}", order=n)
        for n in range(risks)
    )
    # The analyst pre-scores harm and likelihood; partners give the rest in the workshop.
    analyst, partner = analyst_factors(spec), partner_factors(spec)
    RiskFactorScore.objects.bulk_create(
        RiskFactorScore(
            risk=risk,
            factor_key=f.key,
            kind=ScoreKind.ANALYST,
            value=f.levels[(i + j) % len(f.levels)].value,
            level_label=f.levels[(i + j) % len(f.levels)].label,
        )
        for i, risk in enumerate(risk_rows)
        for j, f in enumerate(analyst)
    )
    workshop = Workshop.objects.create(
        assessment=assessment,
        title="Big workshop",
        status=WorkshopStatus.OPEN,
        opened_at=timezone.now(),
        created_by=people["facilitator"],
    )
    workshop.risks.set(risk_rows)
    workshop.organisations.set(orgs)
    round_rows = Round.objects.bulk_create(
        Round(workshop=workshop, number=n + 1) for n in range(rounds)
    )
    RoundRisk.objects.bulk_create(
        RoundRisk(round=r, risk=risk, revealed_at=timezone.now())
        for r in round_rows
        for risk in risk_rows
    )
    Submission.objects.bulk_create(
        (
            Submission(
                round=r,
                risk=risk,
                organisation=org,
                factor_key=f.key,
                value=f.levels[(o + i + j + n) % len(f.levels)].value,
                level_label=f.levels[(o + i + j + n) % len(f.levels)].label,
            )
            for n, r in enumerate(round_rows)
            for o, org in enumerate(orgs)
            for i, risk in enumerate(risk_rows)
            for j, f in enumerate(partner)
        ),
        batch_size=2000,
    )
    return {
        "assessment": assessment,
        "workshop": workshop,
        "risk": risk_rows[0],
        "people": people,
        "slug": slug,
    }


def page_url(page: Page, world: dict) -> str:
    from django.urls import reverse

    kwargs: dict[str, object] = {"partnership": world["slug"], "period": PERIOD.replace("/", "-")}
    for key, value in page.extra:
        kwargs[key] = world[value].pk if value in ("workshop", "risk") else value
    return reverse(page.url_name, kwargs=kwargs)


def measure(client, page: Page, world: dict, runs: int = 1) -> tuple[float, int]:
    """Median milliseconds over `runs` requests, and the SQL query count of the last one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world["people"][page.who])
    url = page_url(page, world)
    times, count = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{page.label}: {url} answered {response.status_code}")
        count = len(queries)
    return statistics.median(times), count


def _remove_earlier_run() -> None:
    from django.contrib.auth import get_user_model

    from assessments.models import Membership, Partnership, ScoreChange

    # The benchmark's own made-up audit trail: it protects its assessment from deletion.
    ScoreChange.objects.filter(assessment__partnership__slug=SLUG).delete()
    Membership.objects.filter(partnership__slug=SLUG).delete()
    get_user_model().objects.filter(username__startswith=f"{SLUG}-").delete()
    Partnership.objects.filter(slug=SLUG).delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organisations", type=int, default=60)
    parser.add_argument("--risks", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=5, help="requests per page; median kept")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/wb-pagespeed.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's template capture and ALLOWED_HOSTS
    settings.SECURE_SSL_REDIRECT = False
    call_command("migrate", verbosity=0)
    _remove_earlier_run()
    started = time.perf_counter()
    world = build_world(args.organisations, args.risks, args.rounds)
    print(
        f"Built {args.organisations} organisations × {args.risks} risks × {args.rounds} rounds "
        f"in {time.perf_counter() - started:.1f} s ({settings.DATABASES['default']['ENGINE']})"
    )
    client = Client()
    results = []
    for page in PAGES:
        measure(client, page, world)  # warm up caches and imports
        results.append((page, *measure(client, page, world, args.runs)))
    print(f"\n{'page':<26}{'median ms':>10}{'queries':>9}")
    for page, ms, count in results:
        print(f"{page.label:<26}{ms:>10.1f}{count:>9}")
    print()
    for page, ms, count in results:
        print(f"page-speed: {page.label}: {ms:.1f} ms median of {args.runs}, {count} queries")
    _remove_earlier_run()


if __name__ == "__main__":
    main()

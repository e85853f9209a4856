"""The Plymouth 2019/20 demo from the seed document, loaded by `manage.py load_demo`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from assessments.models import Assessment, Membership, Organisation, Partnership, Role

DEMO_PASSWORD = "plymouth-demo"
DEMO_SLUG = "plymouth"
DEMO_PERIOD = "2019/20"
DEMO_DATA = Path(__file__).resolve().parent / "demo_data"
# The evidence files the demo imports, through the same service as the upload page.
# (kind, file, the name the figures are shown as coming from; None: the file's name)
DEMO_EVIDENCE = [
    ("summary", "crime-summary.csv", None),
    ("population", "area.csv", None),
    ("indicators", "indicators.csv", None),
    # The seed printed only its five highest-rate neighbourhoods: the page says so.
    ("summary", "neighbourhood-crime.csv", "the seed's five highest-rate neighbourhoods"),
    ("population", "neighbourhood-population.csv", None),
]

RESPONSIBLE_AUTHORITIES = [
    "Plymouth City Council",
    "Devon and Cornwall Police",
    "Devon and Somerset Fire and Rescue Service",
    "National Probation Service",
    "Dorset, Devon and Cornwall Community Rehabilitation Company",
    "Devon Clinical Commissioning Group",
]
# The other organisations the seed thanks for their part in the workshop.
OTHER_ORGANISATIONS = [
    "Devon and Cornwall Probation Service",
    "NSPCC (Together for Childhood)",
    "University Hospitals Plymouth NHS Trust",
    "Plymouth Safeguarding Children Partnership",
    "The Zone Plymouth",
    "Hamoaze House",
    "Harbour",
    "The Department for Work and Pensions",
    "Peninsula Crime Analysts' Network",
    "Trevi",
    "Barnardo's",
    "Plymouth and Devon Racial Equality Council",
    "Plymouth CAB",
    "Youth Offending Service",
    "Plymouth Domestic Abuse Service",
    "Plymouth Community Homes",
    "Livewell South West",
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    organisation: str


DEMO_USERS = [
    DemoUser("admin", "Alex Admin", Role.ADMIN, "Plymouth City Council"),
    DemoUser("analyst", "Asha Analyst", Role.ANALYST, "Plymouth City Council"),
    DemoUser("facilitator", "Fran Facilitator", Role.FACILITATOR, "Plymouth City Council"),
    DemoUser("police", "Pat Police", Role.PARTNER, "Devon and Cornwall Police"),
    DemoUser("council", "Chris Council", Role.PARTNER, "Plymouth City Council"),
    DemoUser("fire", "Faye Fire", Role.PARTNER, "Devon and Somerset Fire and Rescue Service"),
    DemoUser("board", "Bola Board", Role.BOARD, "Plymouth City Council"),
]


@transaction.atomic
def demo_load() -> Assessment:
    """Create or refresh the demo partnership, people and assessment; safe to run again."""
    partnership, _ = Partnership.objects.update_or_create(
        slug=DEMO_SLUG, defaults={"name": "Safer Plymouth", "area_name": "Plymouth"}
    )
    organisations = {}
    for names, statutory in ((RESPONSIBLE_AUTHORITIES, True), (OTHER_ORGANISATIONS, False)):
        for name in names:
            organisations[name], _ = Organisation.objects.update_or_create(
                partnership=partnership,
                name=name,
                defaults={"is_responsible_authority": statutory},
            )
    user_model = get_user_model()
    for demo_user in DEMO_USERS:
        first, last = demo_user.full_name.split(" ", 1)
        user, created = user_model.objects.get_or_create(
            username=demo_user.username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.update_or_create(
            user=user,
            partnership=partnership,
            defaults={
                "role": demo_user.role,
                "organisation": organisations[demo_user.organisation],
            },
        )
    assessment, _ = Assessment.objects.get_or_create(partnership=partnership, period=DEMO_PERIOD)
    if not assessment.is_published:
        demo_load_evidence(partnership)
    return assessment


def demo_load_evidence(partnership: Partnership) -> None:
    """Import the seed's crime table, population and other statistics (re-importing replaces).

    The seed has no monthly figures, so the demo has no seasonal pattern: the evidence page
    says why rather than showing made-up months."""
    from assessments.imports import data_import

    for kind, filename, source in DEMO_EVIDENCE:
        with (DEMO_DATA / filename).open("rb") as data:
            data_import(
                partnership=partnership,
                period=DEMO_PERIOD,
                kind=kind,
                files=[(filename, data)],
                dataset=source,
                log=False,
            )

"""The full Plymouth 2019/20 demo: people (assessments.demo), the seed's risk register, the
demo scores imported as an offline scoring sheet, the seed's priority override, the seed's
narrative per theme and emerging issues (reports/demo_narrative.py), its front matter
(reports/demo_front_matter.py), and a draft workshop for
the demo's partners to try."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from assessments.demo import demo_load
from assessments.imports import parse_register, read_table
from assessments.models import (
    Assessment,
    EmergingIssue,
    ImportRun,
    Indicator,
    Organisation,
    Risk,
    Theme,
)
from assessments.services import risk_set_priority
from reports.demo_front_matter import FRONT_MATTER
from reports.demo_narrative import EMERGING_ISSUES, THEME_NARRATIVE
from reports.demo_previous_year import demo_previous_year_load
from reports.models import ReportSection
from reports.prose import NARRATIVE_HEADINGS
from reports.services import emerging_issue_save, report_section_set, theme_narrative_set
from workshops.models import Workshop
from workshops.services import workshop_create
from workshops.sheet.apply import score_sheet_import

DEMO_DATA = Path(__file__).resolve().parent.parent / "assessments" / "demo_data"
REGISTER = DEMO_DATA / "plymouth-2019-20-risk-register.csv"
SCORES = DEMO_DATA / "plymouth-2019-20-scores.csv"
PRIORITY_RISK = "Modern slavery"
PRIORITY_REASON = (
    "Although rated as a moderate risk, it is recommended that this is retained as a Safer "
    "Plymouth priority due to continued national focus."
)
DEMO_FILE_LIMIT = 10 * 1024 * 1024
DEMO_WORKSHOP = "Partnership scoring workshop"
DEMO_PARTNERS = ("police", "council", "fire")


def demo_register_load(assessment: Assessment) -> None:
    """The seed's themes and risks, in the seed's order (the register file's order), each
    linked to the crime-table categories and health indicators in its `categories` column."""
    rows = parse_register(
        read_table(REGISTER.read_bytes(), REGISTER.name, max_bytes=DEMO_FILE_LIMIT),
        allow_extra_columns=True,
    )
    indicators = {
        i.name.casefold(): i for i in Indicator.objects.filter(partnership=assessment.partnership)
    }
    themes: dict[str, Theme] = {}
    risk_order: dict[str, int] = {}
    for row in rows:
        if row.theme not in themes:
            themes[row.theme], _ = Theme.objects.update_or_create(
                assessment=assessment, name=row.theme, defaults={"order": len(themes) + 1}
            )
        risk_order[row.theme] = risk_order.get(row.theme, 0) + 1
        risk, _ = Risk.objects.update_or_create(
            assessment=assessment,
            name=row.risk,
            defaults={"theme": themes[row.theme], "order": risk_order[row.theme]},
        )
        # A missing indicator is a fault in the demo's own files: fail loudly (KeyError).
        risk.indicators.set([indicators[name.casefold()] for name in row.categories])


def demo_priority_mark(assessment: Assessment, user) -> None:
    """Modern slavery is kept a partnership priority although rated Moderate, as in the seed."""
    risk = Risk.objects.get(assessment=assessment, name=PRIORITY_RISK)
    if not (risk.is_priority and risk.priority_reason == PRIORITY_REASON):
        risk_set_priority(risk=risk, is_priority=True, reason=PRIORITY_REASON, user=user)


def demo_narrative_load(assessment: Assessment, user) -> None:
    """The seed's narrative under each theme's headings, and its emerging issues."""
    for theme in Theme.objects.filter(assessment=assessment, name__in=THEME_NARRATIVE):
        narrative = THEME_NARRATIVE[theme.name]
        values = {key: narrative.get(key, "") for key, _ in NARRATIVE_HEADINGS}
        if any(getattr(theme, key) != text for key, text in values.items()):
            theme_narrative_set(theme=theme, values=values, user=user)
    for order, (title, text) in enumerate(EMERGING_ISSUES, start=1):
        issue = EmergingIssue.objects.filter(assessment=assessment, title=title).first()
        if issue is None:
            issue = EmergingIssue(assessment=assessment, title=title)
        elif (issue.text, issue.order) == (text, order):
            continue
        issue.text, issue.order = text, order
        emerging_issue_save(issue=issue)


def demo_front_matter_load(assessment: Assessment, user) -> None:
    """The seed's introduction, governance, acknowledgements (its 20 organisations), area
    overview, crime-trend commentary, COVID-19 method caveat and sources."""
    stored = dict(ReportSection.objects.filter(assessment=assessment).values_list("key", "text"))
    for key, text in FRONT_MATTER.items():
        if stored.get(key) != text:
            report_section_set(assessment=assessment, key=key, text=text, user=user)


def demo_workshop_load(assessment: Assessment, user) -> None:
    """A draft workshop of every risk inviting the demo partners' organisations, for the
    facilitator to open. The demo's agreed scores still decide the ratings until the
    facilitator records new ones."""
    if Workshop.objects.filter(assessment=assessment, title=DEMO_WORKSHOP).exists():
        return
    organisations = Organisation.objects.filter(
        partnership=assessment.partnership, memberships__user__username__in=DEMO_PARTNERS
    ).distinct()
    workshop_create(
        assessment=assessment,
        title=DEMO_WORKSHOP,
        risks=list(assessment.risks.all()),
        organisations=list(organisations),
        user=user,
    )


@transaction.atomic
def demo_full_load() -> Assessment:
    """Create or refresh the whole demo; running it again changes nothing."""
    assessment = demo_load()
    if assessment.is_published:
        return assessment
    users = get_user_model().objects
    demo_register_load(assessment)
    demo_previous_year_load(assessment, register_load=demo_register_load, sheet=SCORES.read_bytes())
    already = ImportRun.objects.filter(
        assessment=assessment, kind="scores", filename=SCORES.name
    ).exists()
    score_sheet_import(
        assessment=assessment,
        data=SCORES.read_bytes(),
        filename=SCORES.name,
        user=users.get(username="analyst"),
        record=not already,
    )
    demo_priority_mark(assessment, users.get(username="board"))
    demo_narrative_load(assessment, users.get(username="analyst"))
    demo_front_matter_load(assessment, users.get(username="analyst"))
    demo_workshop_load(assessment, users.get(username="facilitator"))
    return assessment

"""Is the assessment ready to publish? Blocking problems (publishing is refused) and warnings
(the report would print with gaps), each with where it is fixed and who can fix it.

The blocking problems are the publish service's own (`reports.services.PublishCheck`), so the
page and the refusal never disagree; the warnings read the evidence, narrative and front
matter. The task list can read `publish_readiness()` too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

from assessments import access, evidence
from assessments.models import Assessment, EmergingIssue, Risk, Theme
from reports.figures import unfilled_figures
from reports.front_matter import HEADINGS, SECTION_KEYS
from reports.models import ReportSection
from reports.prose import NARRATIVE_HEADINGS
from reports.services import PublishCheck, pluralize

BLOCKING, WARNING = "blocking", "warning"


@dataclass(frozen=True)
class Link:
    """Where a problem is fixed: the page, its words, and the capability it needs."""

    url: str
    text: str
    capability: str
    # Shown instead to someone without the capability (e.g. where to see who to ask).
    fallback: Link | None = None


@dataclass(frozen=True)
class Item:
    """One problem: blocking publishing, or a warning that the report has a gap."""

    kind: str
    message: str
    links: tuple[Link, ...] = ()
    key: str = ""  # a stable name, for tests and the task list


@dataclass
class Readiness:
    blocking: list[Item] = field(default_factory=list)
    warnings: list[Item] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.blocking


def _url(name: str, assessment: Assessment, **kwargs) -> str:
    return reverse(
        name,
        kwargs={
            "partnership": assessment.partnership.slug,
            "period": assessment.period_slug,
            **kwargs,
        },
    )


def blocking_items(assessment: Assessment, check: PublishCheck, *, accept_unrated=False):
    """What the publish service refuses, each with where it is fixed."""
    items = []
    for workshop in check.open_workshops:
        items.append(
            Item(
                BLOCKING,
                f"The workshop “{workshop.title}” is still open: scores could still change, "
                "so a facilitator must lock it first.",
                (
                    Link(
                        _url("workshops:dashboard", assessment, pk=workshop.pk),
                        f"Lock “{workshop.title}” from its dashboard",
                        access.RUN_WORKSHOP,
                        fallback=Link(
                            _url("workshops:list", assessment),
                            "ask a facilitator to lock it (the workshops page lists it)",
                            access.VIEW,
                        ),
                    ),
                ),
                "open_workshop",
            )
        )
    if check.unrated and not accept_unrated:
        risks = Risk.objects.filter(assessment=assessment, name__in=check.unrated).order_by(
            "theme__order", "order"
        )
        count = len(check.unrated)
        items.append(
            Item(
                BLOCKING,
                f"{count} risk{pluralize(count)} {'is' if count == 1 else 'are'} unrated. "
                f"Score {'it' if count == 1 else 'them'}, or confirm below that the report is "
                f"published with {'it' if count == 1 else 'them'} unrated.",
                tuple(
                    Link(
                        _url("reports:risk_detail", assessment, risk_id=risk.pk),
                        risk.name,
                        access.VIEW,
                    )
                    for risk in risks
                ),
                "unrated",
            )
        )
    sign_off = Link(
        _url("reports:sign_off", assessment), "Approve on the sign-off page", access.SIGN_OFF
    )
    if check.stale_approvals and check.approvals_missing:
        count = len(check.stale_approvals)
        items.append(
            Item(
                BLOCKING,
                f"{count} approval{pluralize(count)} no longer count{'s' if count == 1 else ''}: "
                "the scores, register, narrative or data changed afterwards.",
                (sign_off,),
                "stale_approvals",
            )
        )
    if check.approvals_missing:
        items.append(
            Item(
                BLOCKING,
                f"The partnership requires {check.required} board approval"
                f"{pluralize(check.required)} of the assessment as it is now; "
                f"it has {check.approvers}.",
                (sign_off,),
                "approvals",
            )
        )
    return items


def _data_warnings(assessment: Assessment, rows) -> list[Item]:
    items = []
    importing = Link(_url("assessments:data_import", assessment), "Import data", access.MANAGE_DATA)
    crime = evidence.crime_rows(rows)
    if not any(row.figures.count is not None for row in crime):
        items.append(
            Item(
                WARNING,
                f"No recorded crime figures for {assessment.period}: the report's crime table "
                "and quick facts will be empty.",
                (importing,),
                "no_crime_figures",
            )
        )
    if evidence.seasonal(assessment).missing:
        items.append(
            Item(
                WARNING,
                f"No monthly crime figures for {assessment.period}: the report will say that "
                "there is no seasonal pattern.",
                (importing,),
                "no_monthly_figures",
            )
        )
    return items


def _text_warnings(assessment: Assessment, rows) -> list[Item]:
    """Empty, unreviewed and figure-less narrative and front matter."""
    by_name = {row.name.casefold(): row for row in rows}
    items: list[Item] = []
    sections = {s.key: s for s in ReportSection.objects.filter(assessment=assessment)}
    for key in SECTION_KEYS:
        section = sections.get(key)
        link = Link(
            _url("reports:front_matter_edit", assessment, key=key),
            f"Edit “{HEADINGS[key]}”",
            access.EDIT_NARRATIVE,
        )
        if section is not None and section.needs_review:
            items.append(
                Item(
                    WARNING,
                    f"“{HEADINGS[key]}” was carried forward from {section.carried_from} and "
                    "has not been reviewed.",
                    (link,),
                    f"unreviewed:{key}",
                )
            )
        elif key != "acknowledgements" and not (section and section.text):
            items.append(
                Item(
                    WARNING,
                    f"“{HEADINGS[key]}” is empty and will be left out of the report.",
                    (link,),
                    f"empty:{key}",
                )
            )
        if section is not None and unfilled_figures(section.text, by_name):
            items.append(_unfilled(f"“{HEADINGS[key]}”", section.text, by_name, link, key))
    for theme in Theme.objects.filter(assessment=assessment).order_by("order", "name"):
        link = Link(
            _url("reports:theme_edit", assessment, theme_id=theme.pk),
            f"Edit the narrative of {theme.name}",
            access.EDIT_NARRATIVE,
        )
        empty = [label for key, label in NARRATIVE_HEADINGS if not getattr(theme, key)]
        if empty:
            items.append(
                Item(
                    WARNING,
                    f"{theme.name}: no text under {', '.join(empty)}.",
                    (link,),
                    f"empty_theme:{theme.pk}",
                )
            )
        text = "\n".join(getattr(theme, key) for key, _ in NARRATIVE_HEADINGS)
        if unfilled_figures(text, by_name):
            items.append(_unfilled(theme.name, text, by_name, link, f"theme:{theme.pk}"))
    for issue in EmergingIssue.objects.filter(assessment=assessment):
        if unfilled_figures(issue.text, by_name):
            link = Link(
                _url("reports:emerging_edit", assessment, issue_id=issue.pk),
                f"Edit “{issue.title}”",
                access.EDIT_NARRATIVE,
            )
            items.append(_unfilled(f"“{issue.title}”", issue.text, by_name, link, issue.pk))
    return items


def _unfilled(where: str, text: str, by_name, link: Link, key) -> Item:
    tokens = list(dict.fromkeys(unfilled_figures(text, by_name)))
    return Item(
        WARNING,
        f"{where} has live figure{pluralize(len(tokens))} without a value, printed as “–”: "
        f"{', '.join(tokens)}.",
        (link,),
        f"unfilled:{key}",
    )


def publish_readiness(
    assessment: Assessment, check: PublishCheck, *, accept_unrated: bool = False
) -> Readiness:
    """Every blocking problem and every warning, in the order the page lists them."""
    rows = evidence.indicator_rows(assessment)
    return Readiness(
        blocking=blocking_items(assessment, check, accept_unrated=accept_unrated),
        warnings=_data_warnings(assessment, rows) + _text_warnings(assessment, rows),
    )

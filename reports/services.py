"""Writes of the reports app: narrative, emerging issues, approvals and publishing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from assessments.models import (
    Assessment,
    AssessmentStatus,
    EmergingIssue,
    Indicator,
    Membership,
    Risk,
    RiskFactorScore,
    RiskOrigin,
    ScoreChange,
    ScoreKind,
    Theme,
)
from assessments.periods import following_period, parse_period, period_start_year
from assessments.scoring import UNRATED, level_label_for
from assessments.services import (
    THEME_NARRATIVE_FIELDS,
    AssessmentLocked,
    assessment_ensure_editable,
    assessment_freeze_model,
    assessment_spec,
    partnership_spec,
    section_mark_reviewed,
)
from reports.front_matter import MAX_LENGTH, SECTION_KEYS
from reports.models import Approval, Publication, ReportSection
from reports.prose import NARRATIVE_HEADINGS
from reports.snapshot import assessment_fingerprint, assessment_snapshot, content_fingerprint
from workshops.models import Workshop, WorkshopStatus
from workshops.outcomes import assessment_outcomes

NARRATIVE_FIELDS = tuple(key for key, _ in NARRATIVE_HEADINGS)


def _locked_assessment(assessment: Assessment) -> Assessment:
    """Lock the assessment's row for this transaction and refuse if it is published."""
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    assessment_ensure_editable(current)
    return current


@transaction.atomic
def theme_narrative_set(*, theme: Theme, values: Mapping[str, str], user=None) -> Theme:
    """Save a theme's narrative (Markdown) under the seed's headings."""
    _locked_assessment(theme.assessment)
    unknown = set(values) - set(NARRATIVE_FIELDS)
    if unknown:
        raise ValueError(f"Not narrative fields: {', '.join(sorted(unknown))}")
    for key, text in values.items():
        setattr(theme, key, text.strip())
    theme.save(update_fields=list(values))
    # Saving the narrative form is reviewing it, whether or not a word changed.
    section_mark_reviewed(section=theme, user=user)
    return theme


@transaction.atomic
def report_section_set(*, assessment: Assessment, key: str, text: str, user=None) -> ReportSection:
    """Save one front-matter section (Markdown); saving it is reviewing it this year."""
    _locked_assessment(assessment)
    if key not in SECTION_KEYS:
        raise ValueError(f"Not a front-matter section: {key}")
    text = text.strip()
    if len(text) > MAX_LENGTH:
        raise ValidationError({"text": f"Keep a section under {MAX_LENGTH:,} characters."})
    section, _ = ReportSection.objects.update_or_create(
        assessment=assessment,
        key=key,
        defaults={"text": text, "needs_review": False, "updated_by": user},
    )
    return section


@transaction.atomic
def emerging_issue_save(*, issue: EmergingIssue) -> EmergingIssue:
    """Create or update an emerging issue (not scored) of an editable assessment."""
    _locked_assessment(issue.assessment)
    issue.full_clean()
    issue.save()
    return issue


@transaction.atomic
def emerging_issue_delete(*, issue: EmergingIssue) -> None:
    """Delete an emerging issue of an editable assessment."""
    _locked_assessment(issue.assessment)
    issue.delete()


@transaction.atomic
def approval_record(*, assessment: Assessment, user, comment: str, approved: bool) -> Approval:
    """A board member comments on the assessment and may approve it for publication.

    The approval records a fingerprint of what was approved, so it stops counting if the
    scores, register, narrative or data change afterwards.
    """
    _locked_assessment(assessment)
    comment = comment.strip()
    if not approved and not comment:
        raise ValidationError({"comment": "Write a comment, or approve the assessment."})
    fingerprint = assessment_fingerprint(assessment)[0] if approved else ""
    return Approval.objects.create(
        assessment=assessment,
        user=user,
        comment=comment,
        approved=approved,
        fingerprint=fingerprint,
    )


@dataclass(frozen=True)
class PublishCheck:
    """What stands between the assessment and publishing it."""

    open_workshops: list[Workshop]
    unrated: list[str]
    current_approvals: list[Approval]
    stale_approvals: list[Approval]
    required: int = 1  # the partnership's approvals_required

    @property
    def approvers(self) -> int:
        """Board members whose approval matches the assessment as it is now (each once)."""
        return len({a.user_id for a in self.current_approvals})

    @property
    def approvals_missing(self) -> int:
        return max(0, self.required - self.approvers)

    def problems(self, *, accept_unrated: bool = False) -> list[str]:
        """Why publishing is refused, in words for the board; empty when it may go ahead."""
        problems = []
        for workshop in self.open_workshops:
            problems.append(
                f"The workshop “{workshop.title}” is still open. A facilitator must lock it "
                "before the assessment is published, so no score changes afterwards."
            )
        if self.unrated and not accept_unrated:
            problems.append(
                f"{len(self.unrated)} risk{pluralize(len(self.unrated))} "
                f"{'is' if len(self.unrated) == 1 else 'are'} unrated "
                f"({', '.join(self.unrated)}). Score them, or confirm that the assessment "
                "is published with them unrated."
            )
        if self.stale_approvals and self.approvals_missing:
            problems.append(
                "The assessment has changed since "
                f"{'an approval' if self.current_approvals else 'the last approval'}: "
                f"{len(self.stale_approvals)} approval{pluralize(len(self.stale_approvals))} "
                f"no longer count{'s' if len(self.stale_approvals) == 1 else ''}, and board "
                "members must approve it as it is now."
            )
        if self.approvals_missing:
            if self.required == 1:
                if not self.stale_approvals:  # else the sentence above says it
                    problems.append("At least one board member must approve before publishing.")
            else:
                problems.append(
                    f"The partnership requires {self.required} board members' approvals of the "
                    f"assessment as it is now; it has {self.approvers}."
                )
        return problems


def pluralize(count: int) -> str:
    return "" if count == 1 else "s"


def publish_check(assessment: Assessment, snapshot: dict[str, Any] | None = None) -> PublishCheck:
    """Open workshops, unrated risks and which approvals still match the assessment (as it is
    now, or as `snapshot` holds it)."""
    if snapshot is None:
        fingerprint, risks = assessment_fingerprint(assessment)
    else:
        fingerprint, risks = content_fingerprint(snapshot), snapshot["risks"]
    approvals = Approval.objects.filter(assessment=assessment, approved=True).select_related("user")
    current = [a for a in approvals if a.fingerprint == fingerprint]
    return PublishCheck(
        required=assessment.partnership.approvals_required,
        open_workshops=list(
            Workshop.objects.filter(assessment=assessment, status=WorkshopStatus.OPEN)
        ),
        unrated=[risk["risk"] for risk in risks if risk["rating"] == UNRATED],
        current_approvals=current,
        stale_approvals=[a for a in approvals if a.fingerprint != fingerprint],
    )


def _sign_off_record(assessment: Assessment, approvals: list[Approval], user) -> dict[str, Any]:
    """Who approved the published version, for the report's sign-off section."""
    organisations = dict(
        Membership.objects.filter(
            partnership_id=assessment.partnership_id,
            user_id__in=[a.user_id for a in approvals] + [user.pk],
        ).values_list("user_id", "organisation__name")
    )
    return {
        "approvals": [
            {
                "user": a.user.get_full_name() or a.user.get_username(),
                "organisation": organisations.get(a.user_id) or "",
                "comment": a.comment,
                "at": a.at.isoformat(),
            }
            for a in approvals
        ],
        "published_by": user.get_full_name() or user.get_username(),
        "published_by_organisation": organisations.get(user.pk) or "",
    }


@transaction.atomic
def assessment_publish(
    *, assessment: Assessment, user, accept_unrated: bool = False
) -> Publication:
    """Freeze the assessment as a new published version; afterwards it refuses every change.

    Refused (ValidationError listing every reason) while a workshop is open, without an
    approval of the assessment as it is now, or with unrated risks unless `accept_unrated`.
    The scoring model is frozen if it was not yet, and the snapshot keeps everything the
    report and its exports show.
    """
    current = _locked_assessment(assessment)
    assessment_freeze_model(assessment=current)
    now = timezone.now()
    # Status and date first (in memory), so the snapshot records the assessment as published.
    current.status, current.published_at = AssessmentStatus.PUBLISHED, now
    snapshot = assessment_snapshot(current)
    check = publish_check(current, snapshot)
    problems = check.problems(accept_unrated=accept_unrated)
    if problems:
        raise ValidationError(problems)
    current.save(update_fields=["status", "published_at"])
    version = (
        Publication.objects.filter(assessment=current).aggregate(v=Max("version"))["v"] or 0
    ) + 1
    snapshot["report"]["version"] = version
    snapshot["report"]["sign_off"] = _sign_off_record(current, check.current_approvals, user)
    publication = Publication.objects.create(
        assessment=current,
        version=version,
        published_by=user,
        published_at=now,
        snapshot=snapshot,
    )
    assessment.status, assessment.published_at = current.status, current.published_at
    assessment.scoring_spec = current.scoring_spec
    assessment.scoring_frozen_at = current.scoring_frozen_at
    return publication


__all__ = [
    "AssessmentLocked",
    "NARRATIVE_FIELDS",
    "PublishCheck",
    "approval_record",
    "assessment_publish",
    "publish_check",
    "report_section_set",
    "emerging_issue_delete",
    "emerging_issue_save",
    "theme_narrative_set",
]


def _has_text(theme: Theme) -> bool:
    return any(getattr(theme, name).strip() for name in NARRATIVE_FIELDS)


class CopyForwardRefused(Exception):
    """Raised when the next period's assessment cannot be started from this one."""


@transaction.atomic
def assessment_copy_forward(*, source: Assessment, period: str, user) -> Assessment:
    """Start `period` (later than the source's) from `source`: same themes and risks, last
    year's values as pre-scores, scored with a frozen copy of the partnership's current model
    (the pre-scores are written now, so later model edits must not move them)."""
    try:
        period = parse_period(period)
    except ValueError as error:
        raise CopyForwardRefused(str(error)) from None
    if period_start_year(period) <= period_start_year(source.period):
        raise CopyForwardRefused(
            f"Copy forward to a period after {source.period}, such as "
            f"{following_period(source.period)}."
        )
    partnership = source.partnership
    if Assessment.objects.filter(partnership=partnership, period=period).exists():
        raise CopyForwardRefused(f"{partnership} already has an assessment for {period}.")
    target_spec = partnership_spec(partnership)
    target = Assessment.objects.create(
        partnership=partnership,
        period=period,
        scoring_spec=target_spec.to_dict(),
        scoring_frozen_at=timezone.now(),
    )
    themes = {}
    for theme in Theme.objects.filter(assessment=source):
        themes[theme.pk] = Theme.objects.create(
            assessment=target,
            name=theme.name,
            carried_from=source.period if _has_text(theme) else "",
            **{name: getattr(theme, name) for name in THEME_NARRATIVE_FIELDS},
        )
    by_name = {i.name: i for i in Indicator.objects.filter(partnership=partnership)}
    target_keys = {f.key: f for f in target_spec.factors}
    source_spec = assessment_spec(source)
    outcomes = assessment_outcomes(source, spec=source_spec, with_previous=False)
    links = dict.fromkeys((o.risk.pk for o in outcomes), ())
    for risk_id, name in Risk.indicators.through.objects.filter(
        risk__assessment=source
    ).values_list("risk_id", "indicator__name"):
        links[risk_id] = (*links[risk_id], name)
    scores, changes = [], []
    for outcome in outcomes:
        old = outcome.risk
        risk = Risk.objects.create(
            assessment=target,
            theme=themes[old.theme_id],
            name=old.name,
            description=old.description,
            order=old.order,
            origin=RiskOrigin.CARRIED,
            carried_from=old,
        )
        risk.indicators.set([by_name[n] for n in links[old.pk] if n in by_name])
        for key, value in outcome.factors.items():
            factor = target_keys.get(key)
            if value.value is None or factor is None:
                continue
            # Same level by name if the new model still has it (its value may have changed),
            # else last year's value, e.g. a median between two levels.
            level = next((lv for lv in factor.levels if lv.label == value.level_label), None)
            number = level.value if level else value.value
            label = level.label if level else level_label_for(factor, number) or ""
            note = f"Carried forward from {source.period}: {label} ({value.source})"
            scores.append(
                RiskFactorScore(
                    risk=risk,
                    factor_key=key,
                    kind=ScoreKind.ANALYST,
                    value=number,
                    level_label=label[:60],
                    note=note,
                    set_by=user,
                )
            )
            changes.append(
                ScoreChange(
                    assessment=target,
                    risk=risk,
                    factor_key=key,
                    factor_name=factor.name,
                    kind=ScoreKind.ANALYST,
                    new_value=number,
                    new_label=label[:60],
                    note=note,
                    changed_by=user,
                )
            )
    RiskFactorScore.objects.bulk_create(scores)
    ScoreChange.objects.bulk_create(changes)
    # Last year's front matter as a start, each section marked for review until saved.
    ReportSection.objects.bulk_create(
        ReportSection(
            assessment=target,
            key=section.key,
            text=section.text,
            needs_review=bool(section.text),
            carried_from=source.period,
        )
        for section in ReportSection.objects.filter(assessment=source)
    )
    return target

"""Workshop writes: rounds and partners' submissions, safe under concurrent saves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.imports import ImportFailed, ImportProblem, parse_score_sheet, read_table
from assessments.models import Assessment, ImportRun, Organisation, Risk, ScoreChange, ScoreKind
from assessments.services import (
    assessment_ensure_editable,
    assessment_freeze_model,
    assessment_spec,
    factor_score_set,
)
from workshops.models import (
    RiskComment,
    Round,
    RoundRisk,
    Submission,
    Workshop,
    WorkshopStatus,
)
from workshops.sheets import ResolvedScore, resolve_score_rows


class WorkshopLocked(Exception):
    """Raised on any attempt to change a locked workshop."""

    def __init__(self, workshop: Workshop):
        super().__init__(f"The workshop “{workshop.title}” is locked; scores can no longer change.")


def workshop_ensure_editable(workshop: Workshop) -> None:
    """Refuse changes to a locked workshop or a published assessment."""
    if workshop.is_locked:
        raise WorkshopLocked(workshop)
    assessment_ensure_editable(workshop.assessment)


@transaction.atomic
def workshop_first_round(*, workshop: Workshop) -> Round:
    """Round 1 of the workshop, covering all its risks (created on first use)."""
    round_one, created = Round.objects.get_or_create(workshop=workshop, number=1)
    if created:
        RoundRisk.objects.bulk_create(
            [RoundRisk(round=round_one, risk=risk) for risk in workshop.risks.all()],
            ignore_conflicts=True,
        )
    return round_one


def submission_record(
    *,
    round: Round,
    risk: Risk,
    organisation: Organisation,
    factor_key: str,
    level_label: str,
    reason: str = "",
    user=None,
) -> Submission:
    """Save an organisation's level for a factor of a risk in a round, auditing any change.

    Two people of the same organisation share one submission; concurrent saves serialise on
    the row (or retry after losing an insert race), so no update is lost and none errors.
    """
    workshop = round.workshop
    workshop_ensure_editable(workshop)
    spec = assessment_freeze_model(assessment=workshop.assessment)
    level = spec.factor(factor_key).level(level_label)
    for attempt in range(3):
        try:
            with transaction.atomic():
                return _submission_upsert(
                    round, risk, organisation, factor_key, level, reason, user
                )
        except IntegrityError:
            # Another request inserted the same submission first; update theirs instead.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _submission_upsert(round, risk, organisation, factor_key, level, reason, user) -> Submission:
    key = {"round": round, "risk": risk, "organisation": organisation, "factor_key": factor_key}
    existing = Submission.objects.select_for_update().filter(**key).first()
    old_value, old_label = (existing.value, existing.level_label) if existing else (None, "")
    if existing:
        existing.value, existing.level_label = level.value, level.label
        existing.reason, existing.updated_by = reason, user
        existing.save(update_fields=["value", "level_label", "reason", "updated_by", "updated_at"])
        submission = existing
    else:
        submission = Submission.objects.create(
            **key, value=level.value, level_label=level.label, reason=reason, updated_by=user
        )
    if old_value is None or old_value != level.value:
        ScoreChange.objects.create(
            assessment_id=risk.assessment_id,
            risk=risk,
            factor_key=factor_key,
            kind=ScoreKind.SUBMISSION,
            organisation=organisation,
            round_number=round.number,
            old_value=old_value,
            new_value=level.value,
            old_label=old_label,
            new_label=level.label,
            note=reason,
            changed_by=user,
        )
    return submission


# --- offline scoring sheets ---------------------------------------------------------------------

OFFLINE_WORKSHOP_TITLE = "Offline scoring"


@dataclass(frozen=True)
class ScoreSheetSummary:
    """What an imported scoring sheet changed."""

    rows: int
    analyst: int
    agreed: int
    submissions: int
    comments: int
    workshop: str | None
    workshop_created: bool

    def __str__(self) -> str:
        parts = [
            f"{self.rows} row{'s' if self.rows != 1 else ''} read",
            f"{self.analyst} analyst pre-score{'s' if self.analyst != 1 else ''}",
            f"{self.agreed} agreed value{'s' if self.agreed != 1 else ''}",
            f"{self.submissions} organisation submission{'s' if self.submissions != 1 else ''}",
            f"{self.comments} comment{'s' if self.comments != 1 else ''}",
        ]
        text = ", ".join(parts)
        if self.workshop:
            verb = "created" if self.workshop_created else "in"
            text += f" (workshop “{self.workshop}”, {verb})"
        return text


def score_sheet_import(
    *,
    assessment: Assessment,
    data: bytes | BinaryIO,
    filename: str,
    user=None,
    max_bytes: int | None = None,
    record: bool = True,
) -> ScoreSheetSummary:
    """Import an offline scoring sheet whole, or refuse it whole (ImportFailed, AssessmentLocked).

    `record` logs the import as an ImportRun (the demo turns it off when reloading).

    Organisation-less rows set the analyst's harm/likelihood pre-scores and the agreed values of
    the other factors; an organisation's rows are its submissions in the current workshop.
    """
    assessment_ensure_editable(assessment)
    if max_bytes is None:
        max_bytes = settings.UPLOAD_MAX_MB * 1024 * 1024
    table = read_table(data, filename, max_bytes=max_bytes)
    parsed = parse_score_sheet(table, skip_blank_levels=True)
    if not parsed:
        raise ImportFailed(
            [ImportProblem(None, "level", "no level is filled in: choose a level in some rows")],
            filename,
        )
    # The spec freeze_model would freeze; it is frozen by the first write below.
    resolved = resolve_score_rows(assessment, assessment_spec(assessment), parsed, filename)
    with transaction.atomic():
        return _score_sheet_apply(assessment, resolved, filename, user, record)


def _score_sheet_apply(
    assessment: Assessment, resolved: list[ResolvedScore], filename: str, user, record: bool
) -> ScoreSheetSummary:
    counts = {ScoreKind.ANALYST: 0, ScoreKind.AGREED: 0, ScoreKind.SUBMISSION: 0}
    organisation_rows = [r for r in resolved if r.organisation is not None]
    workshop, created, rounds = None, False, {}
    if organisation_rows:
        workshop, created = _offline_workshop(assessment, organisation_rows, user)
        rounds = _rounds_for_risks(workshop, {r.risk for r in organisation_rows})
    comments: dict[tuple[int, int, int], list[str]] = {}
    for row in resolved:
        if row.organisation is None:
            factor_score_set(
                risk=row.risk,
                factor_key=row.factor.key,
                kind=row.kind,
                level_label=row.level.label,
                note=row.comment,
                user=user,
            )
        else:
            round_ = rounds[row.risk.id]
            submission_record(
                round=round_,
                risk=row.risk,
                organisation=row.organisation,
                factor_key=row.factor.key,
                level_label=row.level.label,
                user=user,
            )
            if row.comment:
                texts = comments.setdefault((round_.id, row.risk.id, row.organisation.id), [])
                if row.comment not in texts:
                    texts.append(row.comment)
        counts[row.kind] += 1
    for (round_id, risk_id, organisation_id), texts in comments.items():
        RiskComment.objects.update_or_create(
            round_id=round_id,
            risk_id=risk_id,
            organisation_id=organisation_id,
            defaults={"text": "\n\n".join(texts), "updated_by": user},
        )
    summary = ScoreSheetSummary(
        rows=len(resolved),
        analyst=counts[ScoreKind.ANALYST],
        agreed=counts[ScoreKind.AGREED],
        submissions=counts[ScoreKind.SUBMISSION],
        comments=len(comments),
        workshop=workshop.title if workshop else None,
        workshop_created=created,
    )
    if record:
        ImportRun.objects.create(
            partnership_id=assessment.partnership_id,
            assessment=assessment,
            kind="scores",
            filename=filename[:255],
            rows=len(resolved),
            summary=str(summary),
            imported_by=user,
        )
    return summary


def _offline_workshop(
    assessment: Assessment, rows: list[ResolvedScore], user
) -> tuple[Workshop, bool]:
    """The assessment's current (latest unlocked) workshop, or a new “Offline scoring” one;
    the sheet's organisations are invited and its risks included."""
    workshop = (
        Workshop.objects.filter(assessment=assessment)
        .exclude(status=WorkshopStatus.LOCKED)
        .order_by("-created_at", "-id")
        .first()
    )
    created = workshop is None
    if created:
        workshop = Workshop.objects.create(
            assessment=assessment,
            title=OFFLINE_WORKSHOP_TITLE,
            status=WorkshopStatus.OPEN,
            opened_at=timezone.now(),
            created_by=user,
        )
        workshop.risks.add(*Risk.objects.filter(assessment=assessment))
    else:
        workshop.risks.add(*{row.risk for row in rows})
    workshop.organisations.add(*{row.organisation for row in rows})
    return workshop, created


def _rounds_for_risks(workshop: Workshop, risks: set[Risk]) -> dict[int, Round]:
    """Per risk, the workshop's latest round scoring it; a risk in no round joins the latest."""
    latest = workshop.rounds.order_by("-number").first() or workshop_first_round(workshop=workshop)
    rounds: dict[int, Round] = {}
    for round_risk in RoundRisk.objects.filter(
        round__workshop=workshop, risk__in=risks
    ).select_related("round"):
        current = rounds.get(round_risk.risk_id)
        if current is None or round_risk.round.number > current.number:
            rounds[round_risk.risk_id] = round_risk.round
    for risk in risks:
        if risk.id not in rounds:
            RoundRisk.objects.get_or_create(round=latest, risk=risk)
            rounds[risk.id] = latest
    return rounds

"""Importing an offline scoring sheet: the whole file, or nothing.

Organisation-less rows set the analyst's harm/likelihood pre-scores and the agreed values of
the other factors; an organisation's rows are its submissions in the current workshop (a new
“Offline scoring” workshop if there is none). `manage.py import_scores`, the upload page and
the demo all come here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from assessments.imports import ImportFailed, ImportProblem, read_table
from assessments.models import Assessment, ImportRun, Risk, RiskFactorScore, ScoreKind
from assessments.services import assessment_ensure_editable, assessment_spec, factor_score_set
from workshops.models import RiskComment, Round, RoundRisk, Workshop, WorkshopStatus
from workshops.selectors import settled_risks
from workshops.services import submission_record, workshop_first_round
from workshops.sheet.parse import parse_score_sheet
from workshops.sheet.resolve import ResolvedScore, resolve_score_rows

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
    skipped: int = 0  # rows left out because their level was blank

    def __str__(self) -> str:
        parts = [
            f"{self.rows} row{'s' if self.rows != 1 else ''} imported",
            f"{self.analyst} analyst pre-score{'s' if self.analyst != 1 else ''}",
            f"{self.agreed} agreed value{'s' if self.agreed != 1 else ''}",
            f"{self.submissions} organisation submission{'s' if self.submissions != 1 else ''}",
            f"{self.comments} comment{'s' if self.comments != 1 else ''}",
        ]
        if self.skipped:
            rows = "row" if self.skipped == 1 else "rows"
            parts.append(f"{self.skipped} {rows} with no level skipped")
        text = ", ".join(parts)
        if self.workshop:
            where = "a new workshop" if self.workshop_created else "the workshop"
            text += f"; submissions are in {where} “{self.workshop}”"
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
    skipped = len(table.rows) - len(parsed)  # every other row parsed, or it would have failed
    with transaction.atomic():
        _refuse_settled_rows(assessment, resolved, filename)
        return _score_sheet_apply(assessment, resolved, filename, user, record, skipped)


def _refuse_settled_rows(
    assessment: Assessment, resolved: list[ResolvedScore], filename: str
) -> None:
    """Refuse the sheet if it would change what a locked workshop settled: an organisation's
    scores for a settled risk, or a different agreed value (rows that repeat it are fine)."""
    settled = settled_risks(assessment=assessment, risk_ids={row.risk.id for row in resolved})
    if not settled:
        return
    agreed = {
        (risk_id, factor_key): label
        for risk_id, factor_key, label in RiskFactorScore.objects.filter(
            risk_id__in=settled, kind=ScoreKind.AGREED
        ).values_list("risk_id", "factor_key", "level_label")
    }
    problems = []
    for row in resolved:
        title = settled.get(row.risk.id)
        if title is None:
            continue
        why = f"“{row.risk.name}” was settled in the locked workshop “{title}”"
        if row.organisation is not None:
            problems.append(
                ImportProblem(row.row, "organisation", f"{why}: its scores can no longer change")
            )
        elif row.kind == ScoreKind.AGREED and agreed.get((row.risk.id, row.factor.key)) != (
            row.level.label
        ):
            problems.append(
                ImportProblem(row.row, "level", f"{why}: its agreed values can no longer change")
            )
    if problems:
        raise ImportFailed(problems, filename)


def _score_sheet_apply(
    assessment: Assessment,
    resolved: list[ResolvedScore],
    filename: str,
    user,
    record: bool,
    skipped: int,
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
        skipped=skipped,
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
        workshop.risks.add(*Risk.objects.filter(assessment=assessment, withdrawn_at__isnull=True))
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

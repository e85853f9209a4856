"""Workshop writes: rounds and partners' submissions, safe under concurrent saves."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from assessments.models import Organisation, Risk, ScoreChange, ScoreKind
from assessments.services import assessment_ensure_editable, assessment_freeze_model
from workshops.models import Round, RoundRisk, Submission, Workshop


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

"""Writes that touch several models: the scoring model in force, frozen copies, factor scores."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from assessments.models import (
    Assessment,
    Organisation,
    Partnership,
    Risk,
    RiskFactorScore,
    ScoreChange,
    ScoreKind,
    ScoringModel,
)
from assessments.scoring import DEFAULT_MODEL, ScoringModelSpec


class AssessmentLocked(Exception):
    """Raised on any attempt to change a published assessment."""

    def __init__(self, assessment: Assessment):
        super().__init__(
            f"The {assessment.period} assessment is published and can no longer be changed. "
            "Start the next period from it instead."
        )


def assessment_ensure_editable(assessment: Assessment) -> None:
    """Refuse changes to a published assessment."""
    if assessment.is_published:
        raise AssessmentLocked(assessment)


def partnership_spec(partnership: Partnership) -> ScoringModelSpec:
    """The partnership's current scoring model, or the default one."""
    model = ScoringModel.objects.filter(partnership=partnership).first()
    return ScoringModelSpec.from_dict(model.spec) if model else DEFAULT_MODEL


def assessment_spec(assessment: Assessment) -> ScoringModelSpec:
    """The model an assessment is scored with: its frozen copy once scoring has started."""
    if assessment.scoring_spec:
        return ScoringModelSpec.from_dict(assessment.scoring_spec)
    return partnership_spec(assessment.partnership)


@transaction.atomic
def assessment_freeze_model(*, assessment: Assessment) -> ScoringModelSpec:
    """Freeze a copy of the partnership's model into the assessment (once; later calls keep it)."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.scoring_spec:
        locked.scoring_spec = partnership_spec(locked.partnership).to_dict()
        locked.scoring_frozen_at = timezone.now()
        locked.save(update_fields=["scoring_spec", "scoring_frozen_at"])
    assessment.scoring_spec = locked.scoring_spec
    assessment.scoring_frozen_at = locked.scoring_frozen_at
    return ScoringModelSpec.from_dict(locked.scoring_spec)


@transaction.atomic
def factor_score_set(
    *,
    risk: Risk,
    factor_key: str,
    kind: str,
    level_label: str,
    note: str = "",
    user=None,
    organisation: Organisation | None = None,
) -> RiskFactorScore:
    """Record the analyst's pre-score or the agreed value of a factor, and audit the change."""
    assessment = risk.assessment
    assessment_ensure_editable(assessment)
    spec = assessment_freeze_model(assessment=assessment)
    level = spec.factor(factor_key).level(level_label)
    existing = (
        RiskFactorScore.objects.select_for_update()
        .filter(risk=risk, factor_key=factor_key, kind=kind)
        .first()
    )
    old_value = existing.value if existing else None
    old_label = existing.level_label if existing else ""
    score, _ = RiskFactorScore.objects.update_or_create(
        risk=risk,
        factor_key=factor_key,
        kind=kind,
        defaults={"value": level.value, "level_label": level.label, "note": note, "set_by": user},
    )
    if old_value is None or Decimal(old_value) != level.value or old_label != level.label:
        ScoreChange.objects.create(
            assessment=assessment,
            risk=risk,
            factor_key=factor_key,
            kind=kind,
            organisation=organisation,
            old_value=old_value,
            new_value=level.value,
            old_label=old_label,
            new_label=level.label,
            note=note,
            changed_by=user,
        )
    return score


__all__ = [
    "AssessmentLocked",
    "ScoreKind",
    "assessment_ensure_editable",
    "assessment_freeze_model",
    "assessment_spec",
    "factor_score_set",
    "partnership_spec",
]


@transaction.atomic
def category_mapping_create(
    *, partnership: Partnership, source_label: str, indicator=None, new_indicator: str = ""
):
    """Map a source label to an existing indicator or to a new one."""
    from assessments.models import CategoryMapping, Indicator

    if indicator is None:
        indicator, _ = Indicator.objects.get_or_create(
            partnership=partnership, name=new_indicator.strip()
        )
    return CategoryMapping.objects.create(
        partnership=partnership, source_label=source_label, indicator=indicator
    )

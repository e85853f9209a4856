"""Writes that touch several models: the scoring model in force, frozen copies, factor scores."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from assessments.models import (
    RISK_DELETED,
    RISK_REINSTATED,
    RISK_WITHDRAWN,
    Assessment,
    AssessmentLocked,
    Indicator,
    Organisation,
    Partnership,
    Risk,
    RiskFactorScore,
    RiskOrigin,
    ScoreChange,
    ScoreKind,
    ScoringModel,
    Theme,
)
from assessments.models.carried import CarriedForward
from assessments.scoring import DEFAULT_MODEL, ScoringModelSpec
from assessments.scoring_checks import validate_spec


def assessment_ensure_editable(assessment: Assessment) -> None:
    """Refuse changes to a published assessment."""
    if assessment.is_published:
        raise AssessmentLocked(assessment)


def partnership_spec(partnership: Partnership) -> ScoringModelSpec:
    """The partnership's current scoring model, or the default one."""
    model = ScoringModel.objects.filter(partnership=partnership).first()
    return ScoringModelSpec.from_dict(model.spec) if model else DEFAULT_MODEL


@dataclass(frozen=True)
class _FrozenCopy:
    """A frozen model as the cache's key: a frozen copy never changes, so the assessment and
    when it was frozen name it; its JSON rides along unhashed, to parse on a miss."""

    assessment_id: int
    frozen_at: datetime
    data: dict = field(compare=False)


# Parsing a frozen spec costs more than a workshop save's queries. Specs are immutable, so
# threads share them (lru_cache is thread-safe).
@functools.lru_cache(maxsize=64)
def _parsed(frozen: _FrozenCopy) -> ScoringModelSpec:
    return ScoringModelSpec.from_dict(frozen.data)


def _frozen_spec(assessment: Assessment) -> ScoringModelSpec:
    """The parsed frozen spec of an assessment whose model is frozen, from the cache if there."""
    return _parsed(
        _FrozenCopy(assessment.pk, assessment.scoring_frozen_at, assessment.scoring_spec)
    )


def assessment_spec(assessment: Assessment) -> ScoringModelSpec:
    """The model an assessment is scored with: its frozen copy once scoring has started."""
    if assessment.scoring_spec:
        if assessment.scoring_frozen_at is not None and assessment.pk is not None:
            return _frozen_spec(assessment)
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
    return assessment_spec(locked)


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
    round_number: int | None = None,
) -> RiskFactorScore:
    """Record the analyst's pre-score or the agreed value of a factor, and audit the change.

    `round_number` is the workshop round a value was agreed in, for the audit trail.
    """
    assessment = risk.assessment
    assessment_ensure_editable(assessment)
    risk_ensure_scorable(risk)
    spec = assessment_freeze_model(assessment=assessment)
    level = spec.factor(factor_key).level(level_label)
    existing = (
        RiskFactorScore.objects.select_for_update()
        .filter(risk=risk, factor_key=factor_key, kind=kind)
        .first()
    )
    old_value = existing.value if existing else None
    old_label = existing.level_label if existing else ""
    if (
        existing
        and Decimal(old_value) == level.value
        and old_label == level.label
        and existing.note == note
        and existing.set_by_id == getattr(user, "pk", None)
    ):
        return existing  # unchanged: saving would only move updated_at (e.g. load_demo again)
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
            factor_name=spec.factor(factor_key).name,
            organisation=organisation,
            round_number=round_number,
            old_value=old_value,
            new_value=level.value,
            old_label=old_label,
            new_label=level.label,
            note=note,
            changed_by=user,
        )
    return score


THEME_NARRATIVE_FIELDS = (
    "description",
    "order",
    "key_statistics",
    "impact",
    "likelihood",
    "organisational_response",
    "knowledge_gaps",
    "recommendation",
)
# Edits to these make a carried-forward risk "changed"; order alone does not.
RISK_SUBSTANCE_FIELDS = ("name", "description", "theme_id")


class ThemeNotEmpty(Exception):
    """Raised on deleting a theme that still holds risks."""


@transaction.atomic
def theme_save(*, theme: Theme) -> Theme:
    """Create or update a theme of an editable assessment."""
    assessment_ensure_editable(theme.assessment)
    theme.full_clean()
    theme.save()
    return theme


@transaction.atomic
def theme_delete(*, theme: Theme) -> None:
    """Delete an empty theme of an editable assessment."""
    assessment_ensure_editable(theme.assessment)
    if theme.risks.exists():
        raise ThemeNotEmpty(
            f'"{theme.name}" still holds risks: move or delete them before deleting the theme.'
        )
    theme.delete()


@transaction.atomic
def risk_save(*, risk: Risk, indicators: list[Indicator] | None = None) -> Risk:
    """Create or update a risk; a carried-forward risk whose substance changes becomes 'changed'."""
    assessment_ensure_editable(risk.assessment)
    partnership_id = risk.assessment.partnership_id
    if indicators is not None and any(i.partnership_id != partnership_id for i in indicators):
        raise ValidationError({"indicators": "Link only this partnership's indicators."})
    if risk.pk and risk.origin == RiskOrigin.CARRIED:
        before = Risk.objects.get(pk=risk.pk)
        old_indicators = set(before.indicators.values_list("pk", flat=True))
        substance_changed = any(
            getattr(before, name) != getattr(risk, name) for name in RISK_SUBSTANCE_FIELDS
        ) or (indicators is not None and old_indicators != {i.pk for i in indicators})
        if substance_changed:
            risk.origin = RiskOrigin.CHANGED
    risk.full_clean()
    risk.save()
    if indicators is not None:
        risk.indicators.set(indicators)
    return risk


def risk_open_workshops(risk: Risk, *, lock: bool = False) -> list[str]:
    """Titles of the open workshops holding the risk (locking every workshop holding it)."""
    # Through the reverse relation: assessments never imports workshops. "open" is
    # workshops.models.WorkshopStatus.OPEN.
    workshops = risk.workshops.order_by("title")
    if lock:
        # The same row lock workshop_open() takes: a workshop cannot open mid-deletion.
        workshops = workshops.select_for_update(of=("self",))
    return [title for title, status in workshops.values_list("title", "status") if status == "open"]


class RiskInOpenWorkshop(ValidationError):
    """Raised on deleting or withdrawing a risk that an open workshop holds."""

    def __init__(self, risk: Risk, titles: list[str], action: str = "deleted"):
        workshops = ", ".join(f'"{title}"' for title in titles)
        noun = "workshop" if len(titles) == 1 else "workshops"
        verb = "is" if len(titles) == 1 else "are"
        super().__init__(
            f'"{risk.name}" cannot be {action} while the {noun} {workshops} {verb} open: '
            f"lock the {noun} first."
        )


class RiskScoredInWorkshop(ValidationError):
    """Raised on deleting a risk that partners have scored in a workshop: withdraw it."""

    def __init__(self, risk: Risk):
        super().__init__(
            f'"{risk.name}" has been scored in a workshop, so it cannot be deleted: withdraw it '
            "from the assessment instead. A withdrawn risk keeps its scores and history, is "
            "left out of the results, the report and the exports, and can be reinstated."
        )


class RiskWithdrawal(ValidationError):
    """Raised on withdrawing a withdrawn risk, reinstating one that is not, or scoring one."""


def risk_scored_in_workshop(risk: Risk) -> bool:
    """Whether partners scored the risk in a workshop, or a value was agreed for it in one."""
    # The audit trail counts too: a submission deleted since still happened.
    return (
        risk.submissions.exists()
        or risk.score_changes.filter(
            models.Q(kind=ScoreKind.SUBMISSION) | models.Q(round_number__isnull=False)
        ).exists()
    )


def risk_ensure_scorable(risk: Risk) -> None:
    """Refuse scores for a withdrawn risk: it is out of the assessment until reinstated."""
    if risk.withdrawn_at is not None:
        raise RiskWithdrawal(
            f'"{risk.name}" is withdrawn from the assessment: reinstate it before scoring it.'
        )


@transaction.atomic
def risk_delete(*, risk: Risk, user) -> None:
    """Delete a risk of an editable assessment, with its scores; the audit trail keeps its
    history and records the deletion. Refused while an open workshop holds the risk, and for a
    risk scored in a workshop (withdraw it instead)."""
    assessment_ensure_editable(risk.assessment)
    if titles := risk_open_workshops(risk, lock=True):
        raise RiskInOpenWorkshop(risk, titles)
    if risk_scored_in_workshop(risk):
        raise RiskScoredInWorkshop(risk)
    scores, submissions = risk.factor_scores.count(), risk.submissions.count()
    ScoreChange.objects.create(
        assessment=risk.assessment,
        risk=risk,
        kind=RISK_DELETED,
        note=(
            f"Deleted with its {scores} factor score{'' if scores == 1 else 's'} and "
            f"{submissions} workshop submission{'' if submissions == 1 else 's'}."
        ),
        changed_by=user,
    )
    risk.delete()  # its audit rows stay, their link to it set to null


def _risk_for_update(risk: Risk) -> Risk:
    """The risk's row, locked, so two withdrawals (or one and a reinstatement) cannot cross."""
    return Risk.objects.select_for_update().select_related("assessment").get(pk=risk.pk)


@transaction.atomic
def risk_withdraw(*, risk: Risk, user, reason: str) -> Risk:
    """Withdraw a risk from the assessment, saying why: kept with its scores and history, left
    out of the results, the report and the exports; audited. Refused while an open workshop
    holds it."""
    assessment_ensure_editable(risk.assessment)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the risk is withdrawn."})
    if titles := risk_open_workshops(risk, lock=True):
        raise RiskInOpenWorkshop(risk, titles, action="withdrawn")
    current = _risk_for_update(risk)
    if current.withdrawn_at is not None:
        raise RiskWithdrawal(f'"{current.name}" is already withdrawn from the assessment.')
    current.withdrawn_at, current.withdrawn_by, current.withdrawn_reason = (
        timezone.now(),
        user,
        reason,
    )
    current.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    ScoreChange.objects.create(
        assessment=current.assessment,
        risk=current,
        kind=RISK_WITHDRAWN,
        note=reason,
        changed_by=user,
    )
    return current


@transaction.atomic
def risk_reinstate(*, risk: Risk, user) -> Risk:
    """Bring a withdrawn risk back into the assessment (while it is unpublished); audited."""
    assessment_ensure_editable(risk.assessment)
    current = _risk_for_update(risk)
    if current.withdrawn_at is None:
        raise RiskWithdrawal(f'"{current.name}" is not withdrawn, so there is nothing to undo.')
    note = f"Withdrawn on {timezone.localtime(current.withdrawn_at):%d %b %Y}: "
    note += current.withdrawn_reason
    current.withdrawn_at, current.withdrawn_by, current.withdrawn_reason = None, None, ""
    current.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    ScoreChange.objects.create(
        assessment=current.assessment,
        risk=current,
        kind=RISK_REINSTATED,
        note=note,
        changed_by=user,
    )
    return current


@transaction.atomic
def risk_set_priority(*, risk: Risk, is_priority: bool, reason: str, user) -> Risk:
    """The board marks or unmarks a risk a partnership priority, saying why; audited."""
    assessment_ensure_editable(risk.assessment)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the board made this decision."})
    was_priority = risk.is_priority
    risk.is_priority = is_priority
    risk.priority_reason = reason if is_priority else ""
    risk.priority_set_by = user
    risk.priority_set_at = timezone.now()
    risk.save(
        update_fields=["is_priority", "priority_reason", "priority_set_by", "priority_set_at"]
    )
    labels = {True: "Partnership priority", False: "Not a priority"}
    ScoreChange.objects.create(
        assessment=risk.assessment,
        risk=risk,
        factor_key="priority",
        factor_name="priority",
        kind=ScoreKind.AGREED,
        old_value=Decimal(int(was_priority)),
        new_value=Decimal(int(is_priority)),
        old_label=labels[was_priority],
        new_label=labels[is_priority],
        note=reason,
        changed_by=user,
    )
    return risk


@transaction.atomic
def scoring_model_save(*, partnership: Partnership, spec: ScoringModelSpec, user) -> ScoringModel:
    """Make `spec` the partnership's model, one version above the current one.

    Assessments that froze their copy keep it, so their results never change.
    """
    problems = validate_spec(spec)
    if problems:
        raise ValidationError(problems)
    current = ScoringModel.objects.select_for_update().filter(partnership=partnership).first()
    version = (ScoringModelSpec.from_dict(current.spec) if current else DEFAULT_MODEL).version + 1
    data = {**spec.to_dict(), "version": version}
    model, _ = ScoringModel.objects.update_or_create(
        partnership=partnership, defaults={"spec": data, "updated_by": user}
    )
    return model


__all__ = [
    "AssessmentLocked",
    "ScoreKind",
    "ThemeNotEmpty",
    "assessment_ensure_editable",
    "assessment_freeze_model",
    "assessment_spec",
    "factor_score_set",
    "partnership_spec",
    "RiskInOpenWorkshop",
    "RiskScoredInWorkshop",
    "RiskWithdrawal",
    "risk_delete",
    "risk_ensure_scorable",
    "risk_open_workshops",
    "risk_reinstate",
    "risk_scored_in_workshop",
    "risk_withdraw",
    "risk_save",
    "risk_set_priority",
    "scoring_model_save",
    "theme_delete",
    "theme_save",
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


def section_mark_reviewed(*, section: CarriedForward, user) -> CarriedForward:
    """Record that someone edited or confirmed a carried-forward section (no-op otherwise).

    The caller holds the assessment's lock and has checked it is editable.
    """
    if not section.needs_review:
        return section
    section.reviewed_at, section.reviewed_by = timezone.now(), user
    section.save(update_fields=["reviewed_at", "reviewed_by"])
    return section


@transaction.atomic
def section_confirm_reviewed(*, section: CarriedForward, user) -> CarriedForward:
    """An analyst confirms a carried-forward section still stands, unchanged."""
    current = Assessment.objects.select_for_update().get(pk=section.assessment_id)
    assessment_ensure_editable(current)
    return section_mark_reviewed(section=section, user=user)


def assessment_create(*, partnership: Partnership, period: str) -> Assessment:
    """An empty assessment for `period` (validated like every period), scored with a frozen
    copy of the partnership's model in force now."""
    from assessments.periods import parse_period

    period = parse_period(period)
    with transaction.atomic():
        if Assessment.objects.filter(partnership=partnership, period=period).exists():
            raise ValidationError(f"{partnership} already has an assessment for {period}.")
        return Assessment.objects.create(
            partnership=partnership,
            period=period,
            scoring_spec=partnership_spec(partnership).to_dict(),
            scoring_frozen_at=timezone.now(),
        )

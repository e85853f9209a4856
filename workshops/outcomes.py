"""Outcomes: every risk's factor values (agreed, else partners' median, else analyst) and rating.

Lives in `workshops` because it combines the assessment's own scores with workshop submissions;
pages and exports of both apps read results only through `assessment_outcomes`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef

from assessments import access
from assessments.models import Assessment, Membership, Risk, RiskFactorScore, ScoreKind
from assessments.scoring import (
    FactorValue,
    RiskResult,
    ScoringModelSpec,
    aggregate_factor,
    compute_risk,
    rating_movement,
)
from assessments.services import assessment_spec
from workshops.models import RiskComment, RoundRisk, Submission


@dataclass(frozen=True)
class ScoredRound:
    """The round a risk's partner scores are taken from."""

    id: int
    number: int


@dataclass(frozen=True)
class RiskOutcome:
    """One risk's aggregated factors, computed result, and last year's rating."""

    risk: Risk
    factors: dict[str, FactorValue]
    result: RiskResult
    previous_rating: str | None = None
    previous_score: Decimal | None = None
    scored_round: ScoredRound | None = None  # where partners' scores come from, if any

    @property
    def rating(self) -> str:
        return self.result.rating

    @property
    def movement(self) -> str:
        """Compared with last year's rating: 'new' (no risk last year), 'unrated' (not rated
        now), 'rated' (rated now but not last year), else 'up', 'down' or 'same'."""
        return rating_movement(self.previous_rating, self.rating)

    @property
    def divergent_factors(self) -> list[str]:
        return [key for key, value in self.factors.items() if value.divergent]


def latest_submissions(
    assessment: Assessment, *, revealed_only: bool = False
) -> tuple[dict[tuple[int, str], list[Decimal]], dict[int, ScoredRound]]:
    """Partners' values per (risk, factor) from the latest round that has scores for each risk.

    A round just opened for a risk and not yet scored does not blank the risk's earlier result:
    until somebody scores the new round, the previous round's scores count (as a whole, so a
    challenge left out of the new round's answers no longer counts once it is scored). With
    `revealed_only`, only rounds whose scores the facilitator has revealed count: what a
    partner may see. Returns the values and, per risk id, the round they come from. Two queries.
    """
    scored = Submission.objects.filter(risk__assessment=assessment)
    if revealed_only:
        scored = scored.filter(
            Exists(
                RoundRisk.objects.filter(
                    round_id=OuterRef("round_id"),
                    risk_id=OuterRef("risk_id"),
                    revealed_at__isnull=False,
                )
            )
        )
    latest: dict[int, tuple] = {}
    for risk_id, round_id, opened_at, number in (
        scored.order_by()
        .values_list("risk_id", "round_id", "round__opened_at", "round__number")
        .distinct()
    ):
        key = (opened_at, number, round_id)
        if risk_id not in latest or key > latest[risk_id]:
            latest[risk_id] = key
    values: dict[tuple[int, str], list[Decimal]] = defaultdict(list)
    for risk_id, round_id, factor_key, value in scored.filter(
        round_id__in={key[2] for key in latest.values()}
    ).values_list("risk_id", "round_id", "factor_key", "value"):
        # A risk's first scores, committed by a save between the two statements, are not in
        # `latest`: they count from the next read.
        if risk_id in latest and latest[risk_id][2] == round_id:
            values[(risk_id, factor_key)].append(value)
    rounds = {risk_id: ScoredRound(id=key[2], number=key[1]) for risk_id, key in latest.items()}
    return values, rounds


def assessment_outcomes(
    assessment: Assessment,
    *,
    spec: ScoringModelSpec | None = None,
    with_previous: bool = True,
    revealed_only: bool = False,
    include_withdrawn: bool = False,
) -> list[RiskOutcome]:
    """Every risk of the assessment with its result, in register order; queries stay constant.

    `revealed_only` leaves out submissions the facilitator has not revealed (see
    `hides_unrevealed`), so a partner's view never shows other organisations' hidden scores.
    Withdrawn risks are left out (they are no part of the results) unless `include_withdrawn`:
    the register and a risk's own page show them, marked.
    """
    spec = spec or assessment_spec(assessment)
    risks = Risk.objects.filter(assessment=assessment).select_related(
        "theme", "carried_from", "withdrawn_by"
    )
    if not include_withdrawn:
        risks = risks.filter(withdrawn_at__isnull=True)
    risks = list(risks)
    own: dict[tuple[int, str, str], Decimal] = {
        (risk_id, factor_key, kind): value
        for risk_id, factor_key, kind, value in RiskFactorScore.objects.filter(
            risk__assessment=assessment
        ).values_list("risk_id", "factor_key", "kind", "value")
    }
    submitted, scored_rounds = latest_submissions(assessment, revealed_only=revealed_only)
    previous = _previous_outcomes(risks, revealed_only=revealed_only) if with_previous else {}
    outcomes = []
    for risk in risks:
        factors = {
            factor.key: aggregate_factor(
                factor,
                agreed=own.get((risk.id, factor.key, ScoreKind.AGREED)),
                submissions=submitted.get((risk.id, factor.key), []),
                analyst=own.get((risk.id, factor.key, ScoreKind.ANALYST)),
            )
            for factor in spec.factors
        }
        result = compute_risk(spec, {key: fv.value for key, fv in factors.items()})
        before = previous.get(risk.carried_from_id) if risk.carried_from_id else None
        outcomes.append(
            RiskOutcome(
                risk=risk,
                factors=factors,
                result=result,
                previous_rating=before.rating if before else None,
                previous_score=before.result.score if before else None,
                scored_round=scored_rounds.get(risk.id),
            )
        )
    return outcomes


def _previous_outcomes(risks: list[Risk], *, revealed_only: bool) -> dict[int, RiskOutcome]:
    """Outcomes of last year's risks that this year's risks were carried forward from."""
    earlier_assessment_ids = {r.carried_from.assessment_id for r in risks if r.carried_from}
    outcomes: dict[int, RiskOutcome] = {}
    for earlier in Assessment.objects.filter(id__in=earlier_assessment_ids).select_related(
        "partnership"
    ):
        hide = revealed_only and not earlier.is_published
        for outcome in assessment_outcomes(earlier, with_previous=False, revealed_only=hide):
            outcomes[outcome.risk.id] = outcome
    return outcomes


def hides_unrevealed(assessment: Assessment, membership: Membership | None) -> bool:
    """Whether this member must not see submissions the facilitator has not revealed.

    Partners see results once revealed (PRODUCT.md); roles that may view results see them all,
    and a published assessment's signed-off results are everyone's.
    """
    return not (access.can(membership, access.VIEW_RESULTS) or assessment.is_published)


def ranked(outcomes: list[RiskOutcome]) -> list[RiskOutcome]:
    """Highest score first; unrated risks last."""
    return sorted(
        outcomes,
        key=lambda o: (o.result.score is None, -(o.result.score or 0), o.risk.name),
    )


@dataclass(frozen=True)
class PartnerRemark:
    """What an organisation said about a risk in a round: a comment, or why it challenged."""

    organisation: str
    text: str
    factor_key: str | None = None  # the challenged factor; None for a comment
    level_label: str = ""


@dataclass(frozen=True)
class RoundRemarks:
    """Partners' comments and challenge reasons on one risk in one round."""

    workshop: str
    round_number: int
    revealed: bool
    remarks: list[PartnerRemark]


def risk_remarks(risk: Risk, *, revealed_only: bool) -> RoundRemarks | None:
    """Comments and challenge reasons from the latest round in which partners scored or
    commented on the risk (the latest revealed one with `revealed_only`), or None if there is
    none; three queries."""
    said = Exists(
        Submission.objects.filter(round_id=OuterRef("round_id"), risk_id=OuterRef("risk_id"))
    ) | Exists(
        RiskComment.objects.filter(round_id=OuterRef("round_id"), risk_id=OuterRef("risk_id"))
    )
    round_risks = RoundRisk.objects.filter(said, risk=risk)
    if revealed_only:
        round_risks = round_risks.filter(revealed_at__isnull=False)
    latest = (
        round_risks.select_related("round__workshop")
        .order_by("-round__opened_at", "-round__number", "-round_id")
        .first()
    )
    if latest is None:
        return None
    remarks = [
        PartnerRemark(name, reason, factor_key, label)
        for name, reason, factor_key, label in Submission.objects.filter(
            round_id=latest.round_id, risk=risk
        )
        .exclude(reason="")
        .values_list("organisation__name", "reason", "factor_key", "level_label")
    ]
    remarks += [
        PartnerRemark(name, text)
        for name, text in RiskComment.objects.filter(round_id=latest.round_id, risk=risk)
        .exclude(text="")
        .values_list("organisation__name", "text")
    ]
    remarks.sort(key=lambda r: (r.organisation, r.factor_key is None, r.factor_key or ""))
    return RoundRemarks(
        workshop=latest.round.workshop.title,
        round_number=latest.round.number,
        revealed=latest.revealed_at is not None,
        remarks=remarks,
    )

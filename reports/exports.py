"""The assessment as data (`workbench-assessment/1`), computed from the scores, never stored.

PRODUCT.md fixes the schema: numbers are JSON numbers and anything not known is null.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from assessments.models import (
    Area,
    AreaKind,
    Assessment,
    IndicatorValue,
    Population,
    ScoreChange,
)
from assessments.periods import previous_period
from assessments.scoring import ScoringModelSpec, round1
from assessments.services import assessment_spec
from assessments.statistics import indicator_figures
from workshops.outcomes import RiskOutcome, assessment_outcomes

SCHEMA = "workbench-assessment/1"


def number(value: Decimal | int | None) -> int | float | None:
    """A Decimal as a JSON number: whole values as int, others as float; None stays None."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def one_decimal(value: Decimal | None) -> int | float | None:
    """A figure rounded half up to one decimal place, as a JSON number."""
    return None if value is None else float(round1(value))


def scoring_model_json(spec: ScoringModelSpec) -> dict[str, Any]:
    """`spec.to_dict()` with its values and constants as numbers rather than strings."""
    data = spec.to_dict()
    for factor in data["factors"]:
        for level in factor["levels"]:
            level["value"] = number(Decimal(level["value"]))
    for key, value in data.items():
        if isinstance(value, str) and key != "name":
            data[key] = number(Decimal(value))
    return data


def risk_json(outcome: RiskOutcome, spec: ScoringModelSpec) -> dict[str, Any]:
    """One risk of the export: its scores, rating, priority and factors (keyed by name)."""
    risk, result = outcome.risk, outcome.result
    factors = {}
    for factor in spec.factors:
        value = outcome.factors[factor.key]
        factors[factor.name] = {
            "level": value.level_label,
            "value": number(value.value),
            "source": value.source,
            "submissions": value.submissions,
            "divergent": value.divergent,
            "spread": [number(v) for v in value.spread] if value.spread else None,
        }
    return {
        "theme": risk.theme.name,
        "risk": risk.name,
        "harm": number(result.harm),
        "likelihood": number(result.likelihood),
        "confidence": number(result.confidence),
        "response": number(result.response),
        "score": one_decimal(result.score),
        "rating": result.rating,
        "missing": [spec.factor(key).name for key in result.missing],
        "priority": risk.is_priority,
        "priority_reason": risk.priority_reason or None,
        "previous_rating": outcome.previous_rating,
        "factors": factors,
    }


def indicators_json(assessment: Assessment) -> list[dict[str, Any]]:
    """Each count indicator's figures for the partnership's whole area, for the assessment's
    period and the one before (never later periods' data)."""
    area = Area.objects.filter(
        partnership=assessment.partnership_id, kind=AreaKind.PARTNERSHIP
    ).first()
    if area is None:
        return []
    denominators = {
        period: (population, households)
        for period, population, households in Population.objects.filter(area=area).values_list(
            "period", "population", "households"
        )
    }
    values = list(
        IndicatorValue.objects.filter(
            area=area,
            indicator__unit="count",
            period__in=[previous_period(assessment.period), assessment.period],
        ).select_related("indicator")
    )
    counts = {(v.indicator_id, v.period): int(v.value) for v in values}
    # Part years counted from records are never compared with another year.
    months = {(v.indicator_id, v.period): v.months for v in values}
    result = []
    for value in values:
        before = (value.indicator_id, previous_period(value.period))
        population, households = denominators.get(value.period, (None, None))
        figures = indicator_figures(
            count=int(value.value),
            previous_count=counts.get(before),
            population=population,
            households=households,
            rate_basis=value.indicator.rate_basis,
            msg_rate=value.msg_rate_per_1000,
            months=value.months,
            previous_months=months.get(before),
        )
        result.append(
            {
                "category": value.indicator.name,
                "period": value.period,
                "count": figures.count,
                "previous_count": figures.previous_count,
                "change": figures.change,
                "pct_change": one_decimal(figures.pct_change),
                "rate_per_1000": one_decimal(figures.rate_per_1000),
                "msg_rate_per_1000": number(figures.msg_rate_per_1000),
                # Beyond PRODUCT.md's fields: how many months a part year covers (null: the
                # whole year), so a script never reads 3 months' count as a year's.
                "months": figures.months if figures.is_partial else None,
                # Both rates are per 1,000 of this: "residents" or "households".
                "rate_basis": figures.rate_basis,
            }
        )
    return result


def audit_json(assessment: Assessment, spec: ScoringModelSpec) -> list[dict[str, Any]]:
    """Every score change and risk deletion, oldest first: who, when, which risk and factor
    (named as they were then), old → new."""
    changes = ScoreChange.objects.filter(assessment=assessment).order_by("changed_at", "id")
    return [
        {
            "who": change.changed_by_username or None,
            "when": change.changed_at.isoformat(),
            "risk": change.risk_name,
            "factor": change.factor_name or None,
            "kind": change.kind,
            "organisation": change.organisation_name or None,
            "round": change.round_number,
            "old_level": change.old_label or None,
            "old_value": number(change.old_value),
            "new_level": change.new_label or None,
            "new_value": number(change.new_value),
            "note": change.note or None,
        }
        for change in changes
    ]


def assessment_export(
    assessment: Assessment,
    *,
    spec: ScoringModelSpec | None = None,
    outcomes: list[RiskOutcome] | None = None,
) -> dict[str, Any]:
    """The whole assessment as JSON-ready data (`json.dumps` needs no custom encoder).

    This reads the live data; a published assessment's export is its snapshot's
    (`reports.snapshot.current_snapshot`).
    """
    spec = spec or assessment_spec(assessment)
    if outcomes is None:
        outcomes = assessment_outcomes(assessment, spec=spec)
    return {
        "schema": SCHEMA,
        "partnership": assessment.partnership.slug,
        "partnership_name": assessment.partnership.name,
        "period": assessment.period,
        "status": assessment.status,
        "published_at": assessment.published_at.isoformat() if assessment.published_at else None,
        "scoring_model": scoring_model_json(spec),
        "risks": [risk_json(outcome, spec) for outcome in outcomes],
        "indicators": indicators_json(assessment),
        "audit": audit_json(assessment, spec),
    }

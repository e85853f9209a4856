"""The facilitator's live dashboard: per organisation its progress, per risk every factor's
partner levels, the value used and its source, divergence, the rating, comments and challenge
reasons. A fixed number of queries whatever the size."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Q

from assessments.models import Organisation, Risk
from assessments.scoring import Factor, FactorValue, aggregate_factor
from assessments.services import assessment_spec
from workshops.models import RiskComment, Submission, Workshop
from workshops.outcomes import RiskOutcome, assessment_outcomes
from workshops.selectors import current_round_risks, partner_factor_keys, workshop_risks


@dataclass
class FactorRow:
    """One factor of a risk on the dashboard: partners' levels and the value the result uses."""

    factor: Factor
    counts: list[tuple[str, int]]  # levels somebody chose, in the round shown
    value: FactorValue | None

    @property
    def divergent(self) -> bool:
        return bool(self.value and self.value.divergent)

    @property
    def partners_level(self) -> str | None:
        """The level of the partners' median in the round shown (None without scores)."""
        chosen = dict(self.counts)
        values = [lv.value for lv in self.factor.levels for _ in range(chosen.get(lv.label, 0))]
        if not values:
            return None
        return aggregate_factor(
            self.factor, agreed=None, submissions=values, analyst=None
        ).level_label

    @property
    def agreed_differs(self) -> bool:
        """An agreed value overrides a different partners' median."""
        return bool(
            self.value
            and self.value.source == "agreed"
            and self.partners_level not in (None, self.value.level_label)
        )


@dataclass
class Remark:
    """An organisation's comment on a risk, or its reason for challenging a factor."""

    round_number: int
    organisation: str
    text: str
    factor: Factor | None = None  # the challenged factor; None for a comment
    level: str = ""  # the proposed level


@dataclass
class RiskProgress:
    risk: Risk
    round_number: int
    revealed: bool
    outcome: RiskOutcome | None
    scored_by: list[str]
    factors: list[FactorRow]
    shown_round: int  # the round whose scores the factor rows show and the result uses
    remarks: list[Remark]
    settled_in: str | None = None

    @property
    def earlier_round_counts(self) -> bool:
        """The current round has no scores yet, so the previous round's still count."""
        return self.shown_round != self.round_number


@dataclass
class OrganisationProgress:
    organisation: Organisation
    scored: int
    left: list[str]


def dashboard(workshop: Workshop) -> dict:
    """Progress per organisation; per risk every factor's partner levels, the value used and its
    source, divergence, the rating, comments and challenge reasons; a fixed query count."""
    spec = assessment_spec(workshop.assessment)
    risks = workshop_risks(workshop)
    organisations = list(workshop.organisations.all())
    current = current_round_risks(workshop)
    outcomes = {
        o.risk.id: o
        for o in assessment_outcomes(workshop.assessment, spec=spec, with_previous=False)
    }
    # Each risk's factor rows show the round its result uses (see outcomes.latest_submissions).
    shown = {
        risk.id: outcomes[risk.id].scored_round.id
        if outcomes.get(risk.id) and outcomes[risk.id].scored_round
        else (current[risk.id].round_id if risk.id in current else None)
        for risk in risks
    }
    round_ids = {rr.round_id for rr in current.values()} | {i for i in shown.values() if i}
    rows = Submission.objects.filter(
        Q(round_id__in=round_ids) | Q(round__workshop=workshop, reason__gt=""),
        risk_id__in=[risk.id for risk in risks],
    ).values_list(
        "round_id",
        "round__number",
        "risk_id",
        "organisation_id",
        "organisation__name",
        "factor_key",
        "level_label",
        "reason",
    )
    needed = set(partner_factor_keys(spec))
    given: dict[tuple[int, int], set[str]] = defaultdict(set)
    counts: dict[tuple[int, str], Counter] = defaultdict(Counter)
    remarks: dict[int, list[Remark]] = defaultdict(list)
    factors = {f.key: f for f in spec.factors}
    for round_id, number, risk_id, org_id, org_name, key, label, reason in rows:
        if risk_id in current and current[risk_id].round_id == round_id:
            given[(org_id, risk_id)].add(key)
        if shown[risk_id] == round_id:
            counts[(risk_id, key)][label] += 1
        if reason and key in factors:
            remarks[risk_id].append(Remark(number, org_name, reason, factors[key], label))
    for number, risk_id, org_name, text in RiskComment.objects.filter(
        round__workshop=workshop
    ).values_list("round__number", "risk_id", "organisation__name", "text"):
        remarks[risk_id].append(Remark(number, org_name, text))
    result = []
    for risk in risks:
        outcome = outcomes.get(risk.id)
        round_risk = current.get(risk.id)
        round_number = round_risk.round.number if round_risk else 1
        scored_round = outcome.scored_round if outcome else None
        result.append(
            RiskProgress(
                risk=risk,
                round_number=round_number,
                revealed=bool(round_risk and round_risk.revealed_at),
                outcome=outcome,
                scored_by=[o.name for o in organisations if needed <= given[(o.id, risk.id)]],
                factors=[
                    FactorRow(
                        factor=f,
                        counts=[
                            (lv.label, counts[(risk.id, f.key)][lv.label])
                            for lv in f.levels
                            if counts[(risk.id, f.key)][lv.label]
                        ],
                        value=outcome.factors.get(f.key) if outcome else None,
                    )
                    for f in spec.factors
                ],
                shown_round=scored_round.number if scored_round else round_number,
                remarks=sorted(
                    remarks[risk.id],
                    key=lambda r: (-r.round_number, r.organisation, r.factor is not None),
                ),
                settled_in=getattr(round_risk, "settled_in", None),
            )
        )
    progress = [
        OrganisationProgress(
            organisation=o,
            scored=sum(1 for r in risks if needed <= given[(o.id, r.id)]),
            left=[r.name for r in risks if not needed <= given[(o.id, r.id)]],
        )
        for o in organisations
    ]
    return {"spec": spec, "risks": result, "progress": progress, "risk_count": len(risks)}

"""Read-side helpers for workshop pages; each runs a fixed number of queries whatever the size."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q

from assessments.evidence import IndicatorRow, indicator_rows
from assessments.models import Membership, Organisation, Risk, RiskFactorScore, Role, ScoreKind
from assessments.scoring import (
    Factor,
    FactorValue,
    ScoringModelSpec,
    aggregate_factor,
    analyst_factors,
    partner_factors,
)
from assessments.services import assessment_spec
from workshops.models import (
    RiskComment,
    Round,
    RoundRisk,
    Submission,
    Workshop,
    WorkshopStatus,
)
from workshops.outcomes import RiskOutcome, assessment_outcomes
from workshops.services import current_round_risks


def partner_factor_keys(spec: ScoringModelSpec) -> list[str]:
    return [f.key for f in partner_factors(spec)]


def workshop_risks(workshop: Workshop) -> list[Risk]:
    return list(
        workshop.risks.select_related("theme").order_by(
            "theme__order", "theme__name", "order", "name"
        )
    )


def current_submissions(
    workshop: Workshop, current: dict[int, RoundRisk], *conditions: Q
) -> list[Submission]:
    """Submissions of each risk's current round (one query)."""
    round_ids = {rr.round_id for rr in current.values()}
    rows = Submission.objects.filter(*conditions, round_id__in=round_ids).select_related(
        "organisation"
    )
    return [s for s in rows if current.get(s.risk_id) and current[s.risk_id].round_id == s.round_id]


@dataclass
class Distribution:
    """Counts per level for one factor of one risk, and who said what (for named display)."""

    factor: Factor
    counts: list[tuple[str, int]]
    named: list[tuple[str, str]] = field(default_factory=list)

    @property
    def present(self) -> list[tuple[str, int]]:
        """Only the levels somebody chose."""
        return [(label, n) for label, n in self.counts if n]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)


def distributions(
    spec: ScoringModelSpec, submissions: list[Submission]
) -> dict[int, list[Distribution]]:
    """Per risk id, a distribution for every factor that has at least one submission."""
    by_risk_factor: dict[tuple[int, str], list[Submission]] = defaultdict(list)
    for s in submissions:
        by_risk_factor[(s.risk_id, s.factor_key)].append(s)
    result: dict[int, list[Distribution]] = defaultdict(list)
    for factor in spec.factors:
        for (risk_id, key), subs in by_risk_factor.items():
            if key != factor.key:
                continue
            counter = Counter(s.level_label for s in subs)
            result[risk_id].append(
                Distribution(
                    factor=factor,
                    counts=[(lv.label, counter.get(lv.label, 0)) for lv in factor.levels],
                    named=sorted((s.organisation.name, s.level_label) for s in subs),
                )
            )
    return result


# --- The partner's scoring page ------------------------------------------------------------


@dataclass
class RiskCard:
    """Everything the partner sees for one risk."""

    risk: Risk
    round_number: int
    revealed: bool
    analyst: list[tuple[Factor, RiskFactorScore | None]]
    saved: bool
    initial: dict
    distribution: list[Distribution]
    challenged: bool = False
    settled_in: str | None = None  # the locked workshop that settled the risk, if another
    evidence: list[IndicatorRow] = field(default_factory=list)
    no_figures: list[str] = field(default_factory=list)  # linked indicators without figures
    status: str = ""  # what the last save said
    problem: str = ""  # why the last save was refused

    @property
    def read_only(self) -> bool:
        """Revealed in its round, or settled in a locked workshop: no more saves."""
        return self.revealed or bool(self.settled_in)

    @property
    def analyst_levels(self) -> dict[str, str]:
        """Factor key → the analyst's level, for the challenges."""
        return {factor.key: score.level_label for factor, score in self.analyst if score}


def scoring_page(
    workshop: Workshop, organisation: Organisation, spec: ScoringModelSpec
) -> tuple[list[RiskCard], int, int]:
    """The partner's cards risk by risk with their evidence, how many risks their organisation
    has scored, and how many the workshop has."""
    risks = workshop_risks(workshop)
    cards, own_by_risk = risk_cards(workshop, organisation, spec, risks, evidence=True)
    needed = set(partner_factor_keys(spec))
    scored = sum(1 for risk in risks if needed <= set(own_by_risk.get(risk.id, {})))
    return cards, scored, len(risks)


def risk_cards(
    workshop: Workshop,
    organisation: Organisation,
    spec: ScoringModelSpec,
    risks: list[Risk],
    current: dict[int, RoundRisk] | None = None,
    *,
    evidence: bool = False,
) -> tuple[list[RiskCard], dict[int, dict[str, Submission]]]:
    """The partner's cards for some risks (with their themes), and the organisation's own
    submissions per risk; `current` maps at least those risks to their current RoundRisk
    (read here if not given). `evidence` adds the linked indicators' figures, read through
    `assessments.evidence` so they match the evidence page. A fixed handful of queries whatever
    the number of risks."""
    by_id = {risk.id: risk for risk in risks}
    linked: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if evidence:
        for risk_id, indicator_id, name in Risk.indicators.through.objects.filter(
            risk_id__in=by_id
        ).values_list("risk_id", "indicator_id", "indicator__name"):
            linked[risk_id].append((indicator_id, name))
    figures = (
        {row.indicator_id: row for row in indicator_rows(workshop.assessment)}
        if any(linked.values())
        else {}
    )
    if current is None:
        current = current_round_risks(workshop)
    current = {rid: rr for rid, rr in current.items() if rid in by_id}
    analyst = {
        (s.risk_id, s.factor_key): s
        for s in RiskFactorScore.objects.filter(risk_id__in=by_id, kind=ScoreKind.ANALYST)
    }
    revealed_here = {rid for rid, rr in current.items() if rr.revealed_at}
    subs = current_submissions(
        workshop,
        current,
        Q(risk_id__in=by_id),
        Q(organisation=organisation) | Q(risk_id__in=revealed_here),
    )
    own = [s for s in subs if s.organisation_id == organisation.id]
    comments = {
        c.risk_id: c.text
        for c in RiskComment.objects.filter(
            organisation=organisation,
            risk_id__in=by_id,
            round_id__in={rr.round_id for rr in current.values()},
        )
        if current.get(c.risk_id) and current[c.risk_id].round_id == c.round_id
    }
    dists = distributions(spec, [s for s in subs if s.risk_id in revealed_here])
    needed = set(partner_factor_keys(spec))
    own_by_risk: dict[int, dict[str, Submission]] = defaultdict(dict)
    for s in own:
        own_by_risk[s.risk_id][s.factor_key] = s
    challenge = analyst_factors(spec)
    cards = []
    for risk in risks:
        mine = own_by_risk.get(risk.id, {})
        initial = {"comment": comments.get(risk.id, "")}
        for key, s in mine.items():
            if key in needed:
                initial[key] = s.level_label
            else:
                initial[f"challenge_{key}"] = s.level_label
                initial[f"reason_{key}"] = s.reason
        round_risk = current.get(risk.id)
        cards.append(
            RiskCard(
                risk=risk,
                round_number=round_risk.round.number if round_risk else 1,
                revealed=risk.id in revealed_here,
                analyst=[(f, analyst.get((risk.id, f.key))) for f in challenge],
                saved=needed <= set(mine),
                initial=initial,
                distribution=dists.get(risk.id, []),
                challenged=bool(set(mine) - needed),
                settled_in=getattr(round_risk, "settled_in", None),
                evidence=[figures[i] for i, _ in linked[risk.id] if i in figures],
                no_figures=[name for i, name in linked[risk.id] if i not in figures],
            )
        )
    return cards, own_by_risk


def scoring_progress(
    workshop: Workshop, organisation: Organisation, spec: ScoringModelSpec
) -> tuple[int, int]:
    """How many of the workshop's risks the organisation has fully scored in their current
    rounds, and how many risks the workshop has: one aggregate query, for the save fragment.

    Plain SQL because it runs on every save and compiling the ORM version cost more than
    running it; the test compares it with `scoring_page`'s count.
    """
    needed = partner_factor_keys(spec)
    if not needed:
        return (total := workshop.risks.count()), total
    sql = f"""
        SELECT COUNT(*), COALESCE(SUM(CASE WHEN (
            SELECT COUNT(*) FROM {Submission._meta.db_table} s
            WHERE s.organisation_id = %s AND s.risk_id = wr.risk_id
              AND s.factor_key IN ({", ".join(["%s"] * len(needed))})
              AND s.round_id = (
                SELECT rr.round_id FROM {RoundRisk._meta.db_table} rr
                JOIN {Round._meta.db_table} r ON r.id = rr.round_id
                WHERE r.workshop_id = wr.workshop_id AND rr.risk_id = wr.risk_id
                ORDER BY r.number DESC LIMIT 1)
        ) >= %s THEN 1 ELSE 0 END), 0)
        FROM {Workshop.risks.through._meta.db_table} wr
        WHERE wr.workshop_id = %s
    """  # noqa: S608 - table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [organisation.pk, *needed, len(needed), workshop.pk])
        total, scored = cursor.fetchone()
    return int(scored), int(total)


# --- The facilitator's live dashboard ------------------------------------------------------


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


def workshops_for_user(user) -> list[Workshop]:
    """Open or locked workshops the user runs or is invited to (two queries); each has `runs`,
    whether the user runs it (else they score in it)."""
    if not user.is_authenticated:
        return []
    memberships = list(Membership.objects.filter(user=user))
    runs = [m.partnership_id for m in memberships if m.role in (Role.FACILITATOR, Role.ADMIN)]
    scores = [m.organisation_id for m in memberships if m.role == Role.PARTNER]
    if not runs and not scores:
        return []
    invited = Q(organisations__in=scores) & (Q(participants=user) | Q(participants__isnull=True))
    # Partnership membership is checked too, so an organisation id can never leak across.
    partner_ok = Q(assessment__partnership__memberships__user=user) & invited
    workshops = list(
        Workshop.objects.filter(status__in=[WorkshopStatus.OPEN, WorkshopStatus.LOCKED])
        .filter(Q(assessment__partnership__in=runs) | partner_ok)
        .select_related("assessment__partnership")
        .distinct()
        .order_by("-opened_at")
    )
    for workshop in workshops:
        workshop.runs = workshop.assessment.partnership_id in runs
    return workshops

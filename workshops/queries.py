"""Read-side helpers for workshop pages; each runs a fixed number of queries whatever the size."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q

from assessments.models import Membership, Organisation, Risk, RiskFactorScore, Role, ScoreKind
from assessments.scoring import Factor, ScoringModelSpec
from assessments.services import assessment_spec
from workshops.models import (
    RiskComment,
    Round,
    RoundRisk,
    Submission,
    Workshop,
    WorkshopStatus,
)
from workshops.results import RiskOutcome, assessment_outcomes
from workshops.services import CHALLENGE_DIMENSIONS, PARTNER_DIMENSIONS, current_round_risks


def partner_factor_keys(spec: ScoringModelSpec) -> list[str]:
    return [f.key for f in spec.factors if f.dimension in PARTNER_DIMENSIONS]


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


def scoring_page(
    workshop: Workshop, organisation: Organisation, spec: ScoringModelSpec, only: int | None = None
) -> tuple[list[RiskCard], int, int]:
    """The partner's cards risk by risk (just risk `only` if given), how many risks their
    organisation has scored, and how many the workshop has."""
    all_risks = workshop_risks(workshop)
    current = current_round_risks(workshop)
    if only is not None:
        only_risks = [r for r in all_risks if r.id == only]
        cards, _ = risk_cards(workshop, organisation, spec, only_risks, current)
        scored, _ = scoring_progress(workshop, organisation, spec)
        return cards, scored, len(all_risks)
    cards, own_by_risk = risk_cards(workshop, organisation, spec, all_risks, current)
    needed = set(partner_factor_keys(spec))
    scored = sum(1 for risk in all_risks if needed <= set(own_by_risk.get(risk.id, {})))
    return cards, scored, len(all_risks)


def risk_cards(
    workshop: Workshop,
    organisation: Organisation,
    spec: ScoringModelSpec,
    risks: list[Risk],
    current: dict[int, RoundRisk] | None = None,
) -> tuple[list[RiskCard], dict[int, dict[str, Submission]]]:
    """The partner's cards for some risks (with their themes), and the organisation's own
    submissions per risk; `current` maps at least those risks to their current RoundRisk
    (read here if not given). Five queries whatever the number of risks."""
    for risk in risks:
        risk.indicator_names = []
    by_id = {risk.id: risk for risk in risks}
    for risk_id, name in Risk.indicators.through.objects.filter(risk_id__in=by_id).values_list(
        "risk_id", "indicator__name"
    ):
        by_id[risk_id].indicator_names.append(name)
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
    challenge = [f for f in spec.factors if f.dimension in CHALLENGE_DIMENSIONS]
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
        cards.append(
            RiskCard(
                risk=risk,
                round_number=current[risk.id].round.number if risk.id in current else 1,
                revealed=risk.id in revealed_here,
                analyst=[(f, analyst.get((risk.id, f.key))) for f in challenge],
                saved=needed <= set(mine),
                initial=initial,
                distribution=dists.get(risk.id, []),
                challenged=bool(set(mine) - needed),
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
class RiskProgress:
    risk: Risk
    round_number: int
    revealed: bool
    outcome: RiskOutcome | None
    scored_by: list[str]
    distribution: list[Distribution]


@dataclass
class OrganisationProgress:
    organisation: Organisation
    scored: int
    left: list[str]


def dashboard(workshop: Workshop) -> dict:
    """Progress per organisation, distributions and ratings per risk; a fixed query count."""
    spec = assessment_spec(workshop.assessment)
    risks = workshop_risks(workshop)
    organisations = list(workshop.organisations.all())
    current = current_round_risks(workshop)
    subs = current_submissions(workshop, current)
    needed = set(partner_factor_keys(spec))
    given: dict[tuple[int, int], set[str]] = defaultdict(set)
    for s in subs:
        given[(s.organisation_id, s.risk_id)].add(s.factor_key)
    outcomes = {
        o.risk.id: o
        for o in assessment_outcomes(workshop.assessment, spec=spec, with_previous=False)
    }
    dists = distributions(spec, subs)
    rows = []
    for risk in risks:
        done = [o.name for o in organisations if needed <= given[(o.id, risk.id)]]
        rows.append(
            RiskProgress(
                risk=risk,
                round_number=current[risk.id].round.number if risk.id in current else 1,
                revealed=bool(current.get(risk.id) and current[risk.id].revealed_at),
                outcome=outcomes.get(risk.id),
                scored_by=done,
                distribution=dists.get(risk.id, []),
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
    return {"spec": spec, "risks": rows, "progress": progress, "risk_count": len(risks)}


def workshops_for_user(user) -> list[Workshop]:
    """Open or locked workshops the user runs or is invited to (two queries)."""
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
    return list(
        Workshop.objects.filter(status__in=[WorkshopStatus.OPEN, WorkshopStatus.LOCKED])
        .filter(Q(assessment__partnership__in=runs) | partner_ok)
        .select_related("assessment__partnership")
        .distinct()
        .order_by("-opened_at")
    )

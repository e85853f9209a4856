"""Workshop reads: current rounds, settled risks, partners' cards and the workshops a person
sees. Each runs a fixed number of queries whatever the size."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import OuterRef, Q, Subquery

from assessments.evidence import IndicatorRow, indicator_rows
from assessments.models import (
    Assessment,
    Membership,
    Organisation,
    Risk,
    RiskFactorScore,
    Role,
    ScoreKind,
)
from assessments.scoring import Factor, ScoringModelSpec, analyst_factors, partner_factors
from workshops.models import (
    RiskComment,
    Round,
    RoundRisk,
    Submission,
    Workshop,
    WorkshopStatus,
)


def settled_risks(
    *, assessment: Assessment, risk_ids=None, exclude_workshop: Workshop | None = None
) -> dict[int, str]:
    """Risk id → title of the locked workshop that settled it (one query).

    The rule that makes “after lock, nothing can change” true: a risk in a locked workshop is
    settled for the whole assessment. No other workshop may add it, open a round for it, take
    scores for it or agree its values, and a scoring sheet may not change them either.
    """
    rows = Workshop.risks.through.objects.filter(
        workshop__assessment=assessment, workshop__status=WorkshopStatus.LOCKED
    )
    if risk_ids is not None:
        rows = rows.filter(risk_id__in=risk_ids)
    if exclude_workshop is not None:
        rows = rows.exclude(workshop_id=exclude_workshop.pk)
    return dict(rows.order_by("-workshop__locked_at").values_list("risk_id", "workshop__title"))


def _settled_in(workshop: Workshop) -> Subquery:
    """The title of another, locked workshop holding the row's risk (None if there is none)."""
    return Subquery(
        Workshop.risks.through.objects.filter(
            risk_id=OuterRef("risk_id"), workshop__status=WorkshopStatus.LOCKED
        )
        .exclude(workshop_id=workshop.pk)
        .order_by("-workshop__locked_at")
        .values("workshop__title")[:1]
    )


def current_round_risks(workshop: Workshop) -> dict[int, RoundRisk]:
    """Per risk id, the RoundRisk of the latest round scoring that risk, with `settled_in`: the
    title of another, locked workshop that settled the risk, if any (one query)."""
    current: dict[int, RoundRisk] = {}
    for round_risk in (
        RoundRisk.objects.filter(round__workshop=workshop)
        .select_related("round")
        .annotate(settled_in=_settled_in(workshop))
        .order_by("round__number")
    ):
        current[round_risk.risk_id] = round_risk
    return current


def current_round_risk(workshop: Workshop, risk_id: int) -> RoundRisk | None:
    """The RoundRisk of the latest round scoring one of the workshop's risks, with its round,
    the risk (and theme) and `settled_in` as in `current_round_risks`; None if the risk is in no
    round or not in the workshop (one query)."""
    return (
        RoundRisk.objects.filter(
            round__workshop=workshop, risk_id=risk_id, risk__workshops=workshop
        )
        .select_related("round", "risk__theme")
        .annotate(settled_in=_settled_in(workshop))
        .order_by("-round__number")
        .first()
    )


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

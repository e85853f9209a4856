"""The report of an assessment as one JSON-safe document, read from the database in few queries.

`report_document()` is what the results dashboard, the theme pages, the published version and
every export (`reports/files.py`) show. Publishing stores it (`reports/snapshot.py`), so a
published report is rendered from exactly what was frozen, whatever changes later.
`reports/presentation.py` turns a document into template context; its words come from
`reports/prose.py` and its heat map from `reports/heat_map.py`. Everything here reads; writes
live in `reports/services.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q

from assessments import evidence
from assessments.models import (
    Assessment,
    AssessmentStatus,
    EmergingIssue,
    Indicator,
    IndicatorValue,
    Organisation,
    Theme,
)
from assessments.periods import previous_period
from assessments.scoring import Factor, ScoringModelSpec, level_label_for, round1
from assessments.services import assessment_spec
from reports.figures import with_figures
from reports.front_matter import SECTION_KEYS, acknowledgements_text
from reports.heat_map import Axes, axes_for, document_part, whole
from reports.prose import NARRATIVE_HEADINGS, period_end, quick_fact_sentences
from workshops.outcomes import RiskOutcome, assessment_outcomes, ranked

# Schema 2 added part years (months covered, no comparisons across them), source notes, the
# comparator position, the neighbourhoods' source and the seasonal reason; schema 3 the heat
# map's axes, from the frozen model; schema 4 the front matter (introduction, governance,
# acknowledgements, area overview, crime trends, method, sources). Presentation still renders
# documents frozen before.
REPORT_SCHEMA = "workbench-report/4"


@dataclass(frozen=True)
class Cell:
    """One dimension of a risk in a theme table: a word, a number and a severity 1–4 for colour."""

    word: str
    value: str
    severity: int  # 0 = not scored


@dataclass
class RiskRow:
    """A risk as the dashboard and the report show it."""

    outcome: RiskOutcome
    cells: tuple[Cell, Cell, Cell, Cell]
    grid: tuple[int, int] | None  # the heat map's (likelihood column, harm band row)
    history: list[tuple[str, str | None, Decimal | None]] = field(default_factory=list)

    @property
    def risk(self):
        return self.outcome.risk

    @property
    def rating(self) -> str:
        return self.outcome.rating

    @property
    def score(self) -> Decimal | None:
        s = self.outcome.result.score
        return None if s is None else round1(s)


def _severity_of_level(factor: Factor, value: Decimal | None) -> int:
    """1 for a factor's best level up to 4 for its worst, spread over its scale."""
    if value is None or not factor.levels:
        return 0
    values = [lv.value for lv in factor.levels]
    position = sum(1 for v in values if v <= value) - 1
    steps = max(1, len(values) - 1)
    return 1 + round(3 * max(0, position) / steps)


def _cells(
    spec: ScoringModelSpec, axes: Axes, outcome: RiskOutcome
) -> tuple[Cell, Cell, Cell, Cell]:
    """Harm, Likelihood & trends, Intelligence and Response as words, numbers and severities."""
    result = outcome.result
    none = Cell("Not scored", "", 0)
    if result.harm is None:
        harm = none
    else:
        row = axes.row(result.harm)  # the heat map's band: its word, and its place for colour
        harm = Cell(axes.harm[row].word, str(result.harm.normalize()), min(4, max(1, row)))
    if result.likelihood is None:
        likelihood = none
    else:
        words = [outcome.factors[f.key].level_label or "?" for f in spec.factors_for("likelihood")]
        value = whole(result.likelihood)
        lo, hi = whole(spec.likelihood_min), whole(spec.likelihood_max)
        severity = 1 + round(3 * (value - lo) / max(1, hi - lo))
        likelihood = Cell(", ".join(words).capitalize(), str(value), severity)
    if result.confidence is None:
        intelligence = none
    else:
        factors = spec.factors_for("intelligence")
        words = [outcome.factors[f.key].level_label or "?" for f in factors]
        severity = max(_severity_of_level(f, outcome.factors[f.key].value) for f in factors)
        intelligence = Cell(f"{', '.join(words)} confidence", f"×{result.confidence:.2f}", severity)
    if result.response is None:
        response = none
    else:
        factors = spec.factors_for("response")
        mean = (result.response - spec.response_base) / spec.response_step
        word = level_label_for(factors[0], mean.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        severity = max(1, min(4, _severity_of_level(factors[0], mean)))
        response = Cell(word or "?", f"×{round1(result.response)}", severity)
    return harm, likelihood, intelligence, response


def risk_rows(
    assessment: Assessment,
    spec: ScoringModelSpec | None = None,
    *,
    outcomes: list[RiskOutcome] | None = None,
) -> list[RiskRow]:
    """Every risk of the assessment with its cells and grid position, in register order."""
    spec = spec or assessment_spec(assessment)
    if outcomes is None:
        outcomes = assessment_outcomes(assessment, spec=spec)
    axes = axes_for(spec)
    return [
        RiskRow(
            outcome=outcome,
            cells=_cells(spec, axes, outcome),
            grid=axes.position(outcome.result),
        )
        for outcome in outcomes
    ]


def participants(assessment: Assessment) -> list[Organisation]:
    """Organisations that took part: invited to a workshop, submitted scores or signed off."""
    taking_part = Organisation.objects.filter(
        Q(workshops__assessment=assessment)
        | Q(submissions__risk__assessment=assessment)
        | Q(memberships__user__approvals__assessment=assessment)
    )
    return list(
        Organisation.objects.filter(id__in=taking_part.values("id")).order_by(
            "-is_responsible_authority", "name"
        )
    )


def previous_published(assessment: Assessment) -> list[Assessment]:
    """The partnership's published assessments before this one, oldest first."""
    return list(
        Assessment.objects.filter(
            partnership_id=assessment.partnership_id,
            status=AssessmentStatus.PUBLISHED,
            period__lt=assessment.period,
        ).order_by("period")
    )


def year_comparison(assessment: Assessment, rows: list[RiskRow]) -> list[str]:
    """Fill each row's history with (period, rating, score) from earlier published versions.

    Earlier figures come from what was published (the snapshot), matched by the risk's name
    or the name of the risk it was carried forward from. Returns the periods compared.
    """
    from reports.models import Publication

    earlier = previous_published(assessment)
    latest: dict[int, Publication] = {}
    for publication in Publication.objects.filter(assessment__in=earlier).order_by("version"):
        latest[publication.assessment_id] = publication
    periods = []
    tables: list[tuple[str, dict[str, tuple[str | None, Decimal | None]]]] = []
    for old in earlier:
        publication = latest.get(old.id)
        if publication is None:
            continue
        table = {}
        for risk in publication.snapshot.get("risks", []):
            score = risk.get("score")
            table[risk.get("risk")] = (
                risk.get("rating"),
                None if score is None else round1(Decimal(str(score))),
            )
        periods.append(old.period)
        tables.append((old.period, table))
    for row in rows:
        names = [row.risk.name]
        if row.risk.carried_from_id:
            names.append(row.risk.carried_from.name)
        for period, table in tables:
            found = next((table[n] for n in names if n in table), (None, None))
            row.history.append((period, *found))
    return periods


def _text(value: Decimal | int | None) -> str | None:
    """A number as exact text for the document (Decimals never pass through float)."""
    return None if value is None else str(value)


def _figures_json(row: evidence.IndicatorRow) -> dict[str, Any]:
    """A crime-table row: its figures, how much of each year they cover and where from."""
    figures = row.figures
    return {
        "count": figures.count,
        "previous_count": figures.previous_count,
        "change": figures.change,
        "pct_change": _text(figures.pct_change),
        "rate_per_1000": _text(figures.rate_per_1000),
        "msg_rate_per_1000": _text(figures.msg_rate_per_1000),
        "position": figures.position,
        # Schema 2: part years (None = the whole year) are marked and never compared.
        "months": figures.months,
        "previous_months": figures.previous_months,
        "is_partial": figures.is_partial,
        "previous_is_partial": figures.previous_is_partial,
        "comparable": figures.comparable,
        "msg_rank": row.msg_rank,
        "msg_group_size": row.msg_group_size,
        "source_note": row.source_note if row.source else "",
        "rate_basis": figures.rate_basis,
    }


def _risk_json(row: RiskRow, rank: int, factor_names: dict[str, str]) -> dict[str, Any]:
    risk, result = row.risk, row.outcome.result
    return {
        "id": risk.id,
        "name": risk.name,
        "description": risk.description,
        "theme": risk.theme.name,
        "theme_id": risk.theme_id,
        "rank": rank,
        "score": _text(row.score),
        "rating": row.rating,
        "previous_rating": row.outcome.previous_rating,
        "movement": row.outcome.movement,
        "is_priority": risk.is_priority,
        "priority_reason": risk.priority_reason,
        "missing": [factor_names.get(key, key) for key in result.missing],
        "cells": [
            {"word": cell.word, "value": cell.value, "severity": cell.severity}
            for cell in row.cells
        ],
        "grid": list(row.grid) if row.grid else None,
        "history": [[period, rating, _text(score)] for period, rating, score in row.history],
    }


def _front_matter(assessment: Assessment, members: list[Organisation]) -> dict[str, str]:
    """Each front-matter section's text; acknowledgements not yet written are drafted from
    the partnership's organisations (every participant is one). Not from who took part: a
    board member approving would then change what was approved."""
    from reports.models import ReportSection

    stored = dict(ReportSection.objects.filter(assessment=assessment).values_list("key", "text"))
    if "acknowledgements" not in stored:
        stored["acknowledgements"] = acknowledgements_text(
            partnership_name=assessment.partnership.name,
            organisations=[org.name for org in members],
            participants=[],
        )
    return {key: stored.get(key, "") for key in SECTION_KEYS}


def report_document(
    assessment: Assessment,
    *,
    spec: ScoringModelSpec | None = None,
    outcomes: list[RiskOutcome] | None = None,
) -> dict[str, Any]:
    """Everything the report shows, as JSON-safe values (numbers that are not whole as text)."""
    spec = spec or assessment_spec(assessment)
    rows = risk_rows(assessment, spec, outcomes=outcomes)
    comparison_periods = year_comparison(assessment, rows)
    rank = {id(o): n for n, o in enumerate(ranked([row.outcome for row in rows]), start=1)}
    names = {f.key: f.name for f in spec.factors}
    period, before = assessment.period, previous_period(assessment.period)

    indicators = evidence.indicator_rows(assessment)
    by_name = {row.name.casefold(): row for row in indicators}

    known = {
        name.casefold(): name
        for name in Indicator.objects.filter(partnership=assessment.partnership).values_list(
            "name", flat=True
        )
    }

    def figures(text: str) -> str:
        return with_figures(text, by_name, period=period, previous_period=before, known=known)

    themes = [
        {
            "id": theme.id,
            "name": theme.name,
            "description": theme.description,
            "narrative": {key: figures(getattr(theme, key)) for key, _ in NARRATIVE_HEADINGS},
            # Carried forward and not reviewed: marked in the draft, never in a published one.
            "unreviewed_from": "" if assessment.is_published else theme.unreviewed_from,
        }
        for theme in Theme.objects.filter(assessment=assessment).order_by("order", "name")
    ]
    organisations = participants(assessment)
    partnership = assessment.partnership
    organisations_of_partnership = list(partnership.organisations.all())
    front_matter = _front_matter(assessment, organisations_of_partnership)
    members = [] if organisations else organisations_of_partnership
    areas = evidence.neighbourhood_figures(assessment)
    pattern = evidence.seasonal(assessment)
    trend = evidence.all_crime_trend(partnership, up_to=period)
    facts = evidence.quick_facts(assessment, indicators)
    crime = evidence.crime_rows(indicators)
    all_crime = facts.all_crime.figures if facts.all_crime else None
    indicator_values = (
        IndicatorValue.objects.filter(
            indicator__partnership=partnership, period__in=[period, before]
        )
        .select_related("indicator", "area")
        .order_by("indicator__order", "indicator__name", "area__kind", "area__name", "period")
    )
    document = {
        "schema": REPORT_SCHEMA,
        "partnership": {
            "slug": partnership.slug,
            "name": partnership.name,
            "area_name": partnership.area_name,
        },
        "period": period,
        "period_slug": assessment.period_slug,
        "previous_period": before,
        "period_end": period_end(period),
        "status": assessment.status,
        "status_display": assessment.get_status_display(),
        "published_at": assessment.published_at.isoformat() if assessment.published_at else None,
        "model": spec.to_dict(),
        "risks": [_risk_json(row, rank[id(row.outcome)], names) for row in rows],
        # Schema 3: the axes the risks' grid positions count in, from the frozen model.
        "heat_map": document_part(axes_for(spec)),
        "themes": themes,
        # Schema 4: the front matter's Markdown, its live figures filled in.
        "front_matter": {key: figures(text) for key, text in front_matter.items()},
        "emerging_issues": [
            {"title": issue.title, "text": figures(issue.text)}
            for issue in EmergingIssue.objects.filter(assessment=assessment)
        ],
        "quick_facts": quick_fact_sentences(facts, before),
        # How much of the year the All crime figure covers (schema 2).
        "crime_coverage": {
            "is_partial": bool(all_crime and all_crime.is_partial),
            "months": all_crime.months if all_crime else None,
            "months_covered": facts.months_covered,
            "source_note": facts.all_crime.source_note if facts.all_crime else "",
        },
        "crime_table": [{"name": row.name, **_figures_json(row)} for row in crime],
        "crime_sources": evidence.crime_sources(crime),
        "other_statistics": [
            {
                "name": row.name,
                "unit": row.unit,
                "value": _text(row.value),
                "comparator_label": row.national_label or row.regional_label,
                "comparator_value": _text(
                    row.national_value if row.national_value is not None else row.regional_value
                ),
            }
            for row in evidence.other_rows(indicators)
        ],
        "neighbourhoods": [
            {
                "rank": n.rank,
                "name": n.name,
                "count": n.count,
                "population": n.population,
                "rate_per_1000": _text(n.rate_per_1000),
            }
            for n in areas.ranking
        ],
        "neighbourhood_figures": {
            "has_rates": areas.has_rates,
            "from_summary": areas.from_summary,
            "months": areas.months,
            "source_note": areas.source_note if areas.source else "",
        },
        "seasonal": [
            {
                "month": m.month,
                "label": m.label,
                "count": m.count,
                "average": _text(m.average),
                "pct_vs_average": _text(m.pct_vs_average),
                "years": m.years,
            }
            for m in pattern.months
        ],
        "seasonal_pattern": {
            "years": pattern.years,
            "reason": pattern.reason,
            # Schema 4: the same in the reader's words, for the printed report.
            "missing": pattern.missing,
            "average_label": pattern.average_label,
        },
        # Every period from the first figure to this one; None where there is no figure.
        "trend": [[point.period, point.count] for point in trend],
        "trend_part_years": evidence.trend_part_years(trend),
        "comparison_periods": comparison_periods,
        "participants": [
            {"name": org.name, "is_responsible_authority": org.is_responsible_authority}
            for org in organisations
        ],
        "members": [
            {"name": org.name, "is_responsible_authority": org.is_responsible_authority}
            for org in members
        ],
        "responsible_authorities": [
            org.name for org in organisations_of_partnership if org.is_responsible_authority
        ],
        "indicator_values": [
            {
                "indicator": v.indicator.name,
                "area": v.area.name,
                "period": v.period,
                "value": _text(evidence.plain(v.value)),
                "msg_rate_per_1000": _text(evidence.plain(v.msg_rate_per_1000)),
                "source": v.source,
            }
            for v in indicator_values
        ],
    }
    return document

"""The report of an assessment as one JSON-safe document, read from the database in few queries.

`report_document()` is what the results dashboard, the theme pages, the published version and
every export (`reports/files.py`) show. Publishing stores it (`reports/snapshot.py`), so a
published report is rendered from exactly what was frozen, whatever changes later.
`reports/presentation.py` turns a document into template context. Everything here reads;
writes live in `reports/services.py`.
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
    IndicatorValue,
    Organisation,
    Theme,
)
from assessments.periods import period_start_year, previous_period
from assessments.scoring import (
    HIGH,
    MODERATE,
    STANDARD,
    Factor,
    ScoringModelSpec,
    level_label_for,
    rating_for,
    round1,
)
from assessments.services import assessment_spec
from reports.figures import with_figures
from workshops.outcomes import RiskOutcome, assessment_outcomes, ranked

# Schema 2 added part years (months covered, no comparisons across them), source notes, the
# comparator position, the neighbourhoods' source and the seasonal reason; presentation
# still renders schema 1 documents frozen before.
REPORT_SCHEMA = "workbench-report/2"

# Harm is the sum of four factors scored 0, 1, 2, 4 or 8, so 0–32. The bands follow the
# doubling of the levels: a band's lower edge is what one factor at that level, or two at the
# level below, contributes.
HARM_BANDS: tuple[tuple[int, int, str], ...] = (
    (0, 3, "Minimal"),
    (4, 7, "Low"),
    (8, 15, "Moderate"),
    (16, 23, "Substantial"),
    (24, 32, "Critical"),
)
# The heat map colours each cell with the rating a risk in the middle of that harm band would
# get at that likelihood, with medium confidence (×1.1) and a response between Adequate and
# Limited (×1.1): a typical risk. Each risk's own rating uses its own multipliers.
REPRESENTATIVE_MULTIPLIER = Decimal("1.1") * Decimal("1.1")

RATING_MEANINGS: dict[str, tuple[str, list[str]]] = {
    HIGH: (
        "These should be prioritised by the partnership and all of its partners, and feature "
        "strongly in local strategies and plans.",
        [
            "Recognised by the partnership and partners as a priority, clearly evidenced in all "
            "relevant strategies and delivery plans.",
            "May demand additional resources and funding to address.",
            "Review existing strategy and services: where can the response be improved, "
            "enhanced or increased to reduce the risk?",
            "Make sure the risk is understood across the partnership and partners are "
            "proactively acting to reduce it.",
            "Set targets to evidence improvement in key areas.",
        ],
    ),
    MODERATE: (
        "The partnership continues to be proactive: working together to manage the risks, "
        "address identified problems and prevent new problems developing.",
        [
            "Make sure there is a clear strategy in place and adequate services to respond.",
            "Maintain, support and improve the existing response to reduce or control the risk.",
            "Make sure the risk is understood across the partnership and partners are "
            "proactively acting to reduce or control it; influence other relevant strategies.",
            "Monitor the level of risk against moderate improvement targets and respond if "
            "adverse trends appear.",
        ],
    ),
    STANDARD: (
        "Managed as business as usual and not placing much additional demand on services; "
        "monitored to make sure they continue to be managed well.",
        [
            "Make sure there are adequate services in place to respond.",
            "Maintain and support the existing response to control the risk.",
            "Make sure the risk is understood across the partnership and partners' actions do "
            "not increase it.",
            "Monitor the level of risk and respond if adverse trends appear.",
        ],
    ),
}

NARRATIVE_HEADINGS: tuple[tuple[str, str], ...] = (
    ("key_statistics", "Key statistics"),
    ("impact", "Impact"),
    ("likelihood", "Likelihood"),
    ("organisational_response", "Organisational response"),
    ("knowledge_gaps", "Knowledge gaps"),
    ("recommendation", "Recommendation"),
)

MOVEMENT_TEXT = {
    "up": ("↑", "Up from {previous}"),
    "down": ("↓", "Down from {previous}"),
    "same": ("→", "No change"),
    "new": ("+", "New this year"),
    "unrated": ("?", "Not yet rated"),
    "rated": ("+", "Not rated last year"),
}


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
    grid: tuple[int, int] | None  # (likelihood index, harm band index)
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

    @property
    def movement_symbol(self) -> str:
        return MOVEMENT_TEXT[self.outcome.movement][0]

    @property
    def movement_text(self) -> str:
        text = MOVEMENT_TEXT[self.outcome.movement][1]
        return text.format(previous=self.outcome.previous_rating or "")


def _q(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def harm_band(harm: Decimal) -> int:
    """Index into HARM_BANDS for a harm value (rounded to a whole number first)."""
    whole = _q(harm)
    for index, (_, high, _) in enumerate(HARM_BANDS):
        if whole <= high:
            return index
    return len(HARM_BANDS) - 1


def harm_band_labels() -> list[str]:
    return [f"{word} ({low}–{high})" for low, high, word in HARM_BANDS]


def likelihood_levels(spec: ScoringModelSpec) -> list[int]:
    return list(range(_q(spec.likelihood_min), _q(spec.likelihood_max) + 1))


def likelihood_labels(spec: ScoringModelSpec) -> list[str]:
    """'1 Rare' … from the frequency factor where it has a level of that value."""
    frequency = next(iter(spec.factors_for("likelihood")), None)
    labels = []
    for value in likelihood_levels(spec):
        word = level_label_for(frequency, Decimal(value)) if frequency else None
        labels.append(f"{value} {word}" if word and "–" not in word else str(value))
    return labels


def cell_rating(spec: ScoringModelSpec, x: int, y: int) -> str:
    """The heat map colour of a cell: see REPRESENTATIVE_MULTIPLIER."""
    low, high, _ = HARM_BANDS[y]
    midpoint = Decimal(low + high) / 2
    likelihood = Decimal(likelihood_levels(spec)[x])
    return rating_for(spec, midpoint * likelihood * REPRESENTATIVE_MULTIPLIER)


def _severity_of_level(factor: Factor, value: Decimal | None) -> int:
    """1 for a factor's best level up to 4 for its worst, spread over its scale."""
    if value is None or not factor.levels:
        return 0
    values = [lv.value for lv in factor.levels]
    position = sum(1 for v in values if v <= value) - 1
    steps = max(1, len(values) - 1)
    return 1 + round(3 * max(0, position) / steps)


def _cells(spec: ScoringModelSpec, outcome: RiskOutcome) -> tuple[Cell, Cell, Cell, Cell]:
    """Harm, Likelihood & trends, Intelligence and Response as words, numbers and severities."""
    result = outcome.result
    none = Cell("Not scored", "", 0)
    if result.harm is None:
        harm = none
    else:
        band = harm_band(result.harm)
        harm = Cell(HARM_BANDS[band][2], str(result.harm.normalize()), min(4, max(1, band)))
    if result.likelihood is None:
        likelihood = none
    else:
        words = [outcome.factors[f.key].level_label or "?" for f in spec.factors_for("likelihood")]
        value = _q(result.likelihood)
        lo, hi = _q(spec.likelihood_min), _q(spec.likelihood_max)
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
    rows = []
    for outcome in outcomes:
        result = outcome.result
        grid = None
        if result.harm is not None and result.likelihood is not None:
            levels = likelihood_levels(spec)
            x = min(max(_q(result.likelihood), levels[0]), levels[-1]) - levels[0]
            grid = (x, harm_band(result.harm))
        rows.append(RiskRow(outcome=outcome, cells=_cells(spec, outcome), grid=grid))
    return rows


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


def period_end(period: str) -> str:
    """'31 March 2020' for 2019/20: the seed's 'the 12 months to 31 March 2020'."""
    return f"31 March {period_start_year(period) + 1}"


def _text(value: Decimal | int | None) -> str | None:
    """A number as exact text for the document (Decimals never pass through float)."""
    return None if value is None else str(value)


def _months_text(figures) -> str:
    """ " in 3 of 12 months" for a part year, else nothing."""
    return f" in {figures.months} of 12 months" if figures.is_partial else ""


def _not_compared(figures, period: str, previous: str) -> str:
    """Why a part year is not compared with the year before, e.g. "Not compared with 2015/16
    (23,626 crimes, the whole year): 2016/17 covers only 3 of 12 months"."""
    if figures.is_partial:
        before = (
            f", {figures.previous_months} of 12 months"
            if figures.previous_is_partial
            else ", the whole year"
        )
        return (
            f"Not compared with {previous} ({figures.previous_count:,} crimes{before}): "
            f"{period} covers only {figures.months} of 12 months"
        )
    return (
        f"Not compared with {previous}: its {figures.previous_count:,} crimes cover only "
        f"{figures.previous_months} of 12 months"
    )


def msg_position_text(row: evidence.IndicatorRow) -> str:
    """ "position 2 of 15 in the group (1 = lowest rate)", as the evidence page says it, or ""
    without a rank."""
    if row.msg_rank is None:
        return ""
    size = f" of {row.msg_group_size}" if row.msg_group_size else ""
    return f"position {row.msg_rank}{size} in the group (1 = lowest rate)"


def quick_fact_sentences(facts: evidence.QuickFacts, previous: str) -> list[str]:
    """The seed's 'Quick facts' box as sentences, from the evidence module's quick facts.

    A part year says which months it covers and is never compared with another year."""
    sentences = []
    crime = facts.all_crime.figures if facts.all_crime else None
    if crime and crime.count is not None:
        text = f"{crime.count:,} crimes recorded{_months_text(crime)}"
        if crime.is_partial and facts.months_covered:
            text += f" ({facts.months_covered})"
        if crime.rate_per_1000 is not None:
            text += f": {crime.rate_per_1000} crimes per 1,000 {crime.rate_basis}"
            if crime.is_partial:
                text += " in those months"
        sentences.append(text + ".")
        position = msg_position_text(facts.all_crime)
        if crime.position and crime.msg_rate_per_1000 is not None:
            text = (
                f"The rate of crime is {crime.position} the most similar group (MSG) average "
                f"of {crime.msg_rate_per_1000} per 1,000"
            )
            sentences.append(text + (f": {position}." if position else "."))
        elif position:
            sentences.append(f"In the most similar group (MSG): {position}.")
        if crime.comparable and crime.pct_change is not None and crime.change is not None:
            word = "an increase" if crime.change > 0 else "a decrease"
            if crime.change == 0:
                sentences.append(f"No change on {previous} ({crime.previous_count:,} crimes).")
            else:
                sentences.append(
                    f"This is {word} of {abs(crime.pct_change)}% on {previous} "
                    f"({crime.previous_count:,} crimes)."
                )
        elif not crime.comparable and crime.previous_count is not None:
            sentences.append(_not_compared(crime, facts.period, previous) + ".")
    asb = facts.asb.figures if facts.asb else None
    if asb and asb.count is not None:
        name = facts.asb.name
        # "Anti-social behaviour incidents" reads on in lower case; an acronym (ASB) stays.
        label = name if name[:2].isupper() else name[:1].lower() + name[1:]
        text = f"{asb.count:,} {label}"
        if "incident" not in facts.asb.name.lower():
            text += " incidents"
        text += f" recorded{_months_text(asb)}"
        if asb.comparable and asb.pct_change is not None and asb.change:
            word = "an increase" if asb.change > 0 else "a reduction"
            text += f", {word} of {abs(asb.pct_change)}% on {previous} ({asb.previous_count:,})"
        elif not asb.comparable and asb.previous_count is not None:
            text += f", not compared with {previous}'s {asb.previous_count:,} (part year)"
        sentences.append(text + ".")
    return sentences


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

    def figures(text: str) -> str:
        return with_figures(text, by_name, period=period, previous_period=before)

    themes = [
        {
            "id": theme.id,
            "name": theme.name,
            "description": theme.description,
            "narrative": {key: figures(getattr(theme, key)) for key, _ in NARRATIVE_HEADINGS},
        }
        for theme in Theme.objects.filter(assessment=assessment).order_by("order", "name")
    ]
    organisations = participants(assessment)
    partnership = assessment.partnership
    organisations_of_partnership = list(partnership.organisations.all())
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
        "themes": themes,
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

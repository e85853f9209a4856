"""What the results dashboard, the published versions and the PDF show, built in few queries.

Everything here reads; writes live in `reports/services.py`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from assessments import charts
from assessments.models import (
    Area,
    AreaKind,
    Assessment,
    AssessmentStatus,
    EmergingIssue,
    IndicatorKind,
    IndicatorValue,
    Organisation,
    Population,
    Theme,
)
from assessments.periods import parse_period
from assessments.scoring import (
    HIGH,
    MODERATE,
    STANDARD,
    UNRATED,
    Factor,
    ScoringModelSpec,
    level_label_for,
    rating_for,
    round1,
)
from assessments.services import assessment_spec
from assessments.statistics import IndicatorFigures, indicator_figures
from workshops.results import RiskOutcome, assessment_outcomes, ranked

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


@dataclass
class CrimeRow:
    """One line of the crime table."""

    name: str
    figures: IndicatorFigures


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


def risk_rows(assessment: Assessment, spec: ScoringModelSpec | None = None) -> list[RiskRow]:
    """Every risk of the assessment with its cells and grid position, in register order."""
    spec = spec or assessment_spec(assessment)
    rows = []
    for outcome in assessment_outcomes(assessment, spec=spec):
        result = outcome.result
        grid = None
        if result.harm is not None and result.likelihood is not None:
            levels = likelihood_levels(spec)
            x = min(max(_q(result.likelihood), levels[0]), levels[-1]) - levels[0]
            grid = (x, harm_band(result.harm))
        rows.append(RiskRow(outcome=outcome, cells=_cells(spec, outcome), grid=grid))
    return rows


def rows_by_rating(rows: list[RiskRow]) -> dict[str, list[RiskRow]]:
    """High, Moderate, Standard and Unrated lists, highest score first."""
    by_outcome = {id(row.outcome): row for row in rows}
    lists: dict[str, list[RiskRow]] = {HIGH: [], MODERATE: [], STANDARD: [], UNRATED: []}
    for outcome in ranked([row.outcome for row in rows]):
        lists.setdefault(outcome.rating, []).append(by_outcome[id(outcome)])
    return lists


def heat_map_svg(spec: ScoringModelSpec, rows: list[RiskRow], *, chart_id: str = "heat") -> str:
    """The harm-by-likelihood grid with every scored risk placed on it."""
    cells: dict[tuple[int, int], list[str]] = {}
    for row in rows:
        if row.grid is not None:
            cells.setdefault(row.grid, []).append(row.risk.name)
    return charts.heat_map(
        cells,
        x_levels=likelihood_labels(spec),
        y_levels=harm_band_labels(),
        title="Risks by harm and likelihood",
        cell_rating=lambda x, y: cell_rating(spec, x, y),
        chart_id=chart_id,
    )


def themes_with_rows(assessment: Assessment, rows: list[RiskRow]) -> list[tuple[Theme, list]]:
    """Each theme of the assessment with its risks' rows, in register order."""
    by_theme: dict[int, list[RiskRow]] = {}
    for row in rows:
        by_theme.setdefault(row.risk.theme_id, []).append(row)
    themes = Theme.objects.filter(assessment=assessment).order_by("order", "name")
    return [(theme, by_theme.get(theme.id, [])) for theme in themes]


def partnership_area(assessment: Assessment) -> Area | None:
    return Area.objects.filter(
        partnership_id=assessment.partnership_id, kind=AreaKind.PARTNERSHIP
    ).first()


def previous_period(period: str) -> str:
    start = int(parse_period(period)[:4]) - 1
    return f"{start}/{(start + 1) % 100:02d}"


def crime_table(assessment: Assessment) -> list[CrimeRow]:
    """The seed's crime table: this year and last, change, rate per 1,000 and the MSG rate."""
    area = partnership_area(assessment)
    if area is None:
        return []
    this, last = assessment.period, previous_period(assessment.period)
    population = (
        Population.objects.filter(area=area, period=this).values_list("population", flat=True)
    ).first()
    values = IndicatorValue.objects.filter(
        area=area, period__in=[this, last], indicator__kind=IndicatorKind.CRIME
    ).select_related("indicator")
    current: dict[int, IndicatorValue] = {}
    before: dict[int, IndicatorValue] = {}
    for value in values:
        (current if value.period == this else before)[value.indicator_id] = value
    rows = []
    indicators = {v.indicator_id: v.indicator for v in values}
    for indicator in sorted(indicators.values(), key=lambda i: (i.order, i.name)):
        now, then = current.get(indicator.id), before.get(indicator.id)
        figures = indicator_figures(
            count=int(now.value) if now else None,
            previous_count=int(then.value) if then else None,
            population=population,
            msg_rate=now.msg_rate_per_1000 if now else None,
            months=now.months if now else None,
            previous_months=then.months if then else None,
        )
        rows.append(CrimeRow(indicator.name, figures))
    return rows


def all_crime_trend(assessment: Assessment) -> list[tuple[str, int]]:
    """The partnership's 'All crime' count per period, up to this assessment's period."""
    area = partnership_area(assessment)
    if area is None:
        return []
    values = IndicatorValue.objects.filter(
        area=area, indicator__name__iexact="All crime", period__lte=assessment.period
    ).order_by("period")
    return [(v.period, int(v.value)) for v in values]


def trend_chart_svg(points: list[tuple[str, int]], *, chart_id: str = "trend") -> str:
    return charts.line_chart(
        points, title="All recorded crime by year", y_label="Crimes", chart_id=chart_id
    )


def quick_facts(table: list[CrimeRow]) -> list[str]:
    """Short sentences from the crime table in the seed's 'Quick facts' style."""
    facts = []
    by_name = {row.name.lower(): row.figures for row in table}
    total = by_name.get("all crime")
    if total and total.count is not None:
        text = f"{total.count:,} crimes"
        if total.rate_per_1000 is not None:
            text += f", {total.rate_per_1000} per 1,000 residents"
        facts.append(text + ".")
        if total.position and total.msg_rate_per_1000 is not None:
            facts.append(
                f"The rate is {total.position} the most similar group average "
                f"({total.msg_rate_per_1000.normalize()} per 1,000)."
            )
        if total.pct_change is not None and total.previous_count is not None:
            word = "an increase" if total.change > 0 else "a decrease"
            facts.append(
                f"This is {word} of {abs(total.pct_change)}% on the previous 12 months "
                f"({total.previous_count:,} crimes)."
            )
    for row in table:
        figures = row.figures
        if row.name.lower() in {"asb", "anti-social behaviour"} and figures.count is not None:
            text = f"{figures.count:,} anti-social behaviour incidents"
            if figures.pct_change is not None:
                word = "up" if figures.change > 0 else "down"
                text += f", {word} {abs(figures.pct_change)}% on last year"
            facts.append(text + ".")
    return facts


def participants(assessment: Assessment) -> list[Organisation]:
    """Organisations that took part: invited to a workshop or submitted scores."""
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


def emerging_issues(assessment: Assessment) -> list[EmergingIssue]:
    return list(EmergingIssue.objects.filter(assessment=assessment))


def rating_counts(rows: list[RiskRow]) -> Counter:
    return Counter(row.rating for row in rows)


def report_context(assessment: Assessment) -> dict:
    """Everything the dashboard and the PDF show."""
    spec = assessment_spec(assessment)
    rows = risk_rows(assessment, spec)
    table = crime_table(assessment)
    trend = all_crime_trend(assessment)
    comparison_periods = year_comparison(assessment, rows)
    lists = rows_by_rating(rows)
    return {
        "assessment": assessment,
        "spec": spec,
        "rows": rows,
        "lists": [(rating, lists.get(rating, [])) for rating in (HIGH, MODERATE, STANDARD)],
        "unrated": lists.get(UNRATED, []),
        "priorities": [row for row in rows if row.risk.is_priority],
        "meanings": [(rating, *RATING_MEANINGS[rating]) for rating in (HIGH, MODERATE, STANDARD)],
        "heat_map": heat_map_svg(spec, rows),
        "harm_bands": HARM_BANDS,
        "themes": themes_with_rows(assessment, rows),
        "narrative_headings": NARRATIVE_HEADINGS,
        "emerging_issues": emerging_issues(assessment),
        "crime_table": table,
        "quick_facts": quick_facts(table),
        "trend": trend,
        "trend_chart": trend_chart_svg(trend),
        "trend_summary": charts.line_chart_summary(trend, y_label="Crimes"),
        "comparison_periods": comparison_periods,
        "previous_period": previous_period(assessment.period),
    }

"""A report document (`reports.results.report_document`) as template context: risk lists,
theme tables, charts. Pure functions of the document: no database, so a published version
renders the same way every time."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from assessments import charts
from assessments.scoring import HIGH, MODERATE, STANDARD, UNRATED, ScoringModelSpec
from reports.results import (
    HARM_BANDS,
    MOVEMENT_TEXT,
    NARRATIVE_HEADINGS,
    RATING_MEANINGS,
    cell_rating,
    harm_band_labels,
    likelihood_labels,
)

RATINGS = (HIGH, MODERATE, STANDARD)
# How many neighbourhoods the printed table lists (the seed lists the five highest rates).
NEIGHBOURHOODS_IN_PRINT = 5


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def risk_view(risk: dict[str, Any]) -> dict[str, Any]:
    """A risk of the document with its score as a number and its movement in words."""
    symbol, text = MOVEMENT_TEXT[risk["movement"]]
    return {
        **risk,
        "score": _decimal(risk["score"]),
        "movement_symbol": symbol,
        "movement_text": text.format(previous=risk["previous_rating"] or ""),
        "history": [(period, rating, _decimal(score)) for period, rating, score in risk["history"]],
    }


def figures_view(row: dict[str, Any]) -> dict[str, Any]:
    """A crime-table row with its decimals as numbers for the display filters."""
    return {
        **row,
        "pct_change": _decimal(row["pct_change"]),
        "rate_per_1000": _decimal(row["rate_per_1000"]),
        "msg_rate_per_1000": _decimal(row["msg_rate_per_1000"]),
    }


def heat_map_svg(spec: ScoringModelSpec, risks: list[dict[str, Any]], *, chart_id: str) -> str:
    """The harm-by-likelihood grid with every scored risk placed on it."""
    cells: dict[tuple[int, int], list[str]] = {}
    for risk in risks:
        if risk["grid"] is not None:
            cells.setdefault(tuple(risk["grid"]), []).append(risk["name"])
    return charts.heat_map(
        cells,
        x_levels=likelihood_labels(spec),
        y_levels=harm_band_labels(),
        title="Risks by harm and likelihood",
        cell_rating=lambda x, y: cell_rating(spec, x, y),
        chart_id=chart_id,
    )


def report_context(document: dict[str, Any], *, prefix: str = "report") -> dict[str, Any]:
    """Everything the report templates need, from a document; `prefix` keeps chart ids unique."""
    spec = ScoringModelSpec.from_dict(document["model"])
    risks = [risk_view(risk) for risk in document["risks"]]
    by_rank = sorted(risks, key=lambda r: r["rank"])
    by_theme: dict[int, list[dict[str, Any]]] = {}
    for risk in risks:
        by_theme.setdefault(risk["theme_id"], []).append(risk)
    themes = [
        (
            {**theme, "has_narrative": any(theme["narrative"].values())},
            by_theme.get(theme["id"], []),
        )
        for theme in document["themes"]
    ]
    neighbourhoods = [
        {**n, "rate_per_1000": _decimal(n["rate_per_1000"])} for n in document["neighbourhoods"]
    ]
    seasonal = [
        {**m, "average": _decimal(m["average"]), "pct_vs_average": _decimal(m["pct_vs_average"])}
        for m in document["seasonal"]
    ]
    trend = [(period, count) for period, count in document["trend"]]
    period = document["period"]
    return {
        "report": document,
        "spec": spec,
        "rows": risks,
        "lists": [(rating, [r for r in by_rank if r["rating"] == rating]) for rating in RATINGS],
        "unrated": [r for r in risks if r["rating"] == UNRATED],
        "priorities": [r for r in by_rank if r["is_priority"]],
        "meanings": [(rating, *RATING_MEANINGS[rating]) for rating in RATINGS],
        "heat_map": heat_map_svg(spec, risks, chart_id=f"{prefix}-heat"),
        "harm_bands": HARM_BANDS,
        "themes": themes,
        "narrative_headings": NARRATIVE_HEADINGS,
        "emerging_issues": document["emerging_issues"],
        "quick_facts": document["quick_facts"],
        "crime_table": [figures_view(row) for row in document["crime_table"]],
        "other_statistics": [
            {
                **row,
                "value": _decimal(row["value"]),
                "comparator_value": _decimal(row["comparator_value"]),
            }
            for row in document["other_statistics"]
        ],
        "neighbourhoods": neighbourhoods,
        "neighbourhoods_in_print": neighbourhoods[:NEIGHBOURHOODS_IN_PRINT],
        "neighbourhoods_print_note": (
            f"the {NEIGHBOURHOODS_IN_PRINT} of {len(neighbourhoods)} with the highest rates"
            if len(neighbourhoods) > NEIGHBOURHOODS_IN_PRINT
            else ""
        ),
        "neighbourhood_chart": charts.bar_chart_horizontal(
            [(n["name"], n["rate_per_1000"]) for n in neighbourhoods if n["rate_per_1000"]],
            title=f"Crime rate by neighbourhood, {period}",
            unit_label="crimes per 1,000 residents",
            highlight={n["name"] for n in neighbourhoods[:NEIGHBOURHOODS_IN_PRINT]},
            chart_id=f"{prefix}-neighbourhoods",
        )
        if neighbourhoods
        else "",
        "seasonal": seasonal,
        "seasonal_chart": charts.diverging_bar_chart(
            [(f"{m['label']} {m['month'][:4]}", m["pct_vs_average"]) for m in seasonal],
            title=f"Crime each month against its three-year average, {period}",
            chart_id=f"{prefix}-seasonal",
        )
        if seasonal
        else "",
        "trend": trend,
        "trend_chart": charts.line_chart(
            trend, title="All recorded crime by year", y_label="Crimes", chart_id=f"{prefix}-trend"
        ),
        "trend_summary": charts.line_chart_summary(trend, y_label="Crimes"),
        "comparison_periods": document["comparison_periods"],
        "previous_period": document["previous_period"],
        "participants": document["participants"],
        "members": document["members"],
    }

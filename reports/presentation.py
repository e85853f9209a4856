"""A report document (`reports.document.report_document`) as template context: risk lists,
theme tables, charts. Pure functions of the document: no database, so a published version
renders the same way every time."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from assessments.display.evidence_charts import (
    TOP_NEIGHBOURHOODS,
    neighbourhood_chart,
    seasonal_chart,
    trend_chart,
    trend_summary,
)
from assessments.scoring import HIGH, MODERATE, STANDARD, UNRATED, ScoringModelSpec
from reports.front_matter import SECTION_KEYS
from reports.heat_map import document_axes, heat_map_svg
from reports.prose import (
    MOVEMENT_TEXT,
    NARRATIVE_HEADINGS,
    RATING_MEANINGS,
    crime_period_text,
    heat_map_caption,
)

RATINGS = (HIGH, MODERATE, STANDARD)
# What a schema-1 document (frozen before part years, sources and the seasonal reason were
# kept) stands for: whole years, no notes, the three-year average it always showed.
SCHEMA_1_DEFAULTS: dict[str, Any] = {
    "crime_coverage": {
        "is_partial": False,
        "months": None,
        "months_covered": "",
        "source_note": "",
    },
    "crime_sources": [],
    "seasonal_pattern": {
        "years": [],
        "reason": "",
        "missing": "",
        "average_label": "three-year average",
    },
    "trend_part_years": {},
}
ROW_DEFAULTS: dict[str, Any] = {
    "months": None,
    "previous_months": None,
    "is_partial": False,
    "previous_is_partial": False,
    "comparable": True,
    "msg_rank": None,
    "msg_group_size": None,
    "source_note": "",
}
# How many neighbourhoods the printed table lists: the five highest, as the seed and the chart.
NEIGHBOURHOODS_IN_PRINT = TOP_NEIGHBOURHOODS


def _schema_2(document: dict[str, Any], key: str) -> Any:
    """A key schema 2 added, or what a schema-1 document meant without it."""
    return document.get(key, SCHEMA_1_DEFAULTS[key])


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
        **ROW_DEFAULTS,
        **row,
        "pct_change": _decimal(row["pct_change"]),
        "rate_per_1000": _decimal(row["rate_per_1000"]),
        "msg_rate_per_1000": _decimal(row["msg_rate_per_1000"]),
    }


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
    areas = _neighbourhood_figures(document)
    seasonal = [
        {**m, "average": _decimal(m["average"]), "pct_vs_average": _decimal(m["pct_vs_average"])}
        for m in document["seasonal"]
    ]
    pattern = _schema_2(document, "seasonal_pattern")
    trend = [(period, count) for period, count in document["trend"]]
    part_years: dict[str, str] = _schema_2(document, "trend_part_years")
    coverage = _schema_2(document, "crime_coverage")
    crime_table = [figures_view(row) for row in document["crime_table"]]
    period = document["period"]
    front_matter = document.get("front_matter", {})
    return {
        "report": document,
        "spec": spec,
        "rows": risks,
        "lists": [(rating, [r for r in by_rank if r["rating"] == rating]) for rating in RATINGS],
        "unrated": [r for r in risks if r["rating"] == UNRATED],
        "priorities": [r for r in by_rank if r["is_priority"]],
        "meanings": [(rating, *RATING_MEANINGS[rating]) for rating in RATINGS],
        "heat_map": heat_map_svg(document, chart_id=f"{prefix}-heat"),
        "heat_map_caption": heat_map_caption(document_axes(document)[0], spec),
        "themes": themes,
        # Schema 4; earlier documents had none, and print the report's own introduction.
        "front_matter": {key: front_matter.get(key, "") for key in SECTION_KEYS},
        "narrative_headings": NARRATIVE_HEADINGS,
        "emerging_issues": document["emerging_issues"],
        "quick_facts": document["quick_facts"],
        "crime_coverage": coverage,
        "crime_period": crime_period_text(document, coverage),
        "crime_table": crime_table,
        "crime_sources": _schema_2(document, "crime_sources"),
        "crime_table_has_part_years": any(
            row["is_partial"] or row["previous_is_partial"] for row in crime_table
        ),
        "crime_table_has_positions": any(row["msg_rank"] for row in crime_table),
        "other_statistics": [
            {
                **row,
                "value": _decimal(row["value"]),
                "comparator_value": _decimal(row["comparator_value"]),
            }
            for row in document["other_statistics"]
        ],
        "neighbourhoods": neighbourhoods,
        "neighbourhood_figures": areas,
        "neighbourhoods_in_print": neighbourhoods[:NEIGHBOURHOODS_IN_PRINT],
        "neighbourhoods_print_note": (
            f"the {NEIGHBOURHOODS_IN_PRINT} of {len(neighbourhoods)} with the "
            f"{'highest rates' if areas['has_rates'] else 'most crimes'}"
            if len(neighbourhoods) > NEIGHBOURHOODS_IN_PRINT
            else ""
        ),
        "neighbourhood_chart": neighbourhood_chart(
            [(n["rank"], n["name"], n["count"], n["rate_per_1000"]) for n in neighbourhoods],
            has_rates=areas["has_rates"],
            period=period,
            chart_id=f"{prefix}-neighbourhoods",
        )
        if neighbourhoods
        else "",
        "seasonal": seasonal,
        "seasonal_pattern": pattern,
        "seasonal_chart": seasonal_chart(
            [(m["label"], m["month"], m["pct_vs_average"]) for m in seasonal],
            average_label=pattern["average_label"],
            period=period,
            chart_id=f"{prefix}-seasonal",
        )
        if seasonal
        else "",
        "trend": [(label, count, part_years.get(label, "")) for label, count in trend],
        "trend_has_gaps": any(count is None for _, count in trend),
        "trend_has_part_years": bool(part_years),
        "trend_chart": trend_chart(trend, part_years=part_years, chart_id=f"{prefix}-trend"),
        "trend_summary": trend_summary(trend, part_years),
        "comparison_periods": document["comparison_periods"],
        "previous_period": document["previous_period"],
        "participants": document["participants"],
        "members": document["members"],
    }


def _neighbourhood_figures(document: dict[str, Any]) -> dict[str, Any]:
    """Where the neighbourhood figures come from and whether they have rates; a schema-1
    document kept only the ranking, which was always of rates when it had any."""
    figures = document.get("neighbourhood_figures")
    if figures is not None:
        return figures
    has_rates = any(n["rate_per_1000"] is not None for n in document["neighbourhoods"])
    return {"has_rates": has_rates, "from_summary": False, "months": None, "source_note": ""}

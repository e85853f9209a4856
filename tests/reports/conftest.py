"""A scored assessment with themes, risks, narrative and crime figures, for the reports tests."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessments.models import (
    Area,
    AreaKind,
    EmergingIssue,
    Indicator,
    IndicatorValue,
    Population,
    Risk,
    ScoreKind,
    Theme,
)
from assessments.services import factor_score_set

# (physical, psychological, financial, community, frequency, trend, confidence, response level)
HIGH_LEVELS = (
    "Critical",
    "Critical",
    "Moderate",
    "Substantial",
    "Frequent",
    "Rising",
    "Medium",
    "Limited",
)
MODERATE_LEVELS = (
    "Substantial",
    "Substantial",
    "Low",
    "Moderate",
    "Occasional",
    "Rising",
    "Medium",
    "Adequate",
)
STANDARD_LEVELS = ("Low", "Low", "Low", "Low", "Frequent", "Falling", "High", "Strong")  # fmt: skip
HARM_KEYS = ("physical", "psychological", "financial", "community")


def score_risk(risk: Risk, levels: tuple[str, ...], user=None) -> None:
    """Analyst pre-scores for harm and likelihood, agreed values for the rest."""
    *harm, frequency, trend, confidence, response = levels
    for key, level in zip(HARM_KEYS, harm, strict=True):
        factor_score_set(
            risk=risk, factor_key=key, kind=ScoreKind.ANALYST, level_label=level, user=user
        )
    factor_score_set(
        risk=risk, factor_key="frequency", kind=ScoreKind.ANALYST, level_label=frequency
    )
    factor_score_set(risk=risk, factor_key="trend", kind=ScoreKind.ANALYST, level_label=trend)
    factor_score_set(
        risk=risk, factor_key="confidence", kind=ScoreKind.AGREED, level_label=confidence
    )
    for key in ("capacity", "capability", "cost", "mitigation"):
        factor_score_set(risk=risk, factor_key=key, kind=ScoreKind.AGREED, level_label=response)


def add_risks(assessment, theme: Theme, count: int, levels=HIGH_LEVELS, prefix="Risk") -> list:
    risks = []
    for n in range(count):
        risk = Risk.objects.create(
            assessment=assessment, theme=theme, name=f"{prefix} {theme.order}-{n}", order=n
        )
        score_risk(risk, levels)
        risks.append(risk)
    return risks


def add_crime_figures(assessment) -> None:
    partnership = assessment.partnership
    area = Area.objects.create(partnership=partnership, name="Plymouth", kind=AreaKind.PARTNERSHIP)
    Population.objects.create(area=area, period="2019/20", population=262100)
    figures = {
        "All crime": ({"2017/18": 22100, "2018/19": 23626, "2019/20": 23024}, Decimal("107.8")),
        "Robbery": ({"2018/19": 205, "2019/20": 238}, Decimal("1.5")),
        "ASB": ({"2018/19": 8838, "2019/20": 8126}, None),
    }
    for order, (name, (values, msg)) in enumerate(figures.items()):
        indicator = Indicator.objects.create(partnership=partnership, name=name, order=order)
        for period, value in values.items():
            IndicatorValue.objects.create(
                indicator=indicator,
                area=area,
                period=period,
                value=value,
                msg_rate_per_1000=msg if period == "2019/20" else None,
            )


@pytest.fixture
def scored(assessment):
    """Two themes: domestic abuse (High, Moderate) and acquisitive crime (Standard)."""
    dasv = Theme.objects.create(
        assessment=assessment,
        name="Domestic abuse and sexual violence",
        order=1,
        key_statistics="- **395** reported rapes, up 17%",
        impact="Long-term *psychological* harm.",
        recommendation="Recommended CSP priority.",
    )
    acquisitive = Theme.objects.create(assessment=assessment, name="Acquisitive crime", order=2)
    high = Risk.objects.create(assessment=assessment, theme=dasv, name="Domestic abuse", order=1)
    moderate = Risk.objects.create(
        assessment=assessment, theme=dasv, name="Domestic homicide", order=2
    )
    standard = Risk.objects.create(
        assessment=assessment, theme=acquisitive, name="Burglary", order=1
    )
    score_risk(high, HIGH_LEVELS)
    score_risk(moderate, MODERATE_LEVELS)
    score_risk(standard, STANDARD_LEVELS)
    EmergingIssue.objects.create(
        assessment=assessment, title="Knife crime", text="A pattern of **harm** offences."
    )
    add_crime_figures(assessment)
    return assessment

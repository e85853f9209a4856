"""Models of the assessments app, one module per area."""

from assessments.models.core import (
    Assessment,
    AssessmentStatus,
    Membership,
    Organisation,
    Partnership,
    Role,
)
from assessments.models.evidence import (
    Area,
    AreaKind,
    CategoryMapping,
    ImportRun,
    Indicator,
    IndicatorKind,
    IndicatorValue,
    LsoaNeighbourhood,
    Population,
    RecordCount,
)
from assessments.models.risks import (
    EmergingIssue,
    Risk,
    RiskFactorScore,
    RiskOrigin,
    ScoreChange,
    ScoreKind,
    ScoringModel,
    Theme,
)

__all__ = [
    "Area",
    "AreaKind",
    "Assessment",
    "AssessmentStatus",
    "CategoryMapping",
    "EmergingIssue",
    "ImportRun",
    "Indicator",
    "IndicatorKind",
    "IndicatorValue",
    "LsoaNeighbourhood",
    "Membership",
    "Organisation",
    "Partnership",
    "Population",
    "RecordCount",
    "Risk",
    "RiskFactorScore",
    "RiskOrigin",
    "Role",
    "ScoreChange",
    "ScoreKind",
    "ScoringModel",
    "Theme",
]

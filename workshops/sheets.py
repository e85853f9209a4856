"""Offline scoring sheets: which rows a sheet has, and what each uploaded row means.

A sheet has the columns `theme,risk,factor,level,organisation,comment` (PRODUCT.md). A row
with no organisation is the analyst's pre-score of a harm or likelihood factor, or the agreed
value of any other factor; a named organisation's row is its workshop submission. The file
formats (CSV, XLSX) are written in `reports.sheet_files`; parsing is `assessments.imports`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assessments.imports import ImportFailed, ImportProblem
from assessments.models import Assessment, Organisation, Risk, RiskFactorScore, ScoreKind
from assessments.scoring import ANALYST_DIMENSIONS, Factor, Level, ScoringModelSpec

SHEET_COLUMNS = ("theme", "risk", "factor", "level", "organisation", "comment")


def own_kind(factor: Factor) -> str:
    """Which score an organisation-less row sets for this factor: analyst or agreed."""
    return ScoreKind.ANALYST if factor.dimension in ANALYST_DIMENSIONS else ScoreKind.AGREED


@dataclass(frozen=True)
class SheetRow:
    """One row of a downloaded sheet."""

    theme: str
    risk: str
    factor: str
    level: str
    organisation: str = ""
    comment: str = ""

    def cells(self) -> list[str]:
        return [self.theme, self.risk, self.factor, self.level, self.organisation, self.comment]


def sheet_rows(assessment: Assessment, spec: ScoringModelSpec, *, filled: bool) -> list[SheetRow]:
    """Every risk × factor in register and model order; `filled` adds the current own scores."""
    risks = list(Risk.objects.filter(assessment=assessment).select_related("theme"))
    own: dict[tuple[int, str, str], RiskFactorScore] = {}
    if filled:
        own = {
            (score.risk_id, score.factor_key, score.kind): score
            for score in RiskFactorScore.objects.filter(risk__assessment=assessment)
        }
    rows = []
    for risk in risks:
        for factor in spec.factors:
            score = own.get((risk.id, factor.key, own_kind(factor)))
            rows.append(
                SheetRow(
                    theme=risk.theme.name,
                    risk=risk.name,
                    factor=factor.name,
                    level=score.level_label if score else "",
                    comment=score.note if score else "",
                )
            )
    return rows


@dataclass(frozen=True)
class ResolvedScore:
    """An uploaded row checked against the database: what to record, and where."""

    row: int
    risk: Risk
    factor: Factor
    level: Level
    organisation: Organisation | None
    comment: str

    @property
    def kind(self) -> str:
        return ScoreKind.SUBMISSION if self.organisation else own_kind(self.factor)


# Downloaded sheets neutralise cells that could start a formula with an apostrophe
# (reports.safe_cells); a sheet read back must still match the names it was made from.
_NEUTRALISED = ("'=", "'+", "'-", "'@")


def unneutralised(text: str) -> str:
    """`'=SUM(1)` → `=SUM(1)`: the text as it was before a download neutralised it."""
    return text[1:] if text.startswith(_NEUTRALISED) else text


def _folded(text: str) -> str:
    return " ".join(unneutralised(text).split()).casefold()


def _hint(text: str, choices: Iterable[str]) -> str:
    """`; did you mean 'X'?` when a close match exists."""
    by_folded = {_folded(choice): choice for choice in choices}
    match = difflib.get_close_matches(_folded(text), list(by_folded), n=1, cutoff=0.6)
    return f"; did you mean {by_folded[match[0]]!r}?" if match else ""


def resolve_score_rows(
    assessment: Assessment, spec: ScoringModelSpec, rows: Sequence, filename: str | None = None
) -> list[ResolvedScore]:
    """Match parsed rows to the assessment's risks, the model's factors and levels and the
    partnership's organisations; every unknown name is reported with its row and column."""
    risks: dict[tuple[str, str], Risk] = {}
    themes: dict[str, list[str]] = {}
    for risk in Risk.objects.filter(assessment=assessment).select_related("theme"):
        risks[(_folded(risk.theme.name), _folded(risk.name))] = risk
        themes.setdefault(_folded(risk.theme.name), []).append(risk.name)
    theme_names = {_folded(name): name for name in assessment.themes.values_list("name", flat=True)}
    factors: dict[str, Factor] = {}
    for factor in spec.factors:
        factors[_folded(factor.name)] = factor
        factors.setdefault(_folded(factor.key), factor)
    organisations = {
        _folded(org.name): org
        for org in Organisation.objects.filter(partnership=assessment.partnership_id)
    }
    problems: list[ImportProblem] = []
    resolved: list[ResolvedScore] = []
    for parsed in rows:

        def problem(column: str, message: str, parsed=parsed) -> None:
            problems.append(ImportProblem(parsed.row, column, message))

        ok = True
        risk = None
        if _folded(parsed.theme) not in theme_names:
            problem(
                "theme",
                f"no theme {parsed.theme!r} in the register"
                f"{_hint(parsed.theme, theme_names.values())}",
            )
            ok = False
        else:
            risk = risks.get((_folded(parsed.theme), _folded(parsed.risk)))
            if risk is None:
                in_theme = themes.get(_folded(parsed.theme), [])
                problem(
                    "risk",
                    f"no risk {parsed.risk!r} in the theme {theme_names[_folded(parsed.theme)]!r}"
                    f"{_hint(parsed.risk, in_theme)}",
                )
                ok = False
        factor = factors.get(_folded(parsed.factor))
        if factor is None:
            problem(
                "factor",
                f"no factor {parsed.factor!r} in the scoring model"
                f"{_hint(parsed.factor, [f.name for f in spec.factors])}",
            )
            ok = False
        level = None
        if factor is not None:
            level = next(
                (lv for lv in factor.levels if _folded(lv.label) == _folded(parsed.level)), None
            )
            if level is None:
                labels = ", ".join(lv.label for lv in factor.levels)
                problem(
                    "level",
                    f"{parsed.level!r} is not a level of {factor.name!r} (one of {labels})",
                )
                ok = False
        organisation = None
        if parsed.organisation:
            organisation = organisations.get(_folded(parsed.organisation))
            if organisation is None:
                problem(
                    "organisation",
                    f"no organisation {parsed.organisation!r} in "
                    f"{assessment.partnership.name}"
                    f"{_hint(parsed.organisation, [o.name for o in organisations.values()])}",
                )
                ok = False
        if ok:
            resolved.append(
                ResolvedScore(
                    parsed.row, risk, factor, level, organisation, unneutralised(parsed.comment)
                )
            )
    if problems:
        raise ImportFailed(problems, filename)
    return resolved

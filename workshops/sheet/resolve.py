"""What each uploaded row of a scoring sheet means, checked against the database.

A row with no organisation is the analyst's pre-score of a harm or likelihood factor, or the
agreed value of any other factor; a named organisation's row is its workshop submission.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assessments.imports import ImportFailed, ImportProblem
from assessments.models import Assessment, Organisation, Risk, ScoreKind
from assessments.safe_cells import unneutralised
from assessments.scoring import ANALYST_DIMENSIONS, Factor, Level, ScoringModelSpec


def own_kind(factor: Factor) -> str:
    """Which score an organisation-less row sets for this factor: analyst or agreed."""
    return ScoreKind.ANALYST if factor.dimension in ANALYST_DIMENSIONS else ScoreKind.AGREED


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


def _key(text: str) -> str:
    """How an uploaded name is matched: case and spacing do not make two names different."""
    return " ".join(text.split()).casefold()


def _stored_key(text: str) -> str:
    """How a stored name is matched: as `parse` reads its downloaded cell back (`'=X` is the
    download of both `=X` and `'=X`), so every name finds itself."""
    return _key(unneutralised(text))


def _hint(text: str, choices: Iterable[str]) -> str:
    """`; did you mean 'X'?` when a close match exists."""
    by_folded = {_stored_key(choice): choice for choice in choices}
    match = difflib.get_close_matches(_key(text), list(by_folded), n=1, cutoff=0.6)
    return f"; did you mean {by_folded[match[0]]!r}?" if match else ""


def resolve_score_rows(
    assessment: Assessment, spec: ScoringModelSpec, rows: Sequence, filename: str | None = None
) -> list[ResolvedScore]:
    """Match parsed rows to the assessment's risks, the model's factors and levels and the
    partnership's organisations; every unknown name is reported with its row and column."""
    risks: dict[tuple[str, str], Risk] = {}
    themes: dict[str, list[str]] = {}
    for risk in Risk.objects.filter(assessment=assessment).select_related("theme"):
        risks[(_stored_key(risk.theme.name), _stored_key(risk.name))] = risk
        themes.setdefault(_stored_key(risk.theme.name), []).append(risk.name)
    theme_names = {
        _stored_key(name): name for name in assessment.themes.values_list("name", flat=True)
    }
    factors: dict[str, Factor] = {}
    for factor in spec.factors:
        factors[_stored_key(factor.name)] = factor
        factors.setdefault(_stored_key(factor.key), factor)
    organisations = {
        _stored_key(org.name): org
        for org in Organisation.objects.filter(partnership=assessment.partnership_id)
    }
    problems: list[ImportProblem] = []
    resolved: list[ResolvedScore] = []
    for parsed in rows:

        def problem(column: str, message: str, parsed=parsed) -> None:
            problems.append(ImportProblem(parsed.row, column, message))

        ok = True
        risk = None
        if _key(parsed.theme) not in theme_names:
            problem(
                "theme",
                f"no theme {parsed.theme!r} in the register"
                f"{_hint(parsed.theme, theme_names.values())}",
            )
            ok = False
        else:
            risk = risks.get((_key(parsed.theme), _key(parsed.risk)))
            if risk is None:
                in_theme = themes.get(_key(parsed.theme), [])
                problem(
                    "risk",
                    f"no risk {parsed.risk!r} in the theme {theme_names[_key(parsed.theme)]!r}"
                    f"{_hint(parsed.risk, in_theme)}",
                )
                ok = False
            elif risk.is_withdrawn:
                problem(
                    "risk",
                    f"{risk.name!r} is withdrawn from the assessment; reinstate it in the "
                    "register before scoring it",
                )
                ok = False
        factor = factors.get(_key(parsed.factor))
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
                (lv for lv in factor.levels if _stored_key(lv.label) == _key(parsed.level)), None
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
            organisation = organisations.get(_key(parsed.organisation))
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
                ResolvedScore(parsed.row, risk, factor, level, organisation, parsed.comment)
            )
    if problems:
        raise ImportFailed(problems, filename)
    return resolved

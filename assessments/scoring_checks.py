"""Checks of a scoring model: every problem that makes a spec unusable, each with the fields it
is about, so that no accepted model lets a worse level lower a score."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from assessments.scoring import DIMENSIONS, Factor, ScoringModelSpec


def _fmt_exact(d: Decimal) -> str:
    """A number as plain text with every decimal place it has: 1.2345 stays 1.2345."""
    return format(d, "f")


@dataclass(frozen=True)
class SpecProblem:
    """A problem with a spec, and what it is about: parameter names (``high_threshold``) and
    factor parts (``levels:trend``, ``name:trend``), so a form can put it beside the field."""

    message: str
    about: tuple[str, ...] = ()


# Level values are stored with three decimal places, below 100,000 (DecimalField(8, 3)).
LEVEL_PLACES = 3
LEVEL_LIMIT = Decimal(100_000)
# Dimensions whose levels must not be negative; intelligence levels must be above zero.
# Likelihood levels may be negative (a falling trend is −1): the clamp keeps the sum at least
# likelihood_min, which must be above zero. With these rules every dimension is positive (or,
# for harm, zero) and non-decreasing in its factors, so raising a factor never lowers a score.
NON_NEGATIVE_DIMENSIONS = ("harm", "response")


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _level_problems(f: Factor) -> list[SpecProblem]:
    about = (f"levels:{f.key}",)
    problems = []
    if not f.levels:
        problems.append(SpecProblem(f'Factor "{f.name}" has no levels.', about))
    labels = [lv.label for lv in f.levels]
    for label in sorted({lb for lb in labels if labels.count(lb) > 1}):
        problems.append(
            SpecProblem(f'Factor "{f.name}" uses the level label "{label}" more than once.', about)
        )
    values = [lv.value for lv in f.levels]
    if any(a >= b for a, b in zip(values, values[1:], strict=False)):
        problems.append(
            SpecProblem(f'The levels of "{f.name}" must be in ascending order of value.', about)
        )
    for lv in f.levels:
        shown = _fmt_exact(lv.value)
        if _places(lv.value) > LEVEL_PLACES:
            problems.append(
                SpecProblem(
                    f'"{f.name}": the value of "{lv.label}" ({shown}) has more than '
                    f"{LEVEL_PLACES} decimal places; scores keep {LEVEL_PLACES}.",
                    about,
                )
            )
        if abs(lv.value) >= LEVEL_LIMIT:
            problems.append(
                SpecProblem(
                    f'"{f.name}": the value of "{lv.label}" ({shown}) is too large; '
                    "level values must be below 100,000.",
                    about,
                )
            )
        if f.dimension in NON_NEGATIVE_DIMENSIONS and lv.value < 0:
            problems.append(
                SpecProblem(
                    f'"{f.name}": the value of "{lv.label}" ({shown}) is negative; '
                    f"{f.dimension} levels must be 0 or more, or a worse level could lower "
                    "the score.",
                    about,
                )
            )
        if f.dimension == "intelligence" and lv.value <= 0:
            problems.append(
                SpecProblem(
                    f'"{f.name}": the value of "{lv.label}" ({shown}) must be greater than 0; '
                    "intelligence levels multiply the score.",
                    about,
                )
            )
    return problems


def spec_problems(spec: ScoringModelSpec) -> list[SpecProblem]:
    """Every problem with a spec, each with what it is about; an empty list means usable."""
    problems = [
        SpecProblem(f"The {d} dimension has no factors.")
        for d in DIMENSIONS
        if not spec.factors_for(d)
    ]
    keys: set[str] = set()
    names: set[str] = set()
    for f in spec.factors:
        if f.dimension not in DIMENSIONS:
            problems.append(
                SpecProblem(f'Factor "{f.name}" has an unknown dimension "{f.dimension}".')
            )
        if f.key in keys:
            problems.append(SpecProblem(f'The factor key "{f.key}" is used more than once.'))
        if not f.name.strip():
            problems.append(SpecProblem("Every factor needs a name.", (f"name:{f.key}",)))
        elif f.name in names:
            problems.append(
                SpecProblem(
                    f'The factor name "{f.name}" is used more than once.', (f"name:{f.key}",)
                )
            )
        keys.add(f.key)
        names.add(f.name)
        problems += _level_problems(f)
    if spec.moderate_threshold <= 0 or spec.high_threshold <= 0:
        about = tuple(
            name for name in ("moderate_threshold", "high_threshold") if getattr(spec, name) <= 0
        )
        problems.append(SpecProblem("Both rating thresholds must be greater than zero.", about))
    if spec.moderate_threshold >= spec.high_threshold:
        problems.append(
            SpecProblem(
                "The moderate threshold must be below the high threshold.",
                ("moderate_threshold", "high_threshold"),
            )
        )
    if spec.likelihood_min <= 0:
        problems.append(
            SpecProblem(
                "The likelihood minimum must be greater than zero, so likelihood never cancels "
                "or reverses harm.",
                ("likelihood_min",),
            )
        )
    if spec.likelihood_min > spec.likelihood_max:
        problems.append(
            SpecProblem(
                "The likelihood minimum must not be greater than the maximum.",
                ("likelihood_min", "likelihood_max"),
            )
        )
    if spec.response_base <= 0:
        problems.append(
            SpecProblem(
                "The response base must be greater than zero, so the response multiplier is "
                "always above zero.",
                ("response_base",),
            )
        )
    if spec.response_step < 0:
        problems.append(
            SpecProblem(
                "The response step must not be negative: a weaker response must never lower "
                "the score.",
                ("response_step",),
            )
        )
    return problems


def validate_spec(spec: ScoringModelSpec) -> list[str]:
    """Return human-readable problems with a spec; an empty list means it is usable."""
    return [problem.message for problem in spec_problems(spec)]

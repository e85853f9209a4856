"""The admin's form for a partnership's scoring model: parameters, factor names and levels."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms

from assessments.scoring import DIMENSIONS, Factor, Level, ScoringModelSpec
from assessments.scoring_checks import LEVEL_LIMIT, LEVEL_PLACES, spec_problems

PARAMETERS = (
    ("likelihood_min", "Likelihood minimum", "Likelihood is kept at least this; above 0."),
    ("likelihood_max", "Likelihood maximum", "Likelihood is kept at most this."),
    ("response_base", "Response base", "Response = base + step × mean; above 0."),
    ("response_step", "Response step", "Response = base + step × mean; 0 or more."),
    ("moderate_threshold", "Moderate threshold", "A score at or above this is Moderate."),
    ("high_threshold", "High threshold", "A score at or above this is High."),
)
# How each dimension combines its factors, and what its level values may be.
DIMENSION_RULES = {
    "harm": "Harm is the sum of these factors. Level values must be 0 or more.",
    "likelihood": (
        "Likelihood is the sum of these factors, kept between the likelihood minimum and "
        "maximum. Values may be negative (a falling trend lowers likelihood)."
    ),
    "intelligence": (
        "Confidence is the product of these factors: a multiplier. Values must be above 0."
    ),
    "response": (
        "Response is base + step × the mean of these factors: a multiplier. Values must be 0 "
        "or more."
    ),
}
LABEL_LIMIT = 60
NAME_LIMIT = 100


def levels_to_text(factor: Factor) -> str:
    """A factor's levels as editable lines: `Label | value | description`."""
    return "\n".join(f"{lv.label} | {lv.value} | {lv.description}" for lv in factor.levels)


def parse_levels(text: str) -> tuple[Level, ...]:
    """Parse `Label | value | description` lines; ValueError names every bad line."""
    levels, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|", 2)]
        if len(parts) < 2 or not parts[0]:
            problems.append(f"Line {number}: write it as “Label | value | description”.")
            continue
        try:
            value = Decimal(parts[1])
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            problems.append(f"Line {number}: “{parts[1]}” is not a number.")
            continue
        if -value.normalize().as_tuple().exponent > LEVEL_PLACES:
            problems.append(
                f"Line {number}: “{parts[1]}” has more than {LEVEL_PLACES} decimal places; "
                f"scores keep {LEVEL_PLACES}."
            )
        if abs(value) >= LEVEL_LIMIT:
            problems.append(f"Line {number}: “{parts[1]}” is too large; keep values below 100,000.")
        if len(parts[0]) > LABEL_LIMIT:
            problems.append(f"Line {number}: a label may have at most {LABEL_LIMIT} characters.")
        levels.append(Level(parts[0], value, parts[2] if len(parts) > 2 else ""))
    if problems:
        raise ValueError(" ".join(problems))
    return tuple(levels)


@dataclass(frozen=True)
class FactorFields:
    """One factor as the form shows it: the saved factor and its editable name and levels."""

    factor: Factor
    name: forms.BoundField
    levels: forms.BoundField


@dataclass(frozen=True)
class SummaryItem:
    """One problem in the error summary, linking to its field."""

    anchor: str
    label: str
    message: str


class ScoringModelForm(forms.Form):
    """The combination parameters and each factor's name and levels; factor keys are fixed.

    Every problem is reported at once: a field that fails on its own stands in with its saved
    value while the whole model is checked, and problems about it are left out.
    """

    def __init__(self, *args, spec: ScoringModelSpec, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        for name, label, help_text in PARAMETERS:
            self.fields[name] = forms.DecimalField(
                label=label,
                help_text=help_text,
                initial=getattr(spec, name),
                max_digits=10,
                decimal_places=4,
            )
        for factor in spec.factors:
            self.fields[f"name_{factor.key}"] = forms.CharField(
                label="Name", initial=factor.name, max_length=NAME_LIMIT
            )
            self.fields[f"levels_{factor.key}"] = forms.CharField(
                label="Levels",
                initial=levels_to_text(factor),
                widget=forms.Textarea(
                    attrs={"rows": 2 * len(factor.levels) + 2, "class": "font-monospace small"}
                ),
                help_text="One level per line, lowest value first: Label | value | description.",
            )

    def parameter_fields(self) -> list[forms.BoundField]:
        return [self[name] for name, _, _ in PARAMETERS]

    def dimensions(self) -> list[tuple[str, str, list[FactorFields]]]:
        """(dimension, its rule, its factors' fields), in model order."""
        return [
            (
                dim,
                DIMENSION_RULES[dim],
                [
                    FactorFields(f, self[f"name_{f.key}"], self[f"levels_{f.key}"])
                    for f in self.spec.factors_for(dim)
                ],
            )
            for dim in DIMENSIONS
        ]

    def error_summary(self) -> list[SummaryItem]:
        """Every problem, in the order of the page, each linking to its field."""
        labels = {name: label for name, label, _ in PARAMETERS}
        for f in self.spec.factors:
            labels[f"name_{f.key}"] = f"{f.name}: name"
            labels[f"levels_{f.key}"] = f"{f.name}: levels"
        items = [SummaryItem("scoring-model-form", "The model", e) for e in self.non_field_errors()]
        for name in self.fields:
            for message in self.errors.get(name, []):
                items.append(SummaryItem(self[name].id_for_label, labels[name], message))
        return items

    def clean(self) -> dict:
        data = super().clean()
        factors = []
        for factor in self.spec.factors:
            name = data.get(f"name_{factor.key}", factor.name).strip()
            field = f"levels_{factor.key}"
            levels = factor.levels
            if field in data:
                try:
                    levels = parse_levels(data[field])
                except ValueError as error:
                    self.add_error(field, str(error))
            factors.append(Factor(factor.key, name, factor.dimension, levels))
        constants = {
            name: data[name] if data.get(name) is not None else getattr(self.spec, name)
            for name, _, _ in PARAMETERS
        }
        spec = ScoringModelSpec(
            name=self.spec.name, version=self.spec.version, factors=tuple(factors), **constants
        )
        failed = set(self.errors)
        for problem in spec_problems(spec):
            fields = [_field_name(about) for about in problem.about]
            if any(field in failed for field in fields):
                continue  # about a value that stands in for one already refused
            self.add_error(fields[0] if fields else None, problem.message)
        if not self.errors:
            data["spec"] = spec
        return data


def _field_name(about: str) -> str:
    """`levels:trend` → `levels_trend`; parameter names are field names already."""
    return about.replace(":", "_", 1)

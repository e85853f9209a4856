"""Scoring arithmetic for MoRiLE-style assessments of threat, risk and harm.

A scoring model (``ScoringModelSpec``) groups factors into four dimensions: harm (summed),
likelihood (summed, then clamped), intelligence (multiplied) and response (a base plus a step
times the mean of its factors). ``score = harm × likelihood × confidence × response`` is rated
against two thresholds before any rounding. Everything here is plain ``Decimal`` arithmetic
with no Django imports, so the same code scores a live workshop, a frozen published
assessment and a test.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

DIMENSIONS = ("harm", "likelihood", "intelligence", "response")
HIGH, MODERATE, STANDARD, UNRATED = "High", "Moderate", "Standard", "Unrated"
# Ratings ranked, for comparing this year's rating with last year's.
RATING_ORDER = {HIGH: 3, MODERATE: 2, STANDARD: 1, UNRATED: 0}
# Who scores what (PRODUCT.md): the analyst pre-scores harm and likelihood from the evidence
# (partners may challenge them in a workshop); each partner scores intelligence and response.
ANALYST_DIMENSIONS = ("harm", "likelihood")
PARTNER_DIMENSIONS = ("intelligence", "response")
_CONSTANTS = (
    "likelihood_min",
    "likelihood_max",
    "response_base",
    "response_step",
    "high_threshold",
    "moderate_threshold",
)


@dataclass(frozen=True)
class Level:
    """One point on a factor's scale."""

    label: str
    value: Decimal
    description: str = ""


@dataclass(frozen=True)
class Factor:
    """One scored question, with its levels in ascending order of value."""

    key: str
    name: str
    dimension: str
    levels: tuple[Level, ...]

    def level(self, label: str) -> Level:
        """Return the level with this label (KeyError if there is none)."""
        for level in self.levels:
            if level.label == label:
                return level
        raise KeyError(f'{self.name} has no level "{label}"')


@dataclass(frozen=True)
class ScoringModelSpec:
    """A complete, versioned scoring model: its factors plus the combination constants."""

    name: str
    version: int
    factors: tuple[Factor, ...]
    likelihood_min: Decimal
    likelihood_max: Decimal
    response_base: Decimal
    response_step: Decimal
    high_threshold: Decimal
    moderate_threshold: Decimal

    def factor(self, key: str) -> Factor:
        """Return the factor with this key (KeyError if there is none)."""
        for factor in self.factors:
            if factor.key == key:
                return factor
        raise KeyError(key)

    def factors_for(self, dimension: str) -> tuple[Factor, ...]:
        """Return one dimension's factors, in model order."""
        return tuple(f for f in self.factors if f.dimension == dimension)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict (Decimals as strings) that from_dict turns back exactly."""
        factors = [
            {
                "key": f.key,
                "name": f.name,
                "dimension": f.dimension,
                "levels": [
                    {"label": lv.label, "value": str(lv.value), "description": lv.description}
                    for lv in f.levels
                ],
            }
            for f in self.factors
        ]
        constants = {name: str(getattr(self, name)) for name in _CONSTANTS}
        return {"name": self.name, "version": self.version, "factors": factors, **constants}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ScoringModelSpec:
        """Build a spec from the output of to_dict."""
        factors = tuple(
            Factor(
                f["key"],
                f["name"],
                f["dimension"],
                tuple(
                    Level(lv["label"], Decimal(lv["value"]), lv["description"])
                    for lv in f["levels"]
                ),
            )
            for f in d["factors"]
        )
        constants = {name: Decimal(str(d[name])) for name in _CONSTANTS}
        return cls(name=d["name"], version=int(d["version"]), factors=factors, **constants)


@dataclass(frozen=True)
class RiskResult:
    """One risk's combined dimensions, score and rating (None where not yet scored)."""

    harm: Decimal | None
    likelihood: Decimal | None
    confidence: Decimal | None
    response: Decimal | None
    score: Decimal | None
    rating: str
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class FactorValue:
    """The value used for one factor of one risk after aggregating a workshop."""

    value: Decimal | None
    source: str | None
    submissions: int
    spread: tuple[Decimal, Decimal] | None
    divergent: bool
    level_label: str | None


def round1(d: Decimal) -> Decimal:
    """Round to one decimal place, halves up, for display."""
    return d.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def rating_for(spec: ScoringModelSpec, score: Decimal | None) -> str:
    """Rate an unrounded score: High, Moderate or Standard, or Unrated when it is None."""
    if score is None:
        return UNRATED
    if score >= spec.high_threshold:
        return HIGH
    if score >= spec.moderate_threshold:
        return MODERATE
    return STANDARD


def rating_movement(previous: str | None, current: str) -> str:
    """Compared with last year's rating: 'new' (no risk last year), 'unrated' (not rated now),
    'rated' (rated now but not last year), else 'up', 'down' or 'same'."""
    if previous is None:
        return "new"
    if current == UNRATED:
        return "unrated"
    if previous == UNRATED:
        return "rated"
    change = RATING_ORDER[current] - RATING_ORDER.get(previous, 0)
    return "up" if change > 0 else "down" if change < 0 else "same"


def analyst_factors(spec: ScoringModelSpec) -> tuple[Factor, ...]:
    """The factors the analyst pre-scores and partners may challenge, in model order."""
    return tuple(f for f in spec.factors if f.dimension in ANALYST_DIMENSIONS)


def partner_factors(spec: ScoringModelSpec) -> tuple[Factor, ...]:
    """The factors every partner organisation scores in a workshop, in model order."""
    return tuple(f for f in spec.factors if f.dimension in PARTNER_DIMENSIONS)


def _dec(v: Any) -> Decimal:
    return v if isinstance(v, Decimal) else Decimal(str(v))


def _product(nums: Sequence[Decimal]) -> Decimal:
    result = Decimal(1)
    for n in nums:
        result *= n
    return result


def _mean(nums: Sequence[Decimal]) -> Decimal:
    return sum(nums, Decimal(0)) / len(nums)


def _scored(spec: ScoringModelSpec, values: Mapping[str, Any]) -> dict[str, list[Decimal] | None]:
    """Each dimension's factor values in model order, or None if any of them is unscored."""
    out: dict[str, list[Decimal] | None] = {}
    for dim in DIMENSIONS:
        found = [values.get(f.key) for f in spec.factors_for(dim)]
        out[dim] = None if any(v is None for v in found) else [_dec(v) for v in found]
    return out


def _combine(spec: ScoringModelSpec, dim: str, nums: list[Decimal] | None) -> Decimal | None:
    """Combine one dimension's factor values into the dimension's value."""
    if nums is None:
        return None
    if dim == "harm":
        return sum(nums, Decimal(0))
    if dim == "likelihood":
        return min(max(sum(nums, Decimal(0)), spec.likelihood_min), spec.likelihood_max)
    if dim == "intelligence":
        return _product(nums)
    return spec.response_base + spec.response_step * _mean(nums)


def compute_risk(spec: ScoringModelSpec, values: Mapping[str, Decimal | None]) -> RiskResult:
    """Combine factor values (keyed by factor key) into dimensions, a score and a rating."""
    missing = tuple(f.key for f in spec.factors if values.get(f.key) is None)
    dims = [_combine(spec, d, nums) for d, nums in _scored(spec, values).items()]
    score = None if missing else _product(dims)
    return RiskResult(*dims, score=score, rating=rating_for(spec, score), missing=missing)


def _fmt(d: Decimal) -> str:
    """A number as plain text: no exponent, no trailing zeros, at most four places."""
    return format(d.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP).normalize(), "f")


def _sum_text(nums: Sequence[Decimal]) -> str:
    text = _fmt(nums[0])
    for n in nums[1:]:
        text += f" − {_fmt(-n)}" if n < 0 else f" + {_fmt(n)}"
    return text


def explain(spec: ScoringModelSpec, values: Mapping[str, Decimal | None]) -> list[str]:
    """Spell out the arithmetic step by step: one line per dimension, then the score."""
    lines = []
    titles = ("Harm", "Likelihood", "Confidence", "Response")
    for (dim, nums), title in zip(_scored(spec, values).items(), titles, strict=True):
        if nums is None:
            names = [f.name for f in spec.factors_for(dim) if values.get(f.key) is None]
            lines.append(f"{title}: not yet scored (missing {', '.join(names)})")
            continue
        result = _fmt(_combine(spec, dim, nums))
        if dim == "likelihood":
            lo, hi = _fmt(spec.likelihood_min), _fmt(spec.likelihood_max)
            lines.append(f"Likelihood = clamp({_sum_text(nums)}, {lo}, {hi}) = {result}")
        elif dim == "response":
            base, step = _fmt(spec.response_base), _fmt(spec.response_step)
            listed = ", ".join(_fmt(n) for n in nums)
            lines.append(
                f"Response = {base} + {step} × mean({listed})"
                f" = {base} + {step} × {_fmt(_mean(nums))} = {result}"
            )
        else:
            text = _sum_text(nums) if dim == "harm" else " × ".join(_fmt(n) for n in nums)
            lines.append(f"{title} = {text}" + (f" = {result}" if len(nums) > 1 else ""))
    risk = compute_risk(spec, values)
    if risk.score is None:
        names = ", ".join(spec.factor(key).name for key in risk.missing)
        return [*lines, f"Score: {UNRATED} (missing {names})"]
    shown = round1(risk.score)
    # Show more places when rounding would make the comparison look wrong (59.96 → 60.0).
    shown_text = str(shown) if rating_for(spec, shown) == risk.rating else _fmt(risk.score)
    if risk.rating == STANDARD:
        test = f"< {_fmt(spec.moderate_threshold)}"
    else:
        threshold = spec.high_threshold if risk.rating == HIGH else spec.moderate_threshold
        test = f"≥ {_fmt(threshold)}"
    dims = (risk.harm, risk.likelihood, risk.confidence, risk.response)
    parts = " × ".join(_fmt(d) for d in dims if d is not None)
    return [*lines, f"Score = {parts} = {shown_text} {test} → {risk.rating}"]


def level_label_for(factor: Factor, value: Decimal | None) -> str | None:
    """The label of the level with this value, "Occasional–Frequent" between two levels."""
    if value is None:
        return None
    for lv in factor.levels:
        if lv.value == value:
            return lv.label
    for lower, upper in zip(factor.levels, factor.levels[1:], strict=False):
        if lower.value < value < upper.value:
            return f"{lower.label}–{upper.label}"
    return None  # off the scale


def _median(nums: Sequence[Decimal]) -> Decimal:
    ordered = sorted(nums)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def aggregate_factor(
    factor: Factor,
    *,
    agreed: Decimal | None,
    submissions: Sequence[Decimal],
    analyst: Decimal | None,
) -> FactorValue:
    """Choose a factor's value: agreed, else the median of submissions, else the analyst's."""
    subs = sorted(_dec(s) for s in submissions)
    spread = (subs[0], subs[-1]) if subs else None
    # Levels spanned = index of the highest level submitted − index of the lowest.
    spanned = sum(1 for lv in factor.levels if spread and spread[0] <= lv.value <= spread[1]) - 1
    value: Decimal | None = None
    source: str | None = None
    if agreed is not None:
        value, source = _dec(agreed), "agreed"
    elif subs:
        value, source = _median(subs), "median"
    elif analyst is not None:
        value, source = _dec(analyst), "analyst"
    return FactorValue(
        value, source, len(subs), spread, spanned >= 2, level_label_for(factor, value)
    )


def _factor(key: str, name: str, dimension: str, *levels: str) -> Factor:
    """Build a factor from "label | value | description" strings."""
    parsed = (tuple(part.strip() for part in text.split("|")) for text in levels)
    return Factor(key, name, dimension, tuple(Level(lb, Decimal(v), d) for lb, v, d in parsed))


# fmt: off
DEFAULT_MODEL = ScoringModelSpec(
    name="MoRiLE-style",
    version=1,
    factors=(
        _factor(
            "physical", "Physical harm to victims", "harm",
            "None | 0 | No physical harm to victims is expected.",
            "Low | 1 | Minor injury at most, needing little or no medical treatment.",
            "Moderate | 2 | Injury needing medical treatment, with full recovery expected.",
            "Substantial | 4 | Serious injury or ill health needing hospital or long-term care.",
            "Critical | 8 | Loss of life or life-changing injury is a realistic outcome.",
        ),
        _factor(
            "psychological", "Psychological harm to victims", "harm",
            "None | 0 | No lasting emotional or psychological effect on victims is expected.",
            "Low | 1 | Short-lived distress or anxiety that fades without support.",
            "Moderate | 2 | Distress or fear that disrupts daily life and may need some support.",
            "Substantial | 4 | Long-term psychological harm needing specialist support.",
            "Critical | 8 | Severe, lasting trauma, with a real risk of self-harm or suicide.",
        ),
        _factor(
            "financial", "Financial harm to victims", "harm",
            "None | 0 | Victims suffer no financial loss.",
            "Low | 1 | Small losses that victims can absorb or recover.",
            "Moderate | 2 | Losses that cause victims real hardship for a while.",
            "Substantial | 4 | Long-term instability, such as lost income, debt or losing a home.",
            "Critical | 8 | Ruinous or permanent financial loss for victims or their families.",
        ),
        _factor(
            "community", "Harm to the community", "harm",
            "None | 0 | No noticeable effect on the wider community.",
            "Low | 1 | Limited concern, mostly confined to those directly involved.",
            "Moderate | 2 | Visible in neighbourhoods, raising fear of crime or nuisance.",
            "Substantial | 4 | Damages confidence, cohesion or local businesses across an area.",
            "Critical | 8 | Lasting, city-wide harm to community life, cohesion or trust.",
        ),
        _factor(
            "frequency", "Frequency and volume", "likelihood",
            "Rare | 1 | Very few incidents in the period; most partners seldom meet it.",
            "Occasional | 2 | Happens from time to time, in low numbers.",
            "Frequent | 3 | Happens regularly, in moderate numbers.",
            "Constant | 4 | Happens every day, in high volume.",
        ),
        _factor(
            "trend", "Trend", "likelihood",
            "Falling | -1 | Incidents or risk are clearly decreasing.",
            "Stable | 0 | No clear change in incidents or risk over the last year.",
            "Rising | 1 | Incidents or risk are clearly increasing, or expected to increase.",
        ),
        _factor(
            "confidence", "Confidence in the intelligence picture", "intelligence",
            "High | 1.0 | Good data and partner knowledge give a full, reliable picture.",
            "Medium | 1.1 | A reasonable picture, with some gaps or under-reporting.",
            "Low | 1.25 | Largely hidden or under-reported; the picture is partial.",
        ),
        _factor(
            "capacity", "Capacity", "response",
            "Strong | 1 | Partners have the people and time to respond as business as usual.",
            "Adequate | 2 | Demand is mostly met, with occasional pressure on services.",
            "Limited | 3 | Demand regularly outstrips the people and time available.",
            "Weak | 4 | Partners cannot meet demand; responses are delayed or missed.",
        ),
        _factor(
            "capability", "Capability", "response",
            "Strong | 1 | Partners have the skills, powers, tools and training needed.",
            "Adequate | 2 | Skills and tools are largely in place, with minor gaps.",
            "Limited | 3 | Significant gaps in skills, training or tools in some agencies.",
            "Weak | 4 | Partners lack the skills or tools to respond effectively.",
        ),
        _factor(
            "cost", "Cost to respond", "response",
            "Strong | 1 | Costs are small and absorbed within existing budgets.",
            "Adequate | 2 | Costs are managed within existing resources.",
            "Limited | 3 | Costs are significant and put pressure on budgets.",
            "Weak | 4 | Costs are high across many agencies and exceed available funding.",
        ),
        _factor(
            "mitigation", "Mitigation in place", "response",
            "Strong | 1 | Well-established, effective controls and partnership working.",
            "Adequate | 2 | Controls are in place and mostly effective.",
            "Limited | 3 | Some controls exist, but they are patchy or unproven.",
            "Weak | 4 | Little or nothing is in place to reduce the risk.",
        ),
    ),
    likelihood_min=Decimal(1),
    likelihood_max=Decimal(5),
    response_base=Decimal("0.6"),
    response_step=Decimal("0.2"),
    high_threshold=Decimal(60),
    moderate_threshold=Decimal(25),
)
# fmt: on

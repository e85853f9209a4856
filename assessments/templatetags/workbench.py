"""Display helpers for templates."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html

from assessments import access

register = template.Library()


@register.filter
def can(membership, capability: str) -> bool:
    """`{% if membership|can:"export" %}`: whether the member's role allows it."""
    return access.can(membership, capability)


STATUS_CLASSES = {
    "draft": "text-bg-secondary",
    "workshop": "text-bg-info",
    "published": "text-bg-success",
}


@register.filter
def status_badge_class(status: str) -> str:
    """Bootstrap badge classes for an assessment status."""
    return STATUS_CLASSES.get(status, "text-bg-light")


@register.filter
def rating_class(rating: str | None) -> str:
    """CSS class for a rating word (the word is always shown too)."""
    return f"rating-{(rating or 'unrated').lower()}"


@register.filter
def number(value, places: int | None = None) -> str:
    """23024 → '23,024'; Decimal('87.84'), 1 → '87.8'; None → '–' (not known)."""
    from assessments.display.numbers import format_number

    if value is None or value == "":
        return "–"
    return format_number(value, places)


@register.filter
def signed(value, suffix: str = "") -> str:
    """+33 / −119 with a true minus sign; `|signed:"%"` for percentages."""
    from assessments.display.numbers import format_number

    if value is None:
        return "–"
    text = format_number(abs(value))
    sign = "+" if value > 0 else "\u2212" if value < 0 else ""
    return f"{sign}{text}{suffix}"


@register.filter
def direction_word(value) -> str:
    """'up', 'down' or 'no change', so a change is never shown by colour or sign alone."""
    if value is None:
        return ""
    return "up" if value > 0 else "down" if value < 0 else "no change"


@register.filter
def rate(value) -> str:
    """A rate with at least one decimal, keeping any extra precision it was given (0.85)."""
    from decimal import Decimal

    from assessments.display.numbers import format_number

    if value is None:
        return "–"
    exponent = Decimal(value).as_tuple().exponent
    places = max(1, -exponent) if isinstance(exponent, int) else 1
    return format_number(value, places)


@register.filter
def get_item(mapping: dict, key: str):
    """`{{ names|get_item:key }}`: a dictionary's value for a key."""
    return mapping.get(key, key)


@register.filter
def thousands(value) -> str:
    """4882 → "4,882"; other numbers keep their decimals; None → "—"."""
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return f"{value.normalize():,f}"
    return f"{int(value):,}"


@register.filter
def one_decimal(value: Decimal | None) -> str:
    """A score to one decimal place, halves up (as the engine rounds); None → "—"."""
    from assessments.scoring import round1

    return "—" if value is None else str(round1(value))


@register.filter
def abs_thousands(value) -> str:
    """The size of a change with thousands separators; the sign is written separately."""
    return thousands(abs(value)) if value is not None else "—"


@register.filter
def plain_number(value: Decimal | None) -> str:
    """A level value as typed, without padding zeros or exponent: 1.250 → 1.25, 100 → 100."""
    if value is None:
        return "—"
    text = format(Decimal(value).normalize(), "f")
    return text.replace("-", "−", 1)


HOUSEHOLD_RATE_MARK = "\u2020"  # †, explained under every table that uses it


def _rate_basis_of(row) -> str | None:
    """A table row's rate basis: a dict's or object's `rate_basis`, or its figures'."""
    if isinstance(row, dict):
        basis = row.get("rate_basis")
        figures = row.get("figures")
    else:
        basis = getattr(row, "rate_basis", None)
        figures = getattr(row, "figures", None)
    return basis or getattr(figures, "rate_basis", None)


@register.filter
def rate_basis_mark(basis: str | None) -> str:
    """After a rate per 1,000 households: a dagger to see and the words for screen readers.
    Rates per 1,000 residents (the default, or a document without a basis) get nothing."""
    from assessments.statistics import HOUSEHOLDS

    if basis != HOUSEHOLDS:
        return ""
    return format_html(
        '<sup class="rate-basis-mark" aria-hidden="true">{}</sup>'
        '<span class="visually-hidden"> per 1,000 households</span>',
        HOUSEHOLD_RATE_MARK,
    )


@register.filter
def has_household_rates(rows) -> bool:
    """Whether any row of a table has rates per 1,000 households, so it needs the note."""
    from assessments.statistics import HOUSEHOLDS

    return any(_rate_basis_of(row) == HOUSEHOLDS for row in rows or ())

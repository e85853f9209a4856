"""Display helpers for templates."""

from __future__ import annotations

from decimal import Decimal

from django import template

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

"""Display helpers for templates."""

from __future__ import annotations

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

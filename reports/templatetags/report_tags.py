"""Display helpers for results and reports."""

from __future__ import annotations

from decimal import Decimal

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Simple formatting only: no images, no raw HTML, no attributes beyond a link's address.
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
    "a", "h3", "h4", "h5", "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


@register.filter
def markdown_safe(text: str | None) -> SafeString:
    """Render Markdown, then keep only simple formatting (nh3 drops scripts and handlers)."""
    if not text:
        return mark_safe("")
    html = markdown_lib.markdown(str(text), extensions=["sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 — sanitised by nh3 just above


@register.filter
def one_decimal(value: Decimal | float | None) -> str:
    """A score to one decimal place, or an en dash when there is none."""
    if value is None or value == "":
        return "–"
    return f"{Decimal(str(value)):.1f}"


@register.filter
def signed(value: int | Decimal | None) -> str:
    """+12 / −3 with a real minus sign; en dash when unknown."""
    if value is None:
        return "–"
    text = f"{value:,}" if isinstance(value, int) else str(value)
    return f"+{text}" if value > 0 else text.replace("-", "−")


@register.filter
def severity_class(severity: int) -> str:
    """CSS class for a theme-table cell's severity (the word is always shown too)."""
    return f"level-{severity}"


@register.filter
def get_item(mapping, key):
    """`{{ dict|get_item:key }}` for display only."""
    return mapping.get(key) if mapping else None


@register.filter
def thousands(value: int | None) -> str:
    """23,024; en dash when unknown."""
    return "–" if value is None else f"{value:,}"


@register.filter
def get_attr(obj, name: str):
    """A narrative field by name, from a Theme or from a snapshot's dictionary."""
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


@register.filter
def css_string(text: str) -> str:
    """Text safe inside a double-quoted CSS string in a <style> element (use autoescape off)."""
    cleaned = "".join(ch for ch in str(text) if ch.isprintable())
    escaped = "".join(f"\\{ord(ch):x} " if ch in '\\"<>&' else ch for ch in cleaned)
    return mark_safe(escaped)  # noqa: S308 — every special character is CSS-escaped


@register.filter
def iso_date(text: str | None):
    """An ISO 8601 time from a report document as a datetime, for the `date` filter."""
    from datetime import datetime

    if not text:
        return None
    return datetime.fromisoformat(text)

"""The one template-tag library: `{% load workbench %}` in every template that formats.

Numbers are formatted by the display layer (`assessments/display/numbers.py`); each filter
here is defined once, so loading this library never changes how another one formats.
"""

from __future__ import annotations

import re
from datetime import datetime

import markdown as markdown_lib
import nh3
from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from assessments import access
from assessments.display import numbers
from assessments.statistics import HOUSEHOLDS

register = template.Library()
# Plain words between the marks only (no tags inside), so the <mark> added is always balanced.
MISSING_FIGURE = re.compile(
    f"{numbers.MISSING_START}([^{numbers.MISSING_START}{numbers.MISSING_END}<>]*){numbers.MISSING_END}"
)

# Numbers: `{{ count|number }}`, `{{ change|signed }}`, `{{ pct|signed:"%" }}`, `{{ x|rate }}`…
register.filter("number", numbers.number)
register.filter("signed", numbers.signed)
register.filter("rate", numbers.rate)
register.filter("thousands", numbers.thousands)
register.filter("one_decimal", numbers.one_decimal)
register.filter("plain_number", numbers.plain_number)


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
def severity_class(severity: int) -> str:
    """CSS class for a theme-table cell's severity (the word is always shown too)."""
    return f"level-{severity}"


@register.filter
def direction_word(value) -> str:
    """'up', 'down' or 'no change', so a change is never shown by colour or sign alone."""
    if value is None:
        return ""
    return "up" if value > 0 else "down" if value < 0 else "no change"


@register.filter
def get_item(mapping, key):
    """`{{ mapping|get_item:key }}`: a dictionary's value for a key (None if missing)."""
    return mapping.get(key) if mapping else None


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
    return any(_rate_basis_of(row) == HOUSEHOLDS for row in rows or ())


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
    # A live figure the data lacks (reports.figures.MISSING_START…END, plain words): flagged.
    cleaned = MISSING_FIGURE.sub(r'<mark class="missing-figure">\1</mark>', cleaned)
    return mark_safe(cleaned)  # noqa: S308 — sanitised by nh3 just above; the marks hold no tags


@register.filter
def css_string(text: str) -> str:
    """Text safe inside a double-quoted CSS string in a <style> element (use autoescape off)."""
    cleaned = "".join(ch for ch in str(text) if ch.isprintable())
    escaped = "".join(f"\\{ord(ch):x} " if ch in '\\"<>&' else ch for ch in cleaned)
    return mark_safe(escaped)  # noqa: S308 — every special character is CSS-escaped


@register.filter
def iso_date(text: str | None) -> datetime | None:
    """An ISO 8601 time from a report document as a datetime, for the `date` filter."""
    return datetime.fromisoformat(text) if text else None


class TableRegionNode(template.Node):
    """Renders its contents inside a named, keyboard-focusable horizontal scroll region."""

    def __init__(self, parts: list, nodelist: template.NodeList):
        self.parts, self.nodelist = parts, nodelist

    def render(self, context) -> str:
        """The region's name is its arguments joined by spaces."""
        label = " ".join(str(part.resolve(context)) for part in self.parts).strip()
        return format_html(
            '<div class="table-region" role="region" tabindex="0" aria-label="{}">{}</div>',
            label,
            self.nodelist.render(context),  # already escaped by the template: safe
        )


@register.tag
def table_region(parser, token) -> TableRegionNode:
    """`{% table_region "Evidence for" risk.name %}<table>…</table>{% endtable_region %}`: a
    table wider than a phone scrolls inside its own labelled region, never the page (WCAG
    1.4.10); tabindex lets a keyboard scroll it (static/js/table-regions.js drops the tab stop
    while it does not scroll)."""
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("table_region needs a name for the region")
    nodelist = parser.parse(("endtable_region",))
    parser.delete_first_token()
    return TableRegionNode([parser.compile_filter(bit) for bit in bits], nodelist)

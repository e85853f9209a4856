"""Workshop snippets usable from any template."""

from __future__ import annotations

from django import template

from workshops.selectors import workshops_for_user

register = template.Library()


@register.inclusion_tag("workshops/_your_workshops.html", takes_context=True)
def your_workshops(context) -> dict:
    """The open or locked workshops the signed-in user runs or is invited to."""
    return {"workshops": workshops_for_user(context["request"].user)}


@register.filter
def get_field(form, name: str):
    """`{{ form|get_field:"capacity" }}`: a bound field by name."""
    return form[name]

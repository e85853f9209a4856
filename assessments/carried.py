"""Which kinds of section can be carried forward and confirmed as reviewed (one table)."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Model, Q

from assessments.models import Assessment

# kind (in the confirm URL) -> model label.
# A model listed here subclasses assessments.models.carried.CarriedForward.
REVIEWABLE: dict[str, str] = {
    "theme": "assessments.Theme",
}


def reviewable_model(kind: str) -> type[Model] | None:
    """The model of a kind of section, or None for a kind nobody registered."""
    label = REVIEWABLE.get(kind)
    return apps.get_model(label) if label else None


def unreviewed_sections(assessment: Assessment) -> list[Model]:
    """Every section of the assessment carried forward and not yet reviewed, of every kind."""
    found: list[Model] = []
    for label in REVIEWABLE.values():
        model = apps.get_model(label)
        found.extend(
            model.objects.filter(
                Q(assessment=assessment) & ~Q(carried_from="") & Q(reviewed_at__isnull=True)
            )
        )
    return found

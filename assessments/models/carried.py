"""Text carried forward from last year's assessment, marked until someone reviews it."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CarriedForward(models.Model):
    """Mixin for a section of an assessment whose text may be carried forward from last year.

    A model adopting it has an `assessment` foreign key; copying forward sets `carried_from`,
    and the section reads "From 2019/20, not yet reviewed" (`includes/carried_forward.html`)
    until an analyst edits or confirms it (`assessments.services.section_mark_reviewed`).
    Register the model in `assessments.carried.REVIEWABLE` so the confirm action finds it.
    """

    carried_from = models.CharField(
        max_length=7, blank=True, help_text="The period this text was carried forward from."
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def needs_review(self) -> bool:
        """Carried forward and nobody has edited or confirmed it since."""
        return bool(self.carried_from) and self.reviewed_at is None

    @property
    def unreviewed_from(self) -> str:
        """The period the text came from while it needs review, else empty."""
        return self.carried_from if self.needs_review else ""

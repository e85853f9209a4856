"""Published assessments never change, not even through an import for another period.

A published assessment shows its own period's figures, the year before's (the crime table's
"previous year"), and, for its seasonal pattern, the months of the two years before that. An
import may not change any of these: summary, population and other statistics rows for those
periods are accepted only if they repeat what is stored (the next year's summary table
repeats this year's counts as its "previous year"), and record-level months in them are
refused. The partnership-wide LSOA look-up recounts only the periods no published assessment
shows, so published figures keep the look-up they were counted with.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessments.models import Assessment, AssessmentStatus, Partnership
from assessments.periods import previous_period


@dataclass(frozen=True)
class PeriodLocks:
    """The periods whose figures published assessments show, each with the published period
    that shows it (the nearest, if several do)."""

    published: tuple[str, ...] = ()
    #: period → published period showing its yearly figures (itself, or as the year before)
    values: dict[str, str] | None = None
    #: period → published period using its months (itself, the year before, the seasonal average)
    records: dict[str, str] | None = None

    def value_lock(self, period: str) -> str | None:
        return (self.values or {}).get(period)

    def record_lock(self, period: str) -> str | None:
        return (self.records or {}).get(period)

    def reason(self, period: str) -> str:
        """Why `period`'s figures can no longer change, naming the published period."""
        published = self.record_lock(period) or self.value_lock(period) or period
        if published == period:
            return f"the {period} assessment is published, so its figures can no longer change"
        if previous_period(published) == period:
            return (
                f"the published {published} assessment shows {period} as its previous year, "
                f"so {period}'s figures can no longer change"
            )
        return (
            f"the published {published} assessment's seasonal pattern averages the months of "
            f"{period}, so they can no longer change"
        )


def period_locks(partnership: Partnership) -> PeriodLocks:
    """What the partnership's published assessments show, in one query."""
    published = sorted(
        Assessment.objects.filter(
            partnership=partnership, status=AssessmentStatus.PUBLISHED
        ).values_list("period", flat=True)
    )
    values: dict[str, str] = {}
    records: dict[str, str] = {}
    # Nearest first: a period that is itself published is named as such.
    for distance in range(3):
        for period in published:
            shown = period
            for _ in range(distance):
                shown = previous_period(shown)
            if distance < 2:
                values.setdefault(shown, period)
            records.setdefault(shown, period)
    return PeriodLocks(tuple(published), values, records)

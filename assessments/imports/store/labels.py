"""What a file's labels mean: the indicator a category counts under (found or created), the
order new indicators are created in, and the area a name is."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from assessments.evidence import partnership_area
from assessments.imports.parse.police_uk import CRIME_TYPES
from assessments.models import (
    Area,
    AreaKind,
    CategoryMapping,
    Indicator,
    IndicatorKind,
    Partnership,
)

Resolver = Callable[..., Indicator]


def indicator_resolver(partnership: Partnership, kind: str = IndicatorKind.CRIME) -> Resolver:
    """Find the indicator a source label counts under: its mapping, the indicator of the same
    name, or a new one (placed after the partnership's existing indicators)."""
    mapped = {
        m.source_label.casefold(): m.indicator
        for m in CategoryMapping.objects.filter(partnership=partnership).select_related("indicator")
    }
    by_name = {i.name.casefold(): i for i in Indicator.objects.filter(partnership=partnership)}
    next_order = [max((i.order for i in by_name.values()), default=-1) + 1]

    def resolve(label: str, unit: str = "count") -> Indicator:
        key = label.casefold()
        if key in mapped:
            return mapped[key]
        if key not in by_name:
            by_name[key] = Indicator.objects.create(
                partnership=partnership, name=label, kind=kind, unit=unit, order=next_order[0]
            )
            next_order[0] += 1
        return by_name[key]

    return resolve


_POLICE_ORDER = {name.casefold(): position for position, name in enumerate(CRIME_TYPES)}


def category_order(labels: Iterable[str]) -> list[str]:
    """Categories in a stable, familiar order: data.police.uk's crime types in police.uk's own
    order, then any others alphabetically (so new indicators are created in this order)."""
    return sorted(
        set(labels),
        key=lambda label: (
            _POLICE_ORDER.get(label.casefold(), len(_POLICE_ORDER)),
            label.casefold(),
            label,
        ),
    )


def area_named(partnership: Partnership, name: str) -> Area:
    """The partnership's whole area if `name` is its name, else the neighbourhood so named."""
    if name.casefold() == partnership.area_name.casefold():
        return partnership_area(partnership)
    area, _ = Area.objects.get_or_create(
        partnership=partnership, name=name, defaults={"kind": AreaKind.NEIGHBOURHOOD}
    )
    return area

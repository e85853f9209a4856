"""Data imports: validate a whole file first, then write it in one transaction.

`data_import()` is what the upload page and `manage.py import_data` call. Parsing lives in the
pure `assessments.imports` package; this module adds the checks that need the database and the
writes. On any problem it raises `ImportFailed` listing every problem and writes nothing.
Re-importing a file replaces what the same file wrote before; it never doubles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from django.conf import settings
from django.db import transaction

from assessments.evidence import ALL_CRIME, is_asb, partnership_area
from assessments.imports import (
    ColumnMapping,
    ImportFailed,
    ImportProblem,
    RecordAggregate,
    aggregate_records,
    collect_police_uk_upload,
    parse_lookup,
    parse_population,
    parse_register,
    parse_summary,
    read_table,
)
from assessments.imports.indicators import parse_indicators
from assessments.models import (
    Area,
    AreaKind,
    Assessment,
    CategoryMapping,
    ImportRun,
    Indicator,
    IndicatorKind,
    IndicatorValue,
    LsoaNeighbourhood,
    Partnership,
    Population,
    RecordCount,
    Risk,
    Theme,
)
from assessments.periods import period_for_month
from assessments.services import assessment_ensure_editable, risk_save

KINDS = {
    "summary": "Summary table (period, category, count, MSG rate per 1,000)",
    "records": "Record-level file(s), e.g. data.police.uk street-level CSVs or a ZIP of them",
    "population": "Population (area, period, population)",
    "lookup": "LSOA to neighbourhood look-up (lsoa_code, neighbourhood)",
    "indicators": "Other statistics (indicator, period, value, unit, comparator, …)",
    "register": "Risk register (theme, risk, description, categories)",
}
POLICE_UK_PRESET = "police-uk"
POLICE_UK_MAPPING = ColumnMapping(month="Month", category="Crime type", area="LSOA code")


@dataclass(frozen=True)
class RecordPreset:
    """A known record-level format: which columns hold what, and which files to read."""

    label: str
    mapping: ColumnMapping
    # police.uk downloads also hold outcomes and stop-and-search files: read only -street.csv.
    street_files_only: bool = False


# Add a format here and it appears on the upload page and in `import_data --preset`.
PRESETS: dict[str, RecordPreset] = {
    POLICE_UK_PRESET: RecordPreset(
        "data.police.uk street-level files", POLICE_UK_MAPPING, street_files_only=True
    ),
}
NATIONAL_COMPARATORS = {"england", "england and wales", "national", "uk", "united kingdom"}


@dataclass
class ImportOutcome:
    """What an import did, in words for the person who ran it."""

    kind: str
    rows: int
    messages: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return " ".join(self.messages)


def max_upload_bytes() -> int:
    return settings.UPLOAD_MAX_MB * 1024 * 1024


def data_import(
    *,
    partnership: Partnership,
    period: str,
    kind: str,
    files: list[tuple[str, BinaryIO]],
    user=None,
    preset: str | None = None,
    mapping: ColumnMapping | None = None,
    dataset: str | None = None,
    progress: Callable[[int], None] | None = None,
    log: bool = True,
) -> ImportOutcome:
    """Import `files` of `kind` for the partnership's `period` assessment (created if new)."""
    if kind not in KINDS:
        raise ImportFailed([ImportProblem(None, None, f"{kind!r} is not a kind of import")])
    if not files:
        raise ImportFailed([ImportProblem(None, None, "Choose a file to import.")])
    existing = Assessment.objects.filter(partnership=partnership, period=period).first()
    if existing is not None:
        assessment_ensure_editable(existing)
    limit = max_upload_bytes()
    if kind == "records":
        parsed, skipped = _read_records(files, preset, mapping, limit, progress)
    else:
        if len(files) != 1:
            raise ImportFailed([ImportProblem(None, None, "This kind of import takes one file.")])
        name, data = files[0]
        table = read_table(data, name, max_bytes=limit)
        parsed = PARSERS[kind](table)
        skipped = []
    with transaction.atomic():
        assessment, _ = Assessment.objects.get_or_create(partnership=partnership, period=period)
        outcome = WRITERS[kind](
            partnership=partnership,
            assessment=assessment,
            parsed=parsed,
            dataset=dataset or (preset or "records"),
        )
        if skipped:
            outcome.messages.append(
                f"Skipped {len(skipped)} file(s) that are not street-level crime: "
                + ", ".join(skipped)
                + "."
            )
        if log:
            _log_run(partnership, assessment, kind, files, outcome, user)
    return outcome


def _log_run(partnership, assessment, kind, files, outcome, user) -> None:
    ImportRun.objects.create(
        partnership=partnership,
        assessment=assessment,
        kind=kind,
        filename=", ".join(name for name, _ in files)[:255],
        rows=outcome.rows,
        summary=str(outcome),
        imported_by=user if getattr(user, "is_authenticated", False) else None,
    )


PARSERS = {
    "summary": parse_summary,
    "population": parse_population,
    "lookup": parse_lookup,
    "indicators": parse_indicators,
    "register": parse_register,
}


def _read_records(files, preset, mapping, limit, progress) -> tuple[RecordAggregate, list[str]]:
    if preset is not None and preset not in PRESETS:
        raise ImportFailed([ImportProblem(None, None, f"{preset!r} is not a known format")])
    chosen = PRESETS.get(preset) if preset else None
    if chosen is not None and not chosen.street_files_only:
        return aggregate_records(files, chosen.mapping, max_bytes=limit, progress=progress), []
    if chosen is not None:
        sources, skipped = [], []
        for name, data in files:
            found, passed_over = collect_police_uk_upload(data, name, max_bytes=limit)
            sources.extend(found)
            skipped.extend(passed_over)
        if not sources:
            raise ImportFailed(
                [ImportProblem(None, None, "No street-level (-street.csv) files were found.")]
            )
        return aggregate_records(
            sources, chosen.mapping, max_bytes=limit, progress=progress
        ), skipped
    if mapping is None:
        raise ImportFailed(
            [ImportProblem(None, None, "Say which columns hold the month and the category.")]
        )
    return aggregate_records(files, mapping, max_bytes=limit, progress=progress), []


def _indicator_resolver(partnership: Partnership, kind: str = IndicatorKind.CRIME):
    """Find the indicator a source label counts under: mapping, same name, or a new one."""
    mapped = {
        m.source_label.casefold(): m.indicator
        for m in CategoryMapping.objects.filter(partnership=partnership).select_related("indicator")
    }
    by_name = {i.name.casefold(): i for i in Indicator.objects.filter(partnership=partnership)}

    def resolve(label: str, unit: str = "count") -> Indicator:
        key = label.casefold()
        if key in mapped:
            return mapped[key]
        if key not in by_name:
            by_name[key] = Indicator.objects.create(
                partnership=partnership, name=label, kind=kind, unit=unit, order=len(by_name)
            )
        return by_name[key]

    return resolve


def _write_summary(*, partnership, assessment, parsed, dataset) -> ImportOutcome:
    resolve = _indicator_resolver(partnership)
    areas: dict[str, Area] = {"": partnership_area(partnership)}
    for row in parsed:
        if row.area.casefold() not in areas:
            areas[row.area.casefold()] = _area_named(partnership, row.area)
        IndicatorValue.objects.update_or_create(
            indicator=resolve(row.category),
            area=areas[row.area.casefold()],
            period=row.period,
            defaults={
                "value": row.count,
                "msg_rate_per_1000": row.msg_rate_per_1000,
                "source": "summary",
            },
        )
    periods = sorted({row.period for row in parsed})
    categories = len({row.category.casefold() for row in parsed})
    return ImportOutcome(
        "summary",
        len(parsed),
        [f"Imported {len(parsed)} counts: {categories} categories for {', '.join(periods)}."],
    )


def _area_named(partnership: Partnership, name: str) -> Area:
    if name.casefold() == partnership.area_name.casefold():
        return partnership_area(partnership)
    area, _ = Area.objects.get_or_create(
        partnership=partnership, name=name, defaults={"kind": AreaKind.NEIGHBOURHOOD}
    )
    return area


def _write_population(*, partnership, assessment, parsed, dataset) -> ImportOutcome:
    for row in parsed:
        Population.objects.update_or_create(
            area=_area_named(partnership, row.area),
            period=row.period,
            defaults={"population": row.population},
        )
    return ImportOutcome(
        "population", len(parsed), [f"Imported the population of {len(parsed)} area-periods."]
    )


def _write_lookup(*, partnership, assessment, parsed, dataset) -> ImportOutcome:
    LsoaNeighbourhood.objects.filter(partnership=partnership).delete()
    areas: dict[str, Area] = {}
    rows = []
    for row in parsed:
        key = row.neighbourhood.casefold()
        if key not in areas:
            areas[key] = _area_named(partnership, row.neighbourhood)
        rows.append(
            LsoaNeighbourhood(
                partnership=partnership, lsoa_code=row.lsoa_code, neighbourhood=areas[key]
            )
        )
    LsoaNeighbourhood.objects.bulk_create(rows, batch_size=2000)
    return ImportOutcome(
        "lookup",
        len(rows),
        [f"Imported {len(rows)} LSOAs in {len(areas)} neighbourhoods (replacing the old look-up)."],
    )


def _write_indicators(*, partnership, assessment, parsed, dataset) -> ImportOutcome:
    area = partnership_area(partnership)
    by_name = {i.name.casefold(): i for i in Indicator.objects.filter(partnership=partnership)}
    for row in parsed:
        indicator = by_name.get(row.indicator.casefold())
        if indicator is None:
            indicator = by_name[row.indicator.casefold()] = Indicator.objects.create(
                partnership=partnership,
                name=row.indicator,
                kind=row.kind,
                unit=row.unit,
                order=1000 + len(by_name),
            )
        national = row.comparator.casefold() in NATIONAL_COMPARATORS
        comparator = {
            "national_value": row.comparator_value if national else None,
            "national_label": row.comparator if national else "",
            "regional_value": None if national else row.comparator_value,
            "regional_label": "" if national else row.comparator,
        }
        IndicatorValue.objects.update_or_create(
            indicator=indicator,
            area=area,
            period=row.period,
            defaults={"value": row.value, "source": "indicators", **comparator},
        )
    return ImportOutcome("indicators", len(parsed), [f"Imported {len(parsed)} statistics."])


def _write_register(*, partnership, assessment, parsed, dataset) -> ImportOutcome:
    by_name = {i.name.casefold(): i for i in Indicator.objects.filter(partnership=partnership)}
    problems = [
        ImportProblem(row.row, "categories", f"{category!r} is not an indicator of {partnership}")
        for row in parsed
        for category in row.categories
        if category.casefold() not in by_name
    ]
    first_row: dict[str, int] = {}
    for row in parsed:
        first = first_row.setdefault(row.risk.casefold(), row.row)
        if first != row.row:
            problems.append(
                ImportProblem(row.row, "risk", f"{row.risk!r} is already a risk in row {first}")
            )
    if problems:
        raise ImportFailed(problems)
    themes: dict[str, Theme] = {t.name.casefold(): t for t in assessment.themes.all()}
    risks = {r.name.casefold(): r for r in Risk.objects.filter(assessment=assessment)}
    created = 0
    for order, row in enumerate(parsed):
        theme = themes.get(row.theme.casefold())
        if theme is None:
            theme = themes[row.theme.casefold()] = Theme.objects.create(
                assessment=assessment, name=row.theme, order=len(themes)
            )
        risk = risks.get(row.risk.casefold())
        if risk is None:
            risk = Risk(assessment=assessment, theme=theme, name=row.risk, order=order)
            created += 1
        risk.theme, risk.order = theme, order
        if row.description:
            risk.description = row.description
        # Through the service, so a carried-forward risk given new substance becomes "changed".
        linked = [by_name[c.casefold()] for c in row.categories] if row.categories else None
        risk_save(risk=risk, indicators=linked)
    return ImportOutcome(
        "register",
        len(parsed),
        [f"Imported {len(parsed)} risks in {len(themes)} themes ({created} new)."],
    )


def _write_records(*, partnership, assessment, parsed: RecordAggregate, dataset) -> ImportOutcome:
    resolve = _indicator_resolver(partnership)
    months = {month for (_, month, _, _) in parsed.counts}
    RecordCount.objects.filter(partnership=partnership, dataset=dataset, month__in=months).delete()
    rows = []
    for (category, month, area, flag), count in parsed.counts.items():
        rows.append(
            RecordCount(
                partnership=partnership,
                dataset=dataset,
                indicator=resolve(category),
                period=period_for_month(month),
                month=month,
                lsoa_code=area,
                flag=flag,
                count=count,
            )
        )
    RecordCount.objects.bulk_create(rows, batch_size=5000)
    periods = sorted({period_for_month(m) for m in months})
    _refresh_record_totals(partnership, periods)
    return ImportOutcome(
        "records",
        parsed.rows,
        [
            f"Counted {parsed.rows:,} records from {len(parsed.files)} file(s) into "
            f"{len(rows):,} totals by category, month and area, for {', '.join(periods)}."
        ],
    )


def _refresh_record_totals(partnership: Partnership, periods: list[str]) -> None:
    """Yearly indicator values from record-level counts; a summary table's figures win."""
    area = partnership_area(partnership)
    totals: dict[tuple[int, str], int] = defaultdict(int)
    flagged: dict[tuple[str, str], int] = defaultdict(int)
    names: dict[int, str] = {}
    for indicator_id, name, period, flag, count in RecordCount.objects.filter(
        partnership=partnership, period__in=periods
    ).values_list("indicator_id", "indicator__name", "period", "flag", "count"):
        names[indicator_id] = name
        if flag:
            flagged[(flag, period)] += count
        else:
            totals[(indicator_id, period)] += count
    all_crime: dict[str, int] = defaultdict(int)
    for (indicator_id, period), count in totals.items():
        if not is_asb(names[indicator_id]):
            all_crime[period] += count
    resolve = _indicator_resolver(partnership)
    values = list(totals.items())
    values += [((resolve(ALL_CRIME).id, period), count) for period, count in all_crime.items()]
    values += [((resolve(flag).id, period), count) for (flag, period), count in flagged.items()]
    official = set(
        IndicatorValue.objects.filter(area=area, period__in=periods)
        .exclude(source="records")
        .values_list("indicator_id", "period")
    )
    for (indicator_id, period), count in values:
        if (indicator_id, period) in official:
            continue
        IndicatorValue.objects.update_or_create(
            indicator_id=indicator_id,
            area=area,
            period=period,
            defaults={"value": count, "source": "records"},
        )


WRITERS = {
    "summary": _write_summary,
    "population": _write_population,
    "lookup": _write_lookup,
    "indicators": _write_indicators,
    "register": _write_register,
    "records": _write_records,
}

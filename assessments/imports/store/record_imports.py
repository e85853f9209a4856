"""Record-level imports: which files to read (presets), under which dataset name, and the
fast write of their counts.

A dataset is one source of records (`police-uk`, a local crime extract…). Re-importing a
dataset's months replaces them; other datasets are never touched. Counts from different
datasets are never added together: each figure comes from one dataset (see `record_totals`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.db import connection
from django.utils import timezone

from assessments.imports.parse import (
    POLICE_UK,
    ColumnMapping,
    ImportFailed,
    ImportProblem,
    RecordAggregate,
    Skipped,
    aggregate_records,
    collect_police_uk_files,
    collect_police_uk_uploads,
)
from assessments.imports.parse.problems import plural
from assessments.imports.parse.record_sources import Source
from assessments.imports.store.labels import category_order, indicator_resolver
from assessments.imports.store.outcome import ImportOutcome
from assessments.imports.store.period_locks import PeriodLocks
from assessments.imports.store.record_totals import record_totals_refresh
from assessments.models import LsoaNeighbourhood, Partnership, RecordCount, RecordMonth
from assessments.periods import (
    describe_months,
    period_for_month,
    period_start_year,
    previous_period,
)

POLICE_UK_PRESET = "police-uk"
DATASET_MAX = 40
#: Flags are stored under the flag column's name (RecordCount.flag).
FLAG_MAX = 60
_DATASET_CHARACTERS = re.compile(r"[^\w\s.&()'-]+")


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
        "data.police.uk street-level files", POLICE_UK, street_files_only=True
    ),
}


@dataclass
class RecordsRead:
    """What was read: the counts, the mapping used and the files skipped (with reasons)."""

    aggregate: RecordAggregate
    mapping: ColumnMapping
    skipped: list[Skipped] = field(default_factory=list)


def dataset_default(preset: str | None, names: Sequence[str]) -> str:
    """A dataset's name when none is given: the preset's, else the first file's name."""
    if preset:
        return preset
    stem = PurePosixPath(names[0].replace("\\", "/")).stem if names else ""
    return dataset_clean(stem or "records")


def dataset_clean(name: str) -> str:
    """A dataset name as stored: spaces collapsed, odd characters dropped, at most 40 long."""
    cleaned = " ".join(_DATASET_CHARACTERS.sub(" ", name).split())[:DATASET_MAX].strip()
    return cleaned or "records"


def records_read(
    *,
    files: Sequence[Source],
    paths: Sequence[Path],
    preset: str | None,
    mapping: ColumnMapping | None,
    limit: int,
    progress: Callable[[int], None] | None,
    latest_month: str,
) -> RecordsRead:
    """Find the files to read and count their records; ImportFailed on any problem."""
    if preset is not None and preset not in PRESETS:
        raise ImportFailed([ImportProblem(None, None, f"{preset!r} is not a known format")])
    chosen = PRESETS.get(preset) if preset else None
    if chosen is None and mapping is None:
        raise ImportFailed(
            [ImportProblem(None, None, "Say which columns hold the month and the category.")]
        )
    used = chosen.mapping if chosen is not None else mapping
    assert used is not None
    long_flags = [flag for flag in used.flags if len(flag) > FLAG_MAX]
    if long_flags:
        raise ImportFailed(
            [
                ImportProblem(None, flag, f"a flag column's name may be at most {FLAG_MAX} long")
                for flag in long_flags
            ]
        )
    skipped: list[Skipped] = []
    if chosen is not None and chosen.street_files_only:
        if paths:  # of any size; a ZIP's members may expand to the default limit
            sources, skipped = collect_police_uk_files(paths)
        else:
            sources, skipped = collect_police_uk_uploads(files, max_bytes=limit)  # type: ignore[arg-type]
    elif paths:
        sources = [(str(path), _opener(path)) for path in _table_files(paths)]
    else:
        sources = list(files)
    aggregate = aggregate_records(
        sources, used, max_bytes=limit, progress=progress, latest_month=latest_month
    )
    return RecordsRead(aggregate, used, skipped)


def _opener(path: Path) -> Callable[[], BinaryIO]:
    return lambda: path.open("rb")


def _table_files(paths: Iterable[Path]) -> list[Path]:
    """Folders become the CSV and XLSX files inside them."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in {".csv", ".xlsx", ".xlsm"}
            )
        else:
            files.append(path)
    return files


def _months_by_period(aggregate: RecordAggregate) -> dict[str, set[str]]:
    by_period: dict[str, set[str]] = defaultdict(set)
    for month in {month for _, month, _, _ in aggregate.counts}:
        by_period[period_for_month(month)].add(month)
    return by_period


def records_check_unlocked(read: RecordsRead, locks: PeriodLocks) -> None:
    """Refuse months that published assessments' figures are counted from."""
    by_period = _months_by_period(read.aggregate)
    problems = [
        ImportProblem(
            None,
            read.mapping.month,
            f"{describe_months(months)} belong{'s' if len(months) == 1 else ''} to {period}: "
            f"{locks.reason(period)}; nothing was imported",
        )
        for period, months in sorted(by_period.items())
        if locks.record_lock(period)
    ]
    if problems:
        raise ImportFailed(problems)


def records_check_period(read: RecordsRead, period: str, *, earlier_years: bool) -> None:
    """Refuse months outside the period and its two earlier years (its seasonal average),
    unless `earlier_years` confirms the earlier ones are for the trend; later ones always."""
    start = period_start_year(period)
    wanted = {period, previous_period(period), previous_period(previous_period(period))}
    problems = []
    for other, months in sorted(_months_by_period(read.aggregate).items()):
        if other in wanted:
            continue
        later = period_start_year(other) > start
        if later:
            problems.append(
                ImportProblem(
                    None,
                    read.mapping.month,
                    f"{describe_months(months)} belong{'s' if len(months) == 1 else ''} to "
                    f"{other}, after {period}: import them into the {other} assessment; "
                    "nothing was imported",
                )
            )
        elif not earlier_years:
            problems.append(
                ImportProblem(
                    None,
                    read.mapping.month,
                    f"{describe_months(months)} belong{'s' if len(months) == 1 else ''} to "
                    f"{other}, before {period} and the two years before it; if these are for "
                    "earlier years' trend, confirm so and import again; nothing was imported",
                )
            )
    if problems:
        raise ImportFailed(problems)


def records_write(
    *, partnership: Partnership, read: RecordsRead, dataset: str, locks: PeriodLocks
) -> ImportOutcome:
    """Replace the dataset's months with the new counts, then recount the yearly figures."""
    parsed = read.aggregate
    resolve = indicator_resolver(partnership)
    categories = {category for category, _, _, _ in parsed.counts}
    indicator_ids = {label: resolve(label).id for label in category_order(categories)}
    months = sorted({month for _, month, _, _ in parsed.counts})
    periods = {month: period_for_month(month) for month in months}
    RecordCount.objects.filter(partnership=partnership, dataset=dataset, month__in=months).delete()
    RecordMonth.objects.filter(partnership=partnership, dataset=dataset, month__in=months).delete()
    partnership_id = partnership.id
    rows = [
        (partnership_id, dataset, indicator_ids[category], periods[month], month, area, flag, n)
        for (category, month, area, flag), n in parsed.counts.items()
    ]
    _record_counts_insert(rows)
    per_month: Counter = Counter()
    for (_, month, _, flag), count in parsed.counts.items():
        if not flag:
            per_month[month] += count
    now = timezone.now()
    RecordMonth.objects.bulk_create(
        RecordMonth(
            partnership=partnership,
            dataset=dataset,
            month=month,
            period=periods[month],
            imported_at=now,
            records=per_month[month],
        )
        for month in months
    )
    record_totals_refresh(partnership=partnership, periods=set(periods.values()), locks=locks)
    return ImportOutcome(
        "records", parsed.rows, _records_messages(partnership, read, dataset, rows)
    )


def _records_messages(partnership: Partnership, read: RecordsRead, dataset: str, rows) -> list:
    parsed = read.aggregate
    by_period = _months_by_period(parsed)
    coverage = "; ".join(
        f"{period}: {describe_months(months)}"
        + (f" ({len(months)} of 12 months)" if len(months) < 12 else " (the whole year)")
        for period, months in sorted(by_period.items())
    )
    messages = [
        f"Counted {parsed.rows:,} records from {plural(len(parsed.files), 'file')} into "
        f"{len(rows):,} totals by category, month and area, as the dataset “{dataset}”. "
        f"Months: {coverage}."
    ]
    area = partnership.area_name
    lookup = set(
        LsoaNeighbourhood.objects.filter(partnership=partnership).values_list(
            "lsoa_code", flat=True
        )
    )
    if not read.mapping.area:
        messages.append(
            f"The files have no area column, so all {parsed.rows:,} records count toward "
            f"{area}'s figures."
        )
    elif not lookup:
        messages.append(
            f"{area} has no LSOA look-up yet, so all {parsed.rows:,} records count toward its "
            "figures, wherever they are: import a look-up (lsoa_code, neighbourhood) to count "
            f"only {area}'s area."
        )
    else:
        outside = no_location = 0
        for (_, _, lsoa, flag), count in parsed.counts.items():
            if flag:
                continue
            if not lsoa:
                no_location += count
            elif lsoa not in lookup:
                outside += count
        inside = parsed.rows - outside
        messages.append(
            f"{inside:,} records are in {area}'s area (its LSOA look-up, and "
            f"{no_location:,} with no location); {outside:,} in other LSOAs are outside it and "
            "are not counted."
        )
    if read.skipped:
        messages.append(
            f"Skipped {plural(len(read.skipped), 'file')}: "
            + ", ".join(str(entry) for entry in read.skipped)
            + "."
        )
    return messages


RECORD_COUNT_FIELDS = (
    "partnership",
    "dataset",
    "indicator",
    "period",
    "month",
    "lsoa_code",
    "flag",
    "count",
)


def _record_counts_insert(rows: list[tuple]) -> None:
    """Insert many RecordCount rows in one statement stream: COPY on PostgreSQL, executemany
    elsewhere (bulk_create would build a model instance and a batch of SQL per ~100 rows)."""
    if not rows:
        return
    meta = RecordCount._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(quote(meta.get_field(name).column) for name in RECORD_COUNT_FIELDS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(RECORD_COUNT_FIELDS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)

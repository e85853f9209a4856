"""`data_import`: the one entry point of every data import, from the web and the command."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from assessments.imports.parse import (
    ColumnMapping,
    ImportFailed,
    ImportProblem,
    parse_indicators,
    parse_lookup,
    parse_mappings,
    parse_population,
    parse_register,
    parse_summary,
    read_table,
)
from assessments.imports.store import record_imports, table_writes
from assessments.imports.store.outcome import ImportOutcome
from assessments.imports.store.period_locks import period_locks
from assessments.models import Assessment, ImportRun, Partnership
from assessments.services import assessment_ensure_editable

KINDS = {
    "summary": "Summary table (period, category, count, MSG rate per 1,000, rate basis)",
    "records": "Record-level file(s), e.g. data.police.uk street-level CSVs or a ZIP of them",
    "population": "Population (area, period, population, households)",
    "lookup": "LSOA to neighbourhood look-up (lsoa_code, neighbourhood)",
    "indicators": "Other statistics (indicator, period, value, unit, comparator, …)",
    "register": "Risk register (theme, risk, description, categories)",
    "mappings": "Category mapping (source_label, indicator), for record-level files",
}
PARSERS = {
    "summary": parse_summary,
    "population": parse_population,
    "lookup": parse_lookup,
    "indicators": parse_indicators,
    "register": parse_register,
    "mappings": parse_mappings,
}
WRITERS = {
    "summary": table_writes.summary_write,
    "population": table_writes.population_write,
    "lookup": table_writes.lookup_write,
    "indicators": table_writes.indicators_write,
    "register": table_writes.register_write,
    "mappings": table_writes.mappings_write,
}


#: Files on disk (the command line) may be of any size: the upload limit is for uploads. A
#: table is still bounded by its rows and cells (`parse.limits`), a ZIP by what it expands to.
DISK_MAX_BYTES = 1 << 62


def max_upload_bytes() -> int:
    return settings.UPLOAD_MAX_MB * 1024 * 1024


def data_import(
    *,
    partnership: Partnership,
    period: str,
    kind: str,
    files: Sequence[tuple[str, BinaryIO]] = (),
    paths: Sequence[Path | str] = (),
    user=None,
    preset: str | None = None,
    mapping: ColumnMapping | None = None,
    dataset: str | None = None,
    progress: Callable[[int], None] | None = None,
    log: bool = True,
    earlier_years: bool = False,
) -> ImportOutcome:
    """Import uploaded `files` (name, stream) or files on disk (`paths`; for record-level
    data also folders and ZIPs) of `kind` for the partnership's `period` assessment, which is
    created if new. Raises ImportFailed (nothing written) or AssessmentLocked.

    Record months outside the period and its two earlier years are refused unless
    `earlier_years` confirms they are for the trend (later ones always are)."""
    if kind not in KINDS:
        raise ImportFailed([ImportProblem(None, None, f"{kind!r} is not a kind of import")])
    paths = [Path(path) for path in paths]
    if not files and not paths:
        raise ImportFailed([ImportProblem(None, None, "Choose a file to import.")])
    existing = Assessment.objects.filter(partnership=partnership, period=period).first()
    if existing is not None:
        assessment_ensure_editable(existing)
    limit = max_upload_bytes() if files else DISK_MAX_BYTES
    names = [name for name, _ in files] or [str(path) for path in paths]
    locks = period_locks(partnership)
    if kind == "records":
        read = record_imports.records_read(
            files=files,
            paths=paths,
            preset=preset,
            mapping=mapping,
            limit=limit,
            progress=progress,
            latest_month=timezone.localdate().strftime("%Y-%m"),
        )
        record_imports.records_check_unlocked(read, locks)
        record_imports.records_check_period(read, period, earlier_years=earlier_years)
        name = (
            record_imports.dataset_clean(dataset)
            if dataset
            else record_imports.dataset_default(preset, names)
        )
        with transaction.atomic():
            assessment, _ = Assessment.objects.get_or_create(partnership=partnership, period=period)
            outcome = record_imports.records_write(
                partnership=partnership, read=read, dataset=name, locks=locks
            )
            if log:
                _log_run(partnership, assessment, kind, names, outcome, user)
        return outcome

    if len(files) + len(paths) != 1:
        raise ImportFailed([ImportProblem(None, None, "This kind of import takes one file.")])
    if paths:
        if paths[0].is_dir():
            raise ImportFailed(
                [ImportProblem(None, None, f"{paths[0]} is a folder; choose one file.")]
            )
        with paths[0].open("rb") as data:  # rows are read as they are parsed
            table = read_table(data, paths[0].name, max_bytes=limit)
            parsed = PARSERS[kind](table)
    else:
        table = read_table(files[0][1], files[0][0], max_bytes=limit)
        parsed = PARSERS[kind](table)
    source = dataset or table.filename
    with transaction.atomic():
        assessment, _ = Assessment.objects.get_or_create(partnership=partnership, period=period)
        outcome = WRITERS[kind](
            partnership=partnership,
            assessment=assessment,
            parsed=parsed,
            source=source[:100],
            locks=locks,
        )
        if log:
            _log_run(partnership, assessment, kind, names, outcome, user)
    return outcome


def _log_run(partnership, assessment, kind, names, outcome, user) -> None:
    ImportRun.objects.create(
        partnership=partnership,
        assessment=assessment,
        kind=kind,
        filename=", ".join(names)[:255],
        rows=outcome.rows,
        summary=str(outcome),
        imported_by=user if getattr(user, "is_authenticated", False) else None,
    )

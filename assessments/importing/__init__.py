"""Data imports: validate everything first, then write it in one transaction.

`data_import()` is what the upload page and `manage.py import_data` call. Parsing lives in the
pure `assessments.imports` package; this package adds the checks that need the database
(published periods, known indicators) and the writes. On any problem it raises `ImportFailed`
listing every problem and writes nothing. Re-importing replaces; it never doubles.

- `core`: `data_import`, the kinds of import and what an import reports;
- `tables`: summary, population, look-up, other statistics and register files;
- `records`: record-level files (presets, datasets, the fast write of their counts);
- `totals`: the yearly figures counted from record-level data;
- `locks`: which periods published assessments show, so that no import changes them.
"""

from assessments.importing.core import KINDS, ImportOutcome, data_import, max_upload_bytes
from assessments.importing.records import (
    POLICE_UK_PRESET,
    PRESETS,
    RecordPreset,
    dataset_default,
)

__all__ = [
    "KINDS",
    "POLICE_UK_PRESET",
    "PRESETS",
    "ImportOutcome",
    "RecordPreset",
    "data_import",
    "dataset_default",
    "max_upload_bytes",
]

"""The store half of every import: check against the database, then write in one transaction.

`data_import()` is what the upload page and `manage.py import_data` call. Parsing lives in the
pure `assessments.imports.parse`; this half adds the checks that need the database
(published periods, known indicators) and the writes. On any problem it raises `ImportFailed`
listing every problem and writes nothing. Re-importing replaces; it never doubles.

- `importer`: `data_import`, the kinds of import, one transaction each;
- `outcome`: what an import reports to the person who ran it;
- `table_writes`: summary, population, look-up, other statistics, register and mapping files;
- `record_imports`: record-level files (presets, datasets, the fast write of their counts);
- `record_totals`: the yearly figures counted from record-level data;
- `labels`: the indicator a category counts under and the area a name is;
- `period_locks`: which periods published assessments show, so that no import changes them.
"""

from assessments.imports.store.importer import KINDS, data_import, max_upload_bytes
from assessments.imports.store.outcome import ImportOutcome
from assessments.imports.store.record_imports import (
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

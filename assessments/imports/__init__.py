"""Data imports, in two halves: `parse` reads files into validated plain rows (pure Python, no
Django), `store` checks them against the database and writes them in one transaction.

`data_import()` is what the upload page and `manage.py import_data` call; on any problem it
raises `ImportFailed` listing every problem, with row and column, and writes nothing.
This module exports what other modules use. (The offline scoring sheet's parser is
`workshops.sheet.parse`.)
"""

from assessments.imports.parse import (
    ColumnMapping,
    ImportFailed,
    ImportProblem,
    parse_register,
    read_table,
)

#: The store half needs Django's models, so its names are imported when first asked for:
#: the parse half (and its tests) can then run without Django.
_FROM_STORE = frozenset(
    {
        "KINDS",
        "POLICE_UK_PRESET",
        "PRESETS",
        "ImportOutcome",
        "RecordPreset",
        "data_import",
        "max_upload_bytes",
    }
)


def __getattr__(name: str) -> object:
    """The store's names, imported on first use (PEP 562)."""
    if name in _FROM_STORE:
        from assessments.imports import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "KINDS",
    "POLICE_UK_PRESET",
    "PRESETS",
    "ColumnMapping",
    "ImportFailed",
    "ImportOutcome",
    "ImportProblem",
    "RecordPreset",
    "data_import",
    "max_upload_bytes",
    "parse_register",
    "read_table",
]

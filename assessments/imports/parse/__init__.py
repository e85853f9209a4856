"""Turning uploaded files into validated plain rows, or one ImportFailed naming every problem.

Pure Python: no Django, no database. The store half (`assessments.imports.store`) writes the
rows in one transaction and reports its own checks (unknown risks and the like) as
ImportProblems too.

    table = read_table(upload, "crime-summary.csv", max_bytes=10 * 1024 * 1024)
    rows = parse_summary(table)          # or parse_population, parse_lookup, ...

    sources, skipped = collect_police_uk_files([Path("download.zip")])
    aggregate = aggregate_records(sources, POLICE_UK, max_bytes=2 * 1024**3)

- `problems`: ImportProblem, ImportFailed and the collector every parser reports into;
- `files`: reading bytes (CSV or XLSX, safely) into a Table;
- `columns`: checking a table's header, and reading its rows cell by cell;
- `values`: reading one cell (whole numbers, decimals, names);
- `summary`, `population`, `lookup`, `indicators`, `register`, `mappings`, `invitees`: one
  parser a kind;
- `record_counts` (with `record_columns`, `record_sources`, `record_engine`,
  `record_exact_pass`): counting record-level files by category, month, area and flag;
- `police_uk`: finding data.police.uk street-level files in files, folders and ZIPs;
- `archives`: refusing zip bombs before anything is decompressed.
"""

from .columns import require_columns
from .files import Table, normalise_header, read_table
from .indicators import IndicatorRow, parse_indicators
from .invitees import PersonRow, parse_people
from .lookup import LookupRow, parse_lookup
from .mappings import MappingRow, parse_mappings
from .police_uk import (
    POLICE_UK,
    Skipped,
    aggregate_police_uk,
    collect_police_uk_files,
    collect_police_uk_upload,
    collect_police_uk_uploads,
    is_street_file,
)
from .population import PopulationRow, parse_population
from .problems import MAX_PROBLEMS, ImportFailed, ImportProblem
from .record_columns import ColumnMapping
from .record_counts import RecordAggregate, aggregate_records
from .register import RegisterRow, parse_register
from .summary import SummaryRow, parse_summary

__all__ = [
    "MAX_PROBLEMS",
    "POLICE_UK",
    "ColumnMapping",
    "ImportFailed",
    "ImportProblem",
    "IndicatorRow",
    "LookupRow",
    "MappingRow",
    "PersonRow",
    "PopulationRow",
    "RecordAggregate",
    "RegisterRow",
    "Skipped",
    "SummaryRow",
    "Table",
    "aggregate_police_uk",
    "aggregate_records",
    "collect_police_uk_files",
    "collect_police_uk_upload",
    "collect_police_uk_uploads",
    "is_street_file",
    "normalise_header",
    "parse_indicators",
    "parse_lookup",
    "parse_mappings",
    "parse_people",
    "parse_population",
    "parse_register",
    "parse_summary",
    "read_table",
    "require_columns",
]

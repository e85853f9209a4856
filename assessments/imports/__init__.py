"""Turning uploaded files into validated plain rows, or one ImportFailed naming every problem.

Pure Python: no Django, no database. The import services write the rows in one transaction
and report their own checks (unknown risks and the like) as ImportProblems too.

    table = read_table(upload, "crime-summary.csv", max_bytes=10 * 1024 * 1024)
    rows = parse_summary(table)          # or parse_population, parse_lookup, ...

    sources, skipped = collect_police_uk_files([Path("download.zip")])
    aggregate = aggregate_records(sources, POLICE_UK, max_bytes=2 * 1024**3)
"""

from assessments.periods import parse_month, parse_period, period_start_year

from .lookup import LookupRow, parse_lookup
from .police_uk import (
    Skipped,
    aggregate_police_uk,
    collect_police_uk_files,
    collect_police_uk_upload,
    collect_police_uk_uploads,
    is_street_file,
)
from .population import PopulationRow, parse_population
from .problems import MAX_PROBLEMS, ImportFailed, ImportProblem
from .records import POLICE_UK, ColumnMapping, RecordAggregate, aggregate_records
from .register import RegisterRow, parse_register
from .summary import SummaryRow, parse_summary
from .tables import Table, normalise_header, read_table, require_columns

__all__ = [
    "MAX_PROBLEMS",
    "POLICE_UK",
    "ColumnMapping",
    "ImportFailed",
    "ImportProblem",
    "LookupRow",
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
    "parse_lookup",
    "parse_month",
    "parse_period",
    "parse_population",
    "parse_register",
    "parse_summary",
    "period_start_year",
    "read_table",
    "require_columns",
]

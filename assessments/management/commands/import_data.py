"""`manage.py import_data PATH --partnership SLUG --period PERIOD --kind KIND`."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.importing import KINDS, PRESETS, data_import
from assessments.imports import ColumnMapping, ImportFailed, parse_period
from assessments.models import Partnership
from assessments.services import AssessmentLocked


class Command(BaseCommand):
    help = "Import a data file (CSV or XLSX; records also a ZIP or a folder) into an assessment."

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--partnership", required=True, help="the partnership's slug")
        parser.add_argument("--period", required=True, help="e.g. 2019/20")
        parser.add_argument("--kind", required=True, choices=sorted(KINDS))
        parser.add_argument("--preset", choices=sorted(PRESETS), help="for --kind records")
        parser.add_argument("--month-column", help="records: the month or date column")
        parser.add_argument("--category-column", help="records: the category column")
        parser.add_argument("--area-column", help="records: the LSOA code column")
        parser.add_argument("--flag-column", action="append", default=[], help="records: flag")
        parser.add_argument("--dataset", help="records: a name for this source (default: preset)")

    def handle(self, *args, **options) -> None:
        try:
            period = parse_period(options["period"])
        except ValueError as error:
            raise CommandError(f"--period: {error}") from None
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"No partnership with the slug {options['partnership']!r}.")
        paths = [Path(p) for p in options["paths"]]
        for path in paths:
            if not path.exists():
                raise CommandError(f"{path}: no such file or folder.")
        mapping = None
        if options["kind"] == "records" and not options["preset"]:
            if not (options["month_column"] and options["category_column"]):
                raise CommandError(
                    "--kind records needs --preset police-uk or --month-column and "
                    "--category-column."
                )
            mapping = ColumnMapping(
                month=options["month_column"],
                category=options["category_column"],
                area=options["area_column"],
                flags=tuple(options["flag_column"]),
            )
        with ExitStack() as stack:
            files = [
                (str(file), stack.enter_context(file.open("rb")))
                for file in _expand(paths, options["kind"])
            ]
            try:
                outcome = data_import(
                    partnership=partnership,
                    period=period,
                    kind=options["kind"],
                    files=files,
                    preset=options["preset"],
                    mapping=mapping,
                    dataset=options["dataset"],
                )
            except ImportFailed as failure:
                raise CommandError(f"Nothing was imported.\n{failure}") from None
            except AssessmentLocked as locked:
                raise CommandError(str(locked)) from None
        self.stdout.write(self.style.SUCCESS(str(outcome)))


def _expand(paths: list[Path], kind: str) -> list[Path]:
    """Folders become the CSV, XLSX and ZIP files inside them (records only)."""
    files = []
    for path in paths:
        if path.is_dir():
            if kind != "records":
                raise CommandError(f"{path} is a folder; only --kind records reads folders.")
            files += sorted(
                p for p in path.rglob("*") if p.suffix.lower() in {".csv", ".zip", ".xlsx"}
            )
        else:
            files.append(path)
    return files

"""`manage.py import_data PATH --partnership SLUG --period PERIOD --kind KIND`, and
`manage.py import_data people.csv --partnership SLUG --kind people` (people belong to the
partnership, so no period)."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.imports import KINDS, PRESETS, ColumnMapping, ImportFailed, data_import
from assessments.imports.parse import is_street_file
from assessments.imports.store.people_import import people_import
from assessments.models import Partnership
from assessments.periods import DATE_FORMATS, date_format_named, parse_period
from assessments.services import AssessmentLocked

#: Progress goes to stderr for imports larger than this, about every PROGRESS_SECONDS.
PROGRESS_FROM_BYTES = 20 * 1024 * 1024
PROGRESS_SECONDS = 2.0
PEOPLE = "people"


class Command(BaseCommand):
    help = "Import a data file (CSV or XLSX; records also a ZIP or a folder) into an assessment."
    # The system checks import every URLconf and so every view, the PDF and spreadsheet
    # libraries with them: seconds spent before a record is counted. `manage.py check` (and
    # every other command, the server's included) still runs them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--partnership", required=True, help="the partnership's slug")
        parser.add_argument("--period", help="e.g. 2019/20 (every kind but people)")
        parser.add_argument("--kind", required=True, choices=sorted([*KINDS, PEOPLE]))
        parser.add_argument("--preset", choices=sorted(PRESETS), help="for --kind records")
        parser.add_argument("--month-column", help="records: the month or date column")
        parser.add_argument("--category-column", help="records: the category column")
        parser.add_argument("--area-column", help="records: the LSOA code column")
        parser.add_argument("--flag-column", action="append", default=[], help="records: flag")
        parser.add_argument(
            "--date-format",
            default="auto",
            help="records: how the month column writes dates: "
            + "; ".join(f"{name!r} = {label}" for name, (_, label) in DATE_FORMATS.items()),
        )
        parser.add_argument(
            "--dataset",
            help="records: a name for this source (default: the preset's name, else the first "
            "file's name); re-importing a dataset's months replaces them",
        )
        parser.add_argument(
            "--earlier-years",
            action="store_true",
            help="records: months before the period and its two earlier years are for the trend",
        )
        parser.add_argument(
            "--quiet-progress", action="store_true", help="do not report progress on stderr"
        )

    def handle(self, *args, **options) -> None:
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"No partnership with the slug {options['partnership']!r}.")
        if options["kind"] == PEOPLE:
            return self._people(partnership, options)
        if not options["period"]:
            raise CommandError(f"--kind {options['kind']} needs --period, e.g. 2019/20.")
        try:
            period = parse_period(options["period"])
        except ValueError as error:
            raise CommandError(f"--period: {error}") from None
        paths = [Path(p) for p in options["paths"]]
        for path in paths:
            if not path.exists():
                raise CommandError(f"{path}: no such file or folder.")
            if path.is_dir() and options["kind"] != "records":
                raise CommandError(f"{path} is a folder; only --kind records reads folders.")
        mapping = None
        if options["kind"] == "records" and not options["preset"]:
            if not (options["month_column"] and options["category_column"]):
                raise CommandError(
                    "--kind records needs --preset police-uk or --month-column and "
                    "--category-column."
                )
            try:
                date_format = date_format_named(options["date_format"])
            except ValueError as error:
                raise CommandError(f"--date-format: {error}") from None
            mapping = ColumnMapping(
                month=options["month_column"],
                category=options["category_column"],
                area=options["area_column"],
                flags=tuple(options["flag_column"]),
                date_format=date_format,
            )
        progress = None
        if options["kind"] == "records" and not options["quiet_progress"]:
            progress = self._progress(_size(paths))
        try:
            outcome = data_import(
                partnership=partnership,
                period=period,
                kind=options["kind"],
                paths=paths,
                preset=options["preset"],
                mapping=mapping,
                dataset=options["dataset"],
                progress=progress,
                earlier_years=options["earlier_years"],
            )
        except ImportFailed as failure:
            raise CommandError(str(failure)) from None
        except AssessmentLocked as locked:
            raise CommandError(str(locked)) from None
        self.stdout.write(self.style.SUCCESS(str(outcome)))

    def _people(self, partnership: Partnership, options: dict) -> None:
        """Invite everyone in one file, emailing each their link (WORKBENCH_SITE_URL)."""
        if options["period"]:
            raise CommandError("--kind people takes no --period: people belong to the partnership.")
        if len(options["paths"]) != 1 or not Path(options["paths"][0]).is_file():
            raise CommandError("--kind people reads one CSV or XLSX file.")
        path = Path(options["paths"][0])
        try:
            with path.open("rb") as stream:
                sent = people_import(partnership=partnership, filename=path.name, stream=stream)
        except ImportFailed as failure:
            raise CommandError(str(failure)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Invited {len(sent)} {'person' if len(sent) == 1 else 'people'}:")
        )
        for one in sent:
            self.stdout.write(f"{one.invitation.email}\t{one.link}")

    def _progress(self, total: int):
        """A callback printing how much has been read, for files big enough to wait for."""
        if total < PROGRESS_FROM_BYTES:
            return None
        started = time.monotonic()
        last = [started]

        def report(done: int) -> None:
            now = time.monotonic()
            if now - last[0] < PROGRESS_SECONDS and done < total:
                return
            last[0] = now
            percent = min(100, round(done * 100 / total))
            self.stderr.write(
                f"Checking and counting records: {done / 1_048_576:,.0f} of "
                f"{total / 1_048_576:,.0f} MB read ({percent}%), {now - started:.0f} s",
                style_func=lambda text: text,
            )

        return report


def _size(paths: list[Path]) -> int:
    """About how many bytes the import will read: files' sizes, ZIPs' street files unzipped."""
    total = 0
    for path in paths:
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if not file.is_file():
                continue
            if zipfile.is_zipfile(file) and not file.suffix.lower().startswith(".xls"):
                with zipfile.ZipFile(file) as archive:
                    total += sum(
                        info.file_size
                        for info in archive.infolist()
                        if is_street_file(info.filename)
                    )
            else:
                total += file.stat().st_size
    return total

"""`manage.py export_assessment --partnership SLUG --period PERIOD --format FMT --output PATH`."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports import files
from reports.snapshot import current_snapshot
from workshops.management.commands.import_scores import assessment_from_options

FORMATS = ("json", "csv", "xlsx", "pdf", "docx")


class Command(BaseCommand):
    help = (
        "Export an assessment as JSON (workbench-assessment/1), CSV, XLSX or a PDF report; "
        "a published assessment exactly as it was published."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnership", required=True, help="the partnership's slug")
        parser.add_argument("--period", required=True, help="the period, like 2019/20")
        parser.add_argument("--format", choices=FORMATS, default="json", dest="format")
        parser.add_argument("--output", default="-", help="file to write; '-' for stdout")

    def handle(self, *args, partnership: str, period: str, format: str, output: str, **options):
        assessment = assessment_from_options(partnership, period)
        body, _ = files.export_file(current_snapshot(assessment), format)
        if output == "-":
            self.stdout.flush()
            sys.stdout.buffer.write(body)
            return
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(f"{output}: the folder {target.parent} does not exist")
        # Write beside the target then rename, so a reader never sees half a file.
        try:
            fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
            with os.fdopen(fd, "wb") as handle:
                handle.write(body)
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except OSError as error:
            raise CommandError(
                f"{output} could not be written: {error.strerror or error}"
            ) from None
        self.stderr.write(f"Wrote {assessment} ({format}, {len(body):,} bytes) to {output}.")

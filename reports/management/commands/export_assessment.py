"""`manage.py export_assessment --partnership SLUG --period PERIOD --format FMT --output PATH`."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Assessment
from assessments.periods import parse_period
from reports import files
from reports.snapshot import export_data

FORMATS = ("json", "csv", "xlsx", "pdf")


class Command(BaseCommand):
    help = "Export an assessment as JSON (workbench-assessment/1), CSV, XLSX or a PDF report."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--partnership", required=True, help="The partnership's slug.")
        parser.add_argument("--period", required=True, help="Like 2019/20.")
        parser.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
        parser.add_argument("--output", required=True, help="The file to write.")

    def handle(self, *args, partnership: str, period: str, fmt: str, output: str, **options):
        try:
            period = parse_period(period)
        except ValueError as error:
            raise CommandError(f"--period: {error}") from error
        assessment = (
            Assessment.objects.select_related("partnership")
            .filter(partnership__slug=partnership, period=period)
            .first()
        )
        if assessment is None:
            raise CommandError(f"No {period} assessment for partnership {partnership!r}.")
        if fmt == "json":
            body: bytes = json.dumps(export_data(assessment), indent=2).encode()
        elif fmt == "csv":
            body = files.assessment_csv(assessment).encode("utf-8")
        elif fmt == "xlsx":
            body = files.assessment_xlsx(assessment)
        else:
            body = files.assessment_pdf(assessment)
        path = Path(output)
        try:
            path.write_bytes(body)
        except OSError as error:
            raise CommandError(f"--output {output}: {error.strerror}") from error
        self.stdout.write(f"Wrote {fmt.upper()} of {assessment} to {path} ({len(body):,} bytes).")

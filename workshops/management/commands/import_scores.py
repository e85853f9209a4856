"""`manage.py import_scores PATH --partnership SLUG --period PERIOD --user USERNAME`: an offline
scoring sheet, recorded in the audit trail as that person's (every change has a who)."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments import access
from assessments.imports import ImportFailed
from assessments.models import Assessment
from assessments.services import AssessmentLocked
from workshops.sheet.apply import score_sheet_import


def assessment_from_options(slug: str, period: str) -> Assessment:
    """The partnership's assessment for the period, or a CommandError saying what is missing."""
    try:
        return Assessment.objects.select_related("partnership").get(
            partnership__slug=slug, period=period.strip()
        )
    except Assessment.DoesNotExist:
        raise CommandError(
            f"There is no {period} assessment for a partnership {slug!r}; "
            "load its register first (import_data --kind register)."
        ) from None


def importer_from_options(username: str, assessment: Assessment):
    """The active member who may pre-score this assessment, or a CommandError saying why not."""
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"There is no active user {username!r}: name who is importing.")
    if not access.can(access.membership_for(user, assessment.partnership), access.PRESCORE):
        raise CommandError(
            f"{username!r} may not import scores for {assessment.partnership}: "
            "name an analyst or admin of the partnership."
        )
    return user


class Command(BaseCommand):
    help = (
        "Import an offline scoring sheet (CSV or XLSX, columns theme,risk,factor,level,"
        "organisation,comment). All rows are imported, or none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the scoring sheet (.csv or .xlsx)")
        parser.add_argument("--partnership", required=True, help="the partnership's slug")
        parser.add_argument("--period", required=True, help="the period, like 2019/20")
        parser.add_argument(
            "--user",
            required=True,
            help="username of the analyst or admin importing; the audit trail names them",
        )

    def handle(self, *args, path: str, partnership: str, period: str, user: str, **options) -> None:
        assessment = assessment_from_options(partnership, period)
        importer = importer_from_options(user, assessment)
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            with file.open("rb") as handle:
                summary = score_sheet_import(
                    assessment=assessment, data=handle, filename=path, user=importer
                )
        except ImportFailed as failed:
            raise CommandError(str(failed)) from None
        except AssessmentLocked as locked:
            raise CommandError(f"{path} was not imported: {locked}") from None
        except OSError as error:
            raise CommandError(f"{path} could not be read: {error.strerror or error}") from None
        self.stdout.write(self.style.SUCCESS(f"Imported {path} into {assessment}: {summary}."))

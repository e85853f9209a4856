"""The offline scoring sheet's pages: download it blank or filled, upload it back."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from assessments import access
from assessments.imports import ImportFailed
from assessments.models import Organisation
from assessments.services import AssessmentLocked, assessment_spec
from workshops.sheet.apply import score_sheet_import
from workshops.sheet.write import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    sheet_csv,
    sheet_rows,
    sheet_xlsx,
)

SHEET_FORMATS = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def scoring_sheet_download(
    request: HttpRequest, partnership: str, period: str, fmt: str
) -> HttpResponse:
    """Every risk × factor; `?filled=1` includes the current analyst and agreed levels."""
    assessment, _ = access.assessment_for(request.user, partnership, period, access.PRESCORE)
    if fmt not in SHEET_FORMATS:
        raise Http404("No such format.")
    filled = request.GET.get("filled") == "1"
    spec = assessment_spec(assessment)
    rows = sheet_rows(assessment, spec, filled=filled)
    if fmt == "csv":
        content = sheet_csv(rows)
    else:
        names = list(
            Organisation.objects.filter(partnership=assessment.partnership).values_list(
                "name", flat=True
            )
        )
        content = sheet_xlsx(rows, spec, names)
    kind = "filled" if filled else "blank"
    name = f"{assessment.partnership.slug}-{assessment.period_slug}-scoring-sheet-{kind}.{fmt}"
    return _attachment(content, SHEET_FORMATS[fmt], name)


class ScoringSheetForm(forms.Form):
    file = forms.FileField(
        label="Scoring sheet (CSV or Excel .xlsx)",
        help_text="Columns theme, risk, factor, level, organisation, comment.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.UPLOAD_MAX_MB
        if upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(f"The file is larger than the {limit} MB limit.")
        return upload


def scoring_sheet_upload(request: HttpRequest, partnership: str, period: str) -> HttpResponse:
    """Upload a filled-in sheet: imported whole, or refused with every problem listed."""
    assessment, membership = access.assessment_for(
        request.user, partnership, period, access.PRESCORE
    )
    form = ScoringSheetForm(request.POST or None, request.FILES or None)
    failure: ImportFailed | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            summary = score_sheet_import(
                assessment=assessment, data=upload, filename=upload.name, user=request.user
            )
        except ImportFailed as failed:
            failure = failed
        except AssessmentLocked as locked:
            form.add_error(None, str(locked))
        else:
            messages.success(request, f"Imported {upload.name}: {summary}.")
            return redirect(assessment.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "workshops/scoring_sheet_upload.html",
        {
            "assessment": assessment,
            "membership": membership,
            "form": form,
            "failure": failure,
            "max_mb": settings.UPLOAD_MAX_MB,
        },
        status=status,
    )

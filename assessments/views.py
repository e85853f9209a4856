"""Pages for partnerships and their assessments."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from assessments import access, evidence, services
from assessments.forms import CategoryMappingForm, CategoryMappingRemoveForm, DataImportForm
from assessments.imports import ImportFailed, data_import
from assessments.services import AssessmentLocked


def home(request: HttpRequest) -> HttpResponse:
    """The user's partnerships and their assessments with status."""
    return render(request, "home.html", {"rows": access.assessments_by_membership(request.user)})


def assessment_detail(request: HttpRequest, partnership: str, period: str) -> HttpResponse:
    """One assessment's overview: where it stands and what the user can do next."""
    assessment, membership = access.assessment_for(request.user, partnership, period)
    return render(
        request,
        "assessments/assessment_detail.html",
        {"assessment": assessment, "membership": membership},
    )


def evidence_overview(request: HttpRequest, partnership: str, period: str) -> HttpResponse:
    """Quick facts, the crime table, neighbourhoods, seasonal pattern and trend."""
    assessment, membership = access.assessment_for(request.user, partnership, period)
    sort = request.GET.get("sort", "")
    descending = request.GET.get("dir") == "desc"
    return render(
        request,
        "assessments/evidence.html",
        {
            "assessment": assessment,
            "membership": membership,
            "evidence": evidence.overview(assessment, sort=sort, descending=descending),
            "sort": sort,
            "descending": descending,
        },
    )


def data_import_view(request: HttpRequest, partnership: str, period: str) -> HttpResponse:
    """Upload a data file; every problem is shown with its row and column, nothing written."""
    assessment, membership = access.assessment_for(
        request.user, partnership, period, access.MANAGE_DATA
    )
    problems: list = []
    problem_file = None
    problem_total = 0
    form = DataImportForm()
    if assessment.is_published:
        messages.error(request, str(AssessmentLocked(assessment)))
    elif request.method == "POST":
        # A body over the upload limit never gets here: UploadSizeLimitMiddleware refuses it.
        form = DataImportForm(request.POST, request.FILES)
        if form.is_valid():
            files = [(f.name, f) for f in form.cleaned_data["files"]]
            try:
                outcome = data_import(
                    partnership=assessment.partnership,
                    period=assessment.period,
                    kind=form.cleaned_data["kind"],
                    files=files,
                    user=request.user,
                    preset=form.cleaned_data.get("preset") or None,
                    mapping=form.mapping(),
                    dataset=form.dataset_name(),
                    earlier_years=form.cleaned_data.get("earlier_years", False),
                )
            except ImportFailed as failure:
                # Listed below under "Nothing was imported", not repeated as a message.
                problems, problem_file = failure.problems, failure.filename
                problem_total = failure.total
            else:
                messages.success(request, str(outcome))
                return redirect("assessments:data_import", partnership=partnership, period=period)
    # This period's imports unless every period's are asked for (?all=1).
    every_period = request.GET.get("all") == "1"
    runs = assessment.partnership.imports.select_related("imported_by", "assessment")
    if not every_period:
        runs = runs.filter(assessment=assessment)
    runs = runs[:20]
    return render(
        request,
        "assessments/data_import.html",
        {
            "assessment": assessment,
            "membership": membership,
            "form": form,
            "problems": problems,
            "problem_file": problem_file,
            "problem_total": problem_total,
            "runs": runs,
            "every_period": every_period,
            "limit_mb": settings.UPLOAD_MAX_MB,
        },
    )


def category_mappings(request: HttpRequest, partnership: str) -> HttpResponse:
    """Which indicator each source label counts under; analysts add and remove mappings."""
    partnership_obj, membership = access.partnership_for(request.user, partnership)
    may_edit = access.can(membership, access.MANAGE_DATA)
    form = CategoryMappingForm(partnership=partnership_obj)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("Only analysts and admins change category mappings.")
        if "remove" in request.POST:
            removal = CategoryMappingRemoveForm(request.POST, partnership=partnership_obj)
            if removal.is_valid():
                removal.cleaned_data["remove"].delete()
                messages.success(request, "Mapping removed. Re-import files for it to take effect.")
            else:
                messages.error(request, "That mapping no longer exists; nothing was removed.")
            return redirect("assessments:category_mappings", partnership=partnership)
        form = CategoryMappingForm(request.POST, partnership=partnership_obj)
        if form.is_valid():
            services.category_mapping_create(
                partnership=partnership_obj,
                source_label=form.cleaned_data["source_label"],
                indicator=form.cleaned_data["indicator"],
                new_indicator=form.cleaned_data["new_indicator"],
            )
            messages.success(request, "Mapping added. Files imported from now on use it.")
            return redirect("assessments:category_mappings", partnership=partnership)
    return render(
        request,
        "assessments/category_mappings.html",
        {
            "partnership": partnership_obj,
            "membership": membership,
            "may_edit": may_edit,
            "form": form,
            "mappings": partnership_obj.category_mappings.select_related("indicator"),
        },
    )

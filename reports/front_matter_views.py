"""The report's front matter: the list of sections and the page that edits one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from assessments import access
from assessments.models import Assessment, Indicator
from reports import services
from reports.document import participants
from reports.figures import FIELDS
from reports.forms import ReportSectionForm
from reports.front_matter import HEADINGS, PURPOSES, SECTIONS, acknowledgements_text
from reports.models import ReportSection


def _list_url(assessment: Assessment) -> str:
    return reverse(
        "reports:front_matter",
        kwargs={"partnership": assessment.partnership.slug, "period": assessment.period_slug},
    )


def front_matter(request: HttpRequest, partnership: str, period: str) -> HttpResponse:
    """Every front-matter section with its state: written, empty, or carried forward."""
    assessment, membership = access.assessment_for(
        request.user, partnership, period, access.VIEW_RESULTS
    )
    stored = {s.key: s for s in ReportSection.objects.filter(assessment=assessment)}
    sections = [
        {"key": key, "heading": heading, "purpose": purpose, "section": stored.get(key)}
        for key, heading, purpose in SECTIONS
    ]
    return render(
        request,
        "reports/front_matter.html",
        {"assessment": assessment, "membership": membership, "sections": sections},
    )


def _draft(assessment: Assessment, key: str) -> str:
    """What the form starts with for a section never saved: acknowledgements are drafted."""
    if key != "acknowledgements":
        return ""
    return acknowledgements_text(
        partnership_name=assessment.partnership.name,
        organisations=assessment.partnership.organisations.values_list("name", flat=True),
        participants=[org.name for org in participants(assessment)],
    )


def front_matter_edit(request: HttpRequest, partnership: str, period: str, key: str):
    """Analysts write one section; saving it marks a carried-forward section reviewed."""
    assessment, membership = access.assessment_for(
        request.user, partnership, period, access.EDIT_NARRATIVE
    )
    if key not in HEADINGS:
        raise Http404("No such section.")
    back = _list_url(assessment)
    if assessment.is_published:
        messages.error(request, str(services.AssessmentLocked(assessment)))
        return redirect(back)
    section = ReportSection.objects.filter(assessment=assessment, key=key).first()
    figure_names = list(
        Indicator.objects.filter(partnership=assessment.partnership)
        .order_by("order", "name")
        .values_list("name", flat=True)
    )
    initial = {"text": section.text if section else _draft(assessment, key)}
    form = ReportSectionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        label=HEADINGS[key],
        figure_names=figure_names,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.report_section_set(
                assessment=assessment, key=key, text=form.cleaned_data["text"], user=request.user
            )
        except services.AssessmentLocked as error:
            messages.error(request, str(error))
            return redirect(back)
        except ValidationError as error:
            form.add_error("text", error.messages)
        else:
            messages.success(request, f"Saved “{HEADINGS[key]}”.")
            return redirect(back)
    return render(
        request,
        "reports/front_matter_edit.html",
        {
            "assessment": assessment,
            "membership": membership,
            "key": key,
            "heading": HEADINGS[key],
            "purpose": PURPOSES[key],
            "section": section,
            "form": form,
            "figure_names": figure_names,
            "figure_fields": FIELDS,
        },
    )

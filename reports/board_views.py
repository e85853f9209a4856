"""Board review: results dashboard, themes, emerging issues, sign-off, versions, exports."""

from __future__ import annotations

import time
from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from assessments import access
from assessments.evidence import indicator_rows
from assessments.models import Assessment, EmergingIssue, Indicator, Risk, Theme
from assessments.periods import previous_period
from assessments.services import AssessmentLocked, risk_set_priority
from reports import files, services
from reports.document import report_document
from reports.figures import FIELDS, figure_gaps
from reports.forms import (
    ApprovalForm,
    EmergingIssueForm,
    NarrativeForm,
    PriorityForm,
    PublishForm,
)
from reports.models import Approval, Publication
from reports.presentation import report_context
from reports.prose import NARRATIVE_HEADINGS
from reports.readiness import publish_readiness
from reports.snapshot import current_snapshot, latest_publication


def _url(name: str, assessment: Assessment, **kwargs) -> str:
    return reverse(
        name,
        kwargs={
            "partnership": assessment.partnership.slug,
            "period": assessment.period_slug,
            **kwargs,
        },
    )


def _locked(request: HttpRequest, error: AssessmentLocked, to: str) -> HttpResponse:
    messages.error(request, str(error))
    return redirect(to)


def _report(assessment: Assessment) -> tuple[dict, Publication | None]:
    """The report document pages show: as published once published, else read fresh."""
    publication = latest_publication(assessment) if assessment.is_published else None
    if publication is not None and "report" in publication.snapshot:
        return publication.snapshot["report"], publication
    return report_document(assessment), publication


def results(request: HttpRequest, partnership: str, period: str) -> HttpResponse:
    """The board's view: risk lists, heat map, theme tables, data and comparison."""
    assessment, membership = access.assessment_for(
        request.user, partnership, period, access.VIEW_RESULTS
    )
    document, publication = _report(assessment)
    context = report_context(document, prefix="results")
    can_prioritise = not assessment.is_published and access.can(membership, access.MARK_PRIORITY)
    context.update(
        {
            "assessment": assessment,
            "membership": membership,
            "publication": publication,
            "can_prioritise": can_prioritise,
        }
    )
    if can_prioritise:
        # Choices from the document's risks, so the form costs no query to render.
        choices = [SimpleNamespace(pk=r["id"], name=r["name"]) for r in document["risks"]]
        context["priority_form"] = PriorityForm(risks=choices)
    return render(request, "reports/results.html", context)


def _theme(assessment: Assessment, theme_id: int) -> Theme:
    return get_object_or_404(Theme, assessment=assessment, pk=theme_id)


def theme_detail(request: HttpRequest, partnership: str, period: str, theme_id: int):
    """One theme: its table in the seed's layout and its narrative."""
    assessment, membership = access.assessment_for(
        request.user, partnership, period, access.VIEW_RESULTS
    )
    document, publication = _report(assessment)
    context = report_context(document, prefix="theme")
    found = next(((t, rows) for t, rows in context["themes"] if t["id"] == theme_id), None)
    if found is None:
        raise Http404("No such theme in this assessment.")
    theme, rows = found
    context.update(
        {
            "assessment": assessment,
            "membership": membership,
            "publication": publication,
            "theme": theme,
            "theme_rows": rows,
        }
    )
    return render(request, "reports/theme.html", context)


def theme_edit(request: HttpRequest, partnership: str, period: str, theme_id: int):
    """Analysts write a theme's narrative."""
    assessment, membership = access.assessment_for(
        request.user, partnership, period, access.EDIT_NARRATIVE
    )
    theme = _theme(assessment, theme_id)
    back = _url("reports:theme", assessment, theme_id=theme.id)
    if assessment.is_published:
        return _locked(request, AssessmentLocked(assessment), back)
    figure_names = list(
        Indicator.objects.filter(partnership=assessment.partnership)
        .order_by("order", "name")
        .values_list("name", flat=True)
    )
    form = NarrativeForm(
        request.POST or None, instance=Theme.objects.get(pk=theme.pk), figure_names=figure_names
    )
    rows = {row.name.casefold(): row for row in indicator_rows(assessment)}
    before = previous_period(assessment.period)
    gaps = [
        (heading, gap)
        for key, heading in NARRATIVE_HEADINGS
        for gap in figure_gaps(
            getattr(theme, key),
            rows,
            period=assessment.period,
            previous_period=before,
            known={name.casefold(): name for name in figure_names},
        )
    ]
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_narrative_set(
                theme=theme,
                values={key: form.cleaned_data[key] for key, _ in NARRATIVE_HEADINGS},
                user=request.user,
            )
        except AssessmentLocked as error:
            return _locked(request, error, back)
        messages.success(request, f"Saved the narrative for {theme.name}.")
        return redirect(back)
    return render(
        request,
        "reports/theme_edit.html",
        {
            "assessment": assessment,
            "membership": membership,
            "theme": theme,
            "form": form,
            "figure_names": figure_names,
            "figure_fields": FIELDS,
            "figure_gaps": gaps,
        },
    )


def emerging_issues(request: HttpRequest, partnership: str, period: str) -> HttpResponse:
    """The list of emerging issues; analysts add one here."""
    capability = access.EDIT_NARRATIVE if request.method == "POST" else access.VIEW_RESULTS
    assessment, membership = access.assessment_for(request.user, partnership, period, capability)
    here = _url("reports:emerging", assessment)
    form = EmergingIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        issue = form.save(commit=False)
        issue.assessment = assessment
        try:
            services.emerging_issue_save(issue=issue)
        except AssessmentLocked as error:
            return _locked(request, error, here)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Added “{issue.title}”.")
            return redirect(here)
    return render(
        request,
        "reports/emerging.html",
        {
            "assessment": assessment,
            "membership": membership,
            "issues": EmergingIssue.objects.filter(assessment=assessment),
            "form": form,
        },
    )


def emerging_issue_edit(request: HttpRequest, partnership: str, period: str, issue_id: int):
    """Analysts edit an emerging issue."""
    assessment, membership = access.assessment_for(
        request.user, partnership, period, access.EDIT_NARRATIVE
    )
    issue = get_object_or_404(EmergingIssue, assessment=assessment, pk=issue_id)
    back = _url("reports:emerging", assessment)
    if assessment.is_published:
        return _locked(request, AssessmentLocked(assessment), back)
    form = EmergingIssueForm(request.POST or None, instance=issue)
    if request.method == "POST" and form.is_valid():
        try:
            services.emerging_issue_save(issue=form.save(commit=False))
        except AssessmentLocked as error:
            return _locked(request, error, back)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Saved “{issue.title}”.")
            return redirect(back)
    return render(
        request,
        "reports/emerging_edit.html",
        {"assessment": assessment, "membership": membership, "issue": issue, "form": form},
    )


@require_POST
def emerging_issue_delete(request: HttpRequest, partnership: str, period: str, issue_id: int):
    """Analysts delete an emerging issue."""
    assessment, _ = access.assessment_for(request.user, partnership, period, access.EDIT_NARRATIVE)
    issue = get_object_or_404(EmergingIssue, assessment=assessment, pk=issue_id)
    back = _url("reports:emerging", assessment)
    try:
        services.emerging_issue_delete(issue=issue)
    except AssessmentLocked as error:
        return _locked(request, error, back)
    messages.success(request, f"Deleted “{issue.title}”.")
    return redirect(back)


def _priority_back(assessment: Assessment, form: PriorityForm, risk: Risk | None) -> str:
    """Where a priority decision returns: the risk's page it was made on, else the results."""
    if risk is not None and form.data.get("back") == "risk":
        return _url("reports:risk_detail", assessment, risk_id=risk.pk)
    return _url("reports:results", assessment) + "#priorities"


@require_POST
def risk_priority(request: HttpRequest, partnership: str, period: str):
    """The board marks or unmarks a risk a partnership priority, with a reason: the one
    endpoint for the form on the results page and on each risk's page."""
    assessment, membership = access.assessment_for(
        request.user, partnership, period, access.MARK_PRIORITY
    )
    form = PriorityForm(
        request.POST, risks=Risk.objects.filter(assessment=assessment, withdrawn_at__isnull=True)
    )
    valid = form.is_valid()
    risk = form.cleaned_data.get("risk")
    back = _priority_back(assessment, form, risk)
    if assessment.is_published:
        return _locked(request, AssessmentLocked(assessment), back)
    if not valid:
        # Shown again with what was typed and what is wrong: nothing chosen is lost.
        context = {"assessment": assessment, "membership": membership, "priority_form": form}
        return render(request, "reports/priority.html", {**context, "back_url": back}, status=400)
    try:
        risk_set_priority(
            risk=risk,
            is_priority=form.cleaned_data["is_priority"],
            reason=form.cleaned_data["reason"],
            user=request.user,
        )
    except AssessmentLocked as error:
        return _locked(request, error, back)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    word = "marked" if form.cleaned_data["is_priority"] else "no longer marked"
    messages.success(request, f"“{risk.name}” is {word} a partnership priority.")
    return redirect(back)


def sign_off(request: HttpRequest, partnership: str, period: str) -> HttpResponse:
    """Board comments and approvals (current or overtaken by changes), and published versions."""
    assessment, membership = access.assessment_for(
        request.user, partnership, period, access.VIEW_RESULTS
    )
    approvals = list(Approval.objects.filter(assessment=assessment).select_related("user"))
    stale: set[int] = set()
    if not assessment.is_published and any(a.approved for a in approvals):
        check = services.publish_check(assessment)
        stale = {a.pk for a in check.stale_approvals}
    return render(
        request,
        "reports/sign_off.html",
        {
            "assessment": assessment,
            "membership": membership,
            "approvals": [(a, a.pk in stale) for a in approvals],
            "stale_count": len(stale),
            "publications": Publication.objects.filter(assessment=assessment).select_related(
                "published_by"
            ),
            "form": ApprovalForm(),
        },
    )


@require_POST
def approve(request: HttpRequest, partnership: str, period: str) -> HttpResponse:
    """A board member comments and may approve."""
    assessment, _ = access.assessment_for(request.user, partnership, period, access.SIGN_OFF)
    back = _url("reports:sign_off", assessment)
    form = ApprovalForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect(back)
    try:
        services.approval_record(
            assessment=assessment,
            user=request.user,
            comment=form.cleaned_data["comment"],
            approved=form.cleaned_data["approved"],
        )
    except AssessmentLocked as error:
        return _locked(request, error, back)
    messages.success(
        request, "Your approval is recorded." if form.cleaned_data["approved"] else "Comment added."
    )
    return redirect(back)


def publish(request: HttpRequest, partnership: str, period: str) -> HttpResponse:
    """Confirm, then publish: freeze an immutable version; the assessment then refuses changes."""
    assessment, membership = access.assessment_for(
        request.user, partnership, period, access.SIGN_OFF
    )
    back = _url("reports:sign_off", assessment)
    if assessment.is_published:
        return _locked(request, AssessmentLocked(assessment), back)
    form = PublishForm(request.POST if request.method == "POST" else None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            publication = services.assessment_publish(
                assessment=assessment,
                user=request.user,
                accept_unrated=form.cleaned_data["accept_unrated"],
            )
        except AssessmentLocked as error:
            return _locked(request, error, back)
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                f"Published {assessment.period} as version {publication.version}. It is now fixed.",
            )
            return redirect(_url("reports:publication", assessment, version=publication.version))
    check = services.publish_check(assessment)
    readiness = publish_readiness(assessment, check, accept_unrated=True)
    return render(
        request,
        "reports/publish.html",
        {
            "assessment": assessment,
            "membership": membership,
            "check": check,
            "readiness": readiness,
            # Unrated risks are acknowledged in the form itself; all else must be fixed first.
            "blocked": bool(readiness.blocking),
            "problems": problems,
            "form": form,
        },
    )


def _publication(assessment: Assessment, version: int) -> Publication:
    return get_object_or_404(
        Publication.objects.select_related("published_by"), assessment=assessment, version=version
    )


def _publication_snapshot(publication: Publication) -> dict:
    """A version's snapshot; versions frozen before the report was kept read the live data."""
    if "report" in publication.snapshot:
        return publication.snapshot
    return current_snapshot(publication.assessment)


def publication_detail(request: HttpRequest, partnership: str, period: str, version: int):
    """A published version exactly as it was frozen, whatever happened since, as a full report."""
    assessment, membership = access.assessment_for(
        request.user, partnership, period, access.VIEW_RESULTS
    )
    publication = _publication(assessment, version)
    context = report_context(_publication_snapshot(publication)["report"], prefix="published")
    context.update({"assessment": assessment, "membership": membership, "publication": publication})
    return render(request, "reports/publication.html", context)


def _download(snapshot: dict, fmt: str, name: str) -> HttpResponse:
    if fmt not in files.EXPORTS:
        raise Http404("No such format.")
    started = time.perf_counter()
    body, content_type = files.export_file(snapshot, fmt)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Server-Timing"] = f"render;dur={(time.perf_counter() - started) * 1000:.0f}"
    return response


def export(request: HttpRequest, partnership: str, period: str, fmt: str) -> HttpResponse:
    """Download the assessment as CSV, XLSX, PDF or JSON: as published, once it is."""
    assessment, _ = access.assessment_for(request.user, partnership, period, access.EXPORT)
    if fmt not in files.EXPORTS:
        raise Http404("No such format.")
    name = f"{assessment.partnership.slug}-{assessment.period_slug}-strategic-assessment"
    return _download(current_snapshot(assessment), fmt, name)


@require_GET
def export_json(request: HttpRequest, partnership: str, period: str) -> HttpResponse:
    """`export.json`, the JSON export's first address: it lives at `export/json/` now."""
    assessment, _ = access.assessment_for(request.user, partnership, period, access.EXPORT)
    return redirect(_url("reports:export", assessment, fmt="json"), permanent=True)


def publication_export(
    request: HttpRequest, partnership: str, period: str, version: int, fmt: str
) -> HttpResponse:
    """Download one published version in any format, from its frozen snapshot."""
    assessment, _ = access.assessment_for(request.user, partnership, period, access.EXPORT)
    publication = _publication(assessment, version)
    if fmt not in files.EXPORTS:
        raise Http404("No such format.")
    name = (
        f"{assessment.partnership.slug}-{assessment.period_slug}-strategic-assessment"
        f"-v{publication.version}"
    )
    return _download(_publication_snapshot(publication), fmt, name)

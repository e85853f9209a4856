"""Pages for partnerships and their assessments."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessments import access
from assessments.models import Assessment, Membership


def home(request: HttpRequest) -> HttpResponse:
    """The user's partnerships and their assessments with status."""
    memberships = list(
        Membership.objects.filter(user=request.user)
        .select_related("partnership", "organisation")
        .order_by("partnership__name")
    )
    assessments = Assessment.objects.filter(
        partnership__in=[m.partnership_id for m in memberships]
    ).select_related("partnership")
    by_partnership: dict[int, list[Assessment]] = {}
    for assessment in assessments:
        by_partnership.setdefault(assessment.partnership_id, []).append(assessment)
    rows = [(m, by_partnership.get(m.partnership_id, [])) for m in memberships]
    return render(request, "home.html", {"rows": rows})


def assessment_detail(request: HttpRequest, partnership: str, period: str) -> HttpResponse:
    """One assessment's overview: where it stands and what the user can do next."""
    assessment, membership = access.assessment_for(request.user, partnership, period)
    return render(
        request,
        "assessments/assessment_detail.html",
        {"assessment": assessment, "membership": membership},
    )

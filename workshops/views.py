"""Workshop pages: create and run (facilitator), score (partner), live dashboard, audit trail."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessments import access
from assessments.models import ScoreChange
from assessments.services import AssessmentLocked, assessment_spec
from workshops import selectors, services
from workshops.access import workshop_for
from workshops.dashboard import dashboard
from workshops.exceptions import (
    RiskRevealed,
    RiskSettled,
    WorkshopHoldsWithdrawnRisks,
    WorkshopLocked,
    WorkshopNotOpen,
)
from workshops.forms import AgreeForm, RiskScoreForm, WorkshopForm
from workshops.models import Workshop, WorkshopStatus

REFUSED = (
    WorkshopHoldsWithdrawnRisks,
    WorkshopLocked,
    WorkshopNotOpen,
    RiskRevealed,
    RiskSettled,
    AssessmentLocked,
    ValueError,
)


def _url(name: str, workshop: Workshop, **extra) -> str:
    assessment = workshop.assessment
    return reverse(
        f"workshops:{name}",
        kwargs={
            "partnership": assessment.partnership.slug,
            "period": assessment.period_slug,
            "pk": workshop.pk,
            **extra,
        },
    )


def workshop_list(request: HttpRequest, partnership: str, period: str) -> HttpResponse:
    """The assessment's workshops: all of them for those who run them, else the user's own."""
    assessment, membership = access.assessment_for(request.user, partnership, period)
    workshops = list(
        Workshop.objects.filter(assessment=assessment).select_related("assessment__partnership")
    )
    if not access.can(membership, access.RUN_WORKSHOP):
        mine = {w.id for w in selectors.workshops_for_user(request.user)}
        workshops = [w for w in workshops if w.id in mine]
    return render(
        request,
        "workshops/workshop_list.html",
        {"assessment": assessment, "membership": membership, "workshops": workshops},
    )


def workshop_create(request: HttpRequest, partnership: str, period: str) -> HttpResponse:
    """A facilitator sets up a workshop: title, date, risks, invited organisations and people."""
    assessment, membership = access.assessment_for(
        request.user, partnership, period, access.RUN_WORKSHOP
    )
    form = WorkshopForm(request.POST or None, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        try:
            workshop = services.workshop_create(
                assessment=assessment, user=request.user, **form.cleaned_data
            )
        except (AssessmentLocked, RiskSettled) as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Workshop “{workshop.title}” created. Open it to start.")
            return redirect(_url("dashboard", workshop))
    return render(
        request,
        "workshops/workshop_form.html",
        {"assessment": assessment, "membership": membership, "form": form},
    )


def workshop_dashboard(request: HttpRequest, partnership: str, period: str, pk: int):
    """The facilitator's page: controls plus the live fragment that polls itself."""
    workshop, membership = workshop_for(request.user, partnership, period, pk, access.RUN_WORKSHOP)
    context = {
        "workshop": workshop,
        "assessment": workshop.assessment,
        "membership": membership,
        **dashboard(workshop),
    }
    context["agree_form"] = AgreeForm(spec=context["spec"])
    return render(request, "workshops/dashboard.html", context)


def workshop_live(request: HttpRequest, partnership: str, period: str, pk: int):
    """The dashboard's live fragment (polled by htmx every few seconds)."""
    workshop, _ = workshop_for(request.user, partnership, period, pk, access.RUN_WORKSHOP)
    return render(request, "workshops/_live.html", {"workshop": workshop, **dashboard(workshop)})


def _facilitate(request: HttpRequest, workshop: Workshop, action, success: str):
    try:
        action()
    except REFUSED as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(_url("dashboard", workshop))


@require_POST
def workshop_open(request: HttpRequest, partnership: str, period: str, pk: int):
    workshop, _ = workshop_for(request.user, partnership, period, pk, access.RUN_WORKSHOP)
    return _facilitate(
        request,
        workshop,
        lambda: services.workshop_open(workshop=workshop, user=request.user),
        "The workshop is open: invited partners can score now.",
    )


@require_POST
def workshop_lock(request: HttpRequest, partnership: str, period: str, pk: int):
    workshop, _ = workshop_for(request.user, partnership, period, pk, access.RUN_WORKSHOP)
    return _facilitate(
        request,
        workshop,
        lambda: services.workshop_lock(workshop=workshop, user=request.user),
        "The workshop is locked; its scores can no longer change.",
    )


@require_POST
def workshop_reveal(request: HttpRequest, partnership: str, period: str, pk: int, risk_id: int):
    workshop, _ = workshop_for(request.user, partnership, period, pk, access.RUN_WORKSHOP)
    risk = get_object_or_404(workshop.risks, pk=risk_id)
    return _facilitate(
        request,
        workshop,
        lambda: services.workshop_reveal(workshop=workshop, risk=risk, user=request.user),
        f"Scores for “{risk.name}” are revealed to partners.",
    )


@require_POST
def workshop_new_round(request: HttpRequest, partnership: str, period: str, pk: int):
    workshop, _ = workshop_for(request.user, partnership, period, pk, access.RUN_WORKSHOP)
    risks = list(workshop.risks.filter(pk__in=request.POST.getlist("risks")))
    return _facilitate(
        request,
        workshop,
        lambda: services.workshop_new_round(workshop=workshop, risks=risks, user=request.user),
        f"A new round is open for {len(risks)} risk(s); earlier rounds are kept.",
    )


@require_POST
def workshop_agree(request: HttpRequest, partnership: str, period: str, pk: int, risk_id: int):
    workshop, _ = workshop_for(request.user, partnership, period, pk, access.RUN_WORKSHOP)
    risk = get_object_or_404(workshop.risks.select_related("assessment"), pk=risk_id)
    form = AgreeForm(request.POST, spec=assessment_spec(workshop.assessment))
    if not form.is_valid():
        messages.error(request, "Choose a factor and the level the workshop agreed.")
        return redirect(_url("dashboard", workshop))
    factor_key, label = form.factor_and_level()
    return _facilitate(
        request,
        workshop,
        lambda: services.workshop_agree(
            workshop=workshop,
            risk=risk,
            factor_key=factor_key,
            level_label=label,
            note=form.cleaned_data["note"],
            user=request.user,
        ),
        f"Agreed {label} for {risk.name}.",
    )


def _editable(workshop: Workshop) -> bool:
    return workshop.status == WorkshopStatus.OPEN and not workshop.assessment.is_published


def _card_form(card, workshop: Workshop, spec, form: RiskScoreForm | None = None) -> None:
    """Give a card its form (the stored answers unless a refused `form` is re-displayed)."""
    card.form = form or RiskScoreForm(initial=card.initial, spec=spec)
    card.action = _url("score_risk", workshop, risk_id=card.risk.id)


def _scoring_context(workshop, membership, failed: dict | None = None) -> dict:
    """The whole scoring page; `failed` re-displays one risk's refused save: its `risk_id`,
    the `form` with the partner's answers (if they were invalid), the `problem` and the
    `errors` for the summary at the top."""
    spec = assessment_spec(workshop.assessment)
    cards, scored, risk_count = selectors.scoring_page(workshop, membership.organisation, spec)
    failed = failed or {}
    for card in cards:
        if card.risk.id == failed.get("risk_id"):
            _card_form(card, workshop, spec, failed.get("form"))
            card.problem = failed["problem"]
        else:
            _card_form(card, workshop, spec)
    return {
        "workshop": workshop,
        "assessment": workshop.assessment,
        "membership": membership,
        "cards": cards,
        "scored": scored,
        "risk_count": risk_count,
        "editable": _editable(workshop),
        "error_summary": failed.get("errors", []),
    }


def workshop_score(request: HttpRequest, partnership: str, period: str, pk: int):
    """A partner's scoring page for their organisation, risk by risk, with an index on top."""
    workshop, membership = workshop_for(request.user, partnership, period, pk, access.SCORE)
    return render(request, "workshops/score.html", _scoring_context(workshop, membership))


@require_POST
def workshop_score_risk(request: HttpRequest, partnership: str, period: str, pk: int, risk_id: int):
    """Save a partner's scores for one risk: the card's answers for htmx, else back to the page
    (redirected to the card once saved; re-displayed with the problem on that card if not)."""
    workshop, membership = workshop_for(request.user, partnership, period, pk, access.SCORE)
    round_risk = selectors.current_round_risk(workshop, risk_id)
    if round_risk is None:
        risk = get_object_or_404(workshop.risks.select_related("theme"), pk=risk_id)
    else:
        risk = round_risk.risk
    spec = assessment_spec(workshop.assessment)
    form = RiskScoreForm(request.POST, spec=spec)
    status, problem = "", ""
    valid = form.is_valid()
    if valid:
        try:
            services.risk_scores_save(
                workshop=workshop,
                risk=risk,
                organisation=membership.organisation,
                levels=form.levels(),
                comment=form.cleaned_data["comment"],
                user=request.user,
                round_risk=round_risk,
            )
        except REFUSED as error:
            problem = str(error)
        else:
            status = f"Saved your scores for {risk.name}."
    else:
        problem = f"Not saved: check the highlighted answers for {risk.name}."
    if request.headers.get("HX-Request") != "true":
        if status:
            messages.success(request, status)
            return redirect(_url("score", workshop) + f"#risk-{risk.id}")
        errors = (
            [(f"#{anchor}", f"{risk.name}: {text}") for anchor, text in form.error_links(risk.id)]
            if not valid
            else [(f"#risk-{risk.id}", problem)]
        )
        failed = {
            "risk_id": risk.id,
            "form": None if valid else form,
            "problem": problem,
            "errors": errors,
        }
        context = _scoring_context(workshop, membership, failed)
        return render(request, "workshops/score.html", context, status=400 if not valid else 409)
    # htmx: just this risk's answers, its index entry and the progress line, in a fixed handful
    # of queries (the evidence beside the answers does not change).
    current = {risk.id: round_risk} if round_risk else {}
    if problem and valid:
        current = selectors.current_round_risks(workshop)  # revealed or settled meanwhile
    (card,), _ = selectors.risk_cards(workshop, membership.organisation, spec, [risk], current)
    _card_form(card, workshop, spec, None if valid else form)
    card.status, card.problem = status, problem
    scored, risk_count = selectors.scoring_progress(workshop, membership.organisation, spec)
    context = {
        "workshop": workshop,
        "assessment": workshop.assessment,
        "membership": membership,
        "card": card,
        "scored": scored,
        "risk_count": risk_count,
        "editable": _editable(workshop),
    }
    return render(request, "workshops/_risk_card_response.html", context)


def audit_trail(request: HttpRequest, partnership: str, period: str) -> HttpResponse:
    """Every score change (and risk deletion) in the assessment, newest first, paginated."""
    assessment, membership = access.assessment_for(
        request.user, partnership, period, access.VIEW_AUDIT
    )
    # Each row carries the names as they were: nothing to join, and deleted risks stay listed.
    changes = ScoreChange.objects.filter(assessment=assessment)
    page = Paginator(changes, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "workshops/audit.html",
        {"assessment": assessment, "membership": membership, "page": page},
    )

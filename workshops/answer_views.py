"""A partner's answers from the scoring page: each part saved as it is given (JSON, for the
page's script), the whole card from its Save button (without JavaScript, or with htmx), and the
keep-alive an open scoring page sends while its partner is active."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from assessments import access
from assessments.scoring import DONT_KNOW
from assessments.services import assessment_spec
from workshops import selectors
from workshops.access import workshop_for
from workshops.answers import COMMENT, AnswersSaved, answers_save
from workshops.exceptions import RiskRevealed, RiskSettled, RoundMovedOn
from workshops.forms import RiskScoreForm
from workshops.views import REFUSED, _card_form, _editable, _scoring_context, _url

ANSWER_REFUSED = (*REFUSED, RoundMovedOn)


def _refusal_json(error: Exception) -> dict:
    """What the page needs to know about a refused save, besides why."""
    return {
        "problem": str(error),
        "read_only": isinstance(error, RiskRevealed | RiskSettled)
        or not isinstance(error, RoundMovedOn | ValueError),
        "round": getattr(error, "current", None),
    }


def _saved_json(saved: AnswersSaved, workshop, membership, spec) -> dict:
    """Each part's state, the card's, and the page's progress when the card's changed."""
    body = {
        "round": saved.round_number,
        "parts": {part: stored.as_json() for part, stored in saved.parts.items()},
        "answered": saved.answered,
        "needed": saved.needed,
        "complete": saved.complete,
        "colleagues": saved.colleagues,
    }
    if saved.complete != saved.was_complete:
        scored, risk_count = selectors.scoring_progress(workshop, membership.organisation, spec)
        body["progress"] = {"scored": scored, "risk_count": risk_count}
    return body


@require_POST
def workshop_answer(request: HttpRequest, partnership: str, period: str, pk: int, risk_id: int):
    """Save the parts of a risk's answer named in `parts` (a level, a challenge with its reason,
    the comment), each based on the version the page showed; JSON for the page's script."""
    workshop, membership = workshop_for(request.user, partnership, period, pk, access.SCORE)
    spec = assessment_spec(workshop.assessment)
    form = RiskScoreForm(request.POST, spec=spec, parts=request.POST.getlist("parts"))
    if not form.parts or request.POST.get("round") in (None, ""):
        body = {"problem": "Not saved: the page sent no answer, or not its round."}
        return JsonResponse(body, status=400)
    if not form.is_valid():
        errors = {name: " ".join(text) for name, text in form.errors.items()}
        return JsonResponse(
            {"problem": "Not saved: check the answer.", "errors": errors}, status=400
        )
    try:
        saved = answers_save(
            workshop=workshop,
            risk_id=risk_id,
            organisation=membership.organisation,
            answers=form.answers(),
            round_number=form.cleaned_data["round"],
            spec=spec,
            user=request.user,
        )
    except ANSWER_REFUSED as error:
        return JsonResponse(_refusal_json(error), status=409)
    return JsonResponse(_saved_json(saved, workshop, membership, spec))


def _conflicts(saved: AnswersSaved, spec) -> list[str]:
    """A sentence per part a colleague changed first, for a card saved whole."""
    return [
        f"{stored.by} changed {_part_name(part, spec)} first "
        f"(to “{stored.level or stored.text or 'nothing'}”); yours is still below: save again "
        "to apply it, or choose theirs."
        for part, stored in saved.parts.items()
        if stored.state == "conflict"
    ]


def _part_name(part: str, spec) -> str:
    return "the comment" if part == COMMENT else spec.factor(part).name.lower()


@require_POST
def workshop_score_risk(request: HttpRequest, partnership: str, period: str, pk: int, risk_id: int):
    """Save a partner's whole card from its Save button: back to the page (to the card) once
    saved; else the page again with everything the partner chose and typed still on the card,
    and why it was not stored. With htmx, just the card's answers, index entry and progress."""
    workshop, membership = workshop_for(request.user, partnership, period, pk, access.SCORE)
    spec = assessment_spec(workshop.assessment)
    form = RiskScoreForm(request.POST, spec=spec)
    status, problem, saved = "", "", None
    valid = form.is_valid()
    if valid:
        try:
            saved = answers_save(
                workshop=workshop,
                risk_id=risk_id,
                organisation=membership.organisation,
                answers=form.answers(),
                round_number=form.cleaned_data["round"] or _current_round(workshop, risk_id),
                spec=spec,
                user=request.user,
            )
        except ANSWER_REFUSED as error:
            problem = str(error)
        else:
            conflicts = _conflicts(saved, spec)
            if conflicts:
                problem = "Not all saved: " + " ".join(conflicts)
                form = _rebased(form, saved, spec)
            else:
                status = f"Saved your scores for {saved.risk_name}."
    if status and request.headers.get("HX-Request") != "true":
        messages.success(request, status)
        return redirect(_url("score", workshop) + f"#risk-{risk_id}")
    risk = selectors.workshop_risk(workshop, risk_id)
    if not valid:
        problem = f"Not saved: check the highlighted answers for {risk.name}."
    if request.headers.get("HX-Request") != "true":
        errors = (
            [(f"#{anchor}", f"{risk.name}: {text}") for anchor, text in form.error_links(risk_id)]
            if not valid
            else [(f"#risk-{risk_id}", problem)]
        )
        failed = {"risk_id": risk_id, "form": form, "problem": problem, "errors": errors}
        context = _scoring_context(workshop, membership, failed)
        return render(request, "workshops/score.html", context, status=400 if not valid else 409)
    return _card_fragment(request, workshop, membership, spec, risk, form, status, problem)


def _current_round(workshop, risk_id: int) -> int:
    """The risk's current round, for a card sent by a page that did not say which it showed."""
    round_risk = selectors.current_round_risk(workshop, risk_id)
    return round_risk.round.number if round_risk else 1


def _rebased(form: RiskScoreForm, saved: AnswersSaved, spec) -> RiskScoreForm:
    """The partner's answers again, now based on the colleagues' versions that were kept, so
    saving again applies them (and leaving them applies nothing)."""
    data = form.data.copy()
    for part, stored in saved.parts.items():
        data[f"version_{part}"] = str(stored.version)
    data["round"] = str(saved.round_number)
    rebased = RiskScoreForm(data, spec=spec)
    rebased.is_valid()
    return rebased


def _card_fragment(request, workshop, membership, spec, risk, form, status, problem):
    """htmx: this risk's answers, its index entry and the progress line."""
    (card,), _ = selectors.risk_cards(workshop, membership.organisation, spec, [risk])
    _card_form(card, workshop, spec, form if problem else None)
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
        "dont_know": DONT_KNOW,
    }
    return render(request, "workshops/_risk_card_response.html", context)


@require_POST
def workshop_keep_alive(request: HttpRequest, partnership: str, period: str, pk: int):
    """Sent by an open scoring page while its partner is active: the request itself renews the
    session (config.sessions), so nothing more to do."""
    workshop_for(request.user, partnership, period, pk, access.SCORE)
    return HttpResponse(status=204)

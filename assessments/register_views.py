"""Pages for editing the risk register, copying it forward, the scoring model and pre-scoring."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessments import access, services
from assessments.forms import (
    PrescoreForm,
    RiskForm,
    RiskWithdrawForm,
    ThemeForm,
)
from assessments.models import (
    Area,
    AreaKind,
    Assessment,
    IndicatorValue,
    Risk,
    RiskFactorScore,
    ScoreKind,
    ScoringModel,
    Theme,
)
from assessments.periods import previous_period
from assessments.scoring import ANALYST_DIMENSIONS, DIMENSIONS, compute_risk, explain
from assessments.scoring_model_form import ScoringModelForm
from assessments.suggestions import LinkedFigure, suggest_frequency, suggest_trend


def register_url(assessment: Assessment) -> str:
    return reverse(
        "reports:register",
        kwargs={"partnership": assessment.partnership.slug, "period": assessment.period_slug},
    )


def _locked(request: HttpRequest, assessment: Assessment) -> HttpResponse | None:
    """Send the user back to the register, saying why, if the assessment is published."""
    try:
        services.assessment_ensure_editable(assessment)
    except services.AssessmentLocked as error:
        messages.error(request, str(error))
        return redirect(register_url(assessment))
    return None


def _save_or_lock(request, assessment, save, success: str) -> HttpResponse | None:
    """Run a service; on success say so and return to the register."""
    try:
        save()
    except services.AssessmentLocked as error:
        messages.error(request, str(error))
    except (services.ThemeNotEmpty, ValidationError) as error:  # RiskWithdrawal too
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, success)
    return redirect(register_url(assessment))


def theme_edit(request: HttpRequest, partnership: str, period: str, theme_id: int | None = None):
    """Add a theme, or edit one."""
    assessment, membership = access.assessment_for(
        request.user, partnership, period, access.MANAGE_REGISTER
    )
    theme = get_object_or_404(Theme, pk=theme_id, assessment=assessment) if theme_id else None
    if response := _locked(request, assessment):
        return response
    form = ThemeForm(request.POST or None, instance=theme, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        verb = "saved" if theme else "added"
        return _save_or_lock(
            request,
            assessment,
            lambda: services.theme_save(theme=form.save(commit=False)),
            f'Theme "{form.instance.name}" {verb}.',
        )
    return render(
        request,
        "assessments/register/theme_form.html",
        {"assessment": assessment, "membership": membership, "form": form, "theme": theme},
    )


def risk_edit(request: HttpRequest, partnership: str, period: str, risk_id: int | None = None):
    """Add a risk, or edit one (a carried-forward risk whose substance changes is 'changed')."""
    assessment, membership = access.assessment_for(
        request.user, partnership, period, access.MANAGE_REGISTER
    )
    risk = get_object_or_404(Risk, pk=risk_id, assessment=assessment) if risk_id else None
    if response := _locked(request, assessment):
        return response
    if not assessment.themes.exists():
        messages.info(request, "Add a theme first: every risk belongs to a theme.")
        return redirect(register_url(assessment))
    initial = {"theme": request.GET.get("theme")} if not risk else None
    form = RiskForm(request.POST or None, instance=risk, initial=initial, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        verb = "saved" if risk else "added"
        indicators = list(form.cleaned_data["indicators"])
        return _save_or_lock(
            request,
            assessment,
            lambda: services.risk_save(risk=form.save(commit=False), indicators=indicators),
            f'Risk "{form.instance.name}" {verb}.',
        )
    return render(
        request,
        "assessments/register/risk_form.html",
        {"assessment": assessment, "membership": membership, "form": form, "risk": risk},
    )


def register_delete(request: HttpRequest, partnership: str, period: str, kind: str, pk: int):
    """Confirm, then delete a theme (only when empty) or a risk with its scores (not while an
    open workshop holds it)."""
    assessment, membership = access.assessment_for(
        request.user, partnership, period, access.MANAGE_REGISTER
    )
    model = Theme if kind == "theme" else Risk
    thing = get_object_or_404(model, pk=pk, assessment=assessment)
    if response := _locked(request, assessment):
        return response
    if request.method == "POST":
        if kind == "theme":
            delete = lambda: services.theme_delete(theme=thing)  # noqa: E731
        else:
            delete = lambda: services.risk_delete(risk=thing, user=request.user)  # noqa: E731
        return _save_or_lock(request, assessment, delete, f'{kind.title()} "{thing}" deleted.')
    refusal, may_withdraw = None, False
    if kind == "risk" and (titles := services.risk_open_workshops(thing)):
        refusal = services.RiskInOpenWorkshop(thing, titles).message
    elif kind == "risk" and services.risk_scored_in_workshop(thing):
        refusal = services.RiskScoredInWorkshop(thing).message
        may_withdraw = not thing.is_withdrawn
    return render(
        request,
        "assessments/register/confirm_delete.html",
        {
            "assessment": assessment,
            "membership": membership,
            "thing": thing,
            "kind": kind,
            "refusal": refusal,
            "may_withdraw": may_withdraw,
        },
    )


def risk_withdraw(request: HttpRequest, partnership: str, period: str, risk_id: int):
    """Confirm, saying why, then withdraw a risk from the assessment (not while an open
    workshop holds it): kept with its history, left out of the results."""
    assessment, membership = access.assessment_for(
        request.user, partnership, period, access.MANAGE_REGISTER
    )
    risk = get_object_or_404(Risk, pk=risk_id, assessment=assessment)
    if response := _locked(request, assessment):
        return response
    refusal = None
    if titles := services.risk_open_workshops(risk):
        refusal = services.RiskInOpenWorkshop(risk, titles, action="withdrawn").message
    elif risk.is_withdrawn:
        refusal = f'"{risk.name}" is already withdrawn from the assessment.'
    if request.method == "POST" and refusal:
        messages.error(request, refusal)
        return redirect(register_url(assessment))
    form = RiskWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _save_or_lock(
            request,
            assessment,
            lambda: services.risk_withdraw(
                risk=risk, user=request.user, reason=form.cleaned_data["reason"]
            ),
            f'"{risk.name}" withdrawn from the assessment. It is kept, marked withdrawn in the '
            "register, and left out of the results; reinstate it from the register.",
        )
    return render(
        request,
        "assessments/register/confirm_withdraw.html",
        {
            "assessment": assessment,
            "membership": membership,
            "risk": risk,
            "form": form,
            "refusal": refusal,
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
def risk_reinstate(request: HttpRequest, partnership: str, period: str, risk_id: int):
    """Bring a withdrawn risk back into an unpublished assessment."""
    assessment, _ = access.assessment_for(request.user, partnership, period, access.MANAGE_REGISTER)
    risk = get_object_or_404(Risk, pk=risk_id, assessment=assessment)
    return _save_or_lock(
        request,
        assessment,
        lambda: services.risk_reinstate(risk=risk, user=request.user),
        f'"{risk.name}" reinstated: it counts in the results again.',
    )


def scoring_model_edit(request: HttpRequest, partnership: str) -> HttpResponse:
    """The partnership's scoring model; admins may change it (a new version)."""
    partnership_obj, membership = access.partnership_for(request.user, partnership)
    may_edit = access.can(membership, access.MANAGE_MODEL)
    if request.method == "POST" and not may_edit:
        access.partnership_for(request.user, partnership, access.MANAGE_MODEL)  # raises 403
    spec = services.partnership_spec(partnership_obj)
    form = ScoringModelForm(request.POST or None, spec=spec)
    if request.method == "POST" and form.is_valid():
        model = services.scoring_model_save(
            partnership=partnership_obj, spec=form.cleaned_data["spec"], user=request.user
        )
        messages.success(
            request,
            f"Scoring model saved as version {model.spec['version']}. Assessments that have "
            "started scoring keep the model they froze.",
        )
        return redirect("assessments:scoring_model", partnership=partnership_obj.slug)
    stored = ScoringModel.objects.filter(partnership=partnership_obj).first()
    return render(
        request,
        "assessments/scoring_model_form.html",
        {
            "partnership": partnership_obj,
            "membership": membership,
            "spec": spec,
            "stored": stored,
            "form": form,
            "may_edit": may_edit,
            "dimension_names": DIMENSION_NAMES,
        },
    )


DIMENSION_NAMES = {
    "harm": "Harm",
    "likelihood": "Likelihood and trends",
    "intelligence": "Intelligence",
    "response": "Response",
}


def worked_example_values(spec) -> dict[str, Decimal]:
    """A middle level of every factor, for the worked example."""
    return {f.key: f.levels[len(f.levels) // 2].value for f in spec.factors if f.levels}


def scoring_model_explain(request: HttpRequest, partnership: str, period: str) -> HttpResponse:
    """The assessment's model in words, with a worked example."""
    assessment, membership = access.assessment_for(request.user, partnership, period)
    spec = services.assessment_spec(assessment)
    values = worked_example_values(spec)
    example = [
        (factor, factor.levels[len(factor.levels) // 2]) for factor in spec.factors if factor.levels
    ]
    dimensions = [(DIMENSION_NAMES[d], d, spec.factors_for(d)) for d in DIMENSIONS]
    return render(
        request,
        "assessments/scoring_model_explain.html",
        {
            "assessment": assessment,
            "membership": membership,
            "spec": spec,
            "dimensions": dimensions,
            "example": example,
            "example_lines": explain(spec, values),
            "example_result": compute_risk(spec, values),
        },
    )


def linked_figures(
    risk: Risk, assessment: Assessment
) -> tuple[list[LinkedFigure], dict[str, Decimal]]:
    """The risk's linked count indicators this period and last, and every count this period
    by indicator name."""
    area = Area.objects.filter(
        partnership_id=assessment.partnership_id, kind=AreaKind.PARTNERSHIP
    ).first()
    before = previous_period(assessment.period)
    values = IndicatorValue.objects.filter(
        area=area, period__in=[assessment.period, before], indicator__unit="count"
    ).values_list("indicator_id", "indicator__name", "period", "value", "months")
    by_key = {(indicator_id, p): v for indicator_id, _, p, v, _ in values}
    months = {(indicator_id, p): m for indicator_id, _, p, _, m in values}
    linked = [
        LinkedFigure(
            i.name,
            by_key.get((i.pk, assessment.period)),
            by_key.get((i.pk, before)),
            months.get((i.pk, assessment.period)),
            months.get((i.pk, before)),
        )
        for i in risk.indicators.filter(unit="count")
    ]
    period_counts = {name: v for _, name, p, v, _ in values if p == assessment.period}
    return linked, period_counts


def prescore(request: HttpRequest, partnership: str, period: str, risk_id: int) -> HttpResponse:
    """The analyst's harm and likelihood levels for one risk, with evidence and suggestions."""
    assessment, membership = access.assessment_for(
        request.user, partnership, period, access.PRESCORE
    )
    risk = get_object_or_404(
        Risk.objects.select_related("theme").prefetch_related("indicators"),
        pk=risk_id,
        assessment=assessment,
    )
    if response := _locked(request, assessment):
        return response
    try:
        services.risk_ensure_scorable(risk)
    except services.RiskWithdrawal as error:
        messages.error(request, " ".join(error.messages))
        return redirect(register_url(assessment))
    spec = services.assessment_spec(assessment)
    current = {
        s.factor_key: (s.level_label, s.note)
        for s in RiskFactorScore.objects.filter(risk=risk, kind=ScoreKind.ANALYST)
    }
    form = PrescoreForm(request.POST or None, spec=spec, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                for key, label, note in form.chosen():
                    if current.get(key) != (label, note):
                        services.factor_score_set(
                            risk=risk,
                            factor_key=key,
                            kind=ScoreKind.ANALYST,
                            level_label=label,
                            note=note,
                            user=request.user,
                        )
        except (services.AssessmentLocked, services.RiskWithdrawal) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect(register_url(assessment))
        messages.success(request, f'Pre-scores for "{risk.name}" saved.')
        return redirect(register_url(assessment))
    linked, counts = linked_figures(risk, assessment)
    suggestions = {}
    if any(f.key == "frequency" for f in spec.factors):
        suggestions["frequency"] = suggest_frequency(
            spec.factor("frequency"), linked, counts, assessment.period
        )
    if any(f.key == "trend" for f in spec.factors):
        suggestions["trend"] = suggest_trend(
            spec.factor("trend"), linked, assessment.period, previous_period(assessment.period)
        )
    fieldsets = []
    for dim in ANALYST_DIMENSIONS:
        rows = []
        for factor in spec.factors_for(dim):
            rows.append(
                {
                    "factor": factor,
                    "level": form[f"level_{factor.key}"],
                    "note": form[f"note_{factor.key}"],
                    "options": _options(form, factor),
                    "suggestion": suggestions.get(factor.key),
                }
            )
        fieldsets.append((DIMENSION_NAMES[dim], rows))
    return render(
        request,
        "assessments/register/prescore.html",
        {
            "assessment": assessment,
            "membership": membership,
            "risk": risk,
            "form": form,
            "fieldsets": fieldsets,
            "has_indicators": bool(linked) or risk.indicators.exists(),
        },
    )


def _options(form: PrescoreForm, factor) -> list[dict]:
    """Each level of a factor with whether it is chosen, for hand-written radio buttons."""
    name = f"level_{factor.key}"
    bound = form[name]
    chosen = bound.value() or ""
    return [
        {
            "id": f"id_{name}_{i}",
            "name": bound.html_name,
            "level": level,
            "checked": level.label == chosen,
        }
        for i, level in enumerate(factor.levels)
    ]


__all__ = [
    "prescore",
    "register_delete",
    "risk_edit",
    "scoring_model_edit",
    "scoring_model_explain",
    "theme_edit",
]

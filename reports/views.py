"""Pages that need both apps: the register with ratings, and each risk's page."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from assessments import access, services
from assessments.carried import reviewable_model
from assessments.evidence import plain
from assessments.forms import CopyForwardForm
from assessments.models import (
    Area,
    AreaKind,
    Assessment,
    AssessmentLocked,
    IndicatorValue,
    Population,
    Risk,
    RiskFactorScore,
    ScoreKind,
    Theme,
)
from assessments.periods import following_period, previous_period
from assessments.register_views import DIMENSION_NAMES, register_url
from assessments.scoring import (
    DIMENSIONS,
    Factor,
    FactorValue,
    ScoringModelSpec,
    explain,
    level_label_for,
    round1,
)
from assessments.statistics import indicator_figures
from reports import services as report_services
from reports.forms import NewAssessmentForm, PriorityForm
from reports.prose import MOVEMENT_WORDS
from workshops.outcomes import RiskOutcome, assessment_outcomes, hides_unrevealed, risk_remarks


def register(request: HttpRequest, partnership: str, period: str) -> HttpResponse:
    """Themes and their risks in order, each with its current rating and origin."""
    assessment, membership = access.assessment_for(request.user, partnership, period)
    hidden = hides_unrevealed(assessment, membership)
    outcomes = {
        o.risk.pk: o
        for o in assessment_outcomes(assessment, revealed_only=hidden, include_withdrawn=True)
    }
    themes = []
    for theme in Theme.objects.filter(assessment=assessment):
        rows = [o for o in outcomes.values() if o.risk.theme_id == theme.pk]
        themes.append((theme, rows))
    withdrawn = sum(o.risk.is_withdrawn for o in outcomes.values())
    return render(
        request,
        "reports/register.html",
        {
            "assessment": assessment,
            "membership": membership,
            "themes": themes,
            "risk_count": len(outcomes) - withdrawn,
            "withdrawn_count": withdrawn,
            "hides_unrevealed": hidden,
            "may_edit": access.can(membership, access.MANAGE_REGISTER)
            and not assessment.is_published,
        },
    )


def _indicator_rows(risk: Risk, assessment: Assessment) -> list[dict]:
    """The linked indicators' figures this period and last, in a fixed number of queries."""
    before = previous_period(assessment.period)
    indicators = list(risk.indicators.all())
    area = Area.objects.filter(
        partnership_id=assessment.partnership_id, kind=AreaKind.PARTNERSHIP
    ).first()
    values = {
        (v.indicator_id, v.period): v
        for v in IndicatorValue.objects.filter(
            indicator__in=indicators, area=area, period__in=[assessment.period, before]
        )
    }
    population, households = (
        Population.objects.filter(area=area, period=assessment.period)
        .values_list("population", "households")
        .first()
    ) or (None, None)
    rows = []
    for indicator in indicators:
        now = values.get((indicator.pk, assessment.period))
        then = values.get((indicator.pk, before))
        as_int = indicator.is_count
        count = (int(now.value) if as_int else now.value) if now else None
        previous = (int(then.value) if as_int else then.value) if then else None
        figures = indicator_figures(
            count=count if as_int else None,
            previous_count=previous if as_int else None,
            population=population if as_int else None,
            households=households if as_int else None,
            rate_basis=indicator.rate_basis,
            msg_rate=plain(now.msg_rate_per_1000) if now else None,
            months=now.months if now else None,
            previous_months=then.months if then else None,
        )
        rows.append(
            {"indicator": indicator, "count": count, "previous": previous, "figures": figures}
        )
    return rows


def _level_label(factor: Factor, value: Decimal) -> str:
    return level_label_for(factor, value) or str(value.normalize())


def agreement_text(factor: Factor, value: FactorValue) -> str:
    """How far partners' submissions agree on a factor, in words."""
    if not value.submissions or value.spread is None:
        return "No submissions"
    low, high = (_level_label(factor, end) for end in value.spread)
    if value.divergent:
        return f"Divergent ({low} to {high})"
    if low != high:
        return f"Spread {low} to {high}"
    if value.submissions == 1:
        return f"One submission ({low})"
    return f"All {value.submissions} submitted {low}"


def _factor_rows(
    outcome: RiskOutcome, spec: ScoringModelSpec, own: dict[tuple[str, str], RiskFactorScore]
) -> list[tuple[str, list[dict]]]:
    """Each dimension's factors with the value used, its agreement and the notes behind it."""
    rows = []
    for dim in DIMENSIONS:
        factors = []
        for factor in spec.factors_for(dim):
            value = outcome.factors[factor.key]
            factors.append(
                {
                    "factor": factor,
                    "value": value,
                    "agreement": agreement_text(factor, value),
                    "analyst": own.get((factor.key, ScoreKind.ANALYST)),
                    "agreed": own.get((factor.key, ScoreKind.AGREED)),
                }
            )
        rows.append((DIMENSION_NAMES[dim], factors))
    return rows


@require_GET
def risk_detail(request: HttpRequest, partnership: str, period: str, risk_id: int) -> HttpResponse:
    """One risk: the arithmetic step by step, its factors and sources, evidence and priority."""
    assessment, membership = access.assessment_for(request.user, partnership, period)
    hidden = hides_unrevealed(assessment, membership)
    outcomes = assessment_outcomes(assessment, revealed_only=hidden, include_withdrawn=True)
    outcome = next((o for o in outcomes if o.risk.pk == risk_id), None)
    if outcome is None:
        raise Http404("No such risk in this assessment.")
    risk = outcome.risk
    priority_form = None
    may_mark = access.can(membership, access.MARK_PRIORITY) and not assessment.is_published
    if may_mark and not risk.is_withdrawn:
        # Posted to the one priority endpoint (reports.board_views.risk_priority).
        priority_form = PriorityForm(
            fixed_risk=risk, initial={"is_priority": "0" if risk.is_priority else "1"}
        )
    spec = services.assessment_spec(assessment)
    values = {key: fv.value for key, fv in outcome.factors.items()}
    own = {(s.factor_key, s.kind): s for s in RiskFactorScore.objects.filter(risk=risk)}
    remarks = None
    if access.can(membership, access.VIEW_RESULTS):
        remarks = risk_remarks(risk, revealed_only=not assessment.is_published)
    return render(
        request,
        "reports/risk_detail.html",
        {
            "assessment": assessment,
            "membership": membership,
            "risk": risk,
            "outcome": outcome,
            "steps": explain(spec, values),
            "score": round1(outcome.result.score) if outcome.result.score is not None else None,
            "factor_rows": _factor_rows(outcome, spec, own),
            "factor_names": {f.key: f.name for f in spec.factors},
            "remarks": remarks,
            "hides_unrevealed": hidden,
            "may_see_remarks": access.can(membership, access.VIEW_RESULTS),
            "movement": MOVEMENT_WORDS[outcome.movement],
            "indicators": _indicator_rows(risk, assessment),
            "priority_form": priority_form,
        },
    )


def _first_free_period_after(assessment: Assessment) -> str:
    """The first period after the assessment's that the partnership has not started yet."""
    taken = set(
        Assessment.objects.filter(partnership_id=assessment.partnership_id).values_list(
            "period", flat=True
        )
    )
    period = following_period(assessment.period)
    while period in taken:
        period = following_period(period)
    return period


def copy_forward(request: HttpRequest, partnership: str, period: str) -> HttpResponse:
    """Start the next period from this assessment's register and final scores."""
    assessment, membership = access.assessment_for(
        request.user, partnership, period, access.MANAGE_REGISTER
    )
    form = CopyForwardForm(
        request.POST or None,
        source=assessment,
        initial={"period": _first_free_period_after(assessment)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            target = report_services.assessment_copy_forward(
                source=assessment, period=form.cleaned_data["period"], user=request.user
            )
        except report_services.CopyForwardRefused as error:
            form.add_error("period", str(error))
        else:
            messages.success(
                request,
                f"Started {target.period} from {assessment.period}: {target.risks.count()} "
                "risks carried forward with last year's values as pre-scores.",
            )
            return redirect(register_url(target))
    return render(
        request,
        "assessments/register/copy_forward.html",
        {
            "assessment": assessment,
            "membership": membership,
            "form": form,
            "risk_count": assessment.risks.filter(withdrawn_at__isnull=True).count(),
            "theme_count": assessment.themes.count(),
        },
    )


@require_POST
def section_confirm(request: HttpRequest, partnership: str, period: str, kind: str, pk: int):
    """An analyst confirms that a carried-forward section still stands as it is."""
    assessment, _ = access.assessment_for(request.user, partnership, period, access.EDIT_NARRATIVE)
    model = reviewable_model(kind)
    if model is None:
        raise Http404("No such kind of section.")
    section = get_object_or_404(model, assessment=assessment, pk=pk)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = assessment.get_absolute_url()
    try:
        services.section_confirm_reviewed(section=section, user=request.user)
    except AssessmentLocked as error:
        messages.error(request, str(error))
        return redirect(back)
    messages.success(request, f"Confirmed “{section}” as reviewed for {assessment.period}.")
    return redirect(back)


def assessment_create(request: HttpRequest, partnership: str) -> HttpResponse:
    """Start a period's assessment from the web: empty, or copied forward from an earlier one."""
    partnership_obj, membership = access.partnership_for(
        request.user, partnership, access.MANAGE_REGISTER
    )
    latest = partnership_obj.assessments.order_by("-period").first()
    form = NewAssessmentForm(
        request.POST if request.method == "POST" else None,
        partnership=partnership_obj,
        initial={
            "period": _first_free_period_after(latest) if latest else "",
            "start_from": latest,
        },
    )
    if request.method == "POST" and form.is_valid():
        period, source = form.cleaned_data["period"], form.cleaned_data["start_from"]
        try:
            if source:
                target = report_services.assessment_copy_forward(
                    source=source, period=period, user=request.user
                )
            else:
                target = services.assessment_create(partnership=partnership_obj, period=period)
        except (report_services.CopyForwardRefused, ValidationError) as error:
            form.add_error(
                "period", error.messages[0] if hasattr(error, "messages") else str(error)
            )
        else:
            started = f" from {source.period}" if source else ""
            messages.success(request, f"Started the {target.period} assessment{started}.")
            return redirect(target.get_absolute_url())
    return render(
        request,
        "reports/assessment_create.html",
        {"partnership": partnership_obj, "membership": membership, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )

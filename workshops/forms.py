"""Forms for creating a workshop, a partner's scores for one risk, and the agreed value."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from assessments.models import Assessment, Risk
from assessments.scoring import ScoringModelSpec
from workshops.models import Workshop
from workshops.services import CHALLENGE_DIMENSIONS, PARTNER_DIMENSIONS


class WorkshopForm(forms.ModelForm):
    """Title, date, which risks, which organisations and people are invited."""

    class Meta:
        model = Workshop
        fields = ["title", "date", "risks", "organisations", "participants", "named_display"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "risks": forms.CheckboxSelectMultiple,
            "organisations": forms.CheckboxSelectMultiple,
            "participants": forms.CheckboxSelectMultiple,
        }
        labels = {
            "participants": "People invited (leave empty to invite everyone of the organisations)",
            "named_display": "After a reveal, show which organisation gave which score",
        }

    def __init__(self, *args, assessment: Assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risks"].queryset = Risk.objects.filter(assessment=assessment).select_related(
            "theme"
        )
        self.fields["risks"].label_from_instance = lambda r: f"{r.theme.name}: {r.name}"
        self.fields["organisations"].queryset = assessment.partnership.organisations.all()
        self.fields["participants"].queryset = (
            get_user_model()
            .objects.filter(memberships__partnership=assessment.partnership)
            .filter(memberships__role="partner")
            .order_by("last_name", "username")
        )
        self.fields["participants"].required = False
        self.fields["participants"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean(self):
        data = super().clean()
        people = data.get("participants") or []
        organisations = {org.id for org in data.get("organisations") or []}
        partnership = self.fields["organisations"].queryset
        outside = [
            person
            for person in people
            if not person.memberships.filter(
                organisation_id__in=organisations, organisation__in=partnership
            ).exists()
        ]
        if outside:
            names = ", ".join(p.get_full_name() or p.username for p in outside)
            self.add_error("participants", f"Invite their organisations too: {names}.")
        return data


class RiskScoreForm(forms.Form):
    """One organisation's scores for one risk: confidence and response levels (required),
    optional challenges of harm and likelihood with a reason, and an optional comment."""

    comment = forms.CharField(required=False, max_length=2000, widget=forms.Textarea)

    def __init__(self, *args, spec: ScoringModelSpec, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.partner_factors = [f for f in spec.factors if f.dimension in PARTNER_DIMENSIONS]
        self.challenge_factors = [f for f in spec.factors if f.dimension in CHALLENGE_DIMENSIONS]
        for factor in self.partner_factors:
            self.fields[factor.key] = forms.ChoiceField(
                label=factor.name,
                choices=[(lv.label, lv.label) for lv in factor.levels],
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose a level for {factor.name.lower()}."},
            )
        for factor in self.challenge_factors:
            self.fields[f"challenge_{factor.key}"] = forms.ChoiceField(
                label=f"Proposed level for {factor.name.lower()}",
                choices=[("", "No challenge")] + [(lv.label, lv.label) for lv in factor.levels],
                required=False,
            )
            self.fields[f"reason_{factor.key}"] = forms.CharField(
                label="Reason", required=False, max_length=2000, widget=forms.Textarea
            )

    def clean(self):
        data = super().clean()
        for factor in self.challenge_factors:
            if (
                data.get(f"challenge_{factor.key}")
                and not data.get(f"reason_{factor.key}", "").strip()
            ):
                self.add_error(
                    f"reason_{factor.key}",
                    f"Say why you propose a different level for {factor.name.lower()}.",
                )
        return data

    def levels(self) -> dict[str, tuple[str, str]]:
        """Factor key → (level label, reason) for everything the partner gave."""
        data = self.cleaned_data
        levels = {f.key: (data[f.key], "") for f in self.partner_factors}
        for factor in self.challenge_factors:
            if data.get(f"challenge_{factor.key}"):
                levels[factor.key] = (
                    data[f"challenge_{factor.key}"],
                    data[f"reason_{factor.key}"].strip(),
                )
        return levels


class AgreeForm(forms.Form):
    """The level the room agreed for one factor of a risk, with a note."""

    choice = forms.ChoiceField(label="Factor and agreed level")
    note = forms.CharField(label="Note", required=False, max_length=2000, widget=forms.Textarea)

    def __init__(self, *args, spec: ScoringModelSpec, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [("", "Choose…")] + [
            (factor.name, [(f"{factor.key}:{lv.label}", lv.label) for lv in factor.levels])
            for factor in spec.factors
        ]

    def factor_and_level(self) -> tuple[str, str]:
        key, label = self.cleaned_data["choice"].split(":", 1)
        return key, label

"""Forms for creating a workshop, a partner's scores for one risk, and the agreed value."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from assessments.models import Assessment, Risk, Theme
from assessments.scoring import ScoringModelSpec, analyst_factors, partner_factors
from workshops.models import Workshop
from workshops.selectors import settled_risks

CHECKBOXES = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


class WorkshopForm(forms.ModelForm):
    """Title, date, which risks (one by one or whole themes), which organisations and people."""

    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.none(),
        required=False,
        widget=CHECKBOXES,
        label="Every risk in these themes",
    )

    class Meta:
        model = Workshop
        fields = ["title", "date", "risks", "organisations", "participants", "named_display"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "risks": CHECKBOXES,
            "organisations": CHECKBOXES,
            "participants": CHECKBOXES,
        }
        labels = {
            "participants": "People invited (leave empty to invite everyone of the organisations)",
            "named_display": "After a reveal, show which organisation gave which score",
        }

    def __init__(self, *args, assessment: Assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.settled = settled_risks(assessment=assessment)
        self.fields["themes"].queryset = Theme.objects.filter(assessment=assessment)
        self.fields["themes"].label_from_instance = lambda t: f"All risks in {t.name}"
        self.fields["risks"].queryset = (
            Risk.objects.filter(assessment=assessment, withdrawn_at__isnull=True)
            .select_related("theme")
            .order_by("theme__order", "theme__name", "order", "name")
        )
        self.fields["risks"].required = False
        self.fields["risks"].label_from_instance = lambda r: r.name
        # Retired organisations and deactivated people are kept for history, never invited.
        self.fields["organisations"].queryset = assessment.partnership.organisations.filter(
            retired_at__isnull=True
        )
        self.fields["participants"].queryset = (
            get_user_model()
            .objects.filter(
                memberships__partnership=assessment.partnership,
                memberships__role="partner",
                memberships__deactivated_at__isnull=True,
            )
            .order_by("last_name", "username")
        )
        self.fields["participants"].required = False
        self.fields["participants"].label_from_instance = lambda u: u.get_full_name() or u.username

    def risk_groups(self) -> list[dict]:
        """The risk checkboxes theme by theme, each theme with its “all risks” checkbox and
        each risk with the locked workshop that settled it, if any (shown, not choosable)."""
        theme_boxes = {int(str(box.data["value"])): box for box in self["themes"]}
        groups: dict[int, dict] = {}
        for box in self["risks"]:
            risk = box.data["value"].instance
            group = groups.setdefault(
                risk.theme_id,
                {"theme": risk.theme, "all": theme_boxes.get(risk.theme_id), "risks": []},
            )
            group["risks"].append({"box": box, "risk": risk, "settled": self.settled.get(risk.pk)})
        for group in groups.values():
            group["all_settled"] = all(item["settled"] for item in group["risks"])
        return list(groups.values())

    def clean(self):
        data = super().clean()
        risks = list(data.get("risks") or [])
        # A whole theme stands for its risks that can still be scored.
        theme_ids = {theme.pk for theme in data.pop("themes", None) or []}
        if theme_ids:
            chosen = {risk.pk for risk in risks}
            risks += [
                risk
                for risk in self.fields["risks"].queryset
                if risk.theme_id in theme_ids
                and risk.pk not in chosen
                and risk.pk not in self.settled
            ]
        settled = [risk for risk in risks if risk.pk in self.settled]
        if settled:
            names = "; ".join(f"{r.name} (in “{self.settled[r.pk]}”)" for r in settled)
            self.add_error(
                "risks",
                f"Already settled in a locked workshop, so they can no longer be scored: {names}.",
            )
        elif not risks and "risks" not in self.errors:
            self.add_error("risks", "Choose at least one risk, or a whole theme.")
        data["risks"] = risks
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
        self.partner_factors = list(partner_factors(spec))
        self.challenge_factors = list(analyst_factors(spec))
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

    def error_links(self, risk_id: int) -> list[tuple[str, str]]:
        """(id of the element to jump to, message) for every error, for an error summary; the
        ids are those the risk card gives its inputs."""
        radios = {f.key for f in self.partner_factors}
        links = []
        for name, messages in self.errors.items():
            if name == "__all__":
                anchor = f"risk-{risk_id}"
            elif name in radios:
                anchor = f"r{risk_id}-{name}-1"
            else:
                anchor = f"r{risk_id}-{name}"
            links += [(anchor, str(message)) for message in messages]
        return links


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

"""Forms for creating a workshop, a partner's scores for one risk, and the agreed value."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from assessments.models import Assessment, Risk, Theme
from assessments.scoring import DONT_KNOW, ScoringModelSpec, analyst_factors, partner_factors
from workshops.answers import COMMENT, Answer
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
    """One organisation's answers for one risk: confidence and response levels (or “Don't
    know”; a factor left open is not answered yet), challenges of harm and likelihood with a
    reason, and a comment; each with the version of the stored answer the page showed, and
    the round it showed.

    `parts` limits it to the parts a per-factor save sends (factor keys and "comment"); the
    card's Save button, without JavaScript, sends them all.
    """

    round = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)
    comment = forms.CharField(required=False, max_length=2000, widget=forms.Textarea, strip=False)

    def __init__(self, *args, spec: ScoringModelSpec, parts: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.partner_factors = list(partner_factors(spec))
        self.challenge_factors = list(analyst_factors(spec))
        keys = [f.key for f in self.partner_factors + self.challenge_factors] + [COMMENT]
        self.parts = keys if parts is None else [key for key in keys if key in parts]
        self.unknown_parts = [] if parts is None else [p for p in parts if p not in keys]
        for factor in self.partner_factors:
            self.fields[factor.key] = forms.ChoiceField(
                label=factor.name,
                choices=[(lv.label, lv.label) for lv in factor.levels] + [(DONT_KNOW, DONT_KNOW)],
                widget=forms.RadioSelect,
                required=False,
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
        for key in keys:
            self.fields[f"version_{key}"] = forms.IntegerField(
                min_value=0, required=False, widget=forms.HiddenInput
            )

    def clean(self):
        data = super().clean()
        if self.unknown_parts:
            raise forms.ValidationError("That answer is not part of this risk's card.")
        for factor in self.challenge_factors:
            if factor.key not in self.parts:
                continue
            if (
                data.get(f"challenge_{factor.key}")
                and not data.get(f"reason_{factor.key}", "").strip()
            ):
                self.add_error(
                    f"reason_{factor.key}",
                    f"Say why you propose a different level for {factor.name.lower()}.",
                )
        return data

    def answers(self) -> list[Answer]:
        """The parts the partner gave, each based on the version their page showed; a partner
        factor left open is left out (not answered yet)."""
        data = self.cleaned_data
        answers = []
        for key in self.parts:
            based_on = data.get(f"version_{key}") or 0
            if key == COMMENT:
                answers.append(Answer(COMMENT, text=data["comment"].strip(), based_on=based_on))
            elif f"challenge_{key}" in self.fields:
                level = data.get(f"challenge_{key}") or ""
                reason = data.get(f"reason_{key}", "").strip() if level else ""
                answers.append(Answer(key, level, reason, based_on))
            elif data.get(key):
                answers.append(Answer(key, data[key], based_on=based_on))
        return answers

    def error_links(self, risk_id: int) -> list[tuple[str, str]]:
        """(id of the element to jump to, message) for every error, for an error summary; the
        ids are those the risk card gives its inputs."""
        radios = {f.key for f in self.partner_factors}
        links = []
        for name, messages in self.errors.items():
            if name == "__all__" or name.startswith("version_") or name == "round":
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

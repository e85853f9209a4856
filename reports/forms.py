"""Forms of the reports app."""

from __future__ import annotations

from django import forms

from assessments.models import Assessment, EmergingIssue, Risk, Theme
from assessments.periods import following_period, parse_period, period_start_year
from reports.figures import figure_problems
from reports.front_matter import MAX_LENGTH
from reports.prose import NARRATIVE_HEADINGS

MARKDOWN_HELP = (
    "Plain text. Simple formatting: **bold**, *italic*, lists starting with “- ”, "
    "blank line between paragraphs. HTML is removed."
)


class BootstrapMixin:
    """Bootstrap classes on every widget, and aria-describedby for help text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
            if field.help_text:
                widget.attrs.setdefault("aria-describedby", f"id_{name}_helptext")


# The formatting and live-figure guide is shown once, above the narrative form.
NARRATIVE_HELP = "Markdown and live figures, as described above."


class NarrativeForm(BootstrapMixin, forms.ModelForm):
    """A theme's narrative under the seed's headings, with live figures from the evidence."""

    class Meta:
        model = Theme
        fields = [key for key, _ in NARRATIVE_HEADINGS]
        labels = dict(NARRATIVE_HEADINGS)
        widgets = {key: forms.Textarea(attrs={"rows": 6}) for key, _ in NARRATIVE_HEADINGS}
        help_texts = {key: NARRATIVE_HELP for key, _ in NARRATIVE_HEADINGS}

    def __init__(self, *args, figure_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.figure_names = list(figure_names)

    def clean(self):
        data = super().clean()
        for key, _ in NARRATIVE_HEADINGS:
            problems = figure_problems(data.get(key) or "", self.figure_names)
            if problems:
                self.add_error(
                    key,
                    "Unknown live figure: "
                    + "; ".join(f"{p.token} ({p.message})" for p in problems)
                    + ". The statistics are: "
                    + ", ".join(self.figure_names or ["none loaded yet"])
                    + ".",
                )
        return data


class EmergingIssueForm(BootstrapMixin, forms.ModelForm):
    """An issue the partnership watches but does not score."""

    class Meta:
        model = EmergingIssue
        fields = ["title", "text", "order"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"text": MARKDOWN_HELP, "order": "Lower numbers come first."}


class ApprovalForm(BootstrapMixin, forms.Form):
    """A board member's comment and, optionally, approval."""

    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Required unless you approve.",
    )
    approved = forms.BooleanField(required=False, label="I approve this assessment for publication")

    def clean(self):
        data = super().clean()
        if not data.get("approved") and not (data.get("comment") or "").strip():
            raise forms.ValidationError("Write a comment, or tick to approve.")
        return data


class PriorityForm(BootstrapMixin, forms.Form):
    """The board marks a risk a partnership priority whatever its rating, saying why.

    The one form for it, on the results page (choose the risk) and on a risk's page (the risk
    is fixed); both post to `report-priority`, and `back` says which page to return to."""

    risk = forms.ModelChoiceField(queryset=Risk.objects.none(), label="Risk")
    is_priority = forms.TypedChoiceField(
        choices=[("1", "A partnership priority"), ("0", "Not a priority")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        label="Decision",
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason",
        help_text="Required: say why, whatever the rating.",
    )
    back = forms.ChoiceField(
        choices=[("results", "Results"), ("risk", "The risk's page")],
        initial="results",
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, risks=(), fixed_risk: Risk | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["risk"]
        if fixed_risk is not None:
            field.queryset = Risk.objects.filter(pk=fixed_risk.pk)
            field.widget = forms.HiddenInput()
            self.initial.setdefault("risk", fixed_risk.pk)
            self.initial.setdefault("back", "risk")
        elif isinstance(risks, list):
            field.queryset = Risk.objects.filter(pk__in=[r.pk for r in risks])
            # Labels from the rows already loaded, so rendering costs no query per risk.
            field.choices = [("", "Choose a risk")] + [(r.pk, r.name) for r in risks]
        else:
            field.queryset = risks


class PublishForm(BootstrapMixin, forms.Form):
    """The board's confirmation before the irreversible publish."""

    confirm = forms.BooleanField(
        label="I understand that publishing fixes this assessment for good",
        error_messages={"required": "Tick to confirm that you understand what publishing does."},
    )
    accept_unrated = forms.BooleanField(
        required=False, label="Publish with the unrated risks listed above left unrated"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].widget.attrs["aria-describedby"] = "id_confirm_error"
        if self.errors.get("confirm"):
            self.fields["confirm"].widget.attrs["aria-invalid"] = "true"


def _period_and_status(assessment: Assessment) -> str:
    return f"{assessment.period} ({assessment.get_status_display()})"


class NewAssessmentForm(BootstrapMixin, forms.Form):
    """A new period's assessment: empty, or started from an earlier one's register."""

    period = forms.CharField(max_length=7, help_text="Like 2020/21 (April to March).")
    start_from = forms.ModelChoiceField(
        queryset=Assessment.objects.none(),
        required=False,
        empty_label="Nothing: start an empty assessment",
        label="Start from",
        help_text="Copying an earlier period carries its themes, risks and final scores "
        "forward as pre-scores to review.",
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.fields["start_from"].queryset = Assessment.objects.filter(partnership=partnership)
        self.fields["start_from"].label_from_instance = lambda a: (
            f"{a.period} ({a.get_status_display()})"
        )

    def clean_period(self) -> str:
        try:
            period = parse_period(self.cleaned_data["period"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        if Assessment.objects.filter(partnership=self.partnership, period=period).exists():
            raise forms.ValidationError(f"There is already an assessment for {period}.")
        return period

    def clean(self):
        cleaned = super().clean()
        source, period = cleaned.get("start_from"), cleaned.get("period")
        if source and period and period_start_year(period) <= period_start_year(source.period):
            self.add_error(
                "period",
                f"Choose a period after {source.period}, such as "
                f"{following_period(source.period)}: copying forward starts a later year.",
            )
        return cleaned


class ReportSectionForm(BootstrapMixin, forms.Form):
    """One front-matter section, Markdown with live figures from the evidence."""

    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 16}),
        required=False,
        max_length=MAX_LENGTH,
        label="Text",
        help_text=NARRATIVE_HELP + " Leave it empty to leave the section out of the report.",
    )

    def __init__(self, *args, label: str = "Text", figure_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        self.figure_names = list(figure_names)

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        problems = figure_problems(text, self.figure_names)
        if problems:
            raise forms.ValidationError(
                "Unknown live figure: "
                + "; ".join(f"{p.token} ({p.message})" for p in problems)
                + ". The statistics are: "
                + ", ".join(self.figure_names or ["none loaded yet"])
                + "."
            )
        return text

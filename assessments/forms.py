"""Forms of the assessments app."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings

from assessments.importing import KINDS, POLICE_UK_PRESET, PRESETS
from assessments.imports import ColumnMapping
from assessments.models import Assessment, Indicator, Risk, Theme
from assessments.periods import parse_period
from assessments.scoring import (
    DIMENSIONS,
    Factor,
    Level,
    ScoringModelSpec,
    validate_spec,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files at once (monthly police.uk files)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class DataImportForm(forms.Form):
    """Upload a data file of one kind; record-level files need a preset or a column mapping."""

    kind = forms.ChoiceField(choices=list(KINDS.items()), widget=forms.RadioSelect)
    files = MultipleFileField(
        label="File(s)",
        help_text="CSV or Excel (.xlsx). Record-level data may be several files or a ZIP.",
    )
    preset = forms.ChoiceField(
        label="Record-level format",
        required=False,
        choices=[
            *((key, preset.label) for key, preset in PRESETS.items()),
            ("", "Another format: I will name the columns"),
        ],
        initial=POLICE_UK_PRESET,
    )
    month_column = forms.CharField(required=False, max_length=100, label="Month or date column")
    category_column = forms.CharField(required=False, max_length=100, label="Category column")
    area_column = forms.CharField(
        required=False, max_length=100, label="LSOA code column (optional)"
    )
    flag_columns = forms.CharField(
        required=False,
        max_length=300,
        label="Flag columns (optional, comma-separated)",
        help_text="e.g. Domestic abuse, Alcohol: a row counts as flagged when the cell says yes.",
    )

    def clean_files(self) -> list:
        files = self.cleaned_data["files"]
        limit_mb = settings.UPLOAD_MAX_MB
        for upload in files:
            if upload.size > limit_mb * 1024 * 1024:
                raise forms.ValidationError(
                    f"{upload.name} is {upload.size / 1024 / 1024:.1f} MB; "
                    f"the limit is {limit_mb} MB."
                )
        return files

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") == "records" and not data.get("preset"):
            for field in ("month_column", "category_column"):
                if not data.get(field):
                    self.add_error(field, "Name this column, or choose the police.uk format.")
        if data.get("kind") != "records" and len(data.get("files") or []) > 1:
            self.add_error("files", "Choose one file for this kind of import.")
        return data

    def mapping(self) -> ColumnMapping | None:
        data = self.cleaned_data
        if data["kind"] != "records" or data.get("preset"):
            return None
        flags = tuple(f.strip() for f in data.get("flag_columns", "").split(",") if f.strip())
        return ColumnMapping(
            month=data["month_column"],
            category=data["category_column"],
            area=data.get("area_column") or None,
            flags=flags,
        )


class CategoryMappingForm(forms.Form):
    """Count a source's label (e.g. police.uk 'Bicycle theft') under an indicator."""

    source_label = forms.CharField(
        max_length=200, help_text="Exactly as it appears in the file, e.g. Bicycle theft."
    )
    indicator = forms.ModelChoiceField(queryset=None, required=False, label="Count it under")
    new_indicator = forms.CharField(
        max_length=200, required=False, label="…or a new indicator named"
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.fields["indicator"].queryset = partnership.indicators.order_by("name")

    def clean_source_label(self) -> str:
        label = " ".join(self.cleaned_data["source_label"].split())
        if self.partnership.category_mappings.filter(source_label__iexact=label).exists():
            raise forms.ValidationError(f"{label!r} is already mapped; remove it first.")
        return label

    def clean(self) -> dict:
        data = super().clean()
        if bool(data.get("indicator")) == bool(data.get("new_indicator", "").strip()):
            raise forms.ValidationError("Choose an indicator or name a new one (not both).")
        return data


class CategoryMappingRemoveForm(forms.Form):
    """Remove one of the partnership's mappings (a stale or forged id is refused)."""

    remove = forms.ModelChoiceField(queryset=None)

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove"].queryset = partnership.category_mappings.all()


PRESCORED_DIMENSIONS = ("harm", "likelihood")


class ThemeForm(forms.ModelForm):
    """A theme's name, description and place in the register."""

    class Meta:
        model = Theme
        fields = ["name", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"order": "Themes are listed from the lowest number."}

    def __init__(self, *args, assessment: Assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.assessment = assessment

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = Theme.objects.filter(assessment=self.instance.assessment, name__iexact=name)
        if clash.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f'This assessment already has a theme called "{name}".')
        return name


class RiskForm(forms.ModelForm):
    """A risk's theme, name, description, order and linked indicators."""

    indicators = forms.ModelMultipleChoiceField(
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The data that feeds this risk's likelihood evidence.",
    )

    class Meta:
        model = Risk
        fields = ["theme", "name", "description", "order", "indicators"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"order": "Risks are listed within their theme from the lowest number."}

    def __init__(self, *args, assessment: Assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.assessment = assessment
        self.fields["theme"].queryset = Theme.objects.filter(assessment=assessment)
        self.fields["theme"].empty_label = None
        self.fields["indicators"].queryset = Indicator.objects.filter(
            partnership_id=assessment.partnership_id
        )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = Risk.objects.filter(assessment=self.instance.assessment, name__iexact=name)
        if clash.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f'This assessment already has a risk called "{name}".')
        return name


class CopyForwardForm(forms.Form):
    """The period to start from this assessment."""

    period = forms.CharField(max_length=7, help_text="Like 2020/21 (April to March).")

    def __init__(self, *args, source: Assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source

    def clean_period(self) -> str:
        try:
            period = parse_period(self.cleaned_data["period"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        if Assessment.objects.filter(partnership=self.source.partnership, period=period).exists():
            raise forms.ValidationError(f"There is already an assessment for {period}.")
        return period


PARAMETERS = (
    ("likelihood_min", "Likelihood minimum", "Likelihood is clamped to at least this."),
    ("likelihood_max", "Likelihood maximum", "Likelihood is clamped to at most this."),
    ("response_base", "Response base", "Response = base + step × mean of response factors."),
    ("response_step", "Response step", "Response = base + step × mean of response factors."),
    ("moderate_threshold", "Moderate threshold", "A score at or above this is Moderate."),
    ("high_threshold", "High threshold", "A score at or above this is High."),
)


def levels_to_text(factor: Factor) -> str:
    """A factor's levels as editable lines: `Label | value | description`."""
    return "\n".join(f"{lv.label} | {lv.value} | {lv.description}" for lv in factor.levels)


def parse_levels(text: str) -> tuple[Level, ...]:
    """Parse `Label | value | description` lines; ValueError names the first bad line."""
    levels = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|", 2)]
        if len(parts) < 2 or not parts[0]:
            raise ValueError(f"Line {number}: write it as “Label | value | description”.")
        try:
            value = Decimal(parts[1])
        except InvalidOperation:
            raise ValueError(f"Line {number}: “{parts[1]}” is not a number.") from None
        if not value.is_finite():
            raise ValueError(f"Line {number}: “{parts[1]}” is not a number.")
        if len(parts[0]) > 60:
            raise ValueError(f"Line {number}: a label may have at most 60 characters.")
        levels.append(Level(parts[0], value, parts[2] if len(parts) > 2 else ""))
    return tuple(levels)


class ScoringModelForm(forms.Form):
    """The combination parameters and each factor's levels; factors themselves are fixed."""

    def __init__(self, *args, spec: ScoringModelSpec, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        for name, label, help_text in PARAMETERS:
            self.fields[name] = forms.DecimalField(
                label=label,
                help_text=help_text,
                initial=getattr(spec, name),
                max_digits=10,
                decimal_places=4,
            )
        for factor in spec.factors:
            self.fields[f"levels_{factor.key}"] = forms.CharField(
                label=factor.name,
                initial=levels_to_text(factor),
                widget=forms.Textarea(attrs={"rows": len(factor.levels) + 1}),
                help_text="One level per line, lowest value first: Label | value | description.",
            )

    def parameter_fields(self) -> list[forms.BoundField]:
        return [self[name] for name, _, _ in PARAMETERS]

    def factor_fields(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Level fields grouped by dimension, for fieldsets."""
        return [
            (dim, [self[f"levels_{f.key}"] for f in self.spec.factors_for(dim)])
            for dim in DIMENSIONS
        ]

    def clean(self) -> dict:
        data = super().clean()
        factors = []
        for factor in self.spec.factors:
            field = f"levels_{factor.key}"
            if field not in data:
                return data
            try:
                levels = parse_levels(data[field])
            except ValueError as error:
                self.add_error(field, str(error))
                continue
            factors.append(Factor(factor.key, factor.name, factor.dimension, levels))
        if self.errors or any(name not in data for name, _, _ in PARAMETERS):
            return data
        spec = ScoringModelSpec(
            name=self.spec.name,
            version=self.spec.version,
            factors=tuple(factors),
            **{name: data[name] for name, _, _ in PARAMETERS},
        )
        problems = validate_spec(spec)
        if problems:
            raise forms.ValidationError(problems)
        data["spec"] = spec
        return data


class PrescoreForm(forms.Form):
    """The analyst's level and evidence note for each harm and likelihood factor."""

    def __init__(self, *args, spec: ScoringModelSpec, current: dict[str, tuple[str, str]], **kw):
        super().__init__(*args, **kw)
        self.factors = [f for f in spec.factors if f.dimension in PRESCORED_DIMENSIONS]
        for factor in self.factors:
            label, note = current.get(factor.key, ("", ""))
            self.fields[f"level_{factor.key}"] = forms.ChoiceField(
                label=factor.name,
                choices=[(lv.label, lv.label) for lv in factor.levels],
                required=False,
                initial=label,
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{factor.key}"] = forms.CharField(
                label=f"Evidence for {factor.name.lower()}",
                required=False,
                initial=note,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self) -> dict:
        data = super().clean()
        for factor in self.factors:
            if data.get(f"note_{factor.key}", "").strip() and not data.get(f"level_{factor.key}"):
                self.add_error(f"level_{factor.key}", "Choose a level for the evidence you noted.")
        return data

    def chosen(self) -> list[tuple[str, str, str]]:
        """(factor key, level label, note) for every factor given a level."""
        return [
            (f.key, self.cleaned_data[f"level_{f.key}"], self.cleaned_data[f"note_{f.key}"])
            for f in self.factors
            if self.cleaned_data.get(f"level_{f.key}")
        ]


class PriorityForm(forms.Form):
    """The board's decision on whether a risk is a partnership priority, with its reason."""

    is_priority = forms.TypedChoiceField(
        label="Partnership priority",
        choices=[("1", "Mark as a partnership priority"), ("0", "Not a partnership priority")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required: say why, whatever the rating.",
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why the board made this decision.")
        return reason

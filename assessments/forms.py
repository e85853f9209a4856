"""Forms of the assessments app."""

from __future__ import annotations

from django import forms
from django.conf import settings

from assessments.imports import KINDS, POLICE_UK_PRESET, PRESETS, ColumnMapping
from assessments.imports.store.record_imports import DATASET_MAX, FLAG_MAX
from assessments.models import Assessment, Indicator, Risk, Theme
from assessments.periods import DATE_FORMATS, following_period, parse_period, period_start_year
from assessments.scoring import ScoringModelSpec, analyst_factors


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


def _column_input() -> forms.TextInput:
    # upload-columns.js fills the datalist with the chosen file's column names.
    return forms.TextInput(
        attrs={"list": "file-columns", "autocomplete": "off", "data-column-field": ""}
    )


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
    dataset = forms.CharField(
        label="Dataset name",
        required=False,
        max_length=DATASET_MAX,
        help_text="Which source these records are, e.g. police-uk or local-crime-extract "
        "(default: the format's name, or the file's name). Re-importing a dataset's months "
        "replaces them; each figure comes from the most recently imported dataset covering "
        "its period, never from several added together.",
    )
    month_column = forms.CharField(
        required=False, max_length=100, label="Month or date column", widget=_column_input()
    )
    date_format = forms.ChoiceField(
        label="How the dates are written",
        required=False,
        choices=[(name, label) for name, (_, label) in DATE_FORMATS.items()],
        initial="auto",
    )
    category_column = forms.CharField(
        required=False, max_length=100, label="Category column", widget=_column_input()
    )
    area_column = forms.CharField(
        required=False,
        max_length=100,
        label="LSOA code column (optional)",
        widget=_column_input(),
    )
    flag_columns = forms.CharField(
        required=False,
        max_length=300,
        label="Flag columns (optional, comma-separated)",
        help_text="e.g. Domestic abuse, Alcohol: a row counts as flagged when the cell says yes.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-flag-field": ""}),
    )

    earlier_years = forms.BooleanField(
        required=False,
        label="Some months are of earlier years, for the trend",
        help_text="Months before this period and its two earlier years are refused unless "
        "you confirm they are for earlier years' trend. Months after this period are "
        "imported into their own period's assessment.",
    )

    RECORD_FIELDS = ("preset", "dataset", "earlier_years")
    MAPPING_FIELDS = (
        "month_column",
        "date_format",
        "category_column",
        "area_column",
        "flag_columns",
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

    def clean_flag_columns(self) -> tuple[str, ...]:
        text = self.cleaned_data.get("flag_columns", "")
        flags = tuple(" ".join(f.split()) for f in text.split(",") if f.strip())
        for flag in flags:
            if len(flag) > FLAG_MAX:
                raise forms.ValidationError(
                    f"A flag column's name may have at most {FLAG_MAX} characters."
                )
        if len({f.casefold() for f in flags}) != len(flags):
            raise forms.ValidationError("Name each flag column once.")
        return flags

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") == "records" and not data.get("preset"):
            for field in ("month_column", "category_column"):
                if not data.get(field):
                    self.add_error(field, "Name this column, or choose the police.uk format.")
        if data.get("kind") != "records" and len(data.get("files") or []) > 1:
            self.add_error("files", "Choose one file for this kind of import.")
        return data

    def record_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.RECORD_FIELDS]

    def mapping_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.MAPPING_FIELDS]

    def mapping(self) -> ColumnMapping | None:
        data = self.cleaned_data
        if data["kind"] != "records" or data.get("preset"):
            return None
        return ColumnMapping(
            month=data["month_column"],
            category=data["category_column"],
            area=data.get("area_column") or None,
            flags=data.get("flag_columns") or (),
            date_format=DATE_FORMATS[data.get("date_format") or "auto"][0],
        )

    def dataset_name(self) -> str | None:
        if self.cleaned_data.get("kind") != "records":
            return None
        return self.cleaned_data.get("dataset") or None


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


class RiskWithdrawForm(forms.Form):
    """Why a risk is withdrawn from the assessment (kept on the register and the audit trail)."""

    reason = forms.CharField(
        label="Why is it withdrawn?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown beside the risk in the register and kept on the audit trail.",
        error_messages={"required": "Say why the risk is withdrawn."},
    )


class CopyForwardForm(forms.Form):
    """The period to start from this assessment."""

    period = forms.CharField(max_length=7, help_text="Like 2020/21 (April to March).")

    def __init__(self, *args, source: Assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        self.fields["period"].help_text = (
            f"A period after {source.period}, like {following_period(source.period)} "
            "(April to March)."
        )

    def clean_period(self) -> str:
        try:
            period = parse_period(self.cleaned_data["period"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        if period_start_year(period) <= period_start_year(self.source.period):
            raise forms.ValidationError(
                f"Choose a period after {self.source.period}, such as "
                f"{following_period(self.source.period)}: copying forward starts a later year."
            )
        if Assessment.objects.filter(partnership=self.source.partnership, period=period).exists():
            raise forms.ValidationError(f"There is already an assessment for {period}.")
        return period


class PrescoreForm(forms.Form):
    """The analyst's level and evidence note for each harm and likelihood factor."""

    def __init__(self, *args, spec: ScoringModelSpec, current: dict[str, tuple[str, str]], **kw):
        super().__init__(*args, **kw)
        self.factors = list(analyst_factors(spec))
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

"""Forms of the assessments app."""

from __future__ import annotations

from django import forms
from django.conf import settings

from assessments.importing import KINDS, POLICE_UK_PRESET
from assessments.imports import ColumnMapping


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
            (POLICE_UK_PRESET, "data.police.uk street-level files"),
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

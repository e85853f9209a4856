"""Forms for a partnership's people, organisations and invitations, and for joining."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import BaseUserCreationForm

from assessments.models import Organisation, Partnership, Role


def _current_organisations(partnership: Partnership):
    return Organisation.objects.filter(partnership=partnership, retired_at__isnull=True)


class _RoleAndOrganisation(forms.Form):
    """A role and the organisation the person speaks for (a partner must have one)."""

    role = forms.ChoiceField(choices=Role.choices)
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="None",
        help_text="Who they speak for. Partners must have one.",
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.fields["organisation"].queryset = _current_organisations(partnership)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.PARTNER and not cleaned.get("organisation"):
            self.add_error("organisation", "A partner speaks for an organisation: choose one.")
        return cleaned


class InvitationForm(_RoleAndOrganisation):
    """Invite one person by email."""

    name = forms.CharField(max_length=300, help_text="Their full name.")
    email = forms.EmailField(max_length=254)
    field_order = ["name", "email", "role", "organisation"]


class MembershipForm(_RoleAndOrganisation):
    """Change a member's role or organisation."""


class OrganisationForm(forms.Form):
    """Add or rename an organisation."""

    name = forms.CharField(max_length=200, label="Organisation name")


class PartnershipForm(forms.Form):
    """A site admin's new partnership, with its first admin."""

    name = forms.CharField(max_length=200, help_text="For example Safer Torbay.")
    slug = forms.SlugField(
        max_length=60,
        label="Web address",
        help_text="Lower-case letters, digits and hyphens: pages will be at /p/<address>/.",
    )
    area_name = forms.CharField(max_length=200, label="Area", help_text="The area it covers.")
    admin_name = forms.CharField(max_length=300, label="First admin's name")
    admin_email = forms.EmailField(max_length=254, label="First admin's email")

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].lower()
        if Partnership.objects.filter(slug=slug).exists():
            raise forms.ValidationError("That web address is taken; choose another.")
        return slug


class PeopleImportForm(forms.Form):
    """A CSV or XLSX of people to invite at once."""

    file = forms.FileField(
        help_text="CSV or Excel (.xlsx) with columns name, email, organisation, role."
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(f"The file is larger than {settings.UPLOAD_MAX_MB} MB.")
        return upload


class AcceptInvitationForm(BaseUserCreationForm):
    """A new account from an invitation: the person's own username, name and password,
    checked by Django's password validators against what they typed."""

    class Meta:
        model = get_user_model()
        fields = ("username", "first_name", "last_name")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields[
            "username"
        ].help_text = "What you will sign in with: letters, digits and @ . + - _ only."

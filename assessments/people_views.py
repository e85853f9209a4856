"""Pages for a partnership's people and organisations (admins), starting a partnership (site
admins) and joining by an invitation link (anyone holding one)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from assessments import access
from assessments import people_services as services
from assessments.imports import ImportFailed
from assessments.imports.store.people_import import people_import
from assessments.models import Invitation, Membership, Organisation
from assessments.people_forms import (
    AcceptInvitationForm,
    InvitationForm,
    MembershipForm,
    OrganisationForm,
    PartnershipForm,
    PeopleImportForm,
)


def _posted(request: HttpRequest, *, files: bool = False) -> tuple:
    """The form's data: bound on any POST, even an empty one (which then shows its problems)."""
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _sent_page(request, partnership, membership, sent: list) -> HttpResponse:
    """The invitations just sent, each with its link to copy (shown this once only)."""
    return render(
        request,
        "assessments/people/invitation_sent.html",
        {
            "partnership": partnership,
            "membership": membership,
            "sent": sent,
            "email_configured": settings.WORKBENCH_EMAIL_CONFIGURED,
            "days": services.invitation_days(),
        },
    )


def partnership_create(request: HttpRequest) -> HttpResponse:
    """A site admin starts a partnership and invites its first admin."""
    access.site_admin_required(request.user)
    form = PartnershipForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sent = services.partnership_create(
                name=data["name"],
                slug=data["slug"],
                area_name=data["area_name"],
                admin_email=data["admin_email"],
                admin_name=data["admin_name"],
                user=request.user,
                base_url=_base_url(request),
            )
        except services.PeopleRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"{data['name']} is started.")
            return _sent_page(request, sent.invitation.partnership, None, [sent])
    return render(
        request, "assessments/people/partnership_form.html", {"form": form}, status=_status(form)
    )


@require_GET
def people(request: HttpRequest, partnership: str) -> HttpResponse:
    """Everyone in the partnership, with open invitations: what an admin manages."""
    partnership_obj, membership = access.partnership_for(
        request.user, partnership, access.MANAGE_PEOPLE
    )
    members = Membership.everyone.filter(partnership=partnership_obj).select_related(
        "user", "organisation"
    )
    invitations = Invitation.objects.filter(
        partnership=partnership_obj, accepted_at__isnull=True
    ).select_related("organisation")
    return render(
        request,
        "assessments/people/people.html",
        {
            "partnership": partnership_obj,
            "membership": membership,
            "members": members.order_by("deactivated_at", "user__first_name", "user__username"),
            "invitations": invitations,
        },
    )


def invite(request: HttpRequest, partnership: str) -> HttpResponse:
    """Invite one person by email with a role and organisation."""
    partnership_obj, membership = access.partnership_for(
        request.user, partnership, access.MANAGE_PEOPLE
    )
    form = InvitationForm(*_posted(request), partnership=partnership_obj)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sent = services.invitation_create(
                partnership=partnership_obj,
                email=data["email"],
                name=data["name"],
                role=data["role"],
                organisation=data["organisation"],
                user=request.user,
                base_url=_base_url(request),
            )
        except services.PeopleRefused as refusal:
            form.add_error("email", str(refusal))
        else:
            return _sent_page(request, partnership_obj, membership, [sent])
    return render(
        request,
        "assessments/people/invite.html",
        {"partnership": partnership_obj, "membership": membership, "form": form},
        status=_status(form),
    )


def people_import_view(request: HttpRequest, partnership: str) -> HttpResponse:
    """Invite many people from a CSV or XLSX: all of them, or nobody if any row is wrong."""
    partnership_obj, membership = access.partnership_for(
        request.user, partnership, access.MANAGE_PEOPLE
    )
    form = PeopleImportForm(*_posted(request, files=True))
    failure = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            sent = people_import(
                partnership=partnership_obj,
                filename=upload.name,
                stream=upload,
                user=request.user,
                base_url=_base_url(request),
            )
        except ImportFailed as error:
            failure = error
        else:
            return _sent_page(request, partnership_obj, membership, sent)
    return render(
        request,
        "assessments/people/people_import.html",
        {
            "partnership": partnership_obj,
            "membership": membership,
            "form": form,
            "failure": failure,
            "limit_mb": settings.UPLOAD_MAX_MB,
        },
        status=400 if failure or (form.is_bound and form.errors) else 200,
    )


def _member(partnership, membership_id: int) -> Membership:
    return get_object_or_404(
        Membership.everyone.select_related("user", "organisation"),
        partnership=partnership,
        pk=membership_id,
    )


def person(request: HttpRequest, partnership: str, membership_id: int) -> HttpResponse:
    """Change one member's role or organisation; deactivate them."""
    partnership_obj, membership = access.partnership_for(
        request.user, partnership, access.MANAGE_PEOPLE
    )
    member = _member(partnership_obj, membership_id)
    form = MembershipForm(
        *_posted(request),
        partnership=partnership_obj,
        initial={"role": member.role, "organisation": member.organisation},
    )
    if member.organisation and member.organisation.is_retired:
        form.fields["organisation"].queryset = Organisation.objects.filter(
            partnership=partnership_obj
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_change(
                membership=member,
                role=form.cleaned_data["role"],
                organisation=form.cleaned_data["organisation"],
                user=request.user,
            )
        except services.PeopleRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"Saved {member.user.get_full_name() or member.user}.")
            return redirect("assessments:people", partnership=partnership)
    return render(
        request,
        "assessments/people/person.html",
        {
            "partnership": partnership_obj,
            "membership": membership,
            "member": member,
            "form": form,
        },
        status=_status(form),
    )


@require_POST
def person_deactivate(request: HttpRequest, partnership: str, membership_id: int) -> HttpResponse:
    """Deactivate a member: sign-in refused, history kept."""
    partnership_obj, _ = access.partnership_for(request.user, partnership, access.MANAGE_PEOPLE)
    member = _member(partnership_obj, membership_id)
    try:
        services.membership_deactivate(membership=member, user=request.user)
    except services.PeopleRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("assessments:person", partnership=partnership, membership_id=member.pk)
    messages.success(request, f"{member.user.get_full_name() or member.user} is deactivated.")
    return redirect("assessments:people", partnership=partnership)


def _invitation(partnership, invitation_id: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("partnership", "organisation"),
        partnership=partnership,
        pk=invitation_id,
    )


@require_POST
def invitation_resend(request: HttpRequest, partnership: str, invitation_id: int) -> HttpResponse:
    """Send an invitation again with a new link (the old one stops working)."""
    partnership_obj, membership = access.partnership_for(
        request.user, partnership, access.MANAGE_PEOPLE
    )
    invitation = _invitation(partnership_obj, invitation_id)
    try:
        sent = services.invitation_resend(
            invitation=invitation, user=request.user, base_url=_base_url(request)
        )
    except services.PeopleRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("assessments:people", partnership=partnership)
    return _sent_page(request, partnership_obj, membership, [sent])


@require_POST
def invitation_revoke(request: HttpRequest, partnership: str, invitation_id: int) -> HttpResponse:
    """Revoke an invitation: its link stops working."""
    partnership_obj, _ = access.partnership_for(request.user, partnership, access.MANAGE_PEOPLE)
    invitation = _invitation(partnership_obj, invitation_id)
    try:
        services.invitation_revoke(invitation=invitation, user=request.user)
    except services.PeopleRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"The invitation to {invitation.email} is revoked.")
    return redirect("assessments:people", partnership=partnership)


def organisations(request: HttpRequest, partnership: str) -> HttpResponse:
    """The partnership's organisations, current and retired; add one."""
    partnership_obj, membership = access.partnership_for(
        request.user, partnership, access.MANAGE_PEOPLE
    )
    form = OrganisationForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                partnership=partnership_obj, name=form.cleaned_data["name"], user=request.user
            )
        except services.PeopleRefused as refusal:
            form.add_error("name", str(refusal))
        else:
            messages.success(request, f"Added {organisation.name}.")
            return redirect("assessments:organisations", partnership=partnership)
    listed = Organisation.objects.filter(partnership=partnership_obj).prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.only("id", "organisation_id"))
    )
    return render(
        request,
        "assessments/people/organisations.html",
        {
            "partnership": partnership_obj,
            "membership": membership,
            "form": form,
            "organisations": listed.order_by("retired_at", "name"),
        },
        status=_status(form),
    )


def _organisation(partnership, organisation_id: int) -> Organisation:
    return get_object_or_404(Organisation, partnership=partnership, pk=organisation_id)


def organisation_edit(request: HttpRequest, partnership: str, organisation_id: int) -> HttpResponse:
    """Rename an organisation."""
    partnership_obj, membership = access.partnership_for(
        request.user, partnership, access.MANAGE_PEOPLE
    )
    organisation = _organisation(partnership_obj, organisation_id)
    form = OrganisationForm(*_posted(request), initial={"name": organisation.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_rename(
                organisation=organisation, name=form.cleaned_data["name"], user=request.user
            )
        except services.PeopleRefused as refusal:
            form.add_error("name", str(refusal))
        else:
            messages.success(request, f"Saved {organisation.name}.")
            return redirect("assessments:organisations", partnership=partnership)
    return render(
        request,
        "assessments/people/organisation_edit.html",
        {
            "partnership": partnership_obj,
            "membership": membership,
            "organisation": organisation,
            "form": form,
        },
        status=_status(form),
    )


@require_POST
def organisation_retire(
    request: HttpRequest, partnership: str, organisation_id: int
) -> HttpResponse:
    """Retire an organisation (kept with its history, no longer offered)."""
    partnership_obj, _ = access.partnership_for(request.user, partnership, access.MANAGE_PEOPLE)
    organisation = _organisation(partnership_obj, organisation_id)
    try:
        services.organisation_retire(organisation=organisation, user=request.user)
    except services.PeopleRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"{organisation.name} is retired; its history is kept.")
    return redirect("assessments:organisations", partnership=partnership)


@require_GET
def people_history(request: HttpRequest, partnership: str) -> HttpResponse:
    """Every change to the partnership's people, roles, invitations and organisations."""
    partnership_obj, membership = access.partnership_for(
        request.user, partnership, access.MANAGE_PEOPLE
    )
    return render(
        request,
        "assessments/people/history.html",
        {
            "partnership": partnership_obj,
            "membership": membership,
            "changes": partnership_obj.people_changes.all()[:500],
        },
    )


def _accept_signed_in(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    """Someone signed in holds the link: they join if it is theirs, else are told to sign out."""
    user = request.user
    theirs = user.email and user.email.lower() == invitation.email.lower()
    if theirs and request.method == "POST":
        services.invitation_accept(invitation=invitation, user=user)
        messages.success(request, f"You have joined {invitation.partnership.name}.")
        return redirect("assessments:home")
    return render(
        request,
        "assessments/people/accept_signed_in.html",
        {"invitation": invitation, "theirs": theirs},
    )


@login_not_required
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Join a partnership by an invitation link: choose a username and password."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "assessments/people/invitation_invalid.html", status=404)
    if request.user.is_authenticated:
        return _accept_signed_in(request, invitation)
    model = AcceptInvitationForm._meta.model
    form = AcceptInvitationForm(
        *_posted(request),
        instance=model(email=invitation.email),
        initial={"username": invitation.email.lower(), **_split_name(invitation.name)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.invitation_accept(
                invitation=invitation,
                username=data["username"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except services.PeopleRefused:
            raise Http404("This invitation has already been used.") from None
        # Through authenticate(), so sign-in throttling sees this sign-in as any other.
        user = authenticate(request, username=data["username"], password=data["password1"])
        if user is not None:
            login(request, user)
            messages.success(request, f"Welcome to {invitation.partnership.name}.")
            return redirect("assessments:home")
        messages.success(request, "Your account is ready: sign in with your new password.")
        return redirect("login")
    return render(
        request,
        "assessments/people/accept.html",
        {"invitation": invitation, "form": form},
        status=_status(form),
    )


def _split_name(name: str) -> dict[str, str]:
    first, _, last = name.strip().partition(" ")
    return {"first_name": first, "last_name": last.strip()}

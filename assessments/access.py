"""Who may see and do what: one table of role capabilities and the helpers every view uses."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from assessments.models import Assessment, Membership, Partnership, Role
from assessments.periods import slug_to_period

VIEW = "view"
MANAGE_DATA = "manage_data"
MANAGE_REGISTER = "manage_register"
PRESCORE = "prescore"
RUN_WORKSHOP = "run_workshop"
SCORE = "score"
VIEW_RESULTS = "view_results"
SIGN_OFF = "sign_off"
MARK_PRIORITY = "mark_priority"
EXPORT = "export"
VIEW_AUDIT = "view_audit"
EDIT_NARRATIVE = "edit_narrative"
MANAGE_MODEL = "manage_model"
MANAGE_PEOPLE = "manage_people"

ALL_CAPABILITIES = frozenset(
    {
        VIEW,
        MANAGE_DATA,
        MANAGE_REGISTER,
        PRESCORE,
        RUN_WORKSHOP,
        SCORE,
        VIEW_RESULTS,
        SIGN_OFF,
        MARK_PRIORITY,
        EXPORT,
        VIEW_AUDIT,
        EDIT_NARRATIVE,
        MANAGE_MODEL,
        MANAGE_PEOPLE,
    }
)

# PRODUCT.md's role table, as data.
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ADMIN: ALL_CAPABILITIES - {SCORE},
    Role.ANALYST: frozenset(
        {VIEW, MANAGE_DATA, MANAGE_REGISTER, PRESCORE, VIEW_RESULTS, EXPORT, EDIT_NARRATIVE}
    ),
    Role.FACILITATOR: frozenset({VIEW, RUN_WORKSHOP, VIEW_RESULTS, VIEW_AUDIT}),
    Role.PARTNER: frozenset({VIEW, SCORE}),
    Role.BOARD: frozenset({VIEW, VIEW_RESULTS, SIGN_OFF, MARK_PRIORITY, EXPORT, VIEW_AUDIT}),
}


def can(membership: Membership | None, capability: str) -> bool:
    """Whether a membership's role grants `capability`."""
    return membership is not None and capability in ROLE_CAPABILITIES[membership.role]


User = AbstractBaseUser | AnonymousUser


def membership_for(user: User, partnership: Partnership) -> Membership | None:
    """The user's membership of a partnership, or None."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.select_related("organisation")
        .filter(user=user, partnership=partnership)
        .first()
    )


def partnership_for(
    user: User, slug: str, capability: str = VIEW
) -> tuple[Partnership, Membership]:
    """The partnership if the user belongs to it (else 404) and may do `capability` (else 403)."""
    partnership = get_object_or_404(Partnership, slug=slug)
    membership = membership_for(user, partnership)
    if membership is None:
        # Outsiders learn nothing, not even that the partnership exists.
        raise Http404("No such partnership.")
    if not can(membership, capability):
        raise PermissionDenied(f"Your role ({membership.get_role_display()}) may not do this.")
    return partnership, membership


def site_admin_required(user: User) -> None:
    """Only the site's superusers start partnerships; anyone else learns nothing (404)."""
    if not (user.is_authenticated and user.is_active and user.is_superuser):
        raise Http404("No such page.")


def assessment_for(
    user: User, slug: str, period_slug: str, capability: str = VIEW
) -> tuple[Assessment, Membership]:
    """The assessment if the user belongs to its partnership and may do `capability`."""
    partnership, membership = partnership_for(user, slug, capability)
    assessment = get_object_or_404(
        Assessment.objects.select_related("partnership"),
        partnership=partnership,
        period=slug_to_period(period_slug),
    )
    return assessment, membership


def assessments_by_membership(user: User) -> list[tuple[Membership, list[Assessment]]]:
    """Each of the user's memberships, by partnership name, with its partnership's assessments
    (newest period first), in two queries."""
    if not user.is_authenticated:
        return []
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("partnership", "organisation")
        .order_by("partnership__name")
    )
    by_partnership: dict[int, list[Assessment]] = {m.partnership_id: [] for m in memberships}
    for assessment in Assessment.objects.filter(
        partnership__in=list(by_partnership)
    ).select_related("partnership"):
        by_partnership[assessment.partnership_id].append(assessment)
    return [(m, by_partnership[m.partnership_id]) for m in memberships]

"""Who may see a workshop: the assessment's access rules plus the workshop's invitations."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404

from assessments.access import SCORE, can
from assessments.models import Membership
from assessments.periods import slug_to_period
from workshops.models import Workshop, WorkshopStatus


def is_invited(workshop: Workshop, membership: Membership, user) -> bool:
    """A partner is invited when their organisation is, and the workshop either names no people
    or names them."""
    if membership.organisation_id is None:
        return False
    org_ids = {org.id for org in workshop.organisations.all()}
    if membership.organisation_id not in org_ids:
        return False
    people = {person.id for person in workshop.participants.all()}
    return not people or user.id in people


def _membership(user, slug: str, capability: str) -> Membership:
    """The user's membership of the partnership `slug` (404 if none) allowing `capability` (403).

    One query: the membership with its partnership and organisation.
    """
    membership = (
        Membership.objects.select_related("partnership", "organisation")
        .filter(user=user, partnership__slug=slug)
        .order_by()
        .first()
        if user.is_authenticated
        else None
    )
    if membership is None:
        # Outsiders learn nothing, not even that the partnership exists.
        raise Http404("No such partnership.")
    if not can(membership, capability):
        raise PermissionDenied(f"Your role ({membership.get_role_display()}) may not do this.")
    return membership


def workshop_for(
    user, slug: str, period_slug: str, pk: int, capability: str
) -> tuple[Workshop, Membership]:
    """The workshop if the user may do `capability` in its assessment (404/403 otherwise).

    Scoring needs an invitation and an opened workshop; uninvited partners get a 404, so they
    learn nothing about workshops they are not part of. Three small queries for a partner
    (membership, workshop, invitation): this runs on every save.
    """
    membership = _membership(user, slug, capability)
    workshops = Workshop.objects.select_related("assessment__partnership").filter(
        pk=pk,
        assessment__partnership_id=membership.partnership_id,
        assessment__period=slug_to_period(period_slug),
    )
    if capability != SCORE:
        workshop = workshops.prefetch_related("organisations", "participants").first()
        if workshop is None:
            raise Http404("No such workshop.")
        return workshop, membership
    workshop = workshops.first()
    if (
        workshop is None
        or workshop.status == WorkshopStatus.DRAFT
        or membership.organisation_id is None
        or not _invited_to_score(workshop.pk, membership.organisation_id, user.pk)
    ):
        raise Http404("No such workshop.")
    return workshop, membership


def _invited_to_score(workshop_id: int, organisation_id: int, user_id: int) -> bool:
    """Whether the organisation is invited and the workshop names no people or names the user,
    as `is_invited` decides. Plain SQL because it runs on every save: Django took longer to
    build this as three EXISTS annotations (2 ms) than the database takes to answer it."""
    organisations = Workshop.organisations.through._meta.db_table
    participants = Workshop.participants.through._meta.db_table
    sql = f"""
        SELECT EXISTS (SELECT 1 FROM {organisations}
                       WHERE workshop_id = %s AND organisation_id = %s),
               NOT EXISTS (SELECT 1 FROM {participants} WHERE workshop_id = %s)
               OR EXISTS (SELECT 1 FROM {participants} WHERE workshop_id = %s AND user_id = %s)
    """  # noqa: S608 - table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [workshop_id, organisation_id, workshop_id, workshop_id, user_id])
        organisation_invited, person_invited = cursor.fetchone()
    return bool(organisation_invited) and bool(person_invited)

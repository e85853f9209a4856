"""Who may see a workshop: the assessment's access rules plus the workshop's invitations."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from assessments.access import SCORE, assessment_for
from assessments.models import Membership
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


def workshop_for(
    user, slug: str, period_slug: str, pk: int, capability: str
) -> tuple[Workshop, Membership]:
    """The workshop if the user may do `capability` in its assessment (404/403 otherwise).

    Scoring needs an invitation and an opened workshop; uninvited partners get a 404, so they
    learn nothing about workshops they are not part of.
    """
    assessment, membership = assessment_for(user, slug, period_slug, capability)
    workshop = get_object_or_404(
        Workshop.objects.select_related("assessment__partnership").prefetch_related(
            "organisations", "participants"
        ),
        pk=pk,
        assessment=assessment,
    )
    if capability == SCORE and (
        workshop.status == WorkshopStatus.DRAFT or not is_invited(workshop, membership, user)
    ):
        raise Http404("No such workshop.")
    return workshop, membership

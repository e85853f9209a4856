"""Bulk invitations from a table of people: every row invited, or nobody."""

from __future__ import annotations

from typing import BinaryIO

from django.db import transaction

from assessments.imports.parse import ImportFailed, ImportProblem, parse_people, read_table
from assessments.imports.parse.values import folded
from assessments.imports.store.importer import max_upload_bytes
from assessments.models import Invitation, Membership, Organisation, Partnership, Role
from assessments.people_services import PeopleRefused, SentInvitation, invitation_create


def _known(partnership: Partnership) -> tuple[dict[str, Organisation], set[str], set[str]]:
    """Current organisations by folded name; emails of members and of open invitations."""
    organisations = {
        folded(o.name): o
        for o in Organisation.objects.filter(partnership=partnership, retired_at__isnull=True)
    }
    members = {
        e.casefold()
        for e in Membership.objects.filter(partnership=partnership).values_list(
            "user__email", flat=True
        )
        if e
    }
    invited = {
        e.casefold()
        for e in Invitation.objects.filter(
            partnership=partnership, accepted_at__isnull=True, revoked_at__isnull=True
        ).values_list("email", flat=True)
    }
    return organisations, members, invited


def people_import(
    *,
    partnership: Partnership,
    filename: str,
    stream: BinaryIO | bytes,
    user=None,
    base_url: str | None = None,
) -> list[SentInvitation]:
    """Invite everyone in a CSV or XLSX of `name,email,organisation,role`. Raises ImportFailed
    naming each bad row and column; then nobody is invited and no email is sent."""
    table = read_table(stream, filename, max_bytes=max_upload_bytes())
    rows = parse_people(table, roles=dict(Role.choices))
    organisations, members, invited = _known(partnership)
    problems = []
    names = ", ".join(sorted(o.name for o in organisations.values())) or "none yet"
    for row in rows:
        if row.email.casefold() in members:
            problems.append(ImportProblem(row.row, "email", f"{row.email} is already a member"))
        elif row.email.casefold() in invited:
            problems.append(
                ImportProblem(row.row, "email", f"{row.email} is already invited; resend that")
            )
        if row.organisation and folded(row.organisation) not in organisations:
            problems.append(
                ImportProblem(
                    row.row,
                    "organisation",
                    f"{partnership.name} has no organisation called {row.organisation!r} "
                    f"(it has: {names}); add it first",
                )
            )
        elif not row.organisation and row.role == Role.PARTNER:
            problems.append(
                ImportProblem(row.row, "organisation", "a partner speaks for an organisation")
            )
    if problems:
        raise ImportFailed(problems, filename)
    sent = []
    with transaction.atomic():
        for row in rows:
            try:
                sent.append(
                    invitation_create(
                        partnership=partnership,
                        email=row.email,
                        name=row.name,
                        role=row.role,
                        organisation=organisations.get(folded(row.organisation)),
                        user=user,
                        base_url=base_url,
                    )
                )
            except PeopleRefused as refusal:
                # Rolls back every invitation of the file: all or nothing.
                raise ImportFailed([ImportProblem(row.row, None, str(refusal))], filename) from None
    return sent

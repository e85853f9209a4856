"""People to invite: `name,email,organisation,role`, one person a row."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial

from . import values
from .columns import check_unique, table_rows
from .files import Table
from .limits import MAX_PEOPLE_ROWS

REQUIRED = ("name", "email", "organisation", "role")
EMAIL_LIMIT = 254
# Deliberately loose (the mail server has the last word): one @, no spaces, a dot after it.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class PersonRow:
    name: str
    email: str
    organisation: str
    role: str
    row: int


def email_address(text: str) -> str:
    """A stripped email address; ValueError if empty, too long or not an address."""
    cleaned = text.strip()
    if not cleaned:
        raise ValueError("the email is empty")
    if len(cleaned) > EMAIL_LIMIT:
        raise ValueError(f"the email is {len(cleaned):,} characters long; at most {EMAIL_LIMIT}")
    if not _EMAIL.match(cleaned):
        raise ValueError(f"{cleaned!r} is not an email address")
    return cleaned


def role_value(text: str, *, roles: dict[str, str]) -> str:
    """A role by its value or its label, in any case (`Board member`, `board`)."""
    word = values.folded(text)
    if not word:
        raise ValueError(f"the role is empty; one of {', '.join(roles.values())}")
    for value, label in roles.items():
        if word in (value.casefold(), label.casefold()):
            return value
    raise ValueError(f"{text.strip()!r} is not a role; one of {', '.join(roles.values())}")


def parse_people(
    table: Table, *, roles: dict[str, str], max_rows: int = MAX_PEOPLE_ROWS
) -> list[PersonRow]:
    """Columns `name,email,organisation,role`; each email once. `roles` maps each role's value
    to its label; the organisation is checked against the database by the store."""
    seen: dict = {}
    result = []
    for reader in table_rows(table, REQUIRED, max_rows=max_rows):
        name = reader.get("name", partial(values.name, what="name", limit=300))
        email = reader.get("email", email_address)
        organisation = reader.get(
            "organisation", partial(values.name, what="organisation", required=False)
        )
        role = reader.get("role", partial(role_value, roles=roles))
        if email:
            check_unique(seen, email.casefold(), reader, "email", f"the email {email!r}")
        if reader.ok:
            result.append(PersonRow(name, email, organisation, role, reader.number))
    return result

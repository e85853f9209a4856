"""Two people of one organisation race real concurrent per-factor saves on the same risks: none
errors, none is silently overwritten (a stale one is told of the colleague's answer), and the
audit trail chains every change, one per version.

Runs on both databases. PostgreSQL test databases take a connection per thread as they are; an
in-memory SQLite database is one connection shared by every thread, so on SQLite the test copies
the database to a file for its duration and each thread opens its own connection to the file.
"""

from __future__ import annotations

import random
import sqlite3
import threading
from collections import defaultdict
from contextlib import contextmanager

import pytest
from django.db import connection, connections
from django.db.utils import load_backend
from django.test import Client

from assessments.models import ScoreChange, ScoreKind
from tests.conftest import _member
from tests.workshops.conftest import url
from workshops.models import RiskComment, Submission

CHOICES = {
    "confidence": ["High", "Medium", "Low"],
    "capacity": ["Strong", "Adequate", "Limited", "Weak"],
    "capability": ["Strong", "Adequate", "Limited", "Weak"],
    "cost": ["Strong", "Adequate", "Limited", "Weak"],
    "mitigation": ["Strong", "Adequate", "Limited", "Weak"],
}
PHYSICAL = ["None", "Low", "Moderate", "Substantial", "Critical"]
SAVES_PER_THREAD = 8


@contextmanager
def connections_of_their_own():
    """Yield `use()`, which gives the calling thread its own connection to the test database."""
    if connection.vendor != "sqlite":
        yield lambda: None
        return
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "race.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        connection.connection.backup(copy)
        copy.close()
        on_file = {**connection.settings_dict, "NAME": str(path)}
        backend = load_backend(on_file["ENGINE"])

        def use():
            # Per thread: the connection handler keeps connections thread-local.
            connections["default"] = backend.DatabaseWrapper(on_file, "default")

        yield use


@pytest.mark.django_db(transaction=True)
def test_colleagues_racing_on_the_same_risks_lose_nothing_and_never_error(
    workshop, risks, partnership, police, council, police_partner, council_partner
):
    """Each thread is one page saving answer after answer, as the page's script does: each
    based on the version its page last saw; told of a colleague's newer answer, it keeps theirs
    or applies its own (saved again, based on theirs)."""
    colleague = _member("pam_police", partnership, "partner", police)
    people = [police_partner, police_partner, colleague, colleague, council_partner]
    organisation_of = {police_partner: police, colleague: police, council_partner: council}
    answers: list[tuple[int, int, str, str, int, str]] = []  # org, risk, part, level, version
    errors: list[BaseException] = []
    lock = threading.Lock()

    with connections_of_their_own() as use:
        barrier = threading.Barrier(len(people), timeout=60)

        def partner(user, worker: int) -> None:
            try:
                use()
                rng = random.Random(worker)
                client = Client()
                client.force_login(user)
                seen: dict[tuple[int, str], int] = defaultdict(int)  # the page's versions
                barrier.wait()
                for _ in range(SAVES_PER_THREAD):
                    for risk in risks:
                        part = rng.choice([*CHOICES, "physical", "comment"])
                        data = {"round": 1, "parts": part, f"version_{part}": seen[(risk.pk, part)]}
                        if part == "comment":
                            level = f"{user.username} #{worker}.{rng.random()}"
                            data["comment"] = level
                        elif part == "physical":  # challenge, or withdraw the challenge
                            level = rng.choice(["", *PHYSICAL])
                            data |= {"challenge_physical": level, "reason_physical": "x"}
                        else:
                            level = rng.choice(CHOICES[part])
                            data[part] = level
                        for _attempt in range(2):
                            response = client.post(
                                url(workshop, "answer", risk_id=risk.pk),
                                data,
                                HTTP_ACCEPT="application/json",
                            )
                            assert response.status_code == 200, response.content
                            stored = response.json()["parts"][part]
                            seen[(risk.pk, part)] = stored["version"]
                            with lock:
                                answers.append(
                                    (
                                        organisation_of[user].pk,
                                        risk.pk,
                                        part,
                                        stored["level"] or stored["text"],
                                        stored["version"],
                                        stored["state"],
                                    )
                                )
                            if stored["state"] == "saved" or rng.random() < 0.5:
                                break  # saved, or the colleague's answer is kept
                            data[f"version_{part}"] = stored["version"]  # apply mine
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                connections["default"].close()

        threads = [
            threading.Thread(target=partner, args=(user, worker))
            for worker, user in enumerate(people)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=180)
        # Read what the racing threads stored through a connection to the same database, then
        # give this thread back the test database's own connection.
        test_database = connections["default"]
        use()
        try:
            stored = _stored_answers()
            chains = _audit_chains()
        finally:
            if connections["default"] is not test_database:
                connections["default"].close()
                connections["default"] = test_database

    assert errors == []
    assert len(answers) >= len(people) * SAVES_PER_THREAD * len(risks)
    assert any(state == "conflict" for *_, state in answers), "no save ever raced"
    # Each version of each answer is one change in the audit trail, chained old → new, ending
    # at what is stored; every answer a page was told of (its own saved, or a colleague's
    # kept) is that version's change.
    for (org_id, risk_id, key), chain in chains.items():
        assert chain[0][0] == ""
        for (_, before), (after, _) in zip(chain, chain[1:], strict=False):
            assert after == before, (org_id, risk_id, key, chain)
        level, version = stored.get((org_id, risk_id, key), ("", None))
        assert chain[-1][1] == level, (org_id, risk_id, key)
        if version is not None and key != "physical":  # a withdrawal restarts its versions
            assert version == len(chain), (org_id, risk_id, key)
    for org_id, risk_id, part, level, version, _ in answers:
        if part in CHOICES and version:
            assert chains[(org_id, risk_id, part)][version - 1][1] == level
        elif part == "comment" and version:
            assert stored[(org_id, risk_id, "comment")][1] >= version


def _stored_answers() -> dict[tuple[int, int, str], tuple[str, int]]:
    """(organisation, risk, factor or "comment") → (stored level or text, version)."""
    stored = {
        (org_id, risk_id, key): (label, version)
        for org_id, risk_id, key, label, version in Submission.objects.values_list(
            "organisation_id", "risk_id", "factor_key", "level_label", "version"
        )
    }
    for comment in RiskComment.objects.all():
        key = (comment.organisation_id, comment.risk_id, "comment")
        stored[key] = (comment.text, comment.version)
    return stored


def _audit_chains() -> dict[tuple[int, int, str], list[tuple[str, str]]]:
    """(organisation, risk, factor) → [(old level, new level), …] in the order written."""
    chains: dict[tuple[int, int, str], list[tuple[str, str]]] = defaultdict(list)
    for org_id, risk_id, key, old, new in (
        ScoreChange.objects.filter(kind=ScoreKind.SUBMISSION)
        .exclude(factor_key="comment")
        .order_by("id")
        .values_list("organisation_id", "risk_id", "factor_key", "old_label", "new_label")
    ):
        chains[(org_id, risk_id, key)].append((old, new))
    return chains

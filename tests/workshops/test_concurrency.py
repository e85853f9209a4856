"""Two people of one organisation race real concurrent requests on the same risks: no update is
lost, none errors, each stored answer is one whole save, and the audit trail chains every change.

Runs on both databases. PostgreSQL test databases take a connection per thread as they are; an
in-memory SQLite database is one connection shared by every thread, so on SQLite the test copies
the database to a file for its duration and each thread opens its own connection to the file.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass

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


@dataclass
class Save:
    """One request: who sent what for which risk, when it started and when it was answered."""

    username: str
    organisation_id: int
    risk_id: int
    levels: dict[str, str]  # factor key → level; "physical" only when challenged
    comment: str  # unique, so the stored comment names the save that was stored
    started: float
    answered: float = 0.0
    acknowledged: bool = False


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
    colleague = _member("pam_police", partnership, "partner", police)
    people = [police_partner, police_partner, colleague, colleague, council_partner]
    organisation_of = {police_partner: police, colleague: police, council_partner: council}
    saves: list[Save] = []
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
                barrier.wait()
                for n in range(SAVES_PER_THREAD):
                    for risk in risks:
                        levels = {key: rng.choice(options) for key, options in CHOICES.items()}
                        data = {**levels, "comment": f"{user.username} #{worker}.{n}.{risk.pk}"}
                        if rng.random() < 0.5:  # challenge, or withdraw the challenge
                            levels["physical"] = rng.choice(PHYSICAL)
                            data |= {
                                "challenge_physical": levels["physical"],
                                "reason_physical": "x",
                            }
                        save = Save(
                            user.username,
                            organisation_of[user].pk,
                            risk.pk,
                            levels,
                            data["comment"],
                            time.monotonic(),
                        )
                        response = client.post(
                            url(workshop, "score_risk", risk_id=risk.pk),
                            data,
                            HTTP_HX_REQUEST="true",
                        )
                        save.answered = time.monotonic()
                        save.acknowledged = (
                            response.status_code == 200 and b"Saved your scores" in response.content
                        )
                        with lock:
                            saves.append(save)
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
    assert len(saves) == len(people) * SAVES_PER_THREAD * len(risks)
    assert all(save.acknowledged for save in saves)
    by_comment = {save.comment: save for save in saves}
    for (organisation_id, risk_id), (comment, levels, savers) in stored.items():
        # The stored answer is one whole save (its own comment, levels and saver)...
        last = by_comment[comment]
        assert (last.organisation_id, last.risk_id) == (organisation_id, risk_id)
        assert levels == last.levels and savers == {last.username}
        # ...that may have been the last to commit: no save of that organisation and risk
        # was sent after it was acknowledged.
        later = [
            s
            for s in saves
            if (s.organisation_id, s.risk_id) == (organisation_id, risk_id)
            and s.started > last.answered
        ]
        assert later == []
    assert len(stored) == 2 * len(risks)
    # The audit trail chains every change of every submission: each change starts from the
    # level the previous one left, and the last ends at what is stored.
    for (organisation_id, risk_id, key), chain in chains.items():
        assert chain[0][0] == ""
        for (_, before), (after, _) in zip(chain, chain[1:], strict=False):
            assert after == before, (organisation_id, risk_id, key, chain)
        _, levels, _ = stored[(organisation_id, risk_id)]
        assert chain[-1][1] == levels.get(key, ""), (organisation_id, risk_id, key)


def _stored_answers() -> dict[tuple[int, int], tuple[str, dict[str, str], set[str]]]:
    """(organisation, risk) → (stored comment, stored levels, usernames of who saved them)."""
    levels: dict[tuple[int, int], dict[str, str]] = defaultdict(dict)
    savers: dict[tuple[int, int], set[str]] = defaultdict(set)
    for org_id, risk_id, key, label, username in Submission.objects.values_list(
        "organisation_id", "risk_id", "factor_key", "level_label", "updated_by__username"
    ):
        levels[(org_id, risk_id)][key] = label
        savers[(org_id, risk_id)].add(username)
    comments = {(c.organisation_id, c.risk_id): c.text for c in RiskComment.objects.all()}
    return {key: (comments[key], levels[key], savers[key]) for key in levels}


def _audit_chains() -> dict[tuple[int, int, str], list[tuple[str, str]]]:
    """(organisation, risk, factor) → [(old level, new level), …] in the order written."""
    chains: dict[tuple[int, int, str], list[tuple[str, str]]] = defaultdict(list)
    for org_id, risk_id, key, old, new in (
        ScoreChange.objects.filter(kind=ScoreKind.SUBMISSION)
        .order_by("id")
        .values_list("organisation_id", "risk_id", "factor_key", "old_label", "new_label")
    ):
        chains[(org_id, risk_id, key)].append((old, new))
    return chains

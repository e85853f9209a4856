"""What one per-factor save costs the server, next to an empty signed-in view.

Sets up the workshop of benchmarks/workshop_load.py (one partner) in the configured database
(DATABASE_URL, else the SQLite default), signs the partner in once with Django's test client,
then in one run alternates, --rounds times each, a per-factor save (the scoring page's
script's request: one level, based on the version stored, so each save changes the answer) and
a GET of an empty view that needs a signed-in user, through the same middleware and session.
Prints the median of each, their ratio, and the queries of one save:

    save-cost: save_ms=X empty_ms=Y ratio=Z queries=Q

Usage: DATABASE_URL=sqlite:////tmp/wb-bench.sqlite3 python benchmarks/save_cost.py
       --profile writes a pyinstrument profile of the saves to /tmp/save-cost.html.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.workshop_load import SLUG, _clean_up, create_workshop, setup_django  # noqa: E402

urlpatterns: list = []  # this module is the URLconf while it runs: the app's URLs plus one


def empty_view(request):
    """Nothing but what every signed-in request pays: session, user, middleware."""
    from django.http import HttpResponse

    return HttpResponse("")


def _timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    setup_django(
        {
            "DJANGO_SECRET_KEY": "save-cost-benchmark-key",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_HSTS_SECONDS": "0",
        }
    )
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import clear_url_caches, include, path

    urlpatterns[:] = [path("", include("config.urls")), path("bench-empty/", empty_view)]
    settings.ROOT_URLCONF = __name__
    settings.ALLOWED_HOSTS = ["testserver"]
    clear_url_caches()

    workshop, risk_ids, people = create_workshop(2, 1)
    username, _ = people[0]
    client = Client()
    # A real session in the database, as signing in makes (the password check is not measured).
    client.force_login(get_user_model().objects.get(username=username))
    score = f"/p/{SLUG}/2019-20/workshops/{workshop.pk}/score/"
    assert client.get(score).status_code == 200  # starts the session's clocks
    answer = f"{score}{risk_ids[0]}/answer/"
    levels = ["Strong", "Adequate", "Limited", "Weak"]
    version = 0

    def save(n: int):
        nonlocal version
        response = client.post(
            answer,
            {
                "round": 1,
                "parts": "capacity",
                "capacity": levels[n % len(levels)],
                "version_capacity": version,
            },
            HTTP_ACCEPT="application/json",
        )
        assert response.status_code == 200, response.content
        stored = json.loads(response.content)["parts"]["capacity"]
        assert stored["state"] == "saved", stored
        version = stored["version"]

    def empty():
        assert client.get("/bench-empty/").status_code == 200

    for n in range(20):  # warm up: imports, caches, connections
        save(n)
        empty()
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # Counted by a wrapper, not CaptureQueriesContext: each request resets the query log.
    with connection.execute_wrapper(count):
        save(1)
    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler()
    saves, empties = [], []
    for n in range(args.rounds):
        empties.append(_timed(empty)[0])
        if profiler:
            profiler.start()
        saves.append(_timed(lambda n=n: save(n))[0])
        if profiler:
            profiler.stop()
    if profiler:
        Path("/tmp/save-cost.html").write_text(profiler.output_html())
    if "--keep" not in sys.argv:
        _clean_up()
    save_ms, empty_ms = statistics.median(saves), statistics.median(empties)
    print(
        f"save-cost: save_ms={save_ms:.2f} empty_ms={empty_ms:.2f} "
        f"ratio={save_ms / empty_ms:.1f} queries={len(queries)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

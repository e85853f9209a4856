"""Load test of a live workshop: N partners, two to an organisation, save scores concurrently.

Sets up a workshop with N partner users over --organisations organisations (N/2 by default, so
two people of each organisation share its answers) and the register's risks in the configured
database (DATABASE_URL, else the SQLite default), serves the app with gunicorn on 127.0.0.1,
runs N concurrent partners for the given time (sign in, fetch the CSRF token, then save one
risk's answers after another the way the page's htmx form does), checks what the database
holds, and prints

    workshop-load: partners=60 submissions=N lost=L errors=E p50_ms=X p95_ms=Y rps=Z

Colleagues work on the same risk at the same time (each organisation moves to another risk
every --risk-seconds), so their saves race. Each save is a whole answer: five levels, a
challenge of physical harm half the time (left out, it is withdrawn) and a comment unique to the
save. `submissions` counts acknowledged saves. `lost` counts what the database does not hold
as the last save left it: for each organisation and risk the stored comment names the save that
was stored, which must be one that could have been the last to commit (no acknowledged save of
the same organisation and risk was sent after it was answered), stored whole (every level and
the withdrawn challenge as it sent them); each factor value differing from that save (or, if
it could not have been last, from the last acknowledged save) counts, as does every change
missing from the audit trail (a change that does not start from the level the previous change
left, or a trail that does not end at the stored level).

Usage: DATABASE_URL=sqlite:////tmp/wb-bench.sqlite3 python benchmarks/workshop_load.py \
           --partners 60 --seconds 20
Each partner pauses --think-ms (±50%) between saves, as a person does; --think-ms 0 hammers.

--restart-db-at SECONDS restarts the local PostgreSQL cluster (pg_ctlcluster, fast mode) that
many seconds into the timed run. Saves in flight may then fail (they were never acknowledged and
count as errors, which are expected then), but no acknowledged save may be lost and saves must
succeed again afterwards without restarting gunicorn (CONN_HEALTH_CHECKS reconnects). A line
`db-restart: ...` before the last line says how long the restart took and how many errors fell
inside and outside its window.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REGISTER = ROOT / "benchmarks" / "data" / "risk-register.csv"
SLUG = "workshop-bench"
PASSWORD = "bench-partner-password"
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _clean_up() -> None:
    """Remove an earlier run's partnership and people (memberships protect organisations)."""
    from django.contrib.auth import get_user_model

    from assessments.models import Membership, Partnership, ScoreChange

    # The benchmark's own made-up audit trail: it protects its assessment from deletion.
    ScoreChange.objects.filter(assessment__partnership__slug=SLUG).delete()
    Membership.objects.filter(partnership__slug=SLUG).delete()
    get_user_model().objects.filter(username__startswith="bench-partner-").delete()
    Partnership.objects.filter(slug=SLUG).delete()


def create_workshop(partners: int, organisation_count: int):
    """A fresh partnership with the organisations, partners spread over them in turn, and an
    open workshop of the register's risks."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from assessments.models import (
        Assessment,
        Membership,
        Organisation,
        Partnership,
        Risk,
        Role,
        Theme,
    )
    from workshops.models import Workshop
    from workshops.services import workshop_open

    call_command("migrate", verbosity=0)
    user_model = get_user_model()
    _clean_up()
    partnership = Partnership.objects.create(name="Bench CSP", slug=SLUG, area_name="Bench")
    assessment = Assessment.objects.create(partnership=partnership, period="2019/20")
    themes: dict[str, Theme] = {}
    risks = []
    with REGISTER.open(newline="", encoding="utf-8") as handle:
        for order, row in enumerate(csv.DictReader(handle)):
            if row["theme"] not in themes:
                themes[row["theme"]] = Theme.objects.create(
                    assessment=assessment, name=row["theme"], order=len(themes)
                )
            risks.append(
                Risk.objects.create(
                    assessment=assessment, theme=themes[row["theme"]], name=row["risk"], order=order
                )
            )
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(partnership=partnership, name=f"Agency {n:03d}")
            for n in range(organisation_count)
        ]
    )
    hashed = make_password(PASSWORD)  # hash once: 60 slow hashes would only time the setup
    users = user_model.objects.bulk_create(
        [user_model(username=f"bench-partner-{n:03d}", password=hashed) for n in range(partners)]
    )
    member_of = [organisations[n % organisation_count] for n in range(partners)]
    Membership.objects.bulk_create(
        [
            Membership(user=u, partnership=partnership, organisation=o, role=Role.PARTNER)
            for u, o in zip(users, member_of, strict=True)
        ]
    )
    workshop = Workshop.objects.create(assessment=assessment, title="Load test workshop")
    workshop.risks.set(risks)
    workshop.organisations.set(organisations)
    workshop_open(workshop=workshop)
    return (
        workshop,
        [r.id for r in risks],
        [(u.username, o.id) for u, o in zip(users, member_of, strict=True)],
    )


RESPONSE = ["Strong", "Adequate", "Limited", "Weak"]
CHOICES = {
    "confidence": ["High", "Medium", "Low"],
    "capacity": RESPONSE,
    "capability": RESPONSE,
    "cost": RESPONSE,
    "mitigation": RESPONSE,
}
PHYSICAL = ["None", "Low", "Moderate", "Substantial", "Critical"]


@dataclass
class Save:
    """One save as sent: whose, which risk, the whole answer, when sent and when answered."""

    org_id: int
    risk_id: int
    levels: dict[str, str]  # factor key → level; "physical" only when challenged
    comment: str
    started: float
    answered: float = 0.0
    acknowledged: bool = False


class Partner(threading.Thread):
    """One partner's browser: sign in, then save risk after risk until the deadline."""

    def __init__(self, port, username, org_id, score_url, risk_for, start, think_ms, seed):
        super().__init__(daemon=True)
        self.port, self.username, self.org_id = port, username, org_id
        self.score_url, self.risk_for, self.start_line = score_url, risk_for, start
        self.deadline = 0.0
        self.think_ms, self.random = think_ms, random.Random(seed)
        self.cookies: dict[str, str] = {}
        self.latencies: list[float] = []
        self.sent: list[Save] = []
        self.errors: list[str] = []
        self.error_times: list[float] = []  # monotonic time of each save error
        self.save_times: list[float] = []  # monotonic time of each acknowledged save
        self.saves = 0

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            all_headers = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
            if self.cookies:
                all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            if body is not None:
                all_headers["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request(method, path, body=body, headers=all_headers)
            response = conn.getresponse()
            data = response.read().decode("utf-8", "replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, dict(response.getheaders()), data
        finally:
            conn.close()

    def run(self) -> None:
        try:
            self.sign_in()
        except Exception as error:  # noqa: BLE001 - counted, not raised
            self.errors.append(f"sign-in: {error!r}")
        # Everyone signs in first (password hashing is slow by design and not what we measure).
        self.deadline = self.start_line()
        if self.errors:
            return
        while time.monotonic() < self.deadline:
            self.save_once()
            if self.think_ms:
                time.sleep(self.think_ms * self.random.uniform(0.5, 1.5) / 1000)

    def sign_in(self) -> None:
        status, _, page = self.request("GET", "/login/")
        token = CSRF_RE.search(page).group(1)
        body = urlencode(
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        )
        status, headers, _ = self.request(
            "POST", "/login/", body, {"Referer": f"http://127.0.0.1:{self.port}/login/"}
        )
        if status != 302:
            raise RuntimeError(f"login answered {status}")
        status, _, page = self.request("GET", self.score_url)
        if status != 200:
            raise RuntimeError(f"scoring page answered {status}")
        self.token = CSRF_RE.search(page).group(1)

    def save_once(self) -> None:
        risk_id = self.risk_for(self.org_id)
        levels = {key: self.random.choice(options) for key, options in CHOICES.items()}
        comment = f"{self.username} save {len(self.sent)}"
        form = {**levels, "comment": comment, "csrfmiddlewaretoken": self.token}
        if self.random.random() < 0.3:  # challenge physical harm; otherwise it is withdrawn
            levels["physical"] = self.random.choice(PHYSICAL)
            form |= {"challenge_physical": levels["physical"], "reason_physical": comment}
        headers = {"HX-Request": "true", "Referer": f"http://127.0.0.1:{self.port}/"}
        save = Save(self.org_id, risk_id, levels, comment, time.monotonic())
        self.sent.append(save)
        started = time.perf_counter()
        try:
            status, _, page = self.request(
                "POST", f"{self.score_url}{risk_id}/", urlencode(form), headers
            )
        except Exception as error:  # noqa: BLE001 - counted, not raised
            save.answered = time.monotonic()
            self.errors.append(repr(error))
            self.error_times.append(save.answered)
            return
        save.answered = time.monotonic()
        self.latencies.append((time.perf_counter() - started) * 1000)
        if status == 200 and "Saved your scores" in page:
            save.acknowledged = True
            self.saves += 1
            self.save_times.append(save.answered)
        else:
            self.errors.append(f"save answered {status}")
            self.error_times.append(save.answered)


def count_lost(saves: list[Save], stored: dict, chains: dict) -> int:
    """Factor values not as the last save left them, plus changes missing from the audit trail
    (see the module's docstring). `stored` maps (organisation, risk) to (comment, levels);
    `chains` maps (organisation, risk, factor) to its audited (old, new) levels in order."""
    by_comment = {save.comment: save for save in saves}
    sent: dict[tuple[int, int], list[Save]] = {}
    for save in saves:
        sent.setdefault((save.org_id, save.risk_id), []).append(save)
    lost = 0
    for key, own in sent.items():
        acknowledged = [s for s in own if s.acknowledged]
        if not acknowledged:
            continue
        comment, levels = stored.get(key, ("", {}))
        held = by_comment.get(comment)
        could_be_last = (
            held is not None
            and (held.org_id, held.risk_id) == key
            and not any(s.started > held.answered for s in acknowledged)
        )
        expected = held if could_be_last else max(acknowledged, key=lambda s: s.answered)
        differing = sum(
            1
            for factor in set(expected.levels) | set(levels)
            if expected.levels.get(factor) != levels.get(factor)
        )
        lost += differing or (0 if could_be_last else 1)
    for (org_id, risk_id, factor), chain in chains.items():
        starts = [""] + [new for _, new in chain[:-1]]
        lost += sum(1 for (old, _), start in zip(chain, starts, strict=True) if old != start)
        _, levels = stored.get((org_id, risk_id), ("", {}))
        lost += chain[-1][1] != levels.get(factor, "")
    return lost


def stored_answers(workshop) -> tuple[dict, dict]:
    """What the database holds: answers per (organisation, risk), and the audit chains."""
    from assessments.models import ScoreChange, ScoreKind
    from workshops.models import RiskComment, Submission

    levels: dict[tuple[int, int], dict[str, str]] = {}
    for org_id, risk_id, key, label in Submission.objects.filter(
        round__workshop=workshop
    ).values_list("organisation_id", "risk_id", "factor_key", "level_label"):
        levels.setdefault((org_id, risk_id), {})[key] = label
    comments = dict(
        ((org_id, risk_id), text)
        for org_id, risk_id, text in RiskComment.objects.filter(
            round__workshop=workshop
        ).values_list("organisation_id", "risk_id", "text")
    )
    stored = {key: (comments.get(key, ""), value) for key, value in levels.items()}
    chains: dict[tuple[int, int, str], list[tuple[str, str]]] = {}
    for org_id, risk_id, key, old, new in (
        ScoreChange.objects.filter(assessment=workshop.assessment_id, kind=ScoreKind.SUBMISSION)
        .order_by("id")
        .values_list("organisation_id", "risk_id", "factor_key", "old_label", "new_label")
    ):
        chains.setdefault((org_id, risk_id, key), []).append((old, new))
    return stored, chains


def postgres_restart() -> None:
    """Restart the local PostgreSQL cluster the way an operator would (fast shutdown)."""
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart", "-m", "fast"],
        check=True,
        stdout=subprocess.DEVNULL,
    )


class DatabaseRestart(threading.Thread):
    """Restart PostgreSQL `at` seconds after the timed run starts; record when it ran."""

    def __init__(self, at: float, started: threading.Event, timing: dict[str, float]):
        super().__init__(daemon=True)
        self.at, self.started, self.timing = at, started, timing
        self.began = self.ended = 0.0
        self.failure = ""

    def run(self) -> None:
        if not self.started.wait(timeout=300):
            return
        time.sleep(max(0.0, self.timing["t0"] + self.at - time.monotonic()))
        self.began = time.monotonic()
        try:
            postgres_restart()
        except (OSError, subprocess.CalledProcessError) as error:
            self.failure = repr(error)
        self.ended = time.monotonic()


def wait_for(port: int, server: subprocess.Popen, seconds: float = 30) -> None:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited early with status {server.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/login/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer in time")


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--partners", type=int, default=60)
    parser.add_argument(
        "--organisations",
        type=int,
        help="organisations the partners belong to, in turn (default: half the partners)",
    )
    parser.add_argument(
        "--risk-seconds",
        type=float,
        default=3,
        help="how long an organisation's people stay on one risk before moving on together",
    )
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * (os.cpu_count() or 2),
        help="gunicorn workers (default: two per CPU)",
    )
    parser.add_argument(
        "--worker-class",
        default="sync",
        help="gunicorn worker class: sync, as the README serves the app (gthread workers take "
        "connections while busy, so on a loaded machine one of them hoards the requests)",
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker (gthread workers only)"
    )
    parser.add_argument("--port", type=int, default=8130)
    parser.add_argument("--think-ms", type=float, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark's data")
    parser.add_argument(
        "--restart-db-at",
        type=float,
        metavar="SECONDS",
        help="restart the local PostgreSQL this many seconds into the run (PostgreSQL only)",
    )
    args = parser.parse_args()

    env = {
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "workshop-load-benchmark-key"),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_HSTS_SECONDS": "0",
    }
    setup_django(env)
    from django.db import connection

    organisation_count = args.organisations or max(1, args.partners // 2)
    workshop, risk_ids, people = create_workshop(args.partners, organisation_count)
    if args.restart_db_at is not None and connection.vendor != "postgresql":
        raise SystemExit("--restart-db-at needs DATABASE_URL pointing at the local PostgreSQL")
    connection.close()
    score_url = f"/p/{SLUG}/2019-20/workshops/{workshop.pk}/score/"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            args.worker_class,
            "--threads",
            str(args.threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        start_new_session=True,
    )
    try:
        wait_for(args.port, server)
        timing: dict[str, float] = {}
        run_started = threading.Event()
        restart = None
        if args.restart_db_at is not None:
            restart = DatabaseRestart(args.restart_db_at, run_started, timing)
            restart.start()

        def start_line() -> float:
            """Wait until every partner has signed in; the timed run starts together."""
            signed_in.wait(timeout=300)
            return timing.setdefault("deadline", time.monotonic() + args.seconds)

        def everyone_signed_in() -> None:
            timing.update(t0=time.monotonic())
            run_started.set()

        def risk_for(org_id: int) -> int:
            """The risk an organisation's people are on now: the same for all of them."""
            window = int((time.monotonic() - timing.get("t0", 0.0)) / args.risk_seconds)
            return risk_ids[(org_id * 7 + window) % len(risk_ids)]

        signed_in = threading.Barrier(len(people), action=everyone_signed_in)
        partners = [
            Partner(args.port, username, org_id, score_url, risk_for, start_line, args.think_ms, n)
            for n, (username, org_id) in enumerate(people)
        ]
        for partner in partners:
            partner.start()
        for partner in partners:
            partner.join(timeout=args.seconds + 400)
        if restart is not None:
            restart.join(timeout=120)
        elapsed = time.monotonic() - timing.get("t0", time.monotonic())
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()

    # The check reads through a fresh connection; after a restart the old one is gone.
    connection.close()
    stored, chains = stored_answers(workshop)
    lost = count_lost([save for partner in partners for save in partner.sent], stored, chains)
    latencies = [ms for partner in partners for ms in partner.latencies]
    errors = [error for partner in partners for error in partner.errors]
    saves = sum(partner.saves for partner in partners)
    if errors:
        print("first errors:", errors[:5], file=sys.stderr)
    restart_ok = True
    if restart is not None:
        restart_ok = _report_restart(restart, partners, errors)
    if not args.keep:
        _clean_up()
    print(
        f"workshop-load: partners={args.partners} submissions={saves} lost={lost} "
        f"errors={len(errors)} p50_ms={statistics.median(latencies) if latencies else 0:.0f} "
        f"p95_ms={percentile(latencies, 0.95):.0f} rps={len(latencies) / elapsed:.1f}"
    )
    if restart is not None:
        # Errors while the database is down are expected; lost saves and later errors are not.
        return 0 if lost == 0 and restart_ok else 1
    return 0 if lost == 0 and not errors else 1


def _report_restart(restart: DatabaseRestart, partners: list[Partner], errors: list[str]) -> bool:
    """Print when the restart ran, errors inside/outside its window, and first save after."""
    if restart.failure or not restart.began:
        print(f"db-restart: failed {restart.failure or 'never ran'}")
        return False
    # The window runs from the restart until the first acknowledged save after it finished.
    after = [t for p in partners for t in p.save_times if t >= restart.ended]
    recovered = min(after) if after else float("inf")
    times = [t for p in partners for t in p.error_times]
    inside = sum(1 for t in times if restart.began <= t <= max(recovered, restart.ended))
    outside = len(times) - inside
    recovery = f"{recovered - restart.began:.2f}s" if after else "never"
    print(
        f"db-restart: restart_s={restart.ended - restart.began:.2f} first_save_after={recovery} "
        f"errors_in_window={inside} errors_outside={outside} saves_after={len(after)}"
    )
    return bool(after) and outside == 0 and len(times) == len(errors)


if __name__ == "__main__":
    raise SystemExit(main())

"""axe-core in Debian's chromium on every main page of the three journeys (analyst, workshop,
board): no serious or critical WCAG 2.2 AA violations. axe is vendored in tests/vendor/."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
IMPACTS = ("minor", "moderate", "serious", "critical")
PASSWORD = "plymouth-demo"
BASE = "/p/plymouth/2019-20/"


@pytest.fixture(scope="session")
def plain_http_server():
    """The live server reads the HTTPS redirect setting once, at start-up: switch it off first."""
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def demo_pages(transactional_db):
    """The whole demo plus an open workshop with the police invited; the pages to check."""
    from assessments.models import Organisation
    from reports.demo import demo_full_load
    from workshops.services import workshop_create, workshop_open

    assessment = demo_full_load()
    risks = list(assessment.risks.order_by("order")[:3])
    police = Organisation.objects.get(partnership=assessment.partnership, name__icontains="police")
    workshop = workshop_create(
        assessment=assessment, title="Annual workshop", risks=risks, organisations=[police]
    )
    workshop_open(workshop=workshop)
    risk, theme = risks[0], risks[0].theme
    one = f"{BASE}workshops/{workshop.pk}/"
    return [
        # (page name, username or None for signed out, path)
        ("login", None, "/login/"),
        ("home", "analyst", "/"),
        ("assessment hub", "analyst", BASE),
        ("evidence", "analyst", f"{BASE}evidence/"),
        ("data import", "analyst", f"{BASE}evidence/import/"),
        ("register", "analyst", f"{BASE}register/"),
        ("risk page", "analyst", f"{BASE}risks/{risk.pk}/"),
        ("pre-scoring", "analyst", f"{BASE}risks/{risk.pk}/prescore/"),
        ("scoring model explanation", "analyst", f"{BASE}scoring-model/"),
        ("scoring model edit", "admin", "/p/plymouth/scoring-model/"),
        ("partner scoring", "police", f"{one}score/"),
        ("facilitator dashboard", "facilitator", one),
        ("audit trail", "facilitator", f"{BASE}audit/"),
        ("results", "board", f"{BASE}results/"),
        ("theme page", "board", f"{BASE}themes/{theme.pk}/"),
        ("narrative editing", "analyst", f"{BASE}themes/{theme.pk}/narrative/"),
        ("sign-off", "board", f"{BASE}sign-off/"),
        ("publish confirmation", "board", f"{BASE}sign-off/publish/"),
        ("emerging issues", "board", f"{BASE}emerging-issues/"),
    ]


def _axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("(tags) => axe.run(document, {runOnly: tags})", TAGS)
    return result["violations"]


def test_main_pages_have_no_serious_or_critical_axe_violations(
    plain_http_server, demo_pages, live_server
):
    from django.db import connections

    report: dict[str, Counter] = {}
    failures: list[str] = []
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        contexts: dict[str | None, object] = {}
        try:
            for name, username, path in demo_pages:
                if username not in contexts:
                    # bypass_csp: the app's CSP rightly refuses the injected axe script.
                    context = browser.new_context(
                        bypass_csp=True, viewport={"width": 1280, "height": 900}
                    )
                    contexts[username] = context
                    if username:
                        login = context.new_page()
                        login.goto(live_server.url + "/login/")
                        login.get_by_label("Username").fill(username)
                        login.get_by_label("Password").fill(PASSWORD)
                        login.get_by_role("button", name="Sign in").click()
                        login.wait_for_url(live_server.url + "/")
                        login.close()
                page = contexts[username].new_page()
                response = page.goto(live_server.url + path)
                assert response.status == 200, f"{name}: {path} answered {response.status}"
                violations = _axe(page)
                report[name] = Counter(v["impact"] for v in violations)
                for v in violations:
                    if v["impact"] in ("serious", "critical"):
                        targets = [n["target"] for n in v["nodes"][:3]]
                        failures.append(
                            f"{name}: {v['id']} ({v['impact']}) {v['help']} "
                            f"[{len(v['nodes'])} nodes] e.g. {targets}"
                        )
                page.close()
        finally:
            for context in contexts.values():
                context.close()
            browser.close()
    print("\naxe violations by impact (" + "/".join(IMPACTS) + "):")
    for name, counts in report.items():
        print(f"  {name:28} " + " ".join(str(counts.get(i, 0)) for i in IMPACTS))
    # ORM calls made while Playwright's loop runs use their own connection: close it here.
    connections.close_all()
    assert not failures, "\n".join(failures)

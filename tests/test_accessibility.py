"""axe-core in Debian's chromium on every main page of the three journeys (analyst, workshop,
board), the forms around them and their error states, each signed in as its role, at three
widths: 1280 × 900, a phone (390 × 844) and 400% zoom (320 × 640, WCAG 1.4.10). On each: no
serious or critical WCAG 2.2 AA violations, no sideways scroll (`scrollWidth <= innerWidth`: a
wide table scrolls inside its own region), with the app's Content Security Policy enforced and
no CSP violation or console error. axe is vendored in tests/vendor/ and served from the app's
own origin, so the CSP need not be bypassed to inject it. The per-page table (axe findings by
impact and px scrolled sideways) is printed in the test summary. One chromium serves the module.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_PATH = "/__tests__/axe.min.js"  # answered by the browser context itself (see _context)
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
IMPACTS = ("minor", "moderate", "serious", "critical")
PASSWORD = "plymouth-demo"
BASE = "/p/plymouth/2019-20/"
# Reports every CSP violation as a console error, which the test collects.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


def _sign_in_wrongly(page, username: str = "", times: int = 1) -> None:
    for _ in range(times):
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill("not-the-password" if username else "")
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
    if times >= 5:
        assert page.get_by_role("heading", name="Too many sign-in attempts").is_visible()


def _import_a_file_with_problems(page) -> None:
    page.get_by_label("Summary table").check()
    page.locator("#id_files").set_input_files(
        files=[
            {
                "name": "crime-summary.csv",
                "mimeType": "text/csv",
                "buffer": b"period,category,count\n2019/20,Burglary,lots\n2019/21,,12\n",
            }
        ]
    )
    # static/js/upload-progress.js sends the form itself and then shows the answer.
    page.get_by_role("button", name="Check and import").click()
    page.get_by_text("Nothing was imported: 3 problems").wait_for()


@pytest.fixture(scope="session")
def plain_http_server():
    """The live server reads the HTTPS redirect setting once, at start-up: switch it off first."""
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False


Interaction = Callable[[object], None] | None


def _record_empty_decision(page) -> None:
    """Send the results page's priority form empty: the decision comes back with its problems."""
    page.get_by_role("button", name="Record the board's decision").click()
    page.get_by_text("Nothing was recorded: see below.").wait_for()


def _submit(button: str, answer: str) -> Interaction:
    """Press `button` and wait for `answer` on the page that comes back."""

    def submit(page) -> None:
        page.get_by_role("button", name=button).click()
        page.get_by_text(answer).first.wait_for()

    return submit


def _invite_someone(page) -> None:
    page.get_by_label("Name").fill("Nia Jones")
    page.get_by_label("Email").fill("nia@example.org")
    page.get_by_label("Role").select_option("analyst")
    page.get_by_role("button", name="Send the invitation").click()
    page.get_by_role("heading", name="1 invitation sent").wait_for()


def _import_people_with_problems(page) -> None:
    page.get_by_label("File").set_input_files(
        files=[
            {
                "name": "people.csv",
                "mimeType": "text/csv",
                "buffer": b"name,email,organisation,role\n,nobody,Nowhere,captain\n",
            }
        ]
    )
    page.get_by_role("button", name="Check and invite").click()
    page.get_by_text("Nobody was invited").wait_for()


def _start_an_assessment_for_a_period_taken(page) -> None:
    page.get_by_label("Period").fill("2019/20")
    page.get_by_role("button", name="Start the assessment").click()
    page.get_by_text("There is already an assessment for 2019/20.").wait_for()


def _ask_for_a_reset(page) -> None:
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_role("button", name="Email me a link").click()
    page.get_by_role("heading", name="Check your email").wait_for()


def _people_pages(assessment) -> list:
    """The pages of a partnership's people, starting one, joining and resetting a password."""
    from django.contrib.auth import get_user_model

    from assessments.models import Membership, Role
    from assessments.people_services import invitation_create

    get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    partnership = assessment.partnership
    police = Membership.objects.get(partnership=partnership, user__username="police")
    admin = get_user_model().objects.get(username="admin")
    sent = invitation_create(
        partnership=partnership,
        email="new.analyst@example.org",
        name="New Analyst",
        role=Role.ANALYST,
        organisation=None,
        user=admin,
    )
    token = sent.link.rstrip("/").rsplit("/", 1)[1]
    people = "/p/plymouth/people/"
    return [
        ("start a partnership", "root", "/partnerships/new/", None),
        (
            "start a partnership with errors",
            "root",
            "/partnerships/new/",
            _submit("Start the partnership", "This field is required."),
        ),
        ("people", "admin", people, None),
        ("invite someone", "admin", f"{people}invite/", None),
        ("invitation sent", "admin", f"{people}invite/", _invite_someone),
        ("invite from a file", "admin", f"{people}import/", None),
        ("invite from a file, problems", "admin", f"{people}import/", _import_people_with_problems),
        ("person", "admin", f"{people}{police.pk}/", None),
        ("organisations", "admin", "/p/plymouth/organisations/", None),
        (
            "organisation rename",
            "admin",
            f"/p/plymouth/organisations/{police.organisation_id}/",
            None,
        ),
        ("people history", "admin", f"{people}history/", None),
        ("start an assessment", "analyst", "/p/plymouth/assessments/new/", None),
        (
            "start an assessment, errors",
            "analyst",
            "/p/plymouth/assessments/new/",
            _start_an_assessment_for_a_period_taken,
        ),
        ("forgotten password", None, "/password/reset/", None),
        ("reset link sent", None, "/password/reset/", _ask_for_a_reset),
        ("reset link not working", None, "/password/reset/MQ/not-a-token/", None),
        ("new password saved", None, "/password/reset/done/", None),
        ("join by invitation", None, f"/invitations/{token}/", None),
        (
            "join by invitation, errors",
            None,
            f"/invitations/{token}/",
            _submit("Create my account", "This field is required."),
        ),
        ("invitation link not working", None, "/invitations/not-a-token/", None),
    ]


# Pages answered with another status than 200, rightly (the lockout after its interaction).
STATUSES = {"locked out": 429, "invitation link not working": 404}
OPENED_WITH = {"invitation link not working": 404}
SHOWN_AGAIN = {
    "priority decision shown again",
    "start a partnership with errors",
    "invite from a file, problems",
    "start an assessment, errors",
    "join by invitation, errors",
}


@pytest.fixture
def demo_pages(transactional_db, demo):
    """The whole demo plus an open workshop with the police invited; the pages to check as
    (name, username or None for signed out, path, what to do on the page before checking)."""
    from assessments.models import Organisation
    from workshops.services import workshop_create, workshop_lock, workshop_open

    assessment = demo
    risks = list(assessment.risks.order_by("order")[:3])
    police = Organisation.objects.get(partnership=assessment.partnership, name__icontains="police")
    workshop = workshop_create(
        assessment=assessment, title="Annual workshop", risks=risks, organisations=[police]
    )
    workshop_open(workshop=workshop)
    risk, theme = risks[0], risks[0].theme
    one = f"{BASE}workshops/{workshop.pk}/"

    def published() -> str:
        """Approve and publish (the last page checked: afterwards nothing can change)."""
        from django.contrib.auth import get_user_model

        from reports.services import approval_record, assessment_publish

        board = get_user_model().objects.get(username="board")
        workshop_lock(workshop=workshop)  # publishing is refused while a workshop is open
        approval_record(assessment=assessment, user=board, comment="", approved=True)
        publication = assessment_publish(assessment=assessment, user=board)
        return f"{BASE}published/{publication.version}/"

    pages: list[tuple[str, str | None, str | Callable[[], str], Interaction]] = [
        ("login", None, "/login/", None),
        ("login with errors", None, "/login/", _sign_in_wrongly),
        ("locked out", None, "/login/", lambda page: _sign_in_wrongly(page, "council", 5)),
        ("home", "analyst", "/", None),
        ("password change", "analyst", "/password/", None),
        ("assessment hub", "analyst", BASE, None),
        ("evidence", "analyst", f"{BASE}evidence/", None),
        ("data import", "analyst", f"{BASE}evidence/import/", None),
        (
            "import with file problems",
            "analyst",
            f"{BASE}evidence/import/",
            _import_a_file_with_problems,
        ),
        ("category mappings", "analyst", "/p/plymouth/category-mappings/", None),
        ("register", "analyst", f"{BASE}register/", None),
        ("theme edit", "analyst", f"{BASE}register/themes/{theme.pk}/", None),
        ("risk edit", "analyst", f"{BASE}register/risks/{risk.pk}/", None),
        ("risk page", "analyst", f"{BASE}risks/{risk.pk}/", None),
        ("pre-scoring", "analyst", f"{BASE}risks/{risk.pk}/prescore/", None),
        ("scoring-sheet upload", "analyst", f"{BASE}scoring-sheet/upload/", None),
        ("scoring model explanation", "analyst", f"{BASE}scoring-model/", None),
        ("scoring-model form", "admin", "/p/plymouth/scoring-model/", None),
        ("workshop list", "facilitator", f"{BASE}workshops/", None),
        ("workshop create", "facilitator", f"{BASE}workshops/new/", None),
        ("partner scoring", "police", f"{one}score/", None),
        ("facilitator dashboard", "facilitator", one, None),
        ("audit trail", "facilitator", f"{BASE}audit/", None),
        ("results", "board", f"{BASE}results/", None),
        ("risk page with the priority form", "board", f"{BASE}risks/{risk.pk}/", None),
        ("priority decision shown again", "board", f"{BASE}results/", _record_empty_decision),
        ("theme page", "board", f"{BASE}themes/{theme.pk}/", None),
        ("narrative editing", "analyst", f"{BASE}themes/{theme.pk}/narrative/", None),
        ("sign-off", "board", f"{BASE}sign-off/", None),
        ("publish confirmation", "board", f"{BASE}sign-off/publish/", None),
        ("emerging issues", "board", f"{BASE}emerging-issues/", None),
        *_people_pages(assessment),
        ("publication", "board", published, None),
    ]
    return pages


def _axe(page) -> list[dict]:
    page.add_script_tag(url=AXE_PATH)  # from our own origin: the CSP allows it
    result = page.evaluate("(tags) => axe.run(document, {runOnly: tags})", TAGS)
    return result["violations"]


# How far the page scrolls sideways, and the widest elements that stick out past the viewport
# (those whose parent does not): what to fix when a page fails to reflow.
SIDEWAYS = """
() => {
  const width = window.innerWidth;
  const culprits = [];
  for (const el of document.body.querySelectorAll("*")) {
    const right = el.getBoundingClientRect().right;
    const parent = el.parentElement.getBoundingClientRect().right;
    if (right > width + 1 && parent <= width + 1 && el.offsetParent !== null) {
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (el.className && typeof el.className === "string"
           ? "." + el.className.trim().split(/\\s+/).join(".") : "");
      culprits.push(`${name} +${Math.round(right - width)}px`);
    }
  }
  return {overflow: document.documentElement.scrollWidth - width, culprits: culprits.slice(0, 4)};
}
"""

# Desktop, a phone (390 × 844), and 400% zoom of a 1280 px screen (320 × 640: WCAG 1.4.10).
VIEWPORTS = [
    pytest.param((1280, 900), id="1280"),
    pytest.param((390, 844), id="390"),
    pytest.param((320, 640), id="320"),
]


@pytest.fixture(scope="module")
def browser():
    """One chromium for every width and page of this module."""
    from django.db import connections

    with playwright_sync.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()
    # ORM calls made while Playwright's loop runs use their own connection: close it here.
    connections.close_all()


def _context(browser, live_server, username: str | None, viewport: tuple[int, int]):
    """A browser context (signed in as `username`) that serves axe at AXE_PATH."""
    width, height = viewport
    context = browser.new_context(viewport={"width": width, "height": height})
    context.route(
        f"{live_server.url}{AXE_PATH}",
        lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"),
    )
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    if username:
        login = context.new_page()
        login.goto(live_server.url + "/login/")
        login.get_by_label("Username").fill(username)
        login.get_by_label("Password").fill(PASSWORD)
        login.get_by_role("button", name="Sign in").click()
        login.wait_for_url(live_server.url + "/")
        login.close()
    return context


def _check_page(page, name: str, url: str, interact: Interaction) -> tuple[Counter, int, list]:
    """Visit and check one page: axe's findings by impact, the sideways scroll, the failures."""
    failures: list[str] = []
    console_errors: list[str] = []
    page.on(
        "console",
        lambda m: console_errors.append(m.text) if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: console_errors.append(str(e)))
    response = page.goto(url)
    status = OPENED_WITH.get(name, 200)
    assert response.status == status, f"{name}: {url} answered {response.status}"
    if interact:
        interact(page)
    violations = _axe(page)
    for v in violations:
        if v["impact"] in ("serious", "critical"):
            targets = [n["target"] for n in v["nodes"][:3]]
            failures.append(
                f"{name}: {v['id']} ({v['impact']}) {v['help']} "
                f"[{len(v['nodes'])} nodes] e.g. {targets}"
            )
    sideways = page.evaluate(SIDEWAYS)
    if sideways["overflow"] > 0:
        failures.append(
            f"{name}: scrolls sideways by {sideways['overflow']} px: {sideways['culprits']}"
        )
    # The lockout page is answered with 429 and a form shown again with 400, rightly.
    expected = 400 if name in SHOWN_AGAIN else STATUSES.get(name)
    if expected:
        console_errors = [e for e in console_errors if f"status of {expected}" not in e]
    failures += [f"{name}: console error: {error}" for error in console_errors]
    return Counter(v["impact"] for v in violations), sideways["overflow"], failures


@pytest.mark.slow
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_main_pages_have_no_serious_axe_violations_and_never_scroll_sideways(
    plain_http_server, browser, demo_pages, live_server, record_property, viewport
):
    report: dict[str, tuple[Counter, int]] = {}
    failures: list[str] = []
    contexts: dict[str | None, object] = {}
    try:
        for name, username, path, interact in demo_pages:
            if username not in contexts:
                contexts[username] = _context(browser, live_server, username, viewport)
            page = contexts[username].new_page()
            url = live_server.url + (path() if callable(path) else path)
            counts, overflow, found = _check_page(page, name, url, interact)
            report[name] = (counts, overflow)
            failures += found
            page.close()
    finally:
        for context in contexts.values():
            context.close()
    table = [
        f"at {viewport[0]} x {viewport[1]}: axe violations by impact ({'/'.join(IMPACTS)}) "
        f"and px scrolled sideways, on {len(report)} pages:"
    ]
    table += [
        f"  {name:34} " + " ".join(str(counts.get(i, 0)) for i in IMPACTS) + f"  {overflow:>4}"
        for name, (counts, overflow) in report.items()
    ]
    record_property("summary", "\n".join(table))  # printed by tests/conftest.py
    assert len(report) == len(demo_pages)
    assert not failures, "\n".join(failures)


@pytest.mark.slow
def test_the_facilitator_can_pause_the_dashboards_updates_and_resume_them(
    plain_http_server, browser, demo_pages, live_server
):
    """WCAG 2.2.2: the dashboard updates every 4 s; paused, it asks for nothing and changes
    nothing (whatever the facilitator was reading stays put); resumed, it updates at once."""
    path = next(path for name, _, path, _ in demo_pages if name == "facilitator dashboard")
    context = _context(browser, live_server, "facilitator", (390, 844))
    try:
        page = context.new_page()
        updates: list[str] = []
        page.on("request", lambda r: updates.append(r.url) if "/live/" in r.url else None)
        page.goto(live_server.url + path)
        pause = page.get_by_role("button", name="Pause updates")
        with page.expect_request(lambda r: "/live/" in r.url, timeout=10_000):
            pass  # the dashboard updates by itself
        pause.click()
        resume = page.get_by_role("button", name="Resume updates")
        assert resume.get_attribute("aria-pressed") == "true"
        assert page.get_by_role("status").filter(has_text="Updates paused.").count() == 1
        asked = len(updates)
        page.wait_for_timeout(9_000)  # two of its 4-second ticks
        assert len(updates) == asked
        with page.expect_request(lambda r: "/live/" in r.url, timeout=2_000):
            resume.click()
        assert page.get_by_role("button", name="Pause updates").get_attribute("aria-pressed") == (
            "false"
        )
    finally:
        context.close()

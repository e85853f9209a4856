"""The board's journey in a real browser: results, a theme, approve, publish, download the PDF."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
playwright_sync = pytest.importorskip("playwright.sync_api")

SHOTS = "/tmp"


@pytest.fixture(scope="session")
def plain_http_server():
    """The live server is session-wide and its SecurityMiddleware reads the redirect setting
    once, at start-up: switch the HTTPS redirect off before the server starts (the autouse
    fixture in tests/conftest.py does the same per test, so nothing else changes)."""
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False


# The level tints of app.css (tests/test_rating_colours.py checks their contrast).
TINTS = {
    "level-1": "rgb(219, 233, 246)",
    "level-2": "rgb(251, 230, 176)",
    "level-3": "rgb(248, 199, 168)",
}


def _level_tints(page) -> dict[str, str]:
    """The painted background of the theme tables' level cells, by level class."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll("td.level")]
            .filter(c => !c.classList.contains("level-0"))
            .map(c => [[...c.classList].find(k => k.startsWith("level-")),
                       getComputedStyle(c).backgroundColor]))"""
    )


@pytest.fixture
def page():
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(
            accept_downloads=True, viewport={"width": 1280, "height": 900}
        )
        yield context.new_page()
        context.close()
        browser.close()


@pytest.mark.slow
@pytest.mark.browser
def test_board_member_reviews_approves_publishes_and_downloads(
    plain_http_server, transactional_db, live_server, scored, board_member, page, tmp_path
):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    base = f"{live_server.url}/p/plymouth/2019-20/"

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("bola_board")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()

    page.goto(base + "results/")
    assert page.get_by_role("heading", name="High level risks").is_visible()
    assert page.get_by_role("img", name="Risks by harm and likelihood").count() == 1
    page.screenshot(path=f"{SHOTS}/board-1-results.png", full_page=True)

    # Theme tables show levels as words on coloured cells (Bootstrap's table rule beaten).
    assert _level_tints(page) == TINTS

    page.get_by_role("link", name="Domestic abuse and sexual violence").first.click()
    assert page.get_by_role("heading", name="Domestic abuse and sexual violence").is_visible()
    assert page.get_by_text("Recommended CSP priority.").is_visible()
    page.screenshot(path=f"{SHOTS}/board-2-theme.png", full_page=True)
    page.emulate_media(media="print")
    assert not page.get_by_role("navigation", name="Breadcrumb").is_visible()
    page.screenshot(path=f"{SHOTS}/board-2-theme-print.png", full_page=True)
    page.emulate_media(media="screen")

    page.goto(base + "results/")
    # The board marks a Moderate risk a partnership priority, saying why.
    page.get_by_label("Risk", exact=True).select_option(label="Domestic homicide")
    page.get_by_label("A partnership priority").check()
    page.get_by_label("Reason", exact=True).fill("Retained due to continued national focus.")
    page.get_by_role("button", name="Record the board's decision").click()
    assert page.get_by_text("Retained due to continued national focus.").first.is_visible()
    page.screenshot(path=f"{SHOTS}/board-2b-priority.png", full_page=True)

    page.goto(base + "sign-off/")
    page.get_by_label("Comment").fill("Clear and well evidenced.")
    page.get_by_label("I approve this assessment for publication").check()
    page.get_by_role("button", name="Record").click()
    assert page.get_by_text("Your approval is recorded.").is_visible()
    page.get_by_role("link", name="Review and publish").click()
    # The confirmation step says what publishing does, and refuses until it is ticked. Its
    # readiness checks take a moment to render, so wait for the page rather than look at once.
    page.get_by_role("heading", name="What publishing does").wait_for()
    page.screenshot(path=f"{SHOTS}/board-3a-confirm.png", full_page=True)
    page.get_by_role("button", name="Publish the 2019/20 assessment").click()
    assert page.get_by_text("Tick to confirm that you understand").is_visible()
    page.get_by_label("I understand that publishing fixes this assessment for good").check()
    page.get_by_role("button", name="Publish the 2019/20 assessment").click()
    assert page.get_by_text("exactly as it was published").is_visible()
    assert page.get_by_role("heading", name="Plymouth: recorded crime").is_visible()
    page.screenshot(path=f"{SHOTS}/board-3-published.png", full_page=True)
    with page.expect_download() as version_download:
        page.get_by_role("link", name="Download the PDF report").click()
    assert version_download.value.suggested_filename.endswith("-v1.pdf")

    page.goto(base + "results/")
    assert page.get_by_text("Published", exact=True).first.is_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF report").click()
    download = download_info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    from assessments.models import Risk

    risk = Risk.objects.get(name="Domestic homicide")
    assert risk.is_priority and "national focus" in risk.priority_reason
    assert target.read_bytes().startswith(b"%PDF")
    assert download.suggested_filename == "plymouth-2019-20-strategic-assessment.pdf"
    page.screenshot(path=f"{SHOTS}/board-4-results-published.png", full_page=True)
    # The dashboard prints: no buttons or forms, theme tables keep their colours.
    page.emulate_media(media="print")
    assert not page.get_by_role("link", name="Download PDF report").is_visible()
    assert _level_tints(page) == TINTS
    page.screenshot(path=f"{SHOTS}/board-5-results-print.png", full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e], errors


@pytest.mark.slow
@pytest.mark.browser
def test_the_published_report_page_has_no_serious_or_critical_axe_violations(
    plain_http_server, transactional_db, live_server, scored, board_member
):
    from django.db import connections

    from reports.services import approval_record, assessment_publish
    from tests.test_accessibility import AXE, AXE_PATH, _axe

    approval_record(assessment=scored, user=board_member, comment="", approved=True)
    assessment_publish(assessment=scored, user=board_member)
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context()
        # axe comes from our own origin, so the app's CSP stays enforced.
        context.route(
            f"{live_server.url}{AXE_PATH}",
            lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"),
        )
        page = context.new_page()
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Username").fill("bola_board")
        page.get_by_label("Password").fill("correct-horse-battery")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(live_server.url + "/")
        page.goto(f"{live_server.url}/p/plymouth/2019-20/published/1/")
        serious = [v["id"] for v in _axe(page) if v["impact"] in ("serious", "critical")]
        browser.close()
    connections.close_all()
    assert not serious

"""An analyst downloads the scoring sheet, uploads a bad one and reads its problems."""

import csv
import io
import os
from pathlib import Path

import pytest

from tests.factories import MembershipFactory, UserFactory
from tests.sheets_helpers import make_register, scored_risk_rows, write_sheet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("WORKBENCH_SCREENSHOTS", "/tmp/workbench-screenshots"))


@pytest.fixture
def plain_http_live_server(live_server):
    """The session's live server with its middleware rebuilt under the test settings: it was
    built when the server started, before `plain_http_in_tests` turned the HTTPS redirect off."""
    handler = live_server.thread.httpd.get_app()
    while handler is not None:
        handler.load_middleware()
        handler = getattr(handler, "application", None)
    return live_server


@pytest.fixture
def analyst_with_register(assessment, police, council):
    """Asha the analyst and a small register, made before the browser starts."""
    make_register(assessment)
    user = UserFactory(username="asha", password="correct-horse-battery")
    MembershipFactory(
        user=user, partnership=assessment.partnership, role="analyst", organisation=council
    )
    return user


@pytest.fixture
def page(analyst_with_register, plain_http_live_server, monkeypatch):
    # Playwright's sync API runs an event loop in this thread, so the ORM must not be used
    # while it runs (a connection opened then would outlive the test database): all data is
    # made by the fixtures above, before the browser starts.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    playwright_sync = pytest.importorskip("playwright.sync_api")
    with playwright_sync.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
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
def test_analyst_downloads_a_sheet_and_sees_every_problem_of_a_bad_upload(
    page, plain_http_live_server, tmp_path
):
    live_server = plain_http_live_server
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "asha")
    page.fill("#id_password", "correct-horse-battery")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/p/plymouth/2019-20/")
    page.click("text=Upload a scoring sheet")
    page.wait_for_selector("h1:has-text('Upload a scoring sheet')")

    with page.expect_download() as download_info:
        page.click("text=blank (Excel)")
    download = download_info.value
    assert download.suggested_filename == "plymouth-2019-20-scoring-sheet-blank.xlsx"
    with page.expect_download() as download_info:
        page.locator("a", has_text="blank").nth(1).click()  # the CSV one
    blank = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    assert len(list(csv.reader(io.StringIO(blank)))) == 1 + 3 * 11

    bad = write_sheet(
        tmp_path,
        [
            *scored_risk_rows(),
            ("Domestic abuse", "Stalking", "Trend", "Rising", "", ""),
            ("Acquisitive crime", "Burglary", "Trend", "Soaring", "", ""),
            ("Acquisitive crime", "Burglary", "Capacity", "Weak", "ACME", ""),
        ],
        name="bad-sheet.csv",
    )
    page.set_input_files("input[type=file]", str(bad))
    page.click("text=Upload and import")
    problems = page.locator("#problems")
    problems.wait_for()
    page.screenshot(path=str(SCREENSHOTS / "scoring-sheet-bad-upload.png"), full_page=True)
    text = problems.inner_text()
    assert "bad-sheet.csv was not imported: 3 problems" in text
    cells = [row.inner_text().split("\t")[:2] for row in problems.locator("tbody tr").all()]
    assert cells == [["14", "risk"], ["15", "level"], ["16", "organisation"]]

    good = write_sheet(tmp_path, scored_risk_rows(), name="good-sheet.csv")
    page.set_input_files("input[type=file]", str(good))
    page.click("text=Upload and import")
    page.wait_for_selector(".alert-success")
    page.screenshot(path=str(SCREENSHOTS / "scoring-sheet-imported.png"), full_page=True)
    assert "2 organisation submissions" in page.inner_text(".alert-success")

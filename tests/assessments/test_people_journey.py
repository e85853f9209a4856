"""A partnership sets itself up in a real browser, from an empty database and createsuperuser:
the site admin starts Safer Torbay, its admin joins by the emailed link, adds organisations and
invites people from a file, the analyst starts 2020/21, a partner resets a forgotten password."""

from __future__ import annotations

import os
import re

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
playwright_sync = pytest.importorskip("playwright.sync_api")

SHOTS = "/tmp"
PASSWORD = "torbay-journey-passphrase"
LINK = re.compile(r"https?://\S+/(?:invitations|password/reset)/\S+/")


@pytest.fixture(scope="session")
def plain_http_server():
    """The live server reads the HTTPS redirect setting once, at start-up: switch it off first."""
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False


def _mailed_link(to: str) -> str:
    """The link in the latest email to `to` (the locmem outbox the live server writes to)."""
    from django.core import mail

    body = [m for m in mail.outbox if to in m.to][-1].body
    return LINK.search(body).group(0)


def _sign_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def _sign_out(page) -> None:
    toggler = page.get_by_role("button", name="Show menu")
    if toggler.is_visible():
        toggler.click()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in to Workbench").wait_for()


def _join(page, link: str, username: str, first: str, last: str) -> None:
    page.goto(link)
    page.locator("#id_username").fill(username)
    page.locator("#id_first_name").fill(first)
    page.locator("#id_last_name").fill(last)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()


def _shots(page, name: str) -> None:
    page.screenshot(path=f"{SHOTS}/people-{name}-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{SHOTS}/people-{name}-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def page():
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        yield context.new_page()
        context.close()
        browser.close()


@pytest.mark.slow
@pytest.mark.browser
def test_a_partnership_sets_itself_up_from_an_empty_database(
    plain_http_server, transactional_db, live_server, page, monkeypatch, tmp_path
):
    from django.core.management import call_command

    from assessments.models import Assessment, Membership

    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    base = live_server.url
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", interactive=False, username="root", email="root@example.org")

    # The site admin starts Safer Torbay and invites its admin.
    _sign_in(page, base, "root")
    assert page.get_by_text("You are not a member of any partnership yet.").is_visible()
    page.get_by_role("link", name="Start a partnership").click()
    page.get_by_label("Name").first.fill("Safer Torbay")
    page.get_by_label("Web address").fill("torbay")
    page.get_by_label("Area").fill("Torbay")
    page.get_by_label("First admin's name").fill("Tam Admin")
    page.get_by_label("First admin's email").fill("tam@torbay.example")
    page.get_by_role("button", name="Start the partnership").click()
    assert page.get_by_text("Safer Torbay is started.").is_visible()
    assert page.get_by_role("heading", name="1 invitation sent").is_visible()
    link = _mailed_link("tam@torbay.example")
    assert page.get_by_label("Invitation link for tam@torbay.example").input_value() == link
    _shots(page, "1-partnership-started")
    _sign_out(page)

    # The admin accepts by the emailed link.
    _join(page, link, "tam", "Tam", "Admin")
    assert page.get_by_text("Welcome to Safer Torbay.").is_visible()
    assert page.get_by_text("you are an admin").is_visible()

    # ...adds two organisations...
    page.get_by_role("link", name="Organisations of Safer Torbay").click()
    for name in ("Torbay Council", "Devon and Cornwall Police"):
        page.get_by_label("Organisation name").fill(name)
        page.get_by_role("button", name="Add organisation").click()
        assert page.get_by_text(f"Added {name}.").is_visible()
    assert page.get_by_role("cell", name="Devon and Cornwall Police", exact=True).is_visible()
    _shots(page, "2-organisations")

    # ...and invites an analyst and two partners by a bulk file.
    page.get_by_role("link", name="People", exact=True).click()
    page.get_by_role("link", name="Invite from a file").click()
    people = tmp_path / "torbay-people.csv"
    people.write_text(
        "name,email,organisation,role\n"
        "Ann Analyst,ann@torbay.example,Torbay Council,Analyst\n"
        "Pat Police,pat@torbay.example,Devon and Cornwall Police,Partner\n"
        "Chris Council,chris@torbay.example,Torbay Council,partner\n"
    )
    page.get_by_label("File").set_input_files(str(people))
    page.get_by_role("button", name="Check and invite").click()
    assert page.get_by_role("heading", name="3 invitations sent").is_visible()
    _shots(page, "3-bulk-invitations")
    page.get_by_role("link", name="Back to people").click()
    assert page.get_by_role("cell", name="pat@torbay.example", exact=True).is_visible()
    _sign_out(page)

    # The analyst joins and starts 2020/21.
    _join(page, _mailed_link("ann@torbay.example"), "ann", "Ann", "Analyst")
    assert page.get_by_text("you are an analyst, speaking for Torbay Council").is_visible()
    assert page.get_by_text("No assessments yet.").is_visible()
    page.get_by_role("link", name="Start an assessment for Safer Torbay").click()
    page.get_by_label("Period").fill("2020/21")
    page.get_by_role("button", name="Start the assessment").click()
    assert page.get_by_text("Started the 2020/21 assessment.").is_visible()
    _shots(page, "4-assessment-started")
    assert Assessment.objects.filter(partnership__slug="torbay", period="2020/21").exists()
    _sign_out(page)

    # A partner joins, forgets the password, and resets it by the emailed link.
    _join(page, _mailed_link("pat@torbay.example"), "pat", "Pat", "Police")
    assert page.get_by_text(
        "you are a partner, speaking for Devon and Cornwall Police"
    ).is_visible()
    _sign_out(page)
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("pat@torbay.example")
    page.get_by_role("button", name="Email me a link").click()
    assert page.get_by_role("heading", name="Check your email").is_visible()
    page.goto(_mailed_link("pat@torbay.example"))
    assert page.get_by_role("heading", name="Choose a new password").is_visible()
    new = "a-remembered-passphrase-2"
    page.locator("#id_new_password1").fill(new)
    page.locator("#id_new_password2").fill(new)
    page.get_by_role("button", name="Save my new password").click()
    assert page.get_by_role("heading", name="Your new password is saved").is_visible()
    _shots(page, "5-password-saved")
    page.get_by_role("link", name="Sign in").click()
    _sign_in(page, base, "pat", new)
    assert page.get_by_role("heading", name="Safer Torbay").is_visible()

    roles = dict(
        Membership.objects.filter(partnership__slug="torbay").values_list("user__username", "role")
    )
    assert roles == {"tam": "admin", "ann": "analyst", "pat": "partner"}
    assert not errors, errors

"""End to end in Debian's chromium: open, two partners score, the facilitator watches live,
reveals, agrees and locks; afterwards a partner can change nothing."""

import os
import re

import pytest
from django.conf import settings
from django.db import connections

from assessments.models import RiskFactorScore, ScoreKind
from tests.workshops.conftest import url
from workshops.models import Submission, WorkshopStatus

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# The live server builds its middleware once, before per-test settings fixtures run, so plain
# HTTP (which conftest's autouse fixture gives every test anyway) must be set up front.
settings.SECURE_SSL_REDIRECT = False
playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def browser():
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


def _sign_in(browser, live_server, username):
    page = browser.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server.url + "/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/")
    return page


def _score_with_keyboard(page, risk, capacity):
    """Fill one risk's radio groups by label and save; the htmx save keeps the page."""
    card = page.locator(f"#risk-{risk.pk}")
    card.get_by_role("group", name="Confidence in the intelligence picture").get_by_label(
        re.compile("^Medium")
    ).check()
    for group, level in (
        ("Capacity", capacity),
        ("Capability", "Adequate"),
        ("Cost to respond", "Limited"),
        ("Mitigation in place", "Adequate"),
    ):
        card.get_by_role("group", name=group, exact=True).get_by_label(
            re.compile("^" + level)
        ).check()
    card.get_by_role("button", name=re.compile("^Save scores")).focus()
    page.keyboard.press("Enter")
    page.locator(f"#risk-{risk.pk} [role=status]").get_by_text("Saved your scores").wait_for()


@pytest.mark.slow
def test_a_workshop_runs_end_to_end_in_the_browser(
    live_server, browser, draft_workshop, risks, facilitator, police_partner, council_partner
):
    workshop = draft_workshop
    fran = _sign_in(browser, live_server, "fran_facilitator")
    fran.goto(live_server.url + url(workshop, "dashboard"))
    fran.get_by_role("button", name="Open the workshop").click()
    fran.get_by_text("The workshop is open").wait_for()

    pat = _sign_in(browser, live_server, "pat_police")
    assert pat.get_by_text("Annual workshop").count() >= 1
    pat.goto(live_server.url + url(workshop))
    chris = _sign_in(browser, live_server, "chris_council")
    chris.goto(live_server.url + url(workshop))

    _score_with_keyboard(pat, risks[0], "Strong")
    _score_with_keyboard(chris, risks[0], "Weak")
    assert "1 of 2 risks scored" in pat.locator("#score-progress").inner_text()
    pat.screenshot(path="/tmp/workshop-partner.png", full_page=True)
    # blind: the council does not see the police's answers yet
    assert "Revealed" not in chris.locator(f"#risk-{risks[0].pk}").inner_text()

    # the facilitator's dashboard updates by itself (htmx polling), no reload
    live_card = fran.locator(f"#live-risk-{risks[0].pk}")
    live_card.get_by_text("scored by 2 of 2").wait_for(timeout=15_000)
    assert "Divergent" in live_card.inner_text()
    fran.screenshot(path="/tmp/workshop-dashboard.png", full_page=True)

    fran.get_by_role("button", name=f"Reveal “{risks[0].name}”").click()
    fran.get_by_text("are revealed to partners").wait_for()
    chris.reload()
    assert "Strong 1, Weak 1" in chris.locator(f"#risk-{risks[0].pk}").inner_text().replace(
        "\n", ""
    )
    chris.screenshot(path="/tmp/workshop-revealed.png", full_page=True)

    fran.get_by_label("Factor and agreed level").first.select_option("capacity:Adequate")
    fran.get_by_label("Note").first.fill("The room agreed pressure is occasional.")
    fran.get_by_role("button", name=f"Record agreed level for “{risks[0].name}”").click()
    fran.get_by_text("Agreed Adequate").wait_for()
    fran.get_by_role("button", name="Lock the workshop").click()
    fran.get_by_text("The workshop is locked").wait_for()

    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.LOCKED
    agreed = RiskFactorScore.objects.get(risk=risks[0], kind=ScoreKind.AGREED)
    assert agreed.level_label == "Adequate"

    before = list(Submission.objects.order_by("id").values_list("id", "level_label"))
    pat.reload()
    pat.get_by_text("scores can no longer change").wait_for()
    assert pat.get_by_role("button", name=re.compile("^Save scores")).first.is_disabled()
    # even a hand-made request is refused
    response = pat.request.post(
        live_server.url + url(workshop, "score_risk", risk_id=risks[0].pk),
        form={
            "confidence": "High",
            "capacity": "Weak",
            "capability": "Weak",
            "cost": "Weak",
            "mitigation": "Weak",
            "csrfmiddlewaretoken": pat.locator("[name=csrfmiddlewaretoken]").first.input_value(),
        },
        headers={"HX-Request": "true", "Referer": live_server.url},
    )
    assert "is locked" in response.text()
    assert list(Submission.objects.order_by("id").values_list("id", "level_label")) == before
    pat.screenshot(path="/tmp/workshop-locked.png", full_page=True)
    # ORM calls made while Playwright's loop runs use their own connection: close it here.
    connections.close_all()


def _tab_to(page, predicate: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches a JavaScript predicate on `el`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {predicate}; }})()"):
            return
    raise AssertionError(f"Tab never reached {predicate}")


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


@pytest.mark.slow
def test_a_keyboard_user_scores_a_risk_and_keeps_their_place_after_each_save(
    live_server, browser, workshop, risks, police_partner
):
    risk = risks[1]
    pat = _sign_in(browser, live_server, "pat_police")
    pat.goto(live_server.url + url(workshop))
    # From the index at the top, jump to the risk.
    _tab_to(pat, f"el.getAttribute('href') === '#risk-{risk.pk}'")
    pat.keyboard.press("Enter")
    pat.wait_for_url(re.compile(f"#risk-{risk.pk}$"))
    # Each radio group: Tab into it, Space picks the first level, arrows move along.
    for key, steps in (("confidence", 1), ("capacity", 3), ("capability", 1), ("cost", 2)):
        _tab_to(pat, f"el.name === '{key}'")
        pat.keyboard.press("Space")
        for _ in range(steps):
            pat.keyboard.press("ArrowRight")
    _tab_to(pat, "el.name === 'mitigation'")
    pat.keyboard.press("Space")
    _tab_to(pat, f"el.id === 'risk-{risk.pk}-save'")
    pat.keyboard.press("Enter")
    pat.locator(f"#risk-{risk.pk}-status").get_by_text("Saved your scores").wait_for()
    # htmx swapped the answers; focus is back on the Save button, not lost to the page.
    assert _focused_id(pat) == f"risk-{risk.pk}-save"
    capacity = Submission.objects.get(risk=risk, factor_key="capacity")
    assert capacity.level_label == "Weak"
    assert "Knife crime Saved" in pat.locator(f"#index-risk-{risk.pk}").inner_text()

    # The facilitator reveals the risk meanwhile: the next save is refused, the answers turn
    # read-only, and focus moves to the message saying so.
    from workshops.services import workshop_reveal

    workshop_reveal(workshop=workshop, risk=risk)
    pat.keyboard.press("Enter")
    status = pat.locator(f"#risk-{risk.pk}-status")
    status.get_by_text("Not saved: the facilitator has revealed").wait_for()
    assert _focused_id(pat) == f"risk-{risk.pk}-status"
    assert pat.locator(f"#risk-{risk.pk}-save").is_disabled()
    pat.screenshot(path="/tmp/workshop-keyboard-revealed.png", full_page=True)
    connections.close_all()


def test_answers_typed_before_the_session_ended_are_saved_after_signing_in_again(
    live_server, browser, workshop, risks, police_partner, monkeypatch
):
    import time

    start = time.time()
    now = [start]
    monkeypatch.setattr(time, "time", lambda: now[0])  # the live server's clock too
    context = browser.new_context()  # one browser: its tabs share the session cookie
    pat = context.new_page()
    pat.set_default_timeout(10_000)
    pat.goto(live_server.url + "/login/")
    pat.get_by_label("Username").fill("pat_police")
    pat.get_by_label("Password").fill(PASSWORD)
    pat.keyboard.press("Enter")
    pat.wait_for_url(live_server.url + "/")
    pat.goto(live_server.url + url(workshop))
    card = pat.locator(f"#risk-{risks[0].pk}")
    card.get_by_role("group", name="Confidence in the intelligence picture").get_by_label(
        re.compile("^Medium")
    ).check()
    for group, level in (
        ("Capacity", "Weak"),
        ("Capability", "Adequate"),
        ("Cost to respond", "Limited"),
        ("Mitigation in place", "Adequate"),
    ):
        card.get_by_role("group", name=group, exact=True).get_by_label(
            re.compile("^" + level)
        ).check()
    now[0] += settings.SESSION_IDLE_SECONDS + 60  # Pat is called away before saving
    card.get_by_role("button", name=re.compile("^Save scores")).click()
    card.get_by_role("alert").get_by_text("You have been signed out").wait_for()
    assert (
        card.get_by_role("group", name="Capacity", exact=True)
        .get_by_label(re.compile("^Weak"))
        .is_checked()
    )
    assert not Submission.objects.exists()

    again = context.new_page()
    again.goto(live_server.url + "/login/")
    again.get_by_label("Username").fill("pat_police")
    again.get_by_label("Password").fill(PASSWORD)
    again.keyboard.press("Enter")
    again.wait_for_url(live_server.url + "/")
    again.close()

    card.get_by_role("button", name=re.compile("^Save scores")).click()
    pat.locator(f"#risk-{risks[0].pk} [role=status]").get_by_text("Saved your scores").wait_for()
    assert pat.locator("#signed-out").count() == 0
    assert Submission.objects.get(factor_key="capacity").level_label == "Weak"
    context.close()
    connections.close_all()  # as above: else PostgreSQL cannot drop the test database

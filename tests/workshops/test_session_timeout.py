"""Sessions end after a spell without activity as well as a while after signing in: the
facilitator's self-updating dashboard is not activity, and a save sent after the session
ended is answered so that htmx leaves the typed answers on the page."""

import time

import pytest
from django.urls import reverse

from tests.workshops.conftest import PARTNER_SCORES, url

pytestmark = pytest.mark.django_db

HOME = reverse("assessments:home")
MINUTE = 60


@pytest.fixture
def clock(monkeypatch):
    """The time the server sees, moved on by `clock.advance(seconds)`."""

    class Clock:
        now = time.time()

        def advance(self, seconds: float) -> None:
            self.now += seconds

    fake = Clock()
    monkeypatch.setattr(time, "time", lambda: fake.now)
    return fake


def _signed_in(client) -> bool:
    response = client.get(HOME)
    return response.status_code == 200


def test_a_session_left_idle_longer_than_the_idle_timeout_is_signed_out(
    client, analyst, clock, settings
):
    settings.SESSION_IDLE_SECONDS = 30 * MINUTE
    client.force_login(analyst)
    assert _signed_in(client)
    clock.advance(31 * MINUTE)
    response = client.get(HOME, follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    text = " ".join(response.content.decode().split())
    assert "You were signed out after 30 minutes without activity" in text


def test_activity_renews_the_session_past_the_idle_timeout(client, analyst, clock, settings):
    settings.SESSION_IDLE_SECONDS = 30 * MINUTE
    client.force_login(analyst)
    for _ in range(6):  # two hours, a page every twenty minutes
        assert _signed_in(client)
        clock.advance(20 * MINUTE)
    assert _signed_in(client)


def test_a_session_ends_a_fixed_time_after_signing_in_however_active(
    client, analyst, clock, settings
):
    settings.SESSION_IDLE_SECONDS = 30 * MINUTE
    settings.SESSION_COOKIE_AGE = 2 * 60 * MINUTE
    client.force_login(analyst)
    for _ in range(6):
        assert _signed_in(client)
        clock.advance(20 * MINUTE)
    clock.advance(1 * MINUTE)  # 2 h 1 min after signing in, 21 minutes after the last page
    assert not _signed_in(client)


def test_the_dashboards_own_polling_does_not_keep_a_facilitator_signed_in(
    client, workshop, facilitator, clock, settings
):
    settings.SESSION_IDLE_SECONDS = 30 * MINUTE
    client.force_login(facilitator)
    assert client.get(url(workshop, "dashboard")).status_code == 200
    for _ in range(8):  # 32 minutes of a dashboard left open, polling by itself
        clock.advance(4 * MINUTE)
        client.get(url(workshop, "live"), HTTP_HX_REQUEST="true")
    assert not _signed_in(client)


def test_a_save_sent_after_the_session_ended_is_refused_without_replacing_the_answers(
    client, workshop, risks, police_partner, clock, settings
):
    settings.SESSION_IDLE_SECONDS = 30 * MINUTE
    client.force_login(police_partner)
    assert client.get(url(workshop)).status_code == 200
    clock.advance(31 * MINUTE)
    response = client.post(
        url(workshop, "score_risk", risk_id=risks[0].pk), PARTNER_SCORES, HTTP_HX_REQUEST="true"
    )
    # htmx swaps nothing in on a 4xx answer, so what was typed stays; the page says why.
    assert response.status_code == 401
    assert "signed out" in response.content.decode()
    assert not workshop.rounds.get().submissions.exists()


def test_the_page_shows_why_an_htmx_request_was_refused(client, analyst):
    client.force_login(analyst)
    page = client.get(HOME).content.decode()
    assert 'src="/static/js/session.js"' in page


def test_signing_in_starts_both_clocks_so_the_first_page_writes_nothing(client, analyst):
    from config.sessions import ACTIVE_AT, SIGNED_IN_AT

    client.post(reverse("login"), {"username": "asha_analyst", "password": "correct-horse-battery"})
    session = client.session
    assert session[SIGNED_IN_AT] == session[ACTIVE_AT]

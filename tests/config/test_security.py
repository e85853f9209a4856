"""Sign-in is throttled and every response carries the security headers."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _attempt(client, password: str):
    return client.post(reverse("login"), {"username": "asha_analyst", "password": password})


def test_a_wrong_password_redisplays_the_form_with_a_message(client, analyst):
    response = _attempt(client, "not-my-password")
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content


def test_five_wrong_passwords_lock_the_account_with_a_clear_message(client, analyst):
    for _ in range(5):
        _attempt(client, "not-my-password")
    response = _attempt(client, "correct-horse-battery")
    assert response.status_code == 429
    assert b"Too many sign-in attempts" in response.content


def test_a_successful_sign_in_clears_earlier_failures(client, analyst):
    for _ in range(4):
        _attempt(client, "not-my-password")
    assert _attempt(client, "correct-horse-battery").status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        _attempt(client, "not-my-password")
    assert _attempt(client, "correct-horse-battery").status_code == 302


def test_pages_allow_scripts_and_styles_only_from_our_own_files(client):
    policy = client.get(reverse("login")).headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_pages_refuse_framing_and_content_sniffing(client):
    response = client.get(reverse("login"))
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_forms_are_protected_against_cross_site_requests(analyst):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        reverse("login"), {"username": "asha_analyst", "password": "correct-horse-battery"}
    )
    assert response.status_code == 403


def test_sessions_expire(settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE

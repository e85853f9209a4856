"""Forgotten passwords: an emailed link, used once, to choose a new one; throttling still holds."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
NEW = "a-brand-new-passphrase-7"
LINK = re.compile(r"http://testserver(/password/reset/[\w-]+/[\w-]+/)")


def _ask(client, email: str):
    return client.post(reverse("password_reset"), {"email": email}, follow=True)


def _sign_in(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.fixture
def pat(police_partner):
    police_partner.email = "pat@example.org"
    police_partner.save()
    return police_partner


def test_the_sign_in_page_offers_a_forgotten_password_link(client):
    page = client.get(reverse("login")).content.decode()
    assert "Forgot your password?" in page and reverse("password_reset") in page


def test_a_partner_resets_a_forgotten_password_by_the_emailed_link(client, pat):
    page = _ask(client, "PAT@example.org").content.decode()
    assert "Check your email" in page
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["pat@example.org"]
    assert "pat_police" in mail.outbox[0].body
    link = LINK.search(mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    weak = client.post(form.redirect_chain[-1][0], {"new_password1": "pat", "new_password2": "pat"})
    assert "too short" in weak.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}, follow=True
    )
    assert "Your new password is saved" in done.content.decode()
    assert _sign_in(Client(), "pat_police", NEW).status_code == 302
    assert _sign_in(Client(), "pat_police", "correct-horse-battery").status_code == 200
    again = client.get(link, follow=True)
    assert "This link no longer works" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, pat):
    page = _ask(client, "nobody@example.org").content.decode()
    assert "Check your email" in page and not mail.outbox


def test_a_deactivated_person_is_sent_no_reset_link(client, pat, admin_user):
    from assessments.people_services import membership_deactivate

    membership_deactivate(membership=pat.memberships.get(), user=admin_user)
    _ask(client, "pat@example.org")
    assert not mail.outbox


def test_resetting_a_password_does_not_lift_a_sign_in_lock(client, pat, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "pat_police", "wrong-guess")
    _ask(client, "pat@example.org")
    link = LINK.search(mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    locked = _sign_in(client, "pat_police", NEW)
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()

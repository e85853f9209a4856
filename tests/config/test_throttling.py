"""Guessing passwords is throttled everywhere a password is checked: per username from an
address, per address across usernames, and on the password-change form as on sign-in.
Behind a proxy, only the configured proxy may say who the client is."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory
from django.urls import reverse

from config.proxy import client_ip_address

pytestmark = pytest.mark.django_db

RIGHT = "correct-horse-battery"


def _sign_in(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def _change_password(client, old: str):
    new = "a-much-longer-new-passphrase"
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_wrong_old_passwords_on_the_password_form_lock_it_like_sign_in(client, analyst):
    client.force_login(analyst)
    statuses = [_change_password(client, "not-my-password").status_code for _ in range(5)]
    assert statuses[:4] == [200] * 4  # the form says the old password is wrong
    response = _change_password(client, RIGHT)
    assert response.status_code == 429
    assert b"Too many sign-in attempts" in response.content
    analyst.refresh_from_db()
    assert analyst.check_password(RIGHT)


def test_a_password_form_lock_also_locks_signing_in_from_that_address(client, analyst):
    client.force_login(analyst)
    for _ in range(5):
        _change_password(client, "not-my-password")
    assert _sign_in(Client(), "asha_analyst", RIGHT).status_code == 429


def test_the_right_old_password_still_changes_it_after_a_slip(client, analyst):
    client.force_login(analyst)
    assert _change_password(client, "not-my-password").status_code == 200
    assert _change_password(client, RIGHT).status_code == 302
    analyst.refresh_from_db()
    assert analyst.check_password("a-much-longer-new-passphrase")


def test_one_password_tried_against_many_usernames_locks_the_address(analyst, settings):
    settings.WORKBENCH_ADDRESS_FAILURE_LIMIT = 10
    sprayer = Client(REMOTE_ADDR="198.51.100.7")
    statuses = [_sign_in(sprayer, f"someone{n}", "Summer2024!").status_code for n in range(10)]
    assert statuses[:9] == [200] * 9
    assert _sign_in(sprayer, "asha_analyst", RIGHT).status_code == 429
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    assert _sign_in(elsewhere, "asha_analyst", RIGHT).status_code == 302


def test_the_address_lock_says_it_is_the_connection_not_the_account(settings):
    settings.WORKBENCH_ADDRESS_FAILURE_LIMIT = 3
    sprayer = Client(REMOTE_ADDR="198.51.100.7")
    for n in range(3):
        _sign_in(sprayer, f"someone{n}", "Summer2024!")
    text = " ".join(_sign_in(sprayer, "someone9", "x").content.decode().split())
    assert "Too many wrong passwords have come from your connection" in text
    assert "paused for 15 minutes" in text


def test_signing_in_clears_only_ones_own_failures_not_the_addresss(analyst, settings):
    settings.WORKBENCH_ADDRESS_FAILURE_LIMIT = 6
    sprayer = Client(REMOTE_ADDR="198.51.100.7")
    for n in range(5):
        _sign_in(sprayer, f"someone{n}", "Summer2024!")
    # The sprayer's own account signing in must not wipe the count of the others.
    assert _sign_in(sprayer, "asha_analyst", RIGHT).status_code == 302
    sprayer.post(reverse("logout"))
    _sign_in(sprayer, "someone5", "Summer2024!")
    assert _sign_in(sprayer, "asha_analyst", RIGHT).status_code == 429


def test_a_small_office_behind_one_address_is_not_locked_by_a_few_slips(analyst, settings):
    office = Client(REMOTE_ADDR="192.0.2.10")
    for n in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(office, f"colleague{n}", "typo")
    assert _sign_in(office, "asha_analyst", RIGHT).status_code == 302


def test_behind_a_proxy_a_client_reaching_the_app_directly_cannot_choose_its_address(settings):
    settings.WORKBENCH_TRUSTED_PROXIES = ["10.0.0.2"]
    direct = RequestFactory().get(
        "/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert client_ip_address(direct) == "198.51.100.7"


def test_behind_a_proxy_the_forwarded_address_counts_only_from_a_trusted_proxy(settings):
    settings.WORKBENCH_TRUSTED_PROXIES = ["10.0.0.0/24", "::1"]
    via_proxy = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    assert client_ip_address(via_proxy) == "203.0.113.9"
    local = RequestFactory().get("/", REMOTE_ADDR="::1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_ip_address(local) == "203.0.113.5"


def test_behind_a_proxy_failures_from_a_direct_client_count_against_its_own_address(
    analyst, settings
):
    settings.AXES_CLIENT_IP_CALLABLE = "config.proxy.client_ip_address"
    settings.WORKBENCH_TRUSTED_PROXIES = ["10.0.0.2"]
    settings.WORKBENCH_ADDRESS_FAILURE_LIMIT = 3
    for n in range(3):
        # A new forwarded address each time: ignored, since the sender is not the proxy.
        direct = Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        _sign_in(direct, f"someone{n}", "Summer2024!")
    again = Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert _sign_in(again, "asha_analyst", RIGHT).status_code == 429


def test_trusted_proxies_default_to_this_machine_and_refuse_nonsense_by_name():
    from config.env import env_networks

    assert env_networks("T", ["127.0.0.1", "::1"], {}) == ["127.0.0.1/32", "::1/128"]
    assert env_networks("T", [], {"T": "10.0.0.0/8, 2001:db8::1"}) == [
        "10.0.0.0/8",
        "2001:db8::1/128",
    ]
    with pytest.raises(ImproperlyConfigured, match="DJANGO_TRUSTED_PROXIES"):
        env_networks("DJANGO_TRUSTED_PROXIES", [], {"DJANGO_TRUSTED_PROXIES": "proxy.example"})


def test_what_was_typed_into_the_password_form_is_never_stored(client, analyst):
    from axes.models import AccessAttempt

    client.force_login(analyst)
    _change_password(client, "my-secret-guess")
    stored = " ".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert "old_password" in stored  # the attempt was counted...
    assert "my-secret-guess" not in stored and "a-much-longer-new-passphrase" not in stored

"""The sign-in form explains its errors; error pages are the app's own, say what happened and
lead back; every page links the favicon and marks the current page in the navigation."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from assessments import access

pytestmark = pytest.mark.django_db


def test_an_empty_sign_in_says_which_fields_to_fill_in_next_to_them(client):
    page = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    assert '<div class="invalid-feedback" id="id_username_error">Enter your username.</div>' in page
    assert '<div class="invalid-feedback" id="id_password_error">Enter your password.</div>' in page
    assert page.count('aria-invalid="true"') == 2
    assert 'aria-describedby="id_username_error"' in page
    assert 'aria-describedby="id_password_error"' in page
    assert "<title>Error: Sign in" in page


def test_a_missing_password_puts_the_focus_on_the_password(client):
    page = client.post(reverse("login"), {"username": "asha", "password": ""}).content.decode()
    password_input = page[page.index('id="id_password"') :].split(">")[0]
    username_input = page[page.index('id="id_username"') :].split(">")[0]
    assert "autofocus" in password_input and "autofocus" not in username_input


def test_a_wrong_password_is_announced_in_an_alert_the_fields_point_to(client, analyst):
    page = client.post(
        reverse("login"), {"username": "asha_analyst", "password": "wrong"}
    ).content.decode()
    assert '<div class="alert alert-danger" role="alert" id="sign-in-error">' in page
    assert "Please enter a correct username and password" in page
    assert page.count('aria-describedby="sign-in-error"') == 2
    assert 'aria-invalid="true"' not in page


def test_a_role_without_the_capability_sees_why_in_a_403_page(client, police_partner, assessment):
    client.force_login(police_partner)
    response = client.get("/p/plymouth/2019-20/evidence/import/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your role (Partner) may not do this." in page
    assert '<a class="skip-link" href="#main">' in page  # the site's own layout
    assert f'href="{reverse("assessments:home")}">Back to your assessments' in page


def test_a_missing_page_is_a_404_page_with_a_way_back(client, analyst):
    client.force_login(analyst)
    response = client.get("/p/nowhere/2019-20/")
    assert response.status_code == 404
    assert b'<h1 class="h2">Page not found</h1>' in response.content
    assert b"Back to your assessments" in response.content


def test_a_server_error_shows_the_apps_500_page(analyst, monkeypatch):
    def broken(user):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(access, "assessments_by_membership", broken)
    client = Client(raise_request_exception=False)
    client.force_login(analyst)
    response = client.get(reverse("assessments:home"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert b"the database went away" not in response.content
    assert b'<a href="/">Back to your assessments</a>' in response.content


def test_the_500_page_renders_without_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b'<main id="main"' in response.content


def test_every_page_links_the_favicon(client):
    page = client.get(reverse("login")).content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
    assert client.get("/static/img/favicon.svg").status_code == 200


def test_the_change_password_link_is_marked_as_the_current_page(client, analyst):
    client.force_login(analyst)
    page = client.get(reverse("password_change")).content.decode()
    assert f'href="{reverse("password_change")}" aria-current="page">Change password' in page


def test_home_says_the_users_role_in_a_sentence(client, analyst, assessment):
    client.force_login(analyst)
    page = client.get(reverse("assessments:home")).content.decode()
    assert "you are an analyst, speaking for Plymouth City Council" in page


def test_a_form_sent_without_its_csrf_token_gets_a_page_that_says_what_to_do(analyst):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(analyst)
    response = strict.post(reverse("password_change"), {})
    assert response.status_code == 403
    assert b"The form has expired" in response.content
    assert b"Nothing was saved" in response.content

"""Sign-in is throttled, every response carries the security headers, and oversized uploads
are refused before a byte of them is read."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadhandler import FileUploadHandler
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from config.proxy import client_ip_address

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
    assert b"locked for 15 minutes after\n    5 wrong passwords" in response.content


def test_the_lockout_message_gives_the_configured_cool_off_and_limit(client, analyst, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=40)
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        _attempt(client, "not-my-password")
    response = _attempt(client, "correct-horse-battery")
    assert response.status_code == 429
    text = " ".join(response.content.decode().split())
    assert "locked for 40 minutes after 3 wrong passwords" in text


def test_behind_a_proxy_the_client_is_the_address_the_proxy_saw(settings):
    settings.WORKBENCH_TRUSTED_PROXIES = ["10.0.0.2"]
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    # The first entry is whatever the client sent; the proxy appended the last one.
    assert client_ip_address(request) == "203.0.113.9"
    assert client_ip_address(RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"


def test_behind_a_proxy_one_persons_failures_do_not_lock_out_another(analyst, settings):
    settings.AXES_CLIENT_IP_CALLABLE = "config.proxy.client_ip_address"
    settings.WORKBENCH_TRUSTED_PROXIES = ["10.0.0.2"]
    attacker = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    colleague = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    for _ in range(5):
        _attempt(attacker, "not-my-password")
    assert _attempt(attacker, "correct-horse-battery").status_code == 429
    assert _attempt(colleague, "correct-horse-battery").status_code == 302


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
    assert "style-src 'self'" in policy
    assert "unsafe-eval" not in policy
    assert "unsafe-inline" not in policy
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
    assert settings.SESSION_IDLE_SECONDS <= 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


class CountingUploadHandler(FileUploadHandler):
    """Counts the bytes of uploaded files that Django reads from the request."""

    received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        CountingUploadHandler.received += len(raw_data)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


IMPORT_URL = "/p/plymouth/2019-20/evidence/import/"


@pytest.fixture
def counted_uploads(settings):
    settings.FILE_UPLOAD_HANDLERS = [f"{__name__}.CountingUploadHandler"]
    settings.UPLOAD_MAX_MB = 1
    CountingUploadHandler.received = 0
    return CountingUploadHandler


def _signed_in_with_csrf_cookie(user) -> Client:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.get(IMPORT_URL).status_code == 200  # sets the CSRF cookie
    return strict


def _file(megabytes: float) -> io.BytesIO:
    upload = io.BytesIO(b"x" * int(megabytes * 1024 * 1024))
    upload.name = "crimes.csv"
    return upload


def test_an_upload_under_the_limit_is_read_so_the_byte_counter_counts(
    analyst, assessment, counted_uploads
):
    strict = _signed_in_with_csrf_cookie(analyst)
    # A CSRF cookie but no token in the form: CsrfViewMiddleware reads the whole body looking
    # for the token, then refuses it.
    response = strict.post(IMPORT_URL, {"kind": "summary", "files": _file(1.5)})
    assert response.status_code == 403
    assert counted_uploads.received >= 1.5 * 1024 * 1024


def test_an_oversized_form_post_goes_back_with_the_limit_and_nothing_read(
    analyst, assessment, counted_uploads
):
    strict = _signed_in_with_csrf_cookie(analyst)
    response = strict.post(
        IMPORT_URL,
        {"kind": "summary", "files": _file(3)},
        HTTP_REFERER=f"http://testserver{IMPORT_URL}",
    )
    assert counted_uploads.received == 0
    assert response.status_code == 303 and response["Location"] == IMPORT_URL
    page = strict.get(IMPORT_URL).content.decode()
    assert "Nothing was uploaded: the upload is over the 1 MB limit." in page


def test_an_oversized_upload_from_elsewhere_gets_a_413_page_naming_the_limit(
    analyst, assessment, counted_uploads
):
    strict = _signed_in_with_csrf_cookie(analyst)
    sheet = "/p/plymouth/2019-20/scoring-sheet/upload/"
    response = strict.post(
        sheet, {"file": _file(3)}, HTTP_REFERER="https://evil.example.org/upload"
    )
    assert counted_uploads.received == 0
    assert response.status_code == 413
    assert b"the upload is over the 1 MB limit" in response.content
    assert b'href="/"' in response.content


@pytest.mark.parametrize(
    "referer",
    [
        "//evil.example/x",
        "http://testserver//evil.example/x",
        "http://testserver/\\evil.example/x",
        "http://testserver/%2F/evil.example/x",
        "http://testserver/\\/evil.example/x",
        "https://testserver/p/plymouth/",  # our host, but not the scheme this request came on
        "javascript:alert(1)",
    ],
)
def test_an_oversized_upload_never_redirects_off_site_whatever_the_referer(
    analyst, assessment, counted_uploads, referer
):
    strict = _signed_in_with_csrf_cookie(analyst)
    response = strict.post(IMPORT_URL, {"kind": "summary", "files": _file(3)}, HTTP_REFERER=referer)
    assert counted_uploads.received == 0
    if response.status_code == 303:
        location = response["Location"]
        # A path of ours: "//host" or "/\\host" would take the browser to another site.
        assert location.startswith("/") and location[1:2] not in ("/", "\\"), location
        assert url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver"})
    else:
        assert response.status_code == 413
        assert b'href="/"' in response.content

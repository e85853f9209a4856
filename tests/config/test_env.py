"""Settings are read from the environment; nonsense fails with a clear ImproperlyConfigured."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import database_from_url, env_bool, env_int, env_list, redact_url

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "word,expected", [("1", True), ("yes", True), ("0", False), ("off", False)]
)
def test_yes_no_words_are_understood(word, expected):
    assert env_bool("DJANGO_DEBUG", False, {"DJANGO_DEBUG": word}) is expected


def test_unset_yes_no_setting_takes_its_default():
    assert env_bool("DJANGO_DEBUG", True, {}) is True


def test_a_yes_no_setting_that_is_neither_is_refused_by_name():
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG='maybe'"):
        env_bool("DJANGO_DEBUG", False, {"DJANGO_DEBUG": "maybe"})


def test_a_number_setting_must_be_a_whole_number():
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("WORKBENCH_UPLOAD_MAX_MB", 100, {"WORKBENCH_UPLOAD_MAX_MB": "lots"})


def test_a_number_setting_below_its_minimum_is_refused():
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("WORKBENCH_UPLOAD_MAX_MB", 100, {"WORKBENCH_UPLOAD_MAX_MB": "0"}, minimum=1)


def test_allowed_hosts_are_a_comma_separated_list():
    hosts = env_list("H", [], {"H": "workbench.example.org, localhost ,"})
    assert hosts == ["workbench.example.org", "localhost"]


def test_postgres_url_becomes_a_postgres_database():
    db = database_from_url("postgres://wb:s%40cret@db.internal:5433/workbench", base_dir=BASE_DIR)
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"]) == ("workbench", "wb", "s@cret")
    assert (db["HOST"], db["PORT"]) == ("db.internal", "5433")


def test_relative_sqlite_url_is_under_the_project_and_tuned_for_concurrency():
    db = database_from_url("sqlite:///data/wb.sqlite3", base_dir=BASE_DIR)
    assert db["NAME"] == BASE_DIR / "data" / "wb.sqlite3"
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["timeout"] >= 5


@pytest.mark.parametrize(
    "url,message",
    [
        ("mysql://root@localhost/wb", "only sqlite:// and postgres://"),
        ("postgres://localhost/", "names no database"),
        ("postgres://localhost:port/wb", "port that is not a number"),
        ("sqlite://", "sqlite:///relative.db"),
    ],
)
def test_unusable_database_urls_are_refused_with_the_reason(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        database_from_url(url, base_dir=BASE_DIR)


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check_with_no_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="workbench.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_bad_setting_stops_the_app_with_a_clear_message():
    result = _manage("check", DJANGO_DEBUG="perhaps")
    assert result.returncode != 0
    assert "DJANGO_DEBUG='perhaps' is not a yes/no value" in result.stderr


@pytest.mark.parametrize(
    "url",
    [
        "postgres://wb:hunter2-secret@localhost:port/wb",
        "mysql://root:hunter2-secret@localhost/wb",
        "postgres://wb:hunter2-secret@localhost/",
        "postgres://wb:hunter2/secret@localhost:bad/wb",
    ],
)
def test_database_url_errors_never_show_the_password(url):
    with pytest.raises(ImproperlyConfigured) as error:
        database_from_url(url, base_dir=BASE_DIR)
    assert "hunter2" not in str(error.value)
    assert "wb:***@localhost" in str(error.value) or "root:***@localhost" in str(error.value)


def test_a_redacted_url_keeps_everything_but_the_password():
    assert redact_url("postgres://wb:s3cret@db:5432/workbench?sslmode=require") == (
        "postgres://wb:***@db:5432/workbench?sslmode=require"
    )
    assert redact_url("postgres://wb@db/workbench") == "postgres://wb@db/workbench"
    assert redact_url("sqlite:///db.sqlite3") == "sqlite:///db.sqlite3"


def test_an_empty_allowed_hosts_with_debug_off_stops_the_app_with_a_clear_message():
    result = _manage("check", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS=" , ")
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is set but names no host" in result.stderr


def test_without_allowed_hosts_set_the_app_answers_on_this_machine():
    result = _manage("check", DJANGO_DEBUG="0")
    assert result.returncode == 0, result.stderr


def _hsts_flags(**env: str) -> str:
    code = "from django.conf import settings as s; "
    code += "print(s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
    result = _manage("shell", "-v0", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_hsts_subdomains_and_preload_are_on_by_default_and_can_be_switched_off():
    assert _hsts_flags() == "True True"
    off = {"DJANGO_HSTS_INCLUDE_SUBDOMAINS": "0", "DJANGO_HSTS_PRELOAD": "no"}
    assert _hsts_flags(**off) == "False False"


def _email_settings(**env: str) -> str:
    code = "from django.conf import settings as s; "
    code += "print(s.EMAIL_BACKEND.rsplit('.', 2)[-2], s.EMAIL_HOST, s.EMAIL_PORT, "
    code += "s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.DEFAULT_FROM_EMAIL)"
    result = _manage("shell", "-v0", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_mail_is_printed_in_development_and_sent_by_smtp_when_a_server_is_named():
    assert _email_settings().startswith("console  587 True False")
    smtp = _email_settings(
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="465",
        EMAIL_USE_SSL="1",
        DEFAULT_FROM_EMAIL="workbench@example.org",
    )
    assert smtp == "smtp smtp.example.org 465 False True workbench@example.org"


def test_mail_over_both_starttls_and_tls_is_refused_by_name():
    result = _manage("check", EMAIL_USE_TLS="1", EMAIL_USE_SSL="1")
    assert result.returncode != 0
    assert "EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on" in result.stderr

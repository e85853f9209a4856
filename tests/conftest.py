"""People and places shared by the tests: one partnership with a person in every role,
two partner organisations, and an outsider from another partnership."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assessments.models import Role
from tests.demo_snapshot import demo_copy_in, demo_rows
from tests.factories import (
    AssessmentFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
)

CHROMIUM = Path("/usr/bin/chromium")


def pytest_collection_modifyitems(config, items):
    """Browser tests skip, saying why, on a machine without Debian's chromium (CI installs it)."""
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} is missing: `apt-get install chromium` to run the browser tests"
    )
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    """Print tables that tests recorded with `record_property("summary", text)` (e.g. axe's
    results per page), so they show in CI logs without -s."""
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            for name, text in getattr(report, "user_properties", []):
                if name == "summary" and report.when == "call":
                    terminalreporter.write_sep("-", report.nodeid.split("::")[-1])
                    terminalreporter.write_line(text)


@pytest.fixture(autouse=True)
def plain_http_in_tests(settings):
    """Tests talk plain HTTP to the test server; production keeps its HTTPS-only defaults."""
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create hundreds of people, and PBKDF2 spends a quarter of a second of CPU on each
    password (most of the suite's time). New passwords are hashed with MD5 here; the real
    hashers stay listed, so passwords hashed with them (the demo's) still sign in."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]


@pytest.fixture
def partnership(db):
    return PartnershipFactory(name="Safer Plymouth", slug="plymouth", area_name="Plymouth")


@pytest.fixture
def police(partnership):
    return OrganisationFactory(
        partnership=partnership, name="Devon and Cornwall Police", is_responsible_authority=True
    )


@pytest.fixture
def council(partnership):
    return OrganisationFactory(
        partnership=partnership, name="Plymouth City Council", is_responsible_authority=True
    )


@pytest.fixture
def assessment(partnership):
    return AssessmentFactory(partnership=partnership, period="2019/20")


def _member(username: str, partnership, role: str, organisation):
    user = UserFactory(username=username)
    MembershipFactory(user=user, partnership=partnership, role=role, organisation=organisation)
    return user


@pytest.fixture
def admin_user(partnership, council):
    return _member("alex_admin", partnership, Role.ADMIN, council)


@pytest.fixture
def analyst(partnership, council):
    return _member("asha_analyst", partnership, Role.ANALYST, council)


@pytest.fixture
def facilitator(partnership, council):
    return _member("fran_facilitator", partnership, Role.FACILITATOR, council)


@pytest.fixture
def police_partner(partnership, police):
    """Pat, a partner speaking for the police."""
    return _member("pat_police", partnership, Role.PARTNER, police)


@pytest.fixture
def council_partner(partnership, council):
    """Chris, a partner speaking for the council."""
    return _member("chris_council", partnership, Role.PARTNER, council)


@pytest.fixture
def board_member(partnership, council):
    return _member("bola_board", partnership, Role.BOARD, council)


@pytest.fixture
def outsider(db):
    """Olu, an admin of another partnership altogether."""
    elsewhere = PartnershipFactory(name="Safer Torbay", slug="torbay", area_name="Torbay")
    AssessmentFactory(partnership=elsewhere, period="2019/20")
    return _member(
        "olu_outsider", elsewhere, Role.ADMIN, OrganisationFactory(partnership=elsewhere)
    )


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory):
    """The rows `manage.py load_demo` writes, loaded once per session (once for all xdist
    workers: the first one keeps them in a file beside the workers' temporary directories)."""
    shared = (
        tmp_path_factory.getbasetemp().parent if os.environ.get("PYTEST_XDIST_WORKER") else None
    )
    with django_db_blocker.unblock():
        return demo_rows(shared)


@pytest.fixture
def demo(db, demo_snapshot):
    """The Safer Plymouth demo exactly as `manage.py load_demo` leaves it; its assessment."""
    from assessments.models import Assessment

    demo_copy_in(demo_snapshot)
    return Assessment.objects.get(partnership__slug="plymouth", period="2019/20")

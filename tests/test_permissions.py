"""The permission matrix: every URL × every role × GET and POST, against one table of outcomes.

A URL added without an entry in `EXPECTED` fails `test_every_url_has_an_expected_outcome`.
"""

from __future__ import annotations

from itertools import product

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from assessments import access
from assessments.models import EmergingIssue, Role
from reports.models import Publication
from tests.factories import (
    AssessmentFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    RiskFactory,
    ThemeFactory,
    UserFactory,
    WorkshopFactory,
)
from workshops.services import workshop_open

# Outcome classes.
OK = "ok"  # 2xx, or a redirect that is not to the login page
LOGIN = "login"  # redirect to the login page
DENIED = "denied"  # 403
HIDDEN = "hidden"  # 404
METHOD = "method"  # 405
INVALID = "invalid"  # 400: an empty form refused and re-displayed

ROLES = (
    "anonymous",
    "police_partner",  # partner of organisation A, invited to the workshop
    "council_partner",  # partner of organisation B, not invited
    "facilitator",
    "analyst",
    "board",
    "admin",
    "outsider",  # admin of another partnership
)
MEMBER_ROLES = {
    "police_partner": Role.PARTNER,
    "council_partner": Role.PARTNER,
    "facilitator": Role.FACILITATOR,
    "analyst": Role.ANALYST,
    "board": Role.BOARD,
    "admin": Role.ADMIN,
}
METHODS = ("get", "post")


def needs(capability: str) -> dict[str, str]:
    """A page of the plymouth partnership gated by `capability`: outsiders see nothing."""
    outcomes = {"anonymous": LOGIN, "outsider": HIDDEN}
    for role, member_role in MEMBER_ROLES.items():
        granted = capability in access.ROLE_CAPABILITIES[member_role]
        outcomes[role] = OK if granted else DENIED
    return outcomes


def both(capability: str) -> dict[str, dict[str, str]]:
    return {"get": needs(capability), "post": needs(capability)}


def post_only(capability: str) -> dict[str, dict[str, str]]:
    """`require_POST` answers GET with 405 before looking at who asks (after login)."""
    return {"get": {**{r: METHOD for r in ROLES}, "anonymous": LOGIN}, "post": needs(capability)}


def get_only(capability: str) -> dict[str, dict[str, str]]:
    return {"get": needs(capability), "post": {**{r: METHOD for r in ROLES}, "anonymous": LOGIN}}


def anyone_signed_in() -> dict[str, str]:
    return {**{r: OK for r in ROLES}, "anonymous": LOGIN}


def scoring(outcomes: dict[str, str]) -> dict[str, str]:
    """Scoring needs an invitation: the uninvited council partner learns nothing (404)."""
    return {**outcomes, "council_partner": HIDDEN} if outcomes["police_partner"] == OK else outcomes


V = access

# The expected outcome of every URL name, per method, per role: written down once.
EXPECTED: dict[str, dict[str, dict[str, str]]] = {
    # config
    "login": {"get": {r: OK for r in ROLES}, "post": {r: OK for r in ROLES}},
    "logout": {
        "get": {**{r: METHOD for r in ROLES}, "anonymous": LOGIN},
        # Logging out lands on the login page, signed in or not.
        "post": {r: LOGIN for r in ROLES},
    },
    "password_change": {"get": anyone_signed_in(), "post": anyone_signed_in()},
    "password_change_done": {
        "get": anyone_signed_in(),
        "post": {**{r: METHOD for r in ROLES}, "anonymous": LOGIN},  # a GET-only template page
    },
    # assessments
    "home": {"get": anyone_signed_in(), "post": anyone_signed_in()},
    "category_mappings": {"get": needs(V.VIEW), "post": needs(V.MANAGE_DATA)},
    "scoring_model": {"get": needs(V.VIEW), "post": needs(V.MANAGE_MODEL)},
    "assessment": both(V.VIEW),
    "evidence": both(V.VIEW),
    "data_import": both(V.MANAGE_DATA),
    "theme_add": both(V.MANAGE_REGISTER),
    "theme_edit": both(V.MANAGE_REGISTER),
    "risk_add": both(V.MANAGE_REGISTER),
    "risk_edit": both(V.MANAGE_REGISTER),
    "theme_delete": both(V.MANAGE_REGISTER),
    "risk_delete": both(V.MANAGE_REGISTER),
    "copy_forward": both(V.MANAGE_REGISTER),
    "prescore": both(V.PRESCORE),
    "scoring_model_explain": both(V.VIEW),
    # workshops
    "workshops:list": both(V.VIEW),
    "workshops:create": both(V.RUN_WORKSHOP),
    "workshops:audit": both(V.VIEW_AUDIT),
    "workshops:dashboard": both(V.RUN_WORKSHOP),
    "workshops:live": both(V.RUN_WORKSHOP),
    "workshops:open": post_only(V.RUN_WORKSHOP),
    "workshops:lock": post_only(V.RUN_WORKSHOP),
    "workshops:new_round": post_only(V.RUN_WORKSHOP),
    "workshops:reveal": post_only(V.RUN_WORKSHOP),
    "workshops:agree": post_only(V.RUN_WORKSHOP),
    "workshops:score": {"get": scoring(needs(V.SCORE)), "post": scoring(needs(V.SCORE))},
    "workshops:score_risk": {
        "get": post_only(V.SCORE)["get"],
        # An empty form is refused with a 400 re-display of the scoring page.
        "post": {**scoring(needs(V.SCORE)), "police_partner": INVALID},
    },
    # reports
    "register": both(V.VIEW),
    "risk_detail": {"get": needs(V.VIEW), "post": needs(V.MARK_PRIORITY)},
    "report-results": both(V.VIEW_RESULTS),
    "report-theme": both(V.VIEW_RESULTS),
    "report-theme-edit": both(V.EDIT_NARRATIVE),
    "report-emerging": {"get": needs(V.VIEW_RESULTS), "post": needs(V.EDIT_NARRATIVE)},
    "report-emerging-edit": both(V.EDIT_NARRATIVE),
    "report-emerging-delete": post_only(V.EDIT_NARRATIVE),
    "report-priority": post_only(V.MARK_PRIORITY),
    "report-sign-off": both(V.VIEW_RESULTS),
    "report-approve": post_only(V.SIGN_OFF),
    "report-publish": both(V.SIGN_OFF),  # GET: the confirmation page; POST: publish
    "report-publication": both(V.VIEW_RESULTS),
    "report-publication-export": both(V.EXPORT),
    "report-export": both(V.EXPORT),
    "assessment_export_json": get_only(V.EXPORT),
    "scoring_sheet_csv": get_only(V.PRESCORE),
    "scoring_sheet_xlsx": get_only(V.PRESCORE),
    "scoring_sheet_upload": {
        "get": needs(V.PRESCORE),
        "post": {
            r: INVALID if outcome == OK else outcome for r, outcome in needs(V.PRESCORE).items()
        },
    },
}


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("django-admin/"):
                continue  # Django's admin: staff only, checked below.
            ns = entry.namespace
            joined = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry.url_patterns, route, joined)
        elif isinstance(entry, URLPattern):
            yield route, (f"{namespace}:{entry.name}" if namespace else entry.name)


URL_NAMES = sorted({name for _, name in _walk(get_resolver().url_patterns)})


def test_every_url_has_an_expected_outcome():
    unnamed = [route for route, name in _walk(get_resolver().url_patterns) if not name]
    assert not unnamed, f"URL patterns without a name (give them one): {unnamed}"
    missing = [name for name in URL_NAMES if name not in EXPECTED]
    assert not missing, f"URL names missing from EXPECTED in tests/test_permissions.py: {missing}"
    stale = sorted(set(EXPECTED) - set(URL_NAMES))
    assert not stale, f"EXPECTED lists URL names no longer in the URL conf: {stale}"
    for name, methods in EXPECTED.items():
        for method in METHODS:
            assert set(methods[method]) == set(ROLES), f"{name} {method}: every role needs a row"


@pytest.fixture
def world(db):
    """Safer Plymouth 2019/20 with one of everything a URL can name, and a person per role."""
    partnership = PartnershipFactory(name="Safer Plymouth", slug="plymouth", area_name="Plymouth")
    police = OrganisationFactory(partnership=partnership, name="Devon and Cornwall Police")
    council = OrganisationFactory(partnership=partnership, name="Plymouth City Council")
    assessment = AssessmentFactory(partnership=partnership, period="2019/20")
    theme = ThemeFactory(assessment=assessment, name="Violence")
    risk = RiskFactory(theme=theme, name="Domestic abuse", order=1)
    workshop = WorkshopFactory(assessment=assessment, title="Annual workshop")
    workshop.risks.set([risk])
    workshop.organisations.set([police])  # the council is not invited
    workshop_open(workshop=workshop)
    issue = EmergingIssue.objects.create(assessment=assessment, title="Spice", text="Watching.")
    people = {"anonymous": AnonymousUser()}
    for role, member_role in MEMBER_ROLES.items():
        user = UserFactory(username=role, password=None)  # unusable: no hashing cost
        org = police if role == "police_partner" else council
        MembershipFactory(user=user, partnership=partnership, role=member_role, organisation=org)
        people[role] = user
    Publication.objects.create(
        assessment=assessment,
        version=1,
        published_by=people["board"],
        published_at=timezone.now(),
        snapshot={},
    )
    elsewhere = PartnershipFactory(name="Safer Torbay", slug="torbay", area_name="Torbay")
    AssessmentFactory(partnership=elsewhere, period="2019/20")
    people["outsider"] = UserFactory(username="outsider", password=None)
    MembershipFactory(user=people["outsider"], partnership=elsewhere, role=Role.ADMIN)
    kwargs = {
        "partnership": "plymouth",
        "period": "2019-20",
        "pk": workshop.pk,
        "risk_id": risk.pk,
        "theme_id": theme.pk,
        "issue_id": issue.pk,
        "version": 1,
        "fmt": "csv",
    }
    return {"people": people, "kwargs": kwargs, "risk": risk, "theme": theme}


def _url_for(name: str, world) -> str:
    """Reverse `name`, filling each of its kwargs from the world."""
    resolver = get_resolver()
    if ":" in name:
        ns, short = name.split(":")
        resolver = resolver.namespace_dict[ns][1]
    else:
        short = name
    params = resolver.reverse_dict.getlist(short)[0][0][0][1]
    kwargs = {key: world["kwargs"][key] for key in params}
    if name in {"theme_delete", "risk_delete"}:
        kwargs["pk"] = world["theme" if name == "theme_delete" else "risk"].pk
    return reverse(name, kwargs=kwargs)


def _outcome(response) -> str:
    code = response.status_code
    if code in (301, 302, 303, 307, 308):
        login = reverse("login")
        return LOGIN if response["Location"].split("?")[0] == login else OK
    return {403: DENIED, 404: HIDDEN, 405: METHOD, 400: INVALID}.get(
        code, OK if 200 <= code < 300 else f"status {code}"
    )


CASES = [
    pytest.param(name, role, method, id=f"{name}-{role}-{method}")
    for name, role, method in product(URL_NAMES, ROLES, METHODS)
]


@pytest.mark.parametrize(("name", "role", "method"), CASES)
def test_permission_matrix(client, world, name, role, method):
    assert name in EXPECTED, f"{name} has no entry in EXPECTED (tests/test_permissions.py)"
    user = world["people"][role]
    if user.is_authenticated:
        client.force_login(user)
    url = _url_for(name, world)
    response = getattr(client, method)(url)
    expected = EXPECTED[name][method][role]
    assert _outcome(response) == expected, f"{method.upper()} {url} as {role}"


def test_the_matrix_covers_every_url_role_and_method():
    assert len(CASES) == len(URL_NAMES) * len(ROLES) * len(METHODS)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_django_admin_is_staff_only(client, world, role):
    client.force_login(world["people"][role])
    response = client.get("/django-admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/django-admin/login/")


def test_django_admin_sends_anonymous_visitors_to_a_login(client, world):
    response = client.get("/django-admin/")
    assert response.status_code == 302
    assert "login" in response["Location"]

"""The permission matrix: every URL × every role × GET and POST, against one table of outcomes.

A URL added without an entry in `EXPECTED` fails `test_every_url_has_an_expected_outcome`.
Each URL name is one test: it builds the world once and runs every role × method inside a
savepoint that is rolled back, so each request sees the same untouched world, and reports every
mismatch of that URL in one message. Probes then put one partnership's object ids under the
other's URLs, which must answer 404.
"""

from __future__ import annotations

from itertools import product

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import ERROR, get_messages
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from assessments import access
from assessments.models import EmergingIssue, Role
from assessments.people_services import invitation_create
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

# Outcomes: what a person would see.
OK = "ok"  # 2xx: the page (or a re-displayed form, or a download)
DONE = "done"  # a redirect after the action was carried out (no error message)
REFUSED = "refused"  # a redirect back with an error message: nothing was done
LOGIN = "login"  # a redirect to the login page
INVALID = "invalid"  # 400: the form re-displayed with its problems
DENIED = "denied"  # 403
HIDDEN = "hidden"  # 404
METHOD = "method"  # 405

ROLES = (
    "anonymous",
    "police_partner",  # partner of organisation A, invited to the workshop
    "council_partner",  # partner of organisation B, not invited
    "facilitator",
    "analyst",
    "board",
    "admin",
    "outsider",  # admin of another partnership
    "site_admin",  # a superuser, member of no partnership: starts partnerships, sees none
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


def needs(capability: str, granted: str = OK) -> dict[str, str]:
    """A page of the plymouth partnership gated by `capability`: those granted it get
    `granted`, other members 403, outsiders 404 (they learn nothing)."""
    outcomes = {"anonymous": LOGIN, "outsider": HIDDEN, "site_admin": HIDDEN}
    for role, member_role in MEMBER_ROLES.items():
        has = capability in access.ROLE_CAPABILITIES[member_role]
        outcomes[role] = granted if has else DENIED
    return outcomes


def both(capability: str, post: str = OK) -> dict[str, dict[str, str]]:
    """GET shows the page; an empty POST has outcome `post` for those allowed."""
    return {"get": needs(capability), "post": needs(capability, post)}


def post_only(capability: str, post: str) -> dict[str, dict[str, str]]:
    """`require_POST` answers GET with 405 before looking at who asks (after login)."""
    return {
        "get": {**{r: METHOD for r in ROLES}, "anonymous": LOGIN},
        "post": needs(capability, post),
    }


def get_only(capability: str) -> dict[str, dict[str, str]]:
    return {"get": needs(capability), "post": {**{r: METHOD for r in ROLES}, "anonymous": LOGIN}}


def anyone_signed_in() -> dict[str, str]:
    return {**{r: OK for r in ROLES}, "anonymous": LOGIN}


def site_admins_only(post: str = INVALID) -> dict[str, dict[str, str]]:
    """Only a site admin (superuser) may start a partnership; anyone else learns nothing."""
    outcomes = {**{r: HIDDEN for r in ROLES}, "anonymous": LOGIN}
    return {
        "get": {**outcomes, "site_admin": OK},
        "post": {**outcomes, "site_admin": post},
    }


def public(post: str = OK) -> dict[str, dict[str, str]]:
    """Pages for people who cannot sign in (yet): everyone reaches them."""
    return {"get": {r: OK for r in ROLES}, "post": {r: post for r in ROLES}}


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
    # Forgotten passwords: an empty request form, or a link that does not work, is shown again.
    "password_reset": public(),
    "password_reset_done": {"get": public()["get"], "post": {r: METHOD for r in ROLES}},
    "password_reset_confirm": public(),
    "password_reset_complete": {"get": public()["get"], "post": {r: METHOD for r in ROLES}},
    # assessments
    "assessments:home": {"get": anyone_signed_in(), "post": anyone_signed_in()},
    # An empty form is shown again with its problems (400).
    "assessments:partnership_create": site_admins_only(),
    # The world's invitation is for nobody in it: a signed-in person is told to sign out
    # first; the signed-out visitor's empty form is shown again with its problems.
    "assessments:invitation_accept": {
        "get": public()["get"],
        "post": {**public()["post"], "anonymous": INVALID},
    },
    "assessments:people": get_only(V.MANAGE_PEOPLE),
    "assessments:invite": both(V.MANAGE_PEOPLE, post=INVALID),
    "assessments:people_import": both(V.MANAGE_PEOPLE, post=INVALID),
    "assessments:people_history": get_only(V.MANAGE_PEOPLE),
    # The world's person is its police partner: an empty form is shown again (400).
    "assessments:person": both(V.MANAGE_PEOPLE, post=INVALID),
    "assessments:person_deactivate": post_only(V.MANAGE_PEOPLE, DONE),
    # Sending again shows the new link; revoking redirects to the people page.
    "assessments:invitation_resend": post_only(V.MANAGE_PEOPLE, OK),
    "assessments:invitation_revoke": post_only(V.MANAGE_PEOPLE, DONE),
    "assessments:organisations": both(V.MANAGE_PEOPLE, post=INVALID),
    "assessments:organisation_edit": both(V.MANAGE_PEOPLE, post=INVALID),
    # The world's organisation has a person speaking for it: retiring it is refused.
    "assessments:organisation_retire": post_only(V.MANAGE_PEOPLE, REFUSED),
    "assessments:category_mappings": {"get": needs(V.VIEW), "post": needs(V.MANAGE_DATA)},
    "assessments:scoring_model": {"get": needs(V.VIEW), "post": needs(V.MANAGE_MODEL)},
    "assessments:assessment": both(V.VIEW),
    "assessments:evidence": both(V.VIEW),
    "assessments:data_import": both(V.MANAGE_DATA),
    "assessments:theme_add": both(V.MANAGE_REGISTER),
    "assessments:theme_edit": both(V.MANAGE_REGISTER),
    "assessments:risk_add": both(V.MANAGE_REGISTER),
    "assessments:risk_edit": both(V.MANAGE_REGISTER),
    # Deleting a theme that still holds a risk is refused with a message; the risk goes.
    "assessments:theme_delete": both(V.MANAGE_REGISTER, post=REFUSED),
    # The world's open workshop holds the risk, so deleting it is refused with a message.
    "assessments:risk_delete": both(V.MANAGE_REGISTER, post=REFUSED),
    # Withdrawing it is refused too, while that workshop is open.
    "assessments:risk_withdraw": both(V.MANAGE_REGISTER, post=REFUSED),
    # The risk is not withdrawn, so reinstating it is refused with a message.
    "assessments:risk_reinstate": post_only(V.MANAGE_REGISTER, REFUSED),
    "reports:copy_forward": both(V.MANAGE_REGISTER),
    "assessments:prescore": both(V.PRESCORE),
    "assessments:scoring_model_explain": both(V.VIEW),
    # workshops
    "workshops:list": both(V.VIEW),
    "workshops:create": both(V.RUN_WORKSHOP),
    "workshops:audit": both(V.VIEW_AUDIT),
    "workshops:dashboard": both(V.RUN_WORKSHOP),
    "workshops:live": both(V.RUN_WORKSHOP),
    "workshops:open": post_only(V.RUN_WORKSHOP, DONE),
    "workshops:lock": post_only(V.RUN_WORKSHOP, DONE),
    # A new round with no risks chosen is refused with a message.
    "workshops:new_round": post_only(V.RUN_WORKSHOP, REFUSED),
    "workshops:reveal": post_only(V.RUN_WORKSHOP, DONE),
    # An empty agreement (no factor, no level) is refused with a message.
    "workshops:agree": post_only(V.RUN_WORKSHOP, REFUSED),
    "workshops:score": {"get": scoring(needs(V.SCORE)), "post": scoring(needs(V.SCORE))},
    "workshops:score_risk": {
        "get": post_only(V.SCORE, INVALID)["get"],
        # An empty form is refused with a 400 re-display of the scoring page.
        "post": {**scoring(needs(V.SCORE)), "police_partner": INVALID},
    },
    # reports
    # An empty form is shown again with its problems (400).
    "reports:assessment_create": both(V.MANAGE_REGISTER, post=INVALID),
    "reports:register": both(V.VIEW),
    # A priority decision is posted to report-priority, from this page as from the results.
    "reports:risk_detail": get_only(V.VIEW),
    "reports:results": both(V.VIEW_RESULTS),
    "reports:theme": both(V.VIEW_RESULTS),
    "reports:theme_edit": both(V.EDIT_NARRATIVE),
    # Confirming a carried-forward section (here a theme) still stands.
    "reports:section_confirm": post_only(V.EDIT_NARRATIVE, DONE),
    "reports:front_matter": both(V.VIEW_RESULTS),
    # An empty section is a valid save: the section is left out of the report.
    "reports:front_matter_edit": both(V.EDIT_NARRATIVE, post=DONE),
    "reports:emerging": {"get": needs(V.VIEW_RESULTS), "post": needs(V.EDIT_NARRATIVE)},
    "reports:emerging_edit": both(V.EDIT_NARRATIVE),
    "reports:emerging_delete": post_only(V.EDIT_NARRATIVE, DONE),
    # An empty priority decision is shown again with its problems (400).
    "reports:priority": post_only(V.MARK_PRIORITY, INVALID),
    "reports:sign_off": both(V.VIEW_RESULTS),
    # Approving an unscored assessment and publishing an unapproved one are refused with a
    # message: nothing changes.
    "reports:approve": post_only(V.SIGN_OFF, REFUSED),
    # GET: the confirmation page; an empty POST re-displays it (nothing is published).
    "reports:publish": both(V.SIGN_OFF),
    "reports:publication": both(V.VIEW_RESULTS),
    "reports:publication_export": both(V.EXPORT),
    "reports:export": both(V.EXPORT),
    # export.json redirects to export/json/ (report-export) for those who may export.
    "reports:export_json": {"get": needs(V.EXPORT, DONE), "post": get_only(V.EXPORT)["post"]},
    "workshops:sheet_csv": get_only(V.PRESCORE),
    "workshops:sheet_xlsx": get_only(V.PRESCORE),
    # An upload with no file is refused with a 400 re-display of the form.
    "workshops:sheet_upload": both(V.PRESCORE, post=INVALID),
}


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("django-admin/"):
                continue  # Django's admin: superusers only, checked below.
            ns = entry.namespace
            joined = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry.url_patterns, route, joined)
        elif isinstance(entry, URLPattern):
            if entry.name is None:
                yield route, None
            else:
                yield route, (f"{namespace}:{entry.name}" if namespace else entry.name)


ROUTES = list(_walk(get_resolver().url_patterns))
URL_NAMES = sorted({name for _, name in ROUTES if name is not None})


def test_every_url_has_an_expected_outcome():
    unnamed = [route for route, name in ROUTES if name is None]
    assert not unnamed, f"URL patterns without a name (give them one): {unnamed}"
    missing = [name for name in URL_NAMES if name not in EXPECTED]
    assert not missing, f"URL names missing from EXPECTED in tests/test_permissions.py: {missing}"
    stale = sorted(set(EXPECTED) - set(URL_NAMES))
    assert not stale, f"EXPECTED lists URL names no longer in the URL conf: {stale}"
    for name, methods in EXPECTED.items():
        for method in METHODS:
            assert set(methods[method]) == set(ROLES), f"{name} {method}: every role needs a row"


def _partnership_world(slug: str, name: str, usernames: dict[str, str]) -> dict:
    """A partnership's 2019/20 with one of everything a URL can name, and a person per role."""
    partnership = PartnershipFactory(name=name, slug=slug, area_name=slug.title())
    police = OrganisationFactory(partnership=partnership, name="Police")
    council = OrganisationFactory(partnership=partnership, name="Council")
    assessment = AssessmentFactory(partnership=partnership, period="2019/20")
    theme = ThemeFactory(assessment=assessment, name="Violence")
    risk = RiskFactory(theme=theme, name="Domestic abuse", order=1)
    workshop = WorkshopFactory(assessment=assessment, title="Annual workshop")
    workshop.risks.set([risk])
    workshop.organisations.set([police])  # the council is not invited
    workshop_open(workshop=workshop)
    issue = EmergingIssue.objects.create(assessment=assessment, title="Spice", text="Watching.")
    people = {}
    for role, username in usernames.items():
        user = UserFactory(username=username, password=None)  # unusable: no hashing cost
        org = police if role == "police_partner" else council
        MembershipFactory(
            user=user, partnership=partnership, role=MEMBER_ROLES[role], organisation=org
        )
        people[role] = user
    Publication.objects.create(
        assessment=assessment,
        version=1,
        published_by=people["board"],
        published_at=timezone.now(),
        snapshot={},
    )
    sent = invitation_create(
        partnership=partnership,
        email=f"new.person@{slug}.example",
        name="New Person",
        role=Role.ANALYST,
        organisation=council,
        user=people["admin"],
    )
    ids = {
        "pk": workshop.pk,
        "risk_id": risk.pk,
        "theme_id": theme.pk,
        "issue_id": issue.pk,
        "membership_id": people["police_partner"].memberships.get().pk,
        "invitation_id": sent.invitation.pk,
        "organisation_id": police.pk,
        "token": sent.link.rstrip("/").rsplit("/", 1)[1],
    }
    return {"people": people, "ids": ids, "theme": theme, "risk": risk}


@pytest.fixture
def world(db):
    """Safer Plymouth, where every role is tried, and Safer Torbay, whose admin is the
    outsider and whose objects' ids are tried under Plymouth's URLs."""
    plymouth = _partnership_world("plymouth", "Safer Plymouth", {r: r for r in MEMBER_ROLES})
    torbay = _partnership_world("torbay", "Safer Torbay", {r: f"torbay_{r}" for r in MEMBER_ROLES})
    people = {"anonymous": AnonymousUser(), **plymouth["people"]}
    people["outsider"] = torbay["people"]["admin"]
    people["site_admin"] = UserFactory(username="site_admin", is_superuser=True, password=None)
    return {"people": people, "plymouth": plymouth, "torbay": torbay}


def _url_for(name: str, side: dict, slug: str = "plymouth", ids: dict | None = None) -> str:
    """Reverse `name` for partnership `slug`, its kwargs from `ids` (default: the side's own)."""
    resolver = get_resolver()
    if ":" in name:
        ns, short = name.split(":")
        resolver = resolver.namespace_dict[ns][1]
    else:
        short = name
    params = resolver.reverse_dict.getlist(short)[0][0][0][1]
    ids = ids or side["ids"]
    values = {
        "partnership": slug,
        "period": "2019-20",
        "version": 1,
        "fmt": "csv",
        "uidb64": "MQ",
        "token": "not-a-token",
        "key": "introduction",  # a front-matter section
        **ids,
    }
    values["kind"] = "theme"
    if short == "section_confirm":  # its pk is the theme's
        values["pk"] = values["theme_id"]
    if short in {"theme_delete", "risk_delete"}:  # their pk is the theme's or the risk's
        values["pk"] = values["theme_id" if short == "theme_delete" else "risk_id"]
    return reverse(name, kwargs={key: values[key] for key in params})


def _outcome(response) -> str:
    code = response.status_code
    if code in (301, 302, 303, 307, 308):
        if response["Location"].split("?")[0] == reverse("login"):
            return LOGIN
        refused = any(m.level >= ERROR for m in get_messages(response.wsgi_request))
        return REFUSED if refused else DONE
    return {403: DENIED, 404: HIDDEN, 405: METHOD, 400: INVALID}.get(
        code, OK if 200 <= code < 300 else f"status {code}"
    )


def _response(user, method: str, url: str):
    """One request in a savepoint that is rolled back: the next one sees the same world."""
    client = Client()
    with transaction.atomic():
        if user.is_authenticated:
            client.force_login(user)
        response = getattr(client, method)(url)
        _outcome(response)  # reads the messages while the request's data still exists
        transaction.set_rollback(True)
    return response


def _request(user, method: str, url: str) -> str:
    return _outcome(_response(user, method, url))


@pytest.mark.parametrize("name", URL_NAMES)
def test_permission_matrix(world, name):
    assert name in EXPECTED, f"{name} has no entry in EXPECTED (tests/test_permissions.py)"
    url = _url_for(name, world["plymouth"])
    mismatches = []
    for role, method in product(ROLES, METHODS):
        expected = EXPECTED[name][method][role]
        got = _request(world["people"][role], method, url)
        if got != expected:
            mismatches.append(f"{method.upper()} {url} as {role}: expected {expected}, got {got}")
    assert not mismatches, f"{len(mismatches)} of {len(ROLES) * len(METHODS)}:\n" + "\n".join(
        mismatches
    )


@pytest.mark.parametrize("name", URL_NAMES)
def test_no_page_or_file_may_be_stored_by_browsers_or_proxies(world, name):
    # Partnership data must not linger in a shared computer's cache or a proxy: every
    # response says no-store, the page or file itself and the refusals alike.
    url = _url_for(name, world["plymouth"])
    allowed = [(r, m) for m, r in product(METHODS, ROLES) if EXPECTED[name][m][r] == OK]
    refused = [(r, m) for m, r in product(METHODS, ROLES) if EXPECTED[name][m][r] != OK]
    for role, method in allowed[:1] + refused[:1]:
        response = _response(world["people"][role], method, url)
        cache = response.get("Cache-Control", "")
        assert "no-store" in cache, f"{method.upper()} {url} as {role}: Cache-Control {cache!r}"


def test_the_django_admin_may_not_be_stored_either(world):
    client = Client()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    response = client.get("/django-admin/assessments/assessment/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


OBJECT_KWARGS = {
    "pk",
    "risk_id",
    "theme_id",
    "issue_id",
    "membership_id",
    "invitation_id",
    "organisation_id",
}


def _names_with_object_ids() -> list[str]:
    names = []
    for name in URL_NAMES:
        resolver, short = get_resolver(), name
        if ":" in name:
            ns, short = name.split(":")
            resolver = resolver.namespace_dict[ns][1]
        if OBJECT_KWARGS & set(resolver.reverse_dict.getlist(short)[0][0][0][1]):
            names.append(name)
    return names


def _allowed_case(name: str) -> tuple[str, str]:
    """A role and method that reach the object on its own partnership's URL."""
    for method, role in product(METHODS, MEMBER_ROLES):
        if EXPECTED[name][method][role] not in (DENIED, HIDDEN, METHOD, LOGIN):
            return role, method
    raise AssertionError(f"{name}: no role may use it, so nothing to probe")


@pytest.mark.parametrize(("own", "other"), [("plymouth", "torbay"), ("torbay", "plymouth")])
def test_another_partnerships_object_ids_under_our_urls_are_hidden(world, own, other):
    names = _names_with_object_ids()
    assert len(names) >= 15, names  # the probes really cover the object pages
    mismatches = []
    for name in names:
        role, method = _allowed_case(name)
        user = world[own]["people"][role]
        own_url = _url_for(name, world[own], own)
        foreign_url = _url_for(name, world[own], own, ids=world[other]["ids"])
        assert _request(user, method, own_url) != HIDDEN, f"{own_url} should exist"
        got = _request(user, method, foreign_url)
        if got != HIDDEN:
            mismatches.append(f"{method.upper()} {foreign_url} as {own} {role}: got {got}")
    assert not mismatches, "\n".join(mismatches)


def test_the_matrix_covers_every_url_role_and_method():
    cases = len(URL_NAMES) * len(ROLES) * len(METHODS)
    assert cases == sum(len(EXPECTED[n][m]) for n in URL_NAMES for m in METHODS)


def _admin_index_status(user) -> tuple[int, str]:
    client = Client()
    if user.is_authenticated:
        client.force_login(user)
    response = client.get("/django-admin/")
    return response.status_code, response.get("Location", "")


def test_django_admin_is_for_superusers_only_whatever_the_staff_flag(world):
    for role in ROLES:
        user = world["people"][role]
        if role == "site_admin":
            continue  # a superuser: the admin is theirs
        if user.is_authenticated:
            user.is_staff = True  # a stray staff flag must not open the admin
            user.save()
        status, location = _admin_index_status(user)
        assert status == 302 and location.startswith("/django-admin/login/"), role
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert _admin_index_status(superuser)[0] == 200


def test_no_role_in_the_matrix_is_staff(world):
    assert not any(getattr(user, "is_staff", False) for user in world["people"].values())

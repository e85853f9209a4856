"""Workshop pages run the same number of queries however many organisations and risks."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import OrganisationFactory, RiskFactory, ThemeFactory
from tests.workshops.conftest import PARTNER_SCORES, url
from workshops.selectors import current_round_risks
from workshops.services import risk_scores_save, workshop_reveal

pytestmark = pytest.mark.django_db

LEVELS = {key: (label, "") for key, label in PARTNER_SCORES.items()}


def _grow(workshop, assessment, partnership, extra_orgs: int, extra_risks: int, keep_hidden=()):
    theme = ThemeFactory(assessment=assessment)
    new_risks = [RiskFactory(theme=theme) for _ in range(extra_risks)]
    new_orgs = [OrganisationFactory(partnership=partnership) for _ in range(extra_orgs)]
    workshop.risks.add(*new_risks)
    workshop.organisations.add(*new_orgs)
    round_one = workshop.rounds.get(number=1)
    for risk in new_risks:
        round_one.round_risks.create(risk=risk)
    for org in new_orgs + list(workshop.organisations.all()):
        for risk in workshop.risks.all():
            risk_scores_save(workshop=workshop, risk=risk, organisation=org, levels=LEVELS)
    for risk_id in current_round_risks(workshop):
        if risk_id not in keep_hidden:
            workshop_reveal(workshop=workshop, risk=workshop.risks.get(pk=risk_id))


def _count(client, target) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(target).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["live", "dashboard", "score", "home"])
def test_workshop_pages_query_counts_do_not_grow_with_organisations_or_risks(
    client, workshop, risks, assessment, partnership, facilitator, police_partner, page
):
    who = police_partner if page in {"score", "home"} else facilitator
    client.force_login(who)
    target = reverse("assessments:home") if page == "home" else url(workshop, page)
    # force_login skips the sign-in page, so the first request starts the session's clocks
    # (one write, which signing in does in the browser); measure the pages after it.
    client.get(target)
    for risk in risks:
        risk_scores_save(
            workshop=workshop, risk=risk, organisation=workshop.organisations.first(), levels=LEVELS
        )
    small = _count(client, target)
    _grow(workshop, assessment, partnership, extra_orgs=6, extra_risks=8)
    assert _count(client, target) == small


# Session, user, membership, workshop, invitation, round risk; in the save: status recheck (and the
# organisation's lock), reveal recheck, lock, an update per changed factor (two here), audit,
# comment; the answers: analyst, submissions, comment, progress (the evidence beside them is not
# re-sent). The test's own transaction turns the save's transaction into a savepoint (2 more).
SAVE_QUERIES = 19


def _save_count(client, target, levels) -> tuple[int, str]:
    data = {**levels, "comment": ""}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(target, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Saved your scores" in response.content.decode()
    return len(queries), response.content.decode()


def test_saving_a_risk_runs_a_fixed_few_queries_however_many_organisations_or_risks(
    client, workshop, risks, assessment, partnership, police_partner
):
    client.force_login(police_partner)
    target = url(workshop, "score_risk", risk_id=risks[0].id)
    other = {**PARTNER_SCORES, "confidence": "High", "cost": "Strong"}
    _save_count(client, target, PARTNER_SCORES)  # the first save inserts
    small, page = _save_count(client, target, other)
    assert small <= SAVE_QUERIES
    assert "1 of 2 risks scored" in page
    # Every other risk is revealed; a revealed risk takes no more scores.
    _grow(workshop, assessment, partnership, extra_orgs=6, extra_risks=8, keep_hidden={risks[0].id})
    _save_count(client, target, PARTNER_SCORES)  # as before: the next save changes two factors
    grown, page = _save_count(client, target, other)
    assert grown == small
    # _grow scored every risk for every invited organisation, the police included.
    assert "10 of 10 risks scored" in page

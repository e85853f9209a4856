"""The partner's scoring page: an index of risks, the evidence figures, withdrawing a
challenge, refused saves (revealed, settled) for every role, errors without JavaScript, and
what each state of the workshop and assessment says."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.evidence import indicator_rows, partnership_area
from assessments.models import (
    AssessmentStatus,
    Indicator,
    IndicatorValue,
    Population,
    RiskFactorScore,
    ScoreKind,
)
from assessments.services import factor_score_set
from tests.factories import WorkshopFactory
from tests.workshops.conftest import NOT_ALLOWED, PARTNER_SCORES, ROLES, sign_in, url
from workshops.models import Submission
from workshops.services import (
    risk_scores_save,
    workshop_lock,
    workshop_new_round,
    workshop_open,
    workshop_reveal,
)

pytestmark = pytest.mark.django_db


def _levels(**extra):
    return {key: (label, "") for key, label in PARTNER_SCORES.items()} | extra


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _section(page: str, element_id: str) -> str:
    """The HTML from the element with this id to the next risk card (or the end)."""
    start = page.index(f'id="{element_id}"')
    end = page.find('<section class="card mb-4 risk-card"', start + 1)
    return page[start : end if end > 0 else None]


# --- the index ----------------------------------------------------------------------------


def test_the_page_starts_with_an_index_linking_every_risk_with_its_state(
    client, workshop, risks, police, police_partner
):
    risk_scores_save(workshop=workshop, risk=risks[0], organisation=police, levels=_levels())
    workshop_reveal(workshop=workshop, risk=risks[1])
    client.force_login(police_partner)
    page = client.get(url(workshop)).content.decode()
    index = page[
        page.index('id="risk-index-heading"') : page.index("</nav>", page.index("risk-index"))
    ]
    assert f'<a href="#risk-{risks[0].pk}">Domestic abuse</a>' in index
    assert f'<a href="#risk-{risks[1].pk}">Knife crime</a>' in index
    assert "Domestic abuse Saved" in _text(index)
    assert "Knife crime Not yet scored Revealed" in _text(index)
    assert page.index("risk-index-heading") < page.index(f'id="risk-{risks[0].pk}"')


# --- evidence -------------------------------------------------------------------------------


def test_each_card_shows_its_linked_datas_figures_and_the_analysts_levels_and_notes(
    client, workshop, risks, assessment, partnership, police_partner
):
    area = partnership_area(partnership)
    Population.objects.create(area=area, period="2019/20", population=262_100)
    indicator = Indicator.objects.create(partnership=partnership, name="Domestic abuse crimes")
    IndicatorValue.objects.create(indicator=indicator, area=area, period="2019/20", value=4882)
    IndicatorValue.objects.create(indicator=indicator, area=area, period="2018/19", value=4512)
    unlinked = Indicator.objects.create(partnership=partnership, name="Shoplifting")
    IndicatorValue.objects.create(indicator=unlinked, area=area, period="2019/20", value=999)
    risks[0].indicators.set([indicator])
    factor_score_set(
        risk=risks[0],
        factor_key="physical",
        kind=ScoreKind.ANALYST,
        level_label="Substantial",
        note="Injuries in a third of reports.",
    )
    client.force_login(police_partner)
    card = _text(_section(client.get(url(workshop)).content.decode(), f"risk-{risks[0].pk}"))
    # The figures are the evidence page's own: 4,512 → 4,882 is +8.2%, 18.6 per 1,000.
    [row] = [r for r in indicator_rows(assessment) if r.name == "Domestic abuse crimes"]
    assert (row.figures.pct_change, row.figures.rate_per_1000) == (Decimal("8.2"), Decimal("18.6"))
    assert "Domestic abuse crimes 4,512 4,882 +8.2% 18.6" in card
    assert "Shoplifting" not in card
    assert "Physical harm to victims Substantial Injuries in a third of reports." in card
    assert "(analyst: Substantial)" in card


def test_a_card_marks_a_rate_per_1000_households_and_says_so(
    client, workshop, risks, partnership, police_partner
):
    area = partnership_area(partnership)
    Population.objects.create(area=area, period="2019/20", population=262_100, households=110_000)
    burglary = Indicator.objects.create(
        partnership=partnership, name="Burglary residential", rate_basis="households"
    )
    IndicatorValue.objects.create(
        indicator=burglary, area=area, period="2019/20", value=649, msg_rate_per_1000="13.2"
    )
    risks[0].indicators.set([burglary])
    client.force_login(police_partner)
    card = _text(_section(client.get(url(workshop)).content.decode(), f"risk-{risks[0].pk}"))
    assert "Burglary residential – 649 – 5.9 (13.2) † per 1,000 households" in card
    assert "Rates per 1,000 residents unless marked: † per 1,000 households" in card


def test_a_card_says_when_no_data_is_linked(client, workshop, risks, police_partner):
    client.force_login(police_partner)
    card = _section(client.get(url(workshop)).content.decode(), f"risk-{risks[1].pk}")
    assert "No data is linked to this risk." in card


# --- withdrawing a challenge through the page ---------------------------------------------


def test_choosing_no_challenge_withdraws_it_and_it_stays_withdrawn_after_reload(
    client, workshop, risks, police_partner
):
    client.force_login(police_partner)
    target = url(workshop, "score_risk", risk_id=risks[0].pk)
    client.post(target, {**PARTNER_SCORES, "challenge_trend": "Rising", "reason_trend": "More."})
    assert Submission.objects.filter(factor_key="trend").exists()
    response = client.post(
        target,
        {**PARTNER_SCORES, "challenge_trend": "", "reason_trend": ""},
        HTTP_HX_REQUEST="true",
    )
    assert "Saved your scores" in response.content.decode()
    assert not Submission.objects.filter(factor_key="trend").exists()
    card = _section(client.get(url(workshop)).content.decode(), f"risk-{risks[0].pk}")
    select = card[
        card.index('name="challenge_trend"') : card.index(
            "</select>", card.index("challenge_trend")
        )
    ]
    assert "selected" not in select


# --- refusals for every role --------------------------------------------------------------


@pytest.mark.parametrize("who", ROLES)
def test_saving_a_revealed_risk_is_refused_for_every_role(client, people, workshop, risks, who):
    workshop_reveal(workshop=workshop, risk=risks[0])
    sign_in(client, people, who)
    response = client.post(
        url(workshop, "score_risk", risk_id=risks[0].pk), PARTNER_SCORES, HTTP_HX_REQUEST="true"
    )
    if who in {"partner_a", "partner_b"}:
        body = response.content.decode()
        assert response.status_code == 200
        assert "Not saved: the facilitator has revealed “Domestic abuse” in round 1" in body
        assert "Revealed — the facilitator may open a new round" in body
        assert re.search(r"<fieldset disabled>\s*<legend class=\"visually-hidden\">", body)
    else:
        # htmx is told "signed out" with a 401 (nothing swapped), not sent to the sign-in page.
        expected = {"uninvited_partner": 404, "anonymous": 401}.get(who, NOT_ALLOWED[who])
        assert response.status_code == expected
    assert not Submission.objects.exists()


@pytest.mark.parametrize("who", ROLES)
def test_saving_a_risk_settled_in_a_locked_workshop_is_refused_for_every_role(
    client, people, assessment, risks, police, council, draft_workshop, who
):
    follow_up = WorkshopFactory(assessment=assessment, title="Follow-up")
    follow_up.risks.set(risks)
    follow_up.organisations.set([police, council])
    workshop_open(workshop=follow_up)
    workshop_open(workshop=draft_workshop)
    workshop_lock(workshop=draft_workshop)
    sign_in(client, people, who)
    response = client.post(url(follow_up, "score_risk", risk_id=risks[0].pk), PARTNER_SCORES)
    if who in {"partner_a", "partner_b"}:
        assert response.status_code == 409
        body = response.content.decode()
        assert "Settled in a locked workshop" in _text(_section(body, f"risk-{risks[0].pk}"))
        assert "Settled in the locked workshop “Annual workshop”" in body
    else:
        expected = 404 if who == "uninvited_partner" else NOT_ALLOWED[who]
        assert response.status_code == expected
    assert not Submission.objects.exists()


def test_a_new_round_reopens_a_revealed_risk_for_scoring(client, workshop, risks, police_partner):
    workshop_reveal(workshop=workshop, risk=risks[0])
    workshop_new_round(workshop=workshop, risks=[risks[0]])
    client.force_login(police_partner)
    response = client.post(
        url(workshop, "score_risk", risk_id=risks[0].pk), PARTNER_SCORES, HTTP_HX_REQUEST="true"
    )
    assert "Saved your scores for Domestic abuse" in response.content.decode()
    assert Submission.objects.filter(round__number=2).count() == len(PARTNER_SCORES)


# --- errors without JavaScript ----------------------------------------------------------


def test_without_javascript_an_invalid_save_shows_its_error_on_that_card_only(
    client, workshop, risks, police_partner
):
    client.force_login(police_partner)
    data = {**PARTNER_SCORES, "capacity": "", "comment": "Kept for you"}
    data |= {"challenge_physical": "Critical", "reason_physical": ""}
    response = client.post(url(workshop, "score_risk", risk_id=risks[1].pk), data)
    assert response.status_code == 400
    page = response.content.decode()
    summary = page[
        page.index('id="error-summary"') : page.index("</div>", page.index("error-summary"))
    ]
    assert (
        f'<a href="#r{risks[1].pk}-capacity-1">Knife crime: Choose a level for capacity.</a>'
        in summary
    )
    assert f'<a href="#r{risks[1].pk}-reason_physical">Knife crime: Say why' in summary
    failed = _section(page, f"risk-{risks[1].pk}")
    other = _section(page, f"risk-{risks[0].pk}")
    assert "Not saved: check the highlighted answers for Knife crime." in failed
    assert "Not saved" not in other and "Choose a level" not in other
    # The partner's answers are kept, and the form posts back to the card's own place.
    assert "Kept for you" in failed
    assert re.search(r'value="Medium"[^>]*checked', failed)
    assert '<option value="Critical" selected>' in failed
    assert (
        f'action="{url(workshop, "score_risk", risk_id=risks[1].pk)}#risk-{risks[1].pk}"' in failed
    )
    assert not Submission.objects.exists()


def test_the_save_button_keeps_its_id_across_an_htmx_save_so_focus_stays_there(
    client, workshop, risks, police_partner
):
    client.force_login(police_partner)
    button = f'id="risk-{risks[0].pk}-save"'
    assert button in client.get(url(workshop)).content.decode()
    response = client.post(
        url(workshop, "score_risk", risk_id=risks[0].pk), PARTNER_SCORES, HTTP_HX_REQUEST="true"
    )
    assert button in response.content.decode()


# --- what each state says ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "message", "editable"),
    [
        ("open", None, True),
        ("locked", "This workshop is locked: scores can no longer change.", False),
        ("published", "The 2019/20 assessment is published: its scores are final", False),
    ],
)
def test_the_scoring_page_says_what_state_the_workshop_and_assessment_are_in(
    client, workshop, risks, assessment, police_partner, state, message, editable
):
    if state == "locked":
        workshop_lock(workshop=workshop)
    if state == "published":
        assessment.status = AssessmentStatus.PUBLISHED
        assessment.save()
    client.force_login(police_partner)
    page = client.get(url(workshop)).content.decode()
    for text in (
        "This workshop is locked",
        "is published",
        "This workshop is open",
        "not open yet",
    ):
        assert (text in page) == bool(message and text in message), text
    assert ("<fieldset disabled>" not in page) == editable


def test_partners_cannot_reach_the_scoring_page_of_a_draft_workshop(
    client, draft_workshop, police_partner
):
    client.force_login(police_partner)
    assert client.get(url(draft_workshop)).status_code == 404


def test_the_home_page_links_a_partner_straight_to_scoring_and_a_facilitator_to_running_it(
    client, workshop, police_partner, facilitator
):
    client.force_login(police_partner)
    home = client.get(reverse("assessments:home")).content.decode()
    assert f'href="{url(workshop)}">Score “Annual workshop”</a>' in home
    client.force_login(facilitator)
    home = client.get(reverse("assessments:home")).content.decode()
    assert f'href="{url(workshop, "dashboard")}">Run “Annual workshop”</a>' in home


def test_agreed_values_from_an_earlier_import_do_not_make_a_card_read_only(
    client, workshop, risks, police_partner
):
    factor_score_set(
        risk=risks[0], factor_key="capacity", kind=ScoreKind.AGREED, level_label="Weak"
    )
    assert RiskFactorScore.objects.filter(kind=ScoreKind.AGREED).exists()
    client.force_login(police_partner)
    card = _section(client.get(url(workshop)).content.decode(), f"risk-{risks[0].pk}")
    assert "<fieldset disabled>" not in card

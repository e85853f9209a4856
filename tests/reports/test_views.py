"""reports/views.py: the register with ratings and each risk's page, per role, with flat query
counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import (
    Area,
    AreaKind,
    Indicator,
    IndicatorValue,
    Population,
    ScoreKind,
)
from assessments.services import factor_score_set
from reports.services import assessment_copy_forward
from tests.factories import FULL_SCORES, RiskFactory, ThemeFactory

pytestmark = pytest.mark.django_db

REGISTER = "/p/plymouth/2019-20/register/"
MEMBERS = ["admin_user", "analyst", "facilitator", "police_partner", "board_member"]


def _scored_risk(theme, name):
    risk = RiskFactory(theme=theme, name=name)
    for key, label in FULL_SCORES.items():
        factor_score_set(risk=risk, factor_key=key, kind=ScoreKind.ANALYST, level_label=label)
    return risk


@pytest.fixture
def risk(assessment, partnership):
    theme = ThemeFactory(assessment=assessment, name="Domestic abuse")
    risk = _scored_risk(theme, "Domestic homicide")
    area = Area.objects.create(partnership=partnership, name="Plymouth", kind=AreaKind.PARTNERSHIP)
    Population.objects.create(area=area, period="2019/20", population=262100)
    indicator = Indicator.objects.create(partnership=partnership, name="Domestic abuse crimes")
    for period, value in (("2019/20", 4882), ("2018/19", 4642)):
        IndicatorValue.objects.create(indicator=indicator, area=area, period=period, value=value)
    risk.indicators.add(indicator)
    return risk


def _risk_url(risk):
    return f"/p/plymouth/{risk.assessment.period_slug}/risks/{risk.pk}/"


@pytest.mark.parametrize("person", MEMBERS)
def test_every_member_sees_the_register_with_ratings_and_origins(client, request, person, risk):
    client.force_login(request.getfixturevalue(person))
    page = client.get(REGISTER).content.decode()
    assert "Domestic abuse" in page and "Domestic homicide" in page
    assert 'class="rating rating-high">High</span>' in page
    assert "New" in page


def test_only_editors_see_edit_links_on_the_register(client, analyst, board_member, risk):
    client.force_login(board_member)
    assert b"Add a theme" not in client.get(REGISTER).content
    client.force_login(analyst)
    assert b"Add a theme" in client.get(REGISTER).content


def test_a_risk_of_another_assessment_is_not_found(client, analyst, risk):
    other = assessment_copy_forward(source=risk.assessment, period="2020/21", user=analyst)
    client.force_login(analyst)
    assert client.get(f"{REGISTER[:-9]}risks/{other.risks.get().pk}/").status_code == 404


def test_carried_forward_risks_show_their_origin_and_last_years_rating(client, analyst, risk):
    target = assessment_copy_forward(source=risk.assessment, period="2020/21", user=analyst)
    client.force_login(analyst)
    page = client.get("/p/plymouth/2020-21/register/").content.decode()
    assert "Carried forward" in page and page.count("rating-high") == 2
    detail = client.get(_risk_url(target.risks.get())).content.decode()
    assert "No change" in detail


def _queries(client, url):
    client.get(url)  # the first request after force_login starts the session's clocks (a write)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_register_query_count_stays_flat_as_risks_are_added(client, analyst, risk):
    client.force_login(analyst)
    before = _queries(client, REGISTER)
    for i in range(5):
        theme = ThemeFactory(assessment=risk.assessment, name=f"Theme {i}")
        _scored_risk(theme, f"Risk {i}")
    assert _queries(client, REGISTER) == before


def test_risk_page_query_count_stays_flat_as_risks_and_indicators_are_added(
    client, analyst, risk, partnership
):
    client.force_login(analyst)
    before = _queries(client, _risk_url(risk))
    for i in range(5):
        _scored_risk(risk.theme, f"Risk {i}")
        risk.indicators.add(Indicator.objects.create(partnership=partnership, name=f"I{i}"))
    assert _queries(client, _risk_url(risk)) == before


@pytest.mark.parametrize("person", MEMBERS)
def test_every_member_sees_a_risks_arithmetic_factors_and_evidence(client, request, person, risk):
    client.force_login(request.getfixturevalue(person))
    page = client.get(_risk_url(risk)).content.decode()
    assert "Harm = 8 + 8 + 2 + 4 = 22" in page
    assert "Score = 22 × 4 × 1.1 × 1.2 = 116.2 ≥ 60 → High" in page
    assert "Analyst" in page and "Physical harm to victims" in page
    assert "4,882" in page and "4,642" in page and "+240" in page and "+5.2%" in page
    assert "18.6" in page  # 4,882 per 1,000 of 262,100


def test_a_risk_page_marks_a_rate_per_1000_households_beside_its_group_rate(
    client, analyst, risk, partnership
):
    Population.objects.update(households=110_000)
    burglary = Indicator.objects.create(
        partnership=partnership, name="Burglary residential", rate_basis="households"
    )
    IndicatorValue.objects.create(
        indicator=burglary,
        area=Area.objects.get(kind=AreaKind.PARTNERSHIP),
        period="2019/20",
        value=649,
        msg_rate_per_1000="13.2",
    )
    risk.indicators.add(burglary)
    client.force_login(analyst)
    page = client.get(_risk_url(risk)).content.decode()
    row = page[page.index("Burglary residential") : page.index("</tr>", page.index("Burglary"))]
    mark = '<span class="visually-hidden"> per 1,000 households</span>'
    assert "5.9<sup" in row and row.count(mark) == 2  # the rate and the group's
    assert "13.2<sup" in row  # as imported, not the column's 13.2000
    assert "Rates per 1,000 residents unless marked: † per 1,000 households." in page
    assert "18.6</td>" in page  # Domestic abuse crimes stays per resident, unmarked


def test_only_the_board_and_admins_see_the_priority_form(client, board_member, analyst, risk):
    client.force_login(analyst)
    assert b"Record the board" not in client.get(_risk_url(risk)).content
    client.force_login(board_member)
    assert b"Record the board" in client.get(_risk_url(risk)).content


def test_the_risk_pages_priority_form_posts_to_the_one_priority_endpoint(
    client, board_member, risk
):
    client.force_login(board_member)
    page = client.get(_risk_url(risk)).content.decode()
    assert 'action="/p/plymouth/2019-20/results/priority/"' in page
    assert f'name="risk" value="{risk.pk}"' in page and 'name="back" value="risk"' in page


def test_a_risk_page_takes_no_posts(client, board_member, risk):
    client.force_login(board_member)
    response = client.post(_risk_url(risk), {"is_priority": "1", "reason": "Because"})
    assert response.status_code == 405
    risk.refresh_from_db()
    assert not risk.is_priority


def test_risk_page_shows_the_analysts_and_the_agreed_notes_beside_each_factor(
    client, board_member, risk
):
    factor_score_set(
        risk=risk,
        factor_key="physical",
        kind=ScoreKind.ANALYST,
        level_label="Critical",
        note="Two domestic homicides in three years.",
    )
    factor_score_set(
        risk=risk,
        factor_key="capacity",
        kind=ScoreKind.AGREED,
        level_label="Weak",
        note="IDVA caseloads are twice the recommended level.",
    )
    factor_score_set(
        risk=risk,
        factor_key="capacity",
        kind=ScoreKind.ANALYST,
        level_label="Limited",
        note="Waiting lists for IDVA support.",
    )
    page = client_page(client, board_member, _risk_url(risk))
    assert "Analyst:</span> Two domestic homicides in three years." in page
    assert "Agreed:</span> IDVA caseloads are twice the recommended level." in page
    # Where the agreed value replaced the analyst's, the analyst's level is named.
    assert "Analyst (Limited):</span> Waiting lists for IDVA support." in page


def client_page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_carried_forward_risk_that_loses_a_score_is_not_yet_rated_rather_than_down(
    client, analyst, risk
):
    target = assessment_copy_forward(source=risk.assessment, period="2020/21", user=analyst)
    carried = target.risks.get()
    carried.factor_scores.filter(factor_key="trend").delete()
    page = client_page(client, analyst, _risk_url(carried))
    assert "<strong>Not yet rated</strong>" in page and "<strong>Down</strong>" not in page

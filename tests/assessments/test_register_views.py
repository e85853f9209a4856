"""Editing the register, copying forward, the scoring model and pre-scoring, per role."""

from decimal import Decimal

import pytest

from assessments.models import (
    Area,
    AreaKind,
    AssessmentStatus,
    Indicator,
    IndicatorValue,
    RiskFactorScore,
    RiskOrigin,
    ScoreChange,
    ScoringModel,
    Theme,
)
from assessments.services import assessment_freeze_model
from tests.factories import RiskFactory, ThemeFactory

pytestmark = pytest.mark.django_db

REGISTER = "/p/plymouth/2019-20/register/"
VIEWERS = ["facilitator", "police_partner", "board_member"]


@pytest.fixture
def risk(assessment):
    theme = ThemeFactory(assessment=assessment, name="Domestic abuse")
    return RiskFactory(theme=theme, name="Domestic homicide")


def _edit_pages(risk):
    base = REGISTER
    return [
        f"{base}themes/new/",
        f"{base}themes/{risk.theme_id}/",
        f"{base}themes/{risk.theme_id}/delete/",
        f"{base}risks/new/",
        f"{base}risks/{risk.pk}/",
        f"{base}risks/{risk.pk}/delete/",
        f"{base}copy-forward/",
        f"/p/plymouth/2019-20/risks/{risk.pk}/prescore/",
    ]


@pytest.mark.parametrize("person", VIEWERS)
def test_other_roles_may_not_edit_the_register(client, request, person, risk):
    client.force_login(request.getfixturevalue(person))
    for url in _edit_pages(risk):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "X"}).status_code == 403, url
    assert Theme.objects.count() == 1


def test_an_analyst_adds_a_theme_and_a_risk_with_indicators(client, analyst, assessment):
    indicator = Indicator.objects.create(partnership=assessment.partnership, name="Robbery")
    client.force_login(analyst)
    response = client.post(f"{REGISTER}themes/new/", {"name": "Violence", "order": 1})
    assert response.status_code == 302 and response.url == REGISTER
    theme = Theme.objects.get(name="Violence")
    response = client.post(
        f"{REGISTER}risks/new/",
        {"theme": theme.pk, "name": "Street robbery", "order": 1, "indicators": [indicator.pk]},
        follow=True,
    )
    assert b"Risk &quot;Street robbery&quot; added." in response.content
    risk = theme.risks.get()
    assert risk.origin == RiskOrigin.NEW and list(risk.indicators.all()) == [indicator]


def test_duplicate_names_redisplay_the_form_with_a_message(client, analyst, risk):
    client.force_login(analyst)
    response = client.post(f"{REGISTER}themes/new/", {"name": "domestic abuse", "order": 0})
    assert response.status_code == 200
    assert b"already has a theme called" in response.content
    response = client.post(
        f"{REGISTER}risks/new/", {"theme": risk.theme_id, "name": "Domestic homicide", "order": 0}
    )
    assert response.status_code == 200 and b"already has a risk called" in response.content


def test_another_partnerships_indicator_cannot_be_linked(client, analyst, risk, outsider):
    theirs = Indicator.objects.create(
        partnership=outsider.memberships.get().partnership, name="Torbay crime"
    )
    client.force_login(analyst)
    response = client.post(
        f"{REGISTER}risks/{risk.pk}/",
        {"theme": risk.theme_id, "name": risk.name, "order": 0, "indicators": [theirs.pk]},
    )
    assert response.status_code == 200 and not risk.indicators.exists()


def test_deleting_a_risk_needs_a_post(client, analyst, risk):
    client.force_login(analyst)
    client.get(f"{REGISTER}risks/{risk.pk}/delete/")
    assert risk.theme.risks.exists()
    client.post(f"{REGISTER}risks/{risk.pk}/delete/")
    assert not risk.theme.risks.exists()


def test_deleting_a_theme_with_risks_is_refused_with_a_message(client, analyst, risk):
    client.force_login(analyst)
    response = client.post(f"{REGISTER}themes/{risk.theme_id}/delete/", follow=True)
    assert b"still holds risks" in response.content
    assert Theme.objects.filter(pk=risk.theme_id).exists()


def test_a_published_assessment_refuses_every_change_with_a_message(client, analyst, risk):
    risk.assessment.status = AssessmentStatus.PUBLISHED
    risk.assessment.save()
    client.force_login(analyst)
    for url in _edit_pages(risk)[:-2] + _edit_pages(risk)[-1:]:
        response = client.post(url, {"name": "Changed", "order": 0}, follow=True)
        assert b"is published and can no longer be changed" in response.content, url
    risk.refresh_from_db()
    assert risk.name == "Domestic homicide" and Theme.objects.count() == 1


def test_copy_forward_page_starts_the_next_period(client, analyst, risk):
    client.force_login(analyst)
    page = client.get(f"{REGISTER}copy-forward/")
    assert b'value="2020/21"' in page.content
    response = client.post(f"{REGISTER}copy-forward/", {"period": "2020/21"})
    assert response.status_code == 302 and response.url == "/p/plymouth/2020-21/register/"
    again = client.post(f"{REGISTER}copy-forward/", {"period": "2020/21"})
    assert again.status_code == 200 and b"already an assessment for 2020/21" in again.content


@pytest.mark.parametrize("period", ["2018/19", "2019/20"])
def test_copy_forward_page_refuses_a_period_that_is_not_later_than_the_source(
    client, analyst, risk, period
):
    client.force_login(analyst)
    response = client.post(f"{REGISTER}copy-forward/", {"period": period})
    assert response.status_code == 200
    assert b"Choose a period after 2019/20, such as 2020/21" in response.content
    assert not risk.assessment.partnership.assessments.filter(period="2018/19").exists()


def test_copy_forward_page_suggests_the_first_later_period_not_yet_started(client, analyst, risk):
    risk.assessment.partnership.assessments.create(period="2020/21")
    client.force_login(analyst)
    assert b'value="2021/22"' in client.get(f"{REGISTER}copy-forward/").content


def _set_count(indicator, area, period, value):
    IndicatorValue.objects.create(indicator=indicator, area=area, period=period, value=value)


def test_prescoring_saves_levels_and_notes_through_the_audited_service(client, analyst, risk):
    client.force_login(analyst)
    response = client.post(
        f"/p/plymouth/2019-20/risks/{risk.pk}/prescore/",
        {"level_physical": "Critical", "note_physical": "Reviews", "level_trend": "Stable"},
    )
    assert response.status_code == 302
    physical = RiskFactorScore.objects.get(risk=risk, factor_key="physical")
    assert (physical.level_label, physical.value, physical.note) == (
        "Critical",
        Decimal(8),
        "Reviews",
    )
    assert physical.set_by == analyst
    assert ScoreChange.objects.filter(risk=risk).count() == 2


def test_a_note_without_a_level_is_refused(client, analyst, risk):
    client.force_login(analyst)
    response = client.post(
        f"/p/plymouth/2019-20/risks/{risk.pk}/prescore/", {"note_physical": "Serious"}
    )
    assert response.status_code == 200 and b"Choose a level" in response.content
    assert not RiskFactorScore.objects.exists()


def test_prescoring_shows_level_descriptions_and_suggestions_from_linked_data(
    client, analyst, risk, partnership
):
    area = Area.objects.create(partnership=partnership, name="Plymouth", kind=AreaKind.PARTNERSHIP)
    crimes = [Indicator.objects.create(partnership=partnership, name=f"C{i}") for i in range(4)]
    for i, indicator in enumerate(crimes):
        _set_count(indicator, area, "2019/20", 100 * (i + 1))
    abuse = Indicator.objects.create(partnership=partnership, name="Domestic abuse crimes")
    _set_count(abuse, area, "2019/20", 4882)
    _set_count(abuse, area, "2018/19", 4642)
    risk.indicators.add(abuse)
    client.force_login(analyst)
    page = client.get(f"/p/plymouth/2019-20/risks/{risk.pk}/prescore/").content.decode()
    assert "<legend" in page and "Loss of life or life-changing injury" in page
    assert "Suggested: Constant." in page
    assert "Domestic abuse crimes: 4,882 in 2019/20, 5.2% up on 2018/19 (4,642): Rising." in page


def test_prescoring_leaves_all_crime_out_of_the_volume_comparison_and_says_so(
    client, analyst, risk, partnership
):
    area = Area.objects.create(partnership=partnership, name="Plymouth", kind=AreaKind.PARTNERSHIP)
    for i in range(4):
        crime = Indicator.objects.create(partnership=partnership, name=f"C{i}")
        _set_count(crime, area, "2019/20", 100 * (i + 1))
    _set_count(
        Indicator.objects.create(partnership=partnership, name="All crime"), area, "2019/20", 23024
    )
    robbery = Indicator.objects.create(partnership=partnership, name="Robbery")
    _set_count(robbery, area, "2019/20", 330)
    risk.indicators.add(robbery)
    client.force_login(analyst)
    page = client.get(f"/p/plymouth/2019-20/risks/{risk.pk}/prescore/").content.decode()
    # Among 100, 200, 300, 330 and 400 the top quarter starts at 330; All crime would move it.
    assert "Suggested: Constant." in page
    assert (
        "The 5 count indicators for 2019/20 (leaving out All crime, a total of the others)" in page
    )


def test_prescoring_a_risk_without_indicators_says_so(client, analyst, risk):
    client.force_login(analyst)
    page = client.get(f"/p/plymouth/2019-20/risks/{risk.pk}/prescore/")
    assert b"No indicators are linked to this risk" in page.content


@pytest.mark.parametrize("person", ["analyst", "facilitator", "police_partner", "board_member"])
def test_every_member_may_read_the_scoring_model_but_only_admins_change_it(
    client, request, person, partnership
):
    client.force_login(request.getfixturevalue(person))
    page = client.get("/p/plymouth/scoring-model/")
    assert page.status_code == 200 and b"Only an admin may change the model" in page.content
    assert client.post("/p/plymouth/scoring-model/", {}).status_code == 403


def _model_post(**changes):
    from assessments.scoring import DEFAULT_MODEL
    from assessments.scoring_model_form import levels_to_text

    data = {
        name: str(getattr(DEFAULT_MODEL, name))
        for name in (
            "likelihood_min",
            "likelihood_max",
            "response_base",
            "response_step",
            "moderate_threshold",
            "high_threshold",
        )
    }
    data.update({f"levels_{f.key}": levels_to_text(f) for f in DEFAULT_MODEL.factors})
    data.update({f"name_{f.key}": f.name for f in DEFAULT_MODEL.factors})
    data.update(changes)
    return data


def test_an_admin_changes_the_model_and_the_version_goes_up(client, admin_user, partnership):
    client.force_login(admin_user)
    response = client.post(
        "/p/plymouth/scoring-model/",
        _model_post(high_threshold="55", levels_trend="Falling | -1 | Down\nRising | 1 | Up"),
        follow=True,
    )
    assert b"saved as version 2" in response.content
    spec = ScoringModel.objects.get(partnership=partnership).spec
    assert spec["high_threshold"] == "55" and spec["version"] == 2
    trend = next(f for f in spec["factors"] if f["key"] == "trend")
    assert [lv["label"] for lv in trend["levels"]] == ["Falling", "Rising"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"moderate_threshold": "70"}, b"moderate threshold must be below the high"),
        ({"levels_trend": ""}, b"This field is required"),
        ({"levels_trend": "Up | lots"}, "“lots” is not a number".encode()),
        ({"levels_trend": "Up | 2\nDown | 1"}, b"ascending order of value"),
        ({"levels_trend": "Up | 1\nUp | 2"}, b"more than once"),
    ],
)
def test_an_invalid_model_redisplays_with_the_problem(
    client, admin_user, partnership, changes, message
):
    client.force_login(admin_user)
    response = client.post("/p/plymouth/scoring-model/", _model_post(**changes))
    assert response.status_code == 200 and message in response.content
    assert not ScoringModel.objects.exists()


def test_an_invalid_model_lists_every_problem_in_a_summary_at_the_top_linking_to_its_field(
    client, admin_user, partnership
):
    client.force_login(admin_user)
    response = client.post(
        "/p/plymouth/scoring-model/",
        _model_post(levels_cost="", moderate_threshold="70", high_threshold="60"),
    )
    page = response.content.decode()
    summary = page[
        page.index('id="error-summary"') : page.index("</ul>", page.index("error-summary"))
    ]
    assert page.index('id="error-summary"') < page.index("<h1")
    assert "2 problems to fix" in summary
    assert '<a href="#id_levels_cost" class="alert-link">Cost to respond: levels</a>' in summary
    assert "This field is required." in summary
    assert '<a href="#id_moderate_threshold"' in summary
    assert "The moderate threshold must be below the high threshold." in summary
    assert 'id="id_levels_cost"' in page and 'id="id_moderate_threshold"' in page
    assert not ScoringModel.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"levels_confidence": "High | 1\nMedium | 1.2345"}, "“1.2345” has more than 3 decimal"),
        ({"levels_cost": "Cheap | -1\nDear | 1"}, "response levels must be 0 or more"),
        ({"levels_physical": "Good | -2\nBad | 8"}, "harm levels must be 0 or more"),
        ({"levels_confidence": "Sure | 0\nUnsure | 1.2"}, "must be greater than 0"),
        ({"response_step": "-0.2"}, "The response step must not be negative"),
        ({"likelihood_min": "0"}, "The likelihood minimum must be greater than zero"),
    ],
)
def test_a_model_that_could_lower_a_score_as_a_factor_worsens_is_refused(
    client, admin_user, partnership, changes, message
):
    client.force_login(admin_user)
    response = client.post("/p/plymouth/scoring-model/", _model_post(**changes))
    assert response.status_code == 200 and message in response.content.decode()
    assert not ScoringModel.objects.exists()


def test_an_admin_renames_a_factor_and_adds_and_removes_levels(client, admin_user, partnership):
    client.force_login(admin_user)
    response = client.post(
        "/p/plymouth/scoring-model/",
        _model_post(
            name_cost="Cost of responding",
            levels_confidence="High | 1 | Full picture\nMedium | 1.1 | Gaps\n"
            "Low | 1.25 | Partial\nVery low | 1.5 | Almost nothing known",
            levels_trend="Falling | -1 | Down\nRising | 1 | Up",
        ),
        follow=True,
    )
    assert b"saved as version 2" in response.content
    spec = ScoringModel.objects.get(partnership=partnership).spec
    factors = {f["key"]: f for f in spec["factors"]}
    assert factors["cost"]["name"] == "Cost of responding"
    assert [lv["label"] for lv in factors["confidence"]["levels"]][-1] == "Very low"
    assert len(factors["trend"]["levels"]) == 2
    page = response.content.decode()
    assert "Saved levels of Cost of responding" in page and "Almost nothing known" in page


def test_the_model_page_shows_each_factors_saved_levels_in_a_table(
    client, board_member, admin_user
):
    for person in (board_member, admin_user):
        client.force_login(person)
        page = client.get("/p/plymouth/scoring-model/").content.decode()
        assert "Harm is the sum of these factors" in page
        assert '<td class="num">−1</td>' in page  # Falling trend, as a plain number
        assert "Loss of life or life-changing injury is a realistic outcome." in page


@pytest.mark.parametrize("person", ["analyst", "facilitator", "police_partner", "board_member"])
def test_every_member_may_read_how_scores_are_calculated(client, request, person, assessment):
    client.force_login(request.getfixturevalue(person))
    page = client.get("/p/plymouth/2019-20/scoring-model/").content.decode()
    assert "Psychological harm to victims" in page and "Long-term psychological harm" in page
    assert "Score = 8 × 3 × 1.1 × 1.2 = 31.7 ≥ 25 → Moderate" in page


def test_the_explanation_shows_the_frozen_model_not_the_new_one(
    client, analyst, admin_user, assessment
):
    assessment_freeze_model(assessment=assessment)
    client.force_login(admin_user)
    client.post("/p/plymouth/scoring-model/", _model_post(high_threshold="99"))
    client.force_login(analyst)
    page = client.get("/p/plymouth/2019-20/scoring-model/").content.decode()
    assert "version 1" in page and "at or above 60" in page and "froze its copy" in page


def test_the_assessment_hub_links_the_register_and_the_model_by_role(
    client, analyst, admin_user, police_partner, assessment
):
    client.force_login(police_partner)
    page = client.get("/p/plymouth/2019-20/").content.decode()
    assert "/p/plymouth/2019-20/register/" in page and "copy-forward" not in page
    client.force_login(analyst)
    page = client.get("/p/plymouth/2019-20/").content.decode()
    assert "copy-forward" in page and 'href="/p/plymouth/scoring-model/"' not in page
    client.force_login(admin_user)
    assert (
        'href="/p/plymouth/scoring-model/"' in client.get("/p/plymouth/2019-20/").content.decode()
    )

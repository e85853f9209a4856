"""The first assessment from the web: empty, or copied forward from an earlier one."""

from __future__ import annotations

from django.urls import reverse

from assessments.models import Assessment
from tests.factories import RiskFactory, ThemeFactory

URL = reverse("reports:assessment_create", args=["plymouth"])


def test_an_analyst_starts_an_empty_first_assessment(client, analyst):
    client.force_login(analyst)
    form = client.get(URL).content.decode()
    assert "Start a strategic assessment" in form and "Nothing: start an empty assessment" in form
    response = client.post(URL, {"period": "2020/21", "start_from": ""}, follow=True)
    page = response.content.decode()
    assert "Started the 2020/21 assessment." in page
    created = Assessment.objects.get(partnership__slug="plymouth", period="2020/21")
    assert created.scoring_spec is not None and not created.risks.exists()


def test_an_admin_starts_a_period_from_an_earlier_ones_register(client, admin_user, assessment):
    RiskFactory(theme=ThemeFactory(assessment=assessment, name="Violence"), name="Rape")
    client.force_login(admin_user)
    form = client.get(URL).content.decode()
    assert 'value="2020/21"' in form  # the first free period after the latest
    response = client.post(URL, {"period": "2020/21", "start_from": assessment.pk}, follow=True)
    assert "Started the 2020/21 assessment from 2019/20." in response.content.decode()
    created = Assessment.objects.get(period="2020/21")
    assert list(created.risks.values_list("name", flat=True)) == ["Rape"]


def test_a_period_is_validated_like_every_period_and_nothing_is_created(
    client, analyst, assessment
):
    client.force_login(analyst)
    cases = {
        "2020/22": "2020/21",  # the message suggests the period meant
        "2019/20": "There is already an assessment for 2019/20.",
        "": "This field is required.",
    }
    for period, message in cases.items():
        response = client.post(URL, {"period": period, "start_from": ""})
        assert response.status_code == 400, period
        assert message in response.content.decode(), period
    earlier = client.post(URL, {"period": "2018/19", "start_from": assessment.pk})
    assert "Choose a period after 2019/20" in earlier.content.decode()
    assert Assessment.objects.count() == 1

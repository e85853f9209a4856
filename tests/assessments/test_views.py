"""Everyone signs in; each person sees only the partnerships they belong to."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ASSESSMENT_URL = "/p/plymouth/2019-20/"
OTHER_ASSESSMENT_URL = "/p/torbay/2019-20/"


def test_the_login_page_is_open_to_everyone(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Sign in to Workbench" in response.content


def test_signing_in_leads_to_the_home_page(client, analyst, assessment):
    response = client.post(
        reverse("login"), {"username": "asha_analyst", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302 and response.url == reverse("assessments:home")


def test_home_lists_the_users_assessments_with_status(client, analyst, assessment, outsider):
    client.force_login(analyst)
    response = client.get(reverse("assessments:home"))
    assert b"Safer Plymouth" in response.content
    assert b"Strategic assessment 2019/20" in response.content
    assert b"Draft" in response.content
    assert b"Safer Torbay" not in response.content


@pytest.mark.parametrize(
    "person",
    ["admin_user", "analyst", "facilitator", "police_partner", "council_partner", "board_member"],
)
def test_no_role_sees_another_partnerships_assessment(client, request, person, outsider):
    client.force_login(request.getfixturevalue(person))
    assert client.get(OTHER_ASSESSMENT_URL).status_code == 404
    assert b"Safer Torbay" not in client.get(reverse("assessments:home")).content


def test_signing_out_needs_a_post_and_ends_the_session(client, analyst, assessment):
    client.force_login(analyst)
    client.post(reverse("logout"))
    assert client.get(ASSESSMENT_URL).status_code == 302


MAPPINGS_URL = "/p/plymouth/category-mappings/"


@pytest.mark.parametrize("remove", ["abc", "", "999999"])
def test_removing_a_mapping_that_does_not_exist_says_so_and_removes_nothing(
    client, analyst, assessment, remove
):
    client.force_login(analyst)
    client.post(MAPPINGS_URL, {"source_label": "Bicycle theft", "new_indicator": "Theft other"})
    response = client.post(MAPPINGS_URL, {"remove": remove}, follow=True)
    assert response.status_code == 200
    assert b"That mapping no longer exists; nothing was removed." in response.content
    assert assessment.partnership.category_mappings.count() == 1


def test_removing_another_partnerships_mapping_is_refused(client, analyst, assessment, outsider):
    from assessments.models import CategoryMapping, Indicator

    elsewhere = outsider.memberships.get().partnership
    indicator = Indicator.objects.create(partnership=elsewhere, name="Theft other")
    theirs = CategoryMapping.objects.create(
        partnership=elsewhere, source_label="Bicycle theft", indicator=indicator
    )
    client.force_login(analyst)
    client.post(MAPPINGS_URL, {"remove": theirs.pk})
    assert CategoryMapping.objects.filter(pk=theirs.pk).exists()


def test_an_analyst_removes_a_mapping(client, analyst, assessment):
    client.force_login(analyst)
    client.post(MAPPINGS_URL, {"source_label": "Bicycle theft", "new_indicator": "Theft other"})
    mapping = assessment.partnership.category_mappings.get()
    response = client.post(MAPPINGS_URL, {"remove": mapping.pk}, follow=True)
    assert b"Mapping removed." in response.content
    assert not assessment.partnership.category_mappings.exists()

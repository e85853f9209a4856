"""Results dashboard, themes, emerging issues, sign-off and exports: one test per role."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import AssessmentStatus, EmergingIssue, Theme
from reports.models import Approval, Publication
from reports.services import approval_record, assessment_publish
from tests.reports.conftest import STANDARD_LEVELS, add_risks

BASE = "/p/plymouth/2019-20/"


def _get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


def test_results_show_lists_scores_movement_heat_map_and_appendix(client, scored, board_member):
    html = _get(client, board_member, BASE + "results/").content.decode()
    for text in [
        "High level risks",
        "Moderate level risks",
        "Standard level risks",
        "116.2",  # Domestic abuse's score to one decimal
        "New this year",
        "Risks by harm and likelihood",
        "Likelihood &amp; trends",
        "Frequent, rising",  # a level as a word, not only a colour
        "What this means for the partnership",
        "23,024",  # the crime table
        "All recorded crime by year",
    ]:
        assert text in html, text


def test_results_page_queries_stay_flat_as_risks_grow(client, scored, board_member):
    client.force_login(board_member)
    url = BASE + "results/"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    theme = Theme.objects.create(assessment=scored, name="More", order=3)
    add_risks(scored, theme, 12, STANDARD_LEVELS)
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before)


def test_theme_page_shows_table_and_safe_narrative(client, scored, board_member):
    theme = scored.themes.get(name="Domestic abuse and sexual violence")
    theme.impact = "Harm <script>alert(1)</script><img src=x onerror=alert(2)>"
    theme.save()
    html = _get(client, board_member, f"{BASE}themes/{theme.id}/").content.decode()
    assert "<strong>395</strong>" in html
    assert "Recommended CSP priority." in html
    assert "<script>alert" not in html and "onerror" not in html
    assert "Edit the narrative" not in html  # board members do not write the narrative


def test_analyst_edits_the_narrative(client, scored, analyst):
    theme = scored.themes.get(name="Acquisitive crime")
    client.force_login(analyst)
    url = f"{BASE}themes/{theme.id}/narrative/"
    assert client.get(url).status_code == 200
    data = {
        "key_statistics": "649 burglaries",
        "impact": "",
        "likelihood": "",
        "organisational_response": "",
        "knowledge_gaps": "Under-reporting",
        "recommendation": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.key_statistics == "649 burglaries"
    assert theme.knowledge_gaps == "Under-reporting"


def test_analyst_adds_edits_and_deletes_an_emerging_issue(client, scored, analyst):
    client.force_login(analyst)
    response = client.post(
        BASE + "emerging-issues/",
        {"title": "Child to parent violence", "text": "Growing", "order": 1},
    )
    assert response.status_code == 302
    issue = EmergingIssue.objects.get(title="Child to parent violence")
    response = client.post(
        f"{BASE}emerging-issues/{issue.id}/edit/",
        {"title": "Child to parent violence", "text": "Growing concern", "order": 1},
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.text == "Growing concern"
    assert client.post(f"{BASE}emerging-issues/{issue.id}/delete/").status_code == 302
    assert not EmergingIssue.objects.filter(pk=issue.pk).exists()


def test_board_member_cannot_add_an_emerging_issue(client, scored, board_member):
    client.force_login(board_member)
    response = client.post(BASE + "emerging-issues/", {"title": "X", "text": "Y", "order": 1})
    assert response.status_code == 403


def test_board_approves_and_publishes(client, scored, board_member):
    client.force_login(board_member)
    response = client.post(BASE + "sign-off/approve/", {"comment": "Good work", "approved": "on"})
    assert response.status_code == 302
    assert Approval.objects.filter(assessment=scored, approved=True).count() == 1
    response = client.post(BASE + "sign-off/publish/", {"confirm": "on"})
    assert response.status_code == 302
    scored.refresh_from_db()
    assert scored.status == AssessmentStatus.PUBLISHED
    assert scored.published_at is not None
    publication = Publication.objects.get(assessment=scored)
    assert publication.version == 1
    names = {risk["risk"]: risk["rating"] for risk in publication.snapshot["risks"]}
    assert names == {
        "Domestic abuse": "High",
        "Domestic homicide": "Moderate",
        "Burglary": "Standard",
    }
    report = publication.snapshot["report"]
    assert report["sign_off"]["approvals"][0]["comment"] == "Good work"
    assert report["themes"][0]["narrative"]["recommendation"] == "Recommended CSP priority."
    page = client.get(response["Location"]).content.decode()
    assert "exactly as it was published" in page


def test_publishing_needs_an_approval_first(client, scored, board_member):
    client.force_login(board_member)
    response = client.post(BASE + "sign-off/publish/", {"confirm": "on"}, follow=True)
    assert "At least one board member must approve" in response.content.decode()
    scored.refresh_from_db()
    assert scored.status != AssessmentStatus.PUBLISHED


@pytest.mark.parametrize(
    ("who", "status"),
    [("analyst", 403), ("facilitator", 403), ("police_partner", 403), ("outsider", 404)],
)
def test_only_the_board_approves_or_publishes(request, client, scored, board_member, who, status):
    approval_record(assessment=scored, user=board_member, comment="", approved=True)
    client.force_login(request.getfixturevalue(who))
    assert client.post(BASE + "sign-off/approve/", {"approved": "on"}).status_code == status
    assert client.get(BASE + "sign-off/publish/").status_code == status
    assert client.post(BASE + "sign-off/publish/", {"confirm": "on"}).status_code == status
    scored.refresh_from_db()
    assert scored.status != AssessmentStatus.PUBLISHED


def test_published_version_stays_readable_after_later_changes(client, scored, board_member):
    approval_record(assessment=scored, user=board_member, comment="", approved=True)
    publication = assessment_publish(assessment=scored, user=board_member)
    # Even if someone changed the live data behind the app's back, the version is frozen.
    Theme.objects.filter(assessment=scored).update(recommendation="Rewritten later")
    html = _get(client, board_member, f"{BASE}published/{publication.version}/").content.decode()
    assert "Recommended CSP priority." in html
    assert "Rewritten later" not in html


def test_comparison_shows_earlier_published_years(client, partnership, board_member, scored):
    from tests.factories import AssessmentFactory
    from tests.reports.conftest import HIGH_LEVELS

    earlier = AssessmentFactory(partnership=partnership, period="2018/19")
    theme = Theme.objects.create(assessment=earlier, name="DASV", order=1)
    risks = add_risks(earlier, theme, 1, HIGH_LEVELS, prefix="Old")
    risks[0].name = "Domestic abuse"
    risks[0].save()
    approval_record(assessment=earlier, user=board_member, comment="", approved=True)
    assessment_publish(assessment=earlier, user=board_member)
    html = _get(client, board_member, BASE + "results/").content.decode()
    assert "Each risk's rating and score this year beside earlier published" in html
    assert "2018/19" in html
    assert "not assessed" in html  # Burglary was not in 2018/19


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("board_member", 200),
        ("analyst", 200),
        ("facilitator", 403),
        ("police_partner", 403),
        ("outsider", 404),
    ],
)
def test_exports_by_role(request, client, scored, fmt, who, status):
    response = _get(client, request.getfixturevalue(who), f"{BASE}export/{fmt}/")
    assert response.status_code == status
    if status == 200:
        assert "attachment" in response["Content-Disposition"]
        assert fmt in response["Content-Disposition"]


def test_unknown_export_format_is_not_found(client, scored, board_member):
    assert _get(client, board_member, f"{BASE}export/docx/").status_code == 404


def test_hub_links_to_results_and_exports(client, scored, board_member):
    html = _get(client, board_member, BASE).content.decode()
    assert f"{BASE}results/" in html
    assert f"{BASE}export/pdf/" in html

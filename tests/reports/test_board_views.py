"""reports/board_views.py: results dashboard, themes, emerging issues, priorities, sign-off
and exports, one test per role."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import AssessmentStatus, EmergingIssue, Risk, ScoreChange, Theme
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
    assert _get(client, board_member, f"{BASE}export/odt/").status_code == 404


def test_hub_links_to_results_and_exports(client, scored, board_member):
    html = _get(client, board_member, BASE).content.decode()
    assert f"{BASE}results/" in html
    assert f"{BASE}export/pdf/" in html


# --- the JSON export's first address -----------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("board_member", 301),
        ("analyst", 301),
        ("admin_user", 301),
        ("facilitator", 403),
        ("police_partner", 403),
        ("outsider", 404),
    ],
)
def test_export_json_redirects_those_who_may_export_to_the_json_export(
    request, client, scored, who, status
):
    response = _get(client, request.getfixturevalue(who), BASE + "export.json")
    assert response.status_code == status
    if status == 301:
        assert response["Location"] == BASE + "export/json/"


def test_anonymous_visitors_asking_for_export_json_are_sent_to_sign_in(client, scored):
    response = client.get(BASE + "export.json")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_json_export_download_is_the_schema(client, scored, board_member):
    response = _get(client, board_member, BASE + "export.json")
    response = client.get(response["Location"])
    assert response["Content-Type"] == "application/json"
    assert "plymouth-2019-20-strategic-assessment.json" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["schema"] == "workbench-assessment/1" and len(data["risks"]) == 3


# --- partnership priorities: one form, one endpoint ---------------------------------------

PRIORITY = BASE + "results/priority/"
CHECKED_YES = re.compile(r'<input type="radio" name="is_priority" value="1"[^>]* checked>')


def _homicide(assessment) -> Risk:
    return Risk.objects.get(assessment=assessment, name="Domestic homicide")


def _risk_url(risk: Risk) -> str:
    return f"{BASE}risks/{risk.pk}/"


def _decide(client, risk, reason, back="risk", **extra):
    data = {"risk": risk.pk if risk else "", "is_priority": "1", "reason": reason, "back": back}
    return client.post(PRIORITY, data, **extra)


@pytest.mark.parametrize("person", ["analyst", "facilitator", "police_partner"])
def test_other_roles_may_not_mark_a_priority(client, request, person, scored):
    risk = _homicide(scored)
    client.force_login(request.getfixturevalue(person))
    assert _decide(client, risk, "Because").status_code == 403
    risk.refresh_from_db()
    assert not risk.is_priority


def test_the_board_marks_a_priority_from_a_risks_page_and_returns_to_it(
    client, board_member, scored
):
    risk = _homicide(scored)
    client.force_login(board_member)
    refused = _decide(client, risk, " ")
    page = refused.content.decode()
    assert refused.status_code == 400 and "This field is required" in page
    # Shown again as chosen: the same risk, the decision still ticked.
    assert f'<option value="{risk.pk}" selected>Domestic homicide</option>' in page
    assert CHECKED_YES.search(page)
    assert f'href="{_risk_url(risk)}"' in page  # back without recording
    response = _decide(client, risk, "Hidden harm")
    assert response.status_code == 302 and response["Location"] == _risk_url(risk)
    page = client.get(_risk_url(risk)).content.decode()
    assert "“Domestic homicide” is marked a partnership priority." in page
    assert ScoreChange.objects.filter(risk=risk, factor_key="priority").exists()
    assert "<strong>★ Partnership priority:</strong> Hidden harm</p>" in page
    reason = (
        '<span class="d-block small priority-reason"><span class="visually-hidden">Why it is a '
        "priority: </span>Hidden harm</span>"
    )
    page = client.get(BASE + "register/").content.decode()
    assert "★ Partnership priority</span>" in page and reason in page


def test_the_board_marks_a_priority_from_the_results_and_returns_there(
    client, board_member, scored
):
    risk = _homicide(scored)
    client.force_login(board_member)
    response = _decide(client, risk, "Retained for national focus.", back="results")
    assert response.status_code == 302
    assert response["Location"] == BASE + "results/#priorities"
    page = client.get(BASE + "results/").content.decode()
    assert "“Domestic homicide” is marked a partnership priority." in page
    assert "Retained for national focus." in page


def test_a_reason_typed_without_choosing_a_risk_is_kept(client, board_member, scored):
    client.force_login(board_member)
    response = _decide(client, None, "A long, careful reason.", back="results")
    page = response.content.decode()
    assert response.status_code == 400 and "This field is required" in page
    assert "A long, careful reason.</textarea>" in page and CHECKED_YES.search(page)
    assert f'href="{BASE}results/#priorities"' in page


def test_a_risk_of_another_assessment_is_not_a_choice(client, board_member, scored):
    from tests.factories import AssessmentFactory, RiskFactory, ThemeFactory

    other = AssessmentFactory(partnership=scored.partnership, period="2018/19")
    stranger = RiskFactory(theme=ThemeFactory(assessment=other), name="Elsewhere")
    client.force_login(board_member)
    response = _decide(client, stranger, "Sneaky")
    assert response.status_code == 400
    stranger.refresh_from_db()
    assert not stranger.is_priority


def test_a_published_assessment_refuses_the_priority_mark_with_a_message(
    client, board_member, scored
):
    risk = _homicide(scored)
    scored.status = AssessmentStatus.PUBLISHED
    scored.save()
    client.force_login(board_member)
    response = _decide(client, risk, "Late", follow=True)
    assert b"is published and can no longer be changed" in response.content
    risk.refresh_from_db()
    assert not risk.is_priority


def test_the_hub_links_to_exports_and_sheets_by_role(client, assessment, analyst, board_member):
    from tests.sheets_helpers import make_register

    make_register(assessment)
    client.force_login(board_member)
    page = client.get(BASE).content.decode()
    assert f"{BASE}export/json/" in page
    assert f"{BASE}scoring-sheet/upload/" not in page
    client.force_login(analyst)
    page = client.get(BASE).content.decode()
    assert f"{BASE}scoring-sheet/upload/" in page

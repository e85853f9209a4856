"""A published assessment refuses every kind of change, in the services and on the pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from assessments import services as assessment_services
from assessments.models import EmergingIssue, Risk, ScoreKind
from assessments.services import AssessmentLocked, factor_score_set
from reports.services import (
    approval_record,
    assessment_publish,
    emerging_issue_delete,
    emerging_issue_save,
    theme_narrative_set,
)

BASE = "/p/plymouth/2019-20/"


@pytest.fixture
def published(scored, board_member):
    approval_record(assessment=scored, user=board_member, comment="", approved=True)
    assessment_publish(assessment=scored, user=board_member)
    scored.refresh_from_db()
    return scored


def test_published_assessment_refuses_narrative(published, analyst):
    theme = published.themes.first()
    with pytest.raises(AssessmentLocked, match="published and can no longer be changed"):
        theme_narrative_set(theme=theme, values={"impact": "new"}, user=analyst)


def test_published_assessment_refuses_new_emerging_issue(published):
    with pytest.raises(AssessmentLocked):
        emerging_issue_save(issue=EmergingIssue(assessment=published, title="New", text="x"))


def test_published_assessment_refuses_edited_or_deleted_emerging_issue(published):
    issue = published.emerging_issues.get()
    issue.text = "changed"
    with pytest.raises(AssessmentLocked):
        emerging_issue_save(issue=issue)
    with pytest.raises(AssessmentLocked):
        emerging_issue_delete(issue=issue)
    assert EmergingIssue.objects.get(pk=issue.pk).text != "changed"


def test_published_assessment_refuses_scores(published):
    risk = published.risks.get(name="Burglary")
    for kind in (ScoreKind.ANALYST, ScoreKind.AGREED):
        with pytest.raises(AssessmentLocked):
            factor_score_set(risk=risk, factor_key="physical", kind=kind, level_label="Critical")


def test_published_assessment_refuses_approvals_and_republishing(published, board_member):
    with pytest.raises(AssessmentLocked):
        approval_record(assessment=published, user=board_member, comment="late", approved=False)
    with pytest.raises(AssessmentLocked):
        assessment_publish(assessment=published, user=board_member)


def test_published_assessment_refuses_priority_marks(published, board_member):
    risk_set_priority = getattr(assessment_services, "risk_set_priority", None)
    if risk_set_priority is None:
        pytest.skip("risk_set_priority (risk register branch) is not merged yet")
    risk = published.risks.get(name="Burglary")
    with pytest.raises(AssessmentLocked):
        risk_set_priority(risk=risk, is_priority=True, reason="National focus", user=board_member)
    assert not Risk.objects.get(pk=risk.pk).is_priority


def test_published_assessment_refuses_risk_edits(published):
    risk_save = getattr(assessment_services, "risk_save", None)
    risk_delete = getattr(assessment_services, "risk_delete", None)
    if risk_save is None:
        pytest.skip("risk_save (risk register branch) is not merged yet")
    risk = published.risks.get(name="Burglary")
    risk.name = "Burglary (renamed)"
    with pytest.raises(AssessmentLocked):
        risk_save(risk=risk)
    with pytest.raises(AssessmentLocked):
        risk_delete(risk=risk)
    assert Risk.objects.filter(name="Burglary", assessment=published).exists()


def test_edit_pages_of_a_published_assessment_say_why(client, published, analyst):
    client.force_login(analyst)
    theme = published.themes.first()
    response = client.get(f"{BASE}themes/{theme.id}/narrative/", follow=True)
    assert "published and can no longer be changed" in response.content.decode()
    response = client.post(f"{BASE}themes/{theme.id}/narrative/", {"impact": "late"}, follow=True)
    assert "published and can no longer be changed" in response.content.decode()
    response = client.post(
        BASE + "emerging-issues/", {"title": "Late", "text": "x", "order": 0}, follow=True
    )
    assert "published and can no longer be changed" in response.content.decode()
    assert not EmergingIssue.objects.filter(title="Late").exists()
    issue = published.emerging_issues.get()
    response = client.post(f"{BASE}emerging-issues/{issue.id}/delete/", follow=True)
    assert "published and can no longer be changed" in response.content.decode()
    assert EmergingIssue.objects.filter(pk=issue.pk).exists()


def test_sign_off_pages_of_a_published_assessment_say_why(client, published, board_member):
    client.force_login(board_member)
    for url in ("sign-off/approve/", "sign-off/publish/"):
        response = client.post(BASE + url, {"comment": "late", "approved": "on"}, follow=True)
        assert "published and can no longer be changed" in response.content.decode()
    assert published.publications.count() == 1


def test_comment_without_approval_needs_text(scored, board_member):
    with pytest.raises(ValidationError):
        approval_record(assessment=scored, user=board_member, comment=" ", approved=False)

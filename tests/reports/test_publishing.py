"""Publishing's safeguards: a confirmation step, no open workshop, unrated risks acknowledged,
and only approvals of the assessment as it is now count."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from assessments.models import AssessmentStatus, EmergingIssue, IndicatorValue, Risk, ScoreKind
from assessments.services import factor_score_set, risk_save, risk_set_priority
from reports.models import Publication
from reports.services import (
    approval_record,
    assessment_publish,
    emerging_issue_save,
    publish_check,
    theme_narrative_set,
)
from workshops.services import workshop_create, workshop_lock, workshop_open

BASE = "/p/plymouth/2019-20/"
PUBLISH = BASE + "sign-off/publish/"


def _approve(assessment, user):
    return approval_record(assessment=assessment, user=user, comment="", approved=True)


def _is_published(assessment) -> bool:
    assessment.refresh_from_db()
    return assessment.status == AssessmentStatus.PUBLISHED


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("board_member", 200),
        ("admin_user", 200),
        ("analyst", 403),
        ("facilitator", 403),
        ("police_partner", 403),
        ("outsider", 404),
    ],
)
def test_the_publish_confirmation_page_by_role(request, client, scored, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(PUBLISH).status_code == status


def test_anonymous_visitors_are_sent_to_log_in_before_publishing(client, scored):
    response = client.get(PUBLISH)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_confirmation_page_says_what_publishing_does(client, scored, board_member):
    _approve(scored, board_member)
    client.force_login(board_member)
    html = client.get(PUBLISH).content.decode()
    assert "What publishing does" in html
    assert "cannot be unpublished" in html
    assert "I understand that publishing fixes this assessment for good" in html
    assert "Every risk is rated." in html and "No workshop is open." in html


def test_publishing_without_ticking_the_confirmation_publishes_nothing(
    client, scored, board_member
):
    _approve(scored, board_member)
    client.force_login(board_member)
    response = client.post(PUBLISH, {})
    assert response.status_code == 200
    assert "Tick to confirm that you understand what publishing does." in response.content.decode()
    assert not _is_published(scored)
    assert not Publication.objects.exists()


@pytest.mark.parametrize("who", ["board_member", "admin_user"])
def test_board_members_and_admins_publish_after_confirming(request, client, scored, who):
    user = request.getfixturevalue(who)
    _approve(scored, user)
    client.force_login(user)
    response = client.post(PUBLISH, {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == BASE + "published/1/"
    assert _is_published(scored)


def test_publishing_is_refused_while_a_workshop_is_open_and_the_page_links_to_it(
    client, scored, board_member, admin_user, facilitator, police
):
    workshop = workshop_create(
        assessment=scored, title="Annual workshop", risks=scored.risks.all(), organisations=[police]
    )
    workshop_open(workshop=workshop)
    _approve(scored, board_member)
    client.force_login(board_member)
    html = client.get(PUBLISH).content.decode()
    assert "Annual workshop" in html and "still open" in html
    # Board members cannot run workshops: they are told who can, and where it is listed.
    assert (
        "ask a facilitator to lock it" in html and 'href="/p/plymouth/2019-20/workshops/"' in html
    )
    assert 'name="confirm"' not in html  # nothing to confirm until it is locked
    client.force_login(admin_user)  # admins run workshops: the page links to its dashboard
    admin_html = client.get(PUBLISH).content.decode()
    assert f'href="/p/plymouth/2019-20/workshops/{workshop.pk}/"' in admin_html
    client.force_login(board_member)
    response = client.post(PUBLISH, {"confirm": "on"})
    assert "A facilitator must lock it" in response.content.decode()
    assert not _is_published(scored)
    with pytest.raises(ValidationError, match="still open"):
        assessment_publish(assessment=scored, user=board_member)
    workshop_lock(workshop=workshop, user=facilitator)
    assert client.post(PUBLISH, {"confirm": "on"}).status_code == 302
    assert _is_published(scored)


def test_unrated_risks_are_listed_and_publishing_them_needs_explicit_acknowledgement(
    client, scored, board_member
):
    theme = scored.themes.first()
    Risk.objects.create(assessment=scored, theme=theme, name="Stalking", order=9)
    _approve(scored, board_member)
    client.force_login(board_member)
    html = client.get(PUBLISH).content.decode()
    assert "1 risk is unrated" in html and "Stalking" in html
    assert "Publish with the unrated risks listed above left unrated" in html
    response = client.post(PUBLISH, {"confirm": "on"})
    assert "1 risk is unrated (Stalking)" in response.content.decode()
    assert not _is_published(scored)
    response = client.post(PUBLISH, {"confirm": "on", "accept_unrated": "on"})
    assert response.status_code == 302
    assert _is_published(scored)
    risks = Publication.objects.get().snapshot["risks"]
    assert {r["risk"]: r["rating"] for r in risks}["Stalking"] == "Unrated"


def _change_score(assessment, user):
    risk = assessment.risks.get(name="Burglary")
    factor_score_set(
        risk=risk, factor_key="physical", kind=ScoreKind.ANALYST, level_label="Critical"
    )


def _change_narrative(assessment, user):
    theme = assessment.themes.first()
    theme_narrative_set(theme=theme, values={"impact": "Rewritten after approval."}, user=user)


def _change_register(assessment, user):
    risk = assessment.risks.get(name="Burglary")
    risk.name = "Burglary (residential)"
    risk_save(risk=risk)


def _change_priority(assessment, user):
    risk = assessment.risks.get(name="Burglary")
    risk_set_priority(risk=risk, is_priority=True, reason="National focus", user=user)


def _change_emerging_issue(assessment, user):
    emerging_issue_save(issue=EmergingIssue(assessment=assessment, title="Spice", text="Watch."))


def _change_trend_part_year(assessment, user):
    # Only the trend's part-year marking changes: 2017/18 turns out to cover 3 months.
    IndicatorValue.objects.filter(indicator__name="All crime", period="2017/18").update(
        source="records", dataset="police-uk", months=3
    )


@pytest.mark.parametrize(
    "change",
    [
        _change_score,
        _change_narrative,
        _change_register,
        _change_priority,
        _change_emerging_issue,
        _change_trend_part_year,
    ],
    ids=["score", "narrative", "register", "priority", "emerging issue", "trend part year"],
)
def test_an_approval_given_before_a_later_change_no_longer_counts(
    client, scored, board_member, analyst, change
):
    _approve(scored, board_member)
    assert publish_check(scored).current_approvals
    change(scored, analyst if change is not _change_priority else board_member)
    check = publish_check(scored)
    assert not check.current_approvals and len(check.stale_approvals) == 1
    client.force_login(board_member)
    assert "Approval overtaken by later changes" in client.get(BASE + "sign-off/").content.decode()
    response = client.post(PUBLISH, {"confirm": "on"})
    assert "has changed since the last approval" in response.content.decode()
    assert not _is_published(scored)
    _approve(scored, board_member)  # approving again, as it is now, counts
    assert client.post(PUBLISH, {"confirm": "on"}).status_code == 302
    assert _is_published(scored)


def test_an_unchanged_assessment_keeps_its_approval_and_a_comment_is_not_an_approval(
    client, scored, board_member, admin_user
):
    approval_record(
        assessment=scored, user=admin_user, comment="Check the figures.", approved=False
    )
    assert not publish_check(scored).current_approvals
    _approve(scored, board_member)
    client.force_login(board_member)
    client.get(BASE + "results/")  # reading changes nothing
    html = client.get(BASE + "sign-off/").content.decode()
    assert "Approval overtaken" not in html
    assert [a.user for a in publish_check(scored).current_approvals] == [board_member]


def test_the_published_version_records_who_approved_it(client, scored, board_member):
    approval_record(assessment=scored, user=board_member, comment="Well evidenced.", approved=True)
    publication = assessment_publish(assessment=scored, user=board_member)
    sign_off = publication.snapshot["report"]["sign_off"]
    assert sign_off["approvals"][0]["comment"] == "Well evidenced."
    assert sign_off["approvals"][0]["organisation"] == "Plymouth City Council"
    client.force_login(board_member)
    html = client.get(BASE + "published/1/").content.decode()
    assert "(Plymouth City Council) approved on" in html and "Well evidenced." in html
    assert "The responsible authority is Plymouth City Council." in html


def test_the_quick_fingerprint_matches_the_published_snapshots(scored, board_member):
    from reports.snapshot import assessment_fingerprint, assessment_snapshot, content_fingerprint

    fingerprint, risks = assessment_fingerprint(scored)
    snapshot = assessment_snapshot(scored)
    assert fingerprint == content_fingerprint(snapshot)
    assert risks == snapshot["risks"]

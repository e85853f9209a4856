"""Partners score risk by risk, blind until the facilitator reveals; the facilitator runs it."""

import pytest
from django.urls import reverse

from assessments.models import RiskFactorScore, ScoreChange, ScoreKind
from tests.workshops.conftest import PARTNER_SCORES, url
from workshops.models import RiskComment, Round, Submission, WorkshopStatus
from workshops.services import risk_scores_save, workshop_reveal

pytestmark = pytest.mark.django_db


def _levels(**changes):
    return {key: (label, "") for key, label in {**PARTNER_SCORES, **changes}.items()}


def test_partner_saves_a_risk_without_javascript_and_is_redirected_back(
    client, workshop, risks, police_partner
):
    client.force_login(police_partner)
    response = client.post(
        url(workshop, "score_risk", risk_id=risks[0].pk), {**PARTNER_SCORES, "comment": "Busy"}
    )
    assert response.status_code == 302
    assert response.url.endswith(f"#risk-{risks[0].pk}")
    assert (
        Submission.objects.filter(risk=risks[0], organisation__name__contains="Police").count() == 5
    )
    assert RiskComment.objects.get(risk=risks[0]).text == "Busy"
    page = client.get(response.url.split("#")[0])
    assert b"1 of 2 risks scored" in page.content
    assert b"Saved your scores for Domestic abuse" in page.content


def test_partner_saves_with_htmx_and_gets_the_risk_fragment_and_progress(
    client, workshop, risks, police_partner
):
    client.force_login(police_partner)
    response = client.post(
        url(workshop, "score_risk", risk_id=risks[1].pk), PARTNER_SCORES, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert f'id="risk-{risks[1].pk}-answers"' in body
    # The message goes into the card's existing live region, so screen readers announce it.
    assert f'<div id="risk-{risks[1].pk}-status" hx-swap-oob="innerHTML">' in body
    assert "Saved your scores for Knife crime" in body
    assert f'<li id="index-risk-{risks[1].pk}" hx-swap-oob="true">' in body
    assert 'hx-swap-oob="true"' in body and "1 of 2 risks scored" in body


def test_a_missing_level_is_refused_with_a_message_and_nothing_saved(
    client, workshop, risks, police_partner
):
    client.force_login(police_partner)
    data = {k: v for k, v in PARTNER_SCORES.items() if k != "capacity"}
    response = client.post(url(workshop, "score_risk", risk_id=risks[0].pk), data)
    assert response.status_code == 400
    assert b"Choose a level for capacity." in response.content
    assert not Submission.objects.exists()


def test_a_challenge_needs_a_reason(client, workshop, risks, police_partner):
    client.force_login(police_partner)
    data = {**PARTNER_SCORES, "challenge_physical": "Critical", "reason_physical": " "}
    response = client.post(
        url(workshop, "score_risk", risk_id=risks[0].pk), data, HTTP_HX_REQUEST="true"
    )
    assert (
        b"Say why you propose a different level for physical harm to victims." in response.content
    )
    assert not Submission.objects.exists()
    data["reason_physical"] = "Two homicides this year."
    client.post(url(workshop, "score_risk", risk_id=risks[0].pk), data)
    challenge = Submission.objects.get(factor_key="physical")
    assert (challenge.level_label, challenge.reason) == ("Critical", "Two homicides this year.")


def test_two_people_of_one_organisation_share_one_submission(
    client, workshop, risks, police, police_partner, partnership
):
    from tests.conftest import _member

    colleague = _member("pam_police", partnership, "partner", police)
    client.force_login(police_partner)
    client.post(url(workshop, "score_risk", risk_id=risks[0].pk), PARTNER_SCORES)
    client.force_login(colleague)
    page = client.get(url(workshop))
    assert b"1 of 2 risks scored" in page.content
    client.post(
        url(workshop, "score_risk", risk_id=risks[0].pk), {**PARTNER_SCORES, "capacity": "Strong"}
    )
    capacity = Submission.objects.get(factor_key="capacity")
    assert capacity.level_label == "Strong" and capacity.updated_by == colleague
    assert Submission.objects.count() == 5


def test_partner_cannot_see_other_organisations_scores_before_the_reveal(
    client, workshop, risks, police, council_partner
):
    risk_scores_save(
        workshop=workshop, risk=risks[0], organisation=police, levels=_levels(capacity="Weak")
    )
    client.force_login(council_partner)
    body = client.get(url(workshop)).content.decode()
    assert "Revealed" not in body
    assert "Weak 1" not in body and "Devon and Cornwall Police:" not in body


def test_after_the_reveal_partners_see_counts_but_not_who_said_what(
    client, workshop, risks, police, council, council_partner
):
    risk_scores_save(
        workshop=workshop, risk=risks[0], organisation=police, levels=_levels(capacity="Weak")
    )
    risk_scores_save(workshop=workshop, risk=risks[0], organisation=council, levels=_levels())
    workshop_reveal(workshop=workshop, risk=risks[0])
    client.force_login(council_partner)
    body = client.get(url(workshop)).content.decode()
    assert "What the organisations said in round 1" in body
    assert "Limited 1, Weak 1" in body.replace("\n", "")
    assert "Devon and Cornwall Police: Weak" not in body
    workshop.named_display = True
    workshop.save()
    body = client.get(url(workshop)).content.decode()
    assert "Devon and Cornwall Police: Weak" in body


def test_facilitator_reveals_opens_a_round_agrees_and_locks(client, workshop, risks, facilitator):
    client.force_login(facilitator)
    client.post(url(workshop, "reveal", risk_id=risks[0].pk))
    assert workshop.rounds.get(number=1).round_risks.get(risk=risks[0]).revealed_at
    client.post(url(workshop, "new_round"), {"risks": [risks[1].pk]})
    assert list(
        Round.objects.get(workshop=workshop, number=2).round_risks.values_list("risk", flat=True)
    ) == [risks[1].pk]
    client.post(
        url(workshop, "agree", risk_id=risks[0].pk),
        {"choice": "capacity:Adequate", "note": "Agreed in the room"},
    )
    agreed = RiskFactorScore.objects.get(risk=risks[0], kind=ScoreKind.AGREED)
    assert (agreed.factor_key, agreed.level_label, agreed.note) == (
        "capacity",
        "Adequate",
        "Agreed in the room",
    )
    client.post(url(workshop, "lock"))
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.LOCKED


def test_nothing_changes_after_the_lock(client, workshop, risks, facilitator, police_partner):
    client.force_login(facilitator)
    client.post(url(workshop, "lock"))
    changes = ScoreChange.objects.count()
    client.post(url(workshop, "agree", risk_id=risks[0].pk), {"choice": "capacity:Adequate"})
    client.post(url(workshop, "reveal", risk_id=risks[0].pk))
    client.post(url(workshop, "new_round"), {"risks": [risks[0].pk]})
    client.force_login(police_partner)
    page = client.get(url(workshop)).content.decode()
    assert "scores can no longer change" in page
    response = client.post(
        url(workshop, "score_risk", risk_id=risks[0].pk), PARTNER_SCORES, HTTP_HX_REQUEST="true"
    )
    assert "is locked" in response.content.decode()
    assert ScoreChange.objects.count() == changes
    assert not Submission.objects.exists() and workshop.rounds.count() == 1
    assert not RiskFactorScore.objects.exists()
    assert not workshop.rounds.get().round_risks.filter(revealed_at__isnull=False).exists()


def test_new_round_scores_replace_the_earlier_round_in_the_result(
    client, workshop, risks, police, facilitator
):
    risk_scores_save(
        workshop=workshop, risk=risks[0], organisation=police, levels=_levels(capacity="Weak")
    )
    client.force_login(facilitator)
    client.post(url(workshop, "new_round"), {"risks": [risks[0].pk]})
    risk_scores_save(
        workshop=workshop, risk=risks[0], organisation=police, levels=_levels(capacity="Strong")
    )
    assert Submission.objects.filter(risk=risks[0], factor_key="capacity").count() == 2
    live = client.get(url(workshop, "live")).content.decode()
    assert "round 2" in live and "Strong 1" in live and "Weak 1" not in live


def test_dashboard_shows_progress_distribution_divergence_and_rating(
    client, workshop, risks, police, council, facilitator
):
    risk_scores_save(
        workshop=workshop, risk=risks[0], organisation=police, levels=_levels(capacity="Strong")
    )
    risk_scores_save(
        workshop=workshop, risk=risks[0], organisation=council, levels=_levels(capacity="Weak")
    )
    client.force_login(facilitator)
    page = client.get(url(workshop, "dashboard")).content.decode()
    assert 'hx-trigger="every 4s"' in page
    live = client.get(url(workshop, "live")).content.decode()
    assert "<html" not in live
    assert "1 of 2" in live  # each organisation has scored one of the two risks
    assert "Strong 1" in live and "Weak 1" in live
    assert "Divergent" in live and 'class="divergent"' in live
    assert "rating-unrated" in live  # harm and likelihood are not scored yet: word and colour


def test_facilitator_creates_a_workshop_and_opens_it(
    client, assessment, risks, police, council, facilitator
):
    client.force_login(facilitator)
    response = client.post(
        reverse("workshops:create", args=["plymouth", "2019-20"]),
        {
            "title": "Spring",
            "date": "2020-02-03",
            "risks": [r.pk for r in risks],
            "organisations": [police.pk],
        },
    )
    assert response.status_code == 302
    workshop = assessment.workshops.get(title="Spring")
    assert workshop.status == WorkshopStatus.DRAFT
    client.post(url(workshop, "open"))
    workshop.refresh_from_db()
    assessment.refresh_from_db()
    assert workshop.status == WorkshopStatus.OPEN and assessment.scoring_spec
    assert workshop.rounds.get().round_risks.count() == 2


def test_invited_partners_see_their_workshop_on_the_home_page(
    client, workshop, police_partner, outsider
):
    client.force_login(police_partner)
    assert b"Annual workshop" in client.get(reverse("assessments:home")).content
    client.force_login(outsider)
    assert b"Annual workshop" not in client.get(reverse("assessments:home")).content


def test_partners_do_not_see_a_draft_workshop_on_the_home_page(
    client, draft_workshop, police_partner
):
    client.force_login(police_partner)
    assert b"Annual workshop" not in client.get(reverse("assessments:home")).content


def test_audit_trail_lists_every_change_with_who_round_and_old_to_new(
    client, workshop, risks, police, police_partner, board_member
):
    risk_scores_save(
        workshop=workshop, risk=risks[0], organisation=police, levels=_levels(), user=police_partner
    )
    risk_scores_save(
        workshop=workshop,
        risk=risks[0],
        organisation=police,
        levels=_levels(capacity="Weak"),
        user=police_partner,
    )
    client.force_login(board_member)
    body = client.get(reverse("workshops:audit", args=["plymouth", "2019-20"])).content.decode()
    assert "Limited → Weak" in body and "(none) → Medium" in body
    assert "Devon and Cornwall Police" in body and "Capacity" in body
    assert "6 in all" in body

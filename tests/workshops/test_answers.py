"""Per-factor answers (workshops/answers.py, answer_views.py): each part saves alone, “Don't
know” abstains, a stale version is never applied, refusals keep what the partner gave, and
every stored change (comments included) is audited."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import ScoreChange
from assessments.scoring import DEFAULT_MODEL, DONT_KNOW
from tests.conftest import _member
from tests.workshops.conftest import PARTNER_SCORES, url
from workshops.answers import COMMENT, Answer, answers_save
from workshops.exceptions import RiskRevealed, RoundMovedOn, WorkshopLocked
from workshops.models import RiskComment, Submission
from workshops.outcomes import assessment_outcomes
from workshops.services import workshop_lock, workshop_new_round, workshop_reveal

pytestmark = pytest.mark.django_db


def _save(workshop, risk, organisation, *answers, user=None, round_number=1):
    return answers_save(
        workshop=workshop,
        risk_id=risk.pk,
        organisation=organisation,
        answers=list(answers),
        round_number=round_number,
        spec=DEFAULT_MODEL,
        user=user,
    )


def _post(client, workshop, risk, round_number=1, **fields):
    """A per-factor save as the page's script sends it: the parts named, with versions."""
    data = {"round": round_number, "parts": [], **fields}
    for name in fields:
        if not name.startswith(("version_", "reason_")):
            data["parts"].append(name.removeprefix("challenge_"))
    response = client.post(
        url(workshop, "answer", risk_id=risk.pk), data, HTTP_ACCEPT="application/json"
    )
    is_json = response.headers.get("Content-Type", "").startswith("application/json")
    return response, json.loads(response.content) if is_json else {}


@pytest.fixture
def colleague(partnership, police):
    return _member("pam_police", partnership, "partner", police)


def test_choosing_one_level_saves_that_factor_alone_and_the_card_counts_it(
    client, workshop, risks, police_partner
):
    client.force_login(police_partner)
    response, body = _post(client, workshop, risks[0], capacity="Weak", version_capacity=0)
    assert response.status_code == 200
    assert body["parts"]["capacity"] == {
        "state": "saved",
        "version": 1,
        "level": "Weak",
        "text": "",
        "by": police_partner.get_full_name() or police_partner.username,
    }
    assert (body["answered"], body["needed"], body["complete"]) == (1, 5, False)
    assert list(Submission.objects.values_list("factor_key", "level_label")) == [
        ("capacity", "Weak")
    ]
    change = ScoreChange.objects.get()
    assert (change.factor_name, change.new_label, change.round_number) == ("Capacity", "Weak", 1)


def test_the_fifth_answer_completes_the_card_and_the_page_counts_the_risk_scored(
    client, workshop, risks, police, police_partner
):
    first = {key: label for key, label in PARTNER_SCORES.items() if key != "mitigation"}
    _save(workshop, risks[0], police, *[Answer(k, v) for k, v in first.items()])
    client.force_login(police_partner)
    _, body = _post(client, workshop, risks[0], mitigation=DONT_KNOW)
    assert body["complete"] is True
    assert body["progress"] == {"scored": 1, "risk_count": 2}
    page = client.get(url(workshop)).content.decode()
    assert "1 of 2 risks scored" in page


def test_dont_know_counts_as_answered_but_never_in_the_median(
    workshop, risks, police, council, assessment
):
    _save(workshop, risks[0], police, Answer("capacity", "Weak"))
    _save(workshop, risks[0], council, Answer("capacity", DONT_KNOW))
    stored = Submission.objects.get(organisation=council)
    assert (stored.level_label, stored.value) == (DONT_KNOW, None)
    workshop_reveal(workshop=workshop, risk=risks[0])
    outcome = {o.risk.id: o for o in assessment_outcomes(assessment)}[risks[0].id]
    capacity = outcome.factors["capacity"]
    assert (capacity.level_label, capacity.submissions, capacity.abstained) == ("Weak", 1, 1)


def test_a_save_based_on_a_stale_version_is_not_applied_and_names_the_colleague(
    workshop, risks, police, police_partner, colleague
):
    _save(workshop, risks[0], police, Answer("capacity", "Weak"), user=colleague)
    # Pat's page was loaded before Pam's save: it showed no answer (version 0).
    saved = _save(
        workshop, risks[0], police, Answer("capacity", "Strong", based_on=0), user=police_partner
    )
    stored = saved.parts["capacity"]
    assert (stored.state, stored.level, stored.version) == ("conflict", "Weak", 1)
    assert stored.by == (colleague.get_full_name() or colleague.username)
    assert Submission.objects.get().level_label == "Weak"
    assert ScoreChange.objects.count() == 1
    # Pat chooses to apply their own: saved again, based on Pam's version.
    saved = _save(
        workshop, risks[0], police, Answer("capacity", "Strong", based_on=1), user=police_partner
    )
    assert saved.parts["capacity"].state == "saved"
    assert Submission.objects.get().level_label == "Strong"
    assert list(ScoreChange.objects.order_by("id").values_list("old_label", "new_label")) == [
        ("", "Weak"),
        ("Weak", "Strong"),
    ]


def test_a_colleagues_comment_is_never_silently_replaced_and_every_change_is_audited(
    workshop, risks, police, police_partner, colleague
):
    _save(workshop, risks[0], police, Answer(COMMENT, text="Pam's view"), user=colleague)
    stale = _save(
        workshop, risks[0], police, Answer(COMMENT, text="Pat's view"), user=police_partner
    )
    assert stale.parts[COMMENT].state == "conflict"
    assert stale.parts[COMMENT].text == "Pam's view"
    assert RiskComment.objects.get().text == "Pam's view"
    _save(
        workshop,
        risks[0],
        police,
        Answer(COMMENT, text="Pat's view", based_on=1),
        user=police_partner,
    )
    comment = RiskComment.objects.get()
    assert (comment.text, comment.version) == ("Pat's view", 2)
    notes = list(ScoreChange.objects.order_by("id").values_list("factor_name", "note"))
    assert notes == [
        ("Comment", "Comment: “Pam's view”."),
        ("Comment", "Comment changed from “Pam's view” to “Pat's view”."),
    ]


def test_the_same_answer_as_the_colleagues_is_no_conflict(workshop, risks, police, colleague):
    _save(workshop, risks[0], police, Answer("capacity", "Weak"), user=colleague)
    saved = _save(workshop, risks[0], police, Answer("capacity", "Weak", based_on=0))
    assert saved.parts["capacity"].state == "saved"
    assert saved.parts["capacity"].version == 1


def test_a_challenge_saves_with_its_reason_and_a_new_reason_is_audited(workshop, risks, police):
    _save(workshop, risks[0], police, Answer("trend", "Rising", "More reports."))
    _save(workshop, risks[0], police, Answer("trend", "Rising", "Police data too.", based_on=1))
    challenge = Submission.objects.get(factor_key="trend")
    assert (challenge.reason, challenge.version) == ("Police data too.", 2)
    assert ScoreChange.objects.order_by("id").last().note == "Reason changed: Police data too."
    _save(workshop, risks[0], police, Answer("trend", "", based_on=2))
    assert not Submission.objects.filter(factor_key="trend").exists()
    assert ScoreChange.objects.order_by("id").last().note == "Challenge withdrawn."


def test_a_revealed_locked_or_moved_on_risk_stores_nothing(workshop, risks, police):
    workshop_reveal(workshop=workshop, risk=risks[0])
    with pytest.raises(RiskRevealed):
        _save(workshop, risks[0], police, Answer("capacity", "Weak"))
    workshop_new_round(workshop=workshop, risks=[risks[0]])
    with pytest.raises(RoundMovedOn, match="opened round 2"):
        _save(workshop, risks[0], police, Answer("capacity", "Weak"), round_number=1)
    _save(workshop, risks[0], police, Answer("capacity", "Weak"), round_number=2)
    workshop_lock(workshop=workshop)
    with pytest.raises(WorkshopLocked):
        _save(workshop, risks[1], police, Answer("capacity", "Weak"))
    assert list(Submission.objects.values_list("round__number", "risk")) == [(2, risks[0].pk)]


def test_a_refused_save_answers_why_and_whether_the_card_can_still_change(
    client, workshop, risks, police_partner
):
    client.force_login(police_partner)
    workshop_reveal(workshop=workshop, risk=risks[0])
    response, body = _post(client, workshop, risks[0], capacity="Weak")
    assert response.status_code == 409
    assert "has revealed “Domestic abuse”" in body["problem"]
    assert body["read_only"] is True
    workshop_new_round(workshop=workshop, risks=[risks[0]])
    response, body = _post(client, workshop, risks[0], capacity="Weak")
    assert response.status_code == 409
    assert (body["read_only"], body["round"]) == (False, 2)
    assert not Submission.objects.exists()


def test_a_challenge_without_a_reason_is_refused_with_the_reason_for_that_part(
    client, workshop, risks, police_partner
):
    client.force_login(police_partner)
    response, body = _post(client, workshop, risks[0], challenge_physical="Critical")
    assert response.status_code == 400
    assert "Say why" in body["errors"]["reason_physical"]
    assert not Submission.objects.exists()


def test_a_save_after_the_session_ended_answers_401_and_stores_nothing(
    client, workshop, risks, police_partner
):
    client.force_login(police_partner)
    client.logout()
    response, _ = _post(client, workshop, risks[0], capacity="Weak")
    assert response.status_code == 401
    assert "signed out" in response.content.decode()
    assert not Submission.objects.exists()


def test_without_javascript_a_refused_card_comes_back_with_everything_the_partner_gave(
    client, workshop, risks, police_partner
):
    client.force_login(police_partner)
    workshop_reveal(workshop=workshop, risk=risks[0])
    data = {**PARTNER_SCORES, "round": 1, "comment": "Typed while the room moved on"}
    response = client.post(url(workshop, "score_risk", risk_id=risks[0].pk), data)
    assert response.status_code == 409
    page = response.content.decode()
    card = page[page.index(f'id="risk-{risks[0].pk}"') : page.index(f'id="risk-{risks[1].pk}"')]
    assert "Typed while the room moved on" in card
    assert f'value="Limited" id="r{risks[0].pk}-capacity-3"' in card
    assert "checked" in card.split(f'id="r{risks[0].pk}-capacity-3"')[1].split(">")[0]
    assert "has revealed" in card
    assert not Submission.objects.exists()


def test_without_javascript_a_stale_card_keeps_the_partners_answer_to_save_again(
    client, workshop, risks, police, police_partner, colleague
):
    _save(workshop, risks[0], police, Answer("capacity", "Weak"), user=colleague)
    client.force_login(police_partner)
    data = {"round": 1, "capacity": "Strong", "version_capacity": 0}
    response = client.post(url(workshop, "score_risk", risk_id=risks[0].pk), data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "changed capacity first" in page
    assert Submission.objects.get().level_label == "Weak"
    # The page now carries Pam's version: saving it again applies Pat's answer.
    assert 'name="version_capacity" value="1"' in page
    client.post(url(workshop, "score_risk", risk_id=risks[0].pk), {**data, "version_capacity": 1})
    assert Submission.objects.get().level_label == "Strong"


def test_the_card_says_when_a_colleague_of_the_organisation_is_on_the_risk(
    client, workshop, risks, police, police_partner, colleague
):
    _save(workshop, risks[0], police, Answer("capacity", "Weak"), user=colleague)
    client.force_login(police_partner)
    page = client.get(url(workshop)).content.decode()
    card = page[page.index(f'id="risk-{risks[0].pk}"') : page.index(f'id="risk-{risks[1].pk}"')]
    assert "A colleague of your organisation is on this risk" in card
    assert (colleague.get_full_name() or colleague.username) in card
    _, body = _post(client, workshop, risks[0], confidence="High")
    assert body["colleagues"] == [colleague.get_full_name() or colleague.username]


# The session and user; membership, workshop, invitation; in the save: the workshops' statuses
# (and the organisation's lock), the round, the organisation's answers, one write and the
# audit. The test's own transaction turns the save's transaction into a savepoint (2 more).
ANSWER_QUERIES = 12


def test_a_per_factor_save_runs_a_fixed_few_queries(client, workshop, risks, police_partner):
    client.force_login(police_partner)
    client.get(url(workshop))  # starts the session's clocks (one write)
    _post(client, workshop, risks[0], capacity="Weak")
    with CaptureQueriesContext(connection) as queries:
        response, _ = _post(client, workshop, risks[0], capacity="Strong", version_capacity=1)
    assert response.status_code == 200
    assert len(queries) <= ANSWER_QUERIES, "\n".join(q["sql"][:120] for q in queries)

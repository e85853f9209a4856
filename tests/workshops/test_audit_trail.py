"""The audit trail is permanent: its rows keep the names they were written with and outlive
the risk, theme, organisation, person and workshop they name; deletions are on it too."""

import html

import pytest
from django.contrib.messages import get_messages
from django.db.models import ProtectedError
from django.urls import reverse

from assessments.models import Risk, ScoreChange, ScoreKind
from assessments.services import factor_score_set
from reports.exports import assessment_export
from tests.workshops.conftest import PARTNER_SCORES
from workshops.services import risk_scores_save, workshop_lock

pytestmark = pytest.mark.django_db

AUDIT = reverse("workshops:audit", args=["plymouth", "2019-20"])


def _delete_url(risk) -> str:
    return f"/p/plymouth/2019-20/register/risks/{risk.pk}/delete/"


@pytest.fixture
def scored(workshop, risks, police, police_partner, analyst):
    """Knife crime scored by the police's partner in the workshop and pre-scored by the analyst."""
    knife = risks[1]
    levels = {key: (label, "") for key, label in PARTNER_SCORES.items()}
    risk_scores_save(
        workshop=workshop, risk=knife, organisation=police, levels=levels, user=police_partner
    )
    factor_score_set(
        risk=knife,
        factor_key="physical",
        kind=ScoreKind.ANALYST,
        level_label="Substantial",
        user=analyst,
    )
    return knife


@pytest.fixture
def prescored(risks, analyst):
    """Domestic abuse, pre-scored by the analyst and given an agreed value outside any
    workshop: never scored in a workshop, so it may be deleted."""
    abuse = risks[0]
    factor_score_set(
        risk=abuse, factor_key="physical", kind=ScoreKind.ANALYST, level_label="Low", user=analyst
    )
    factor_score_set(
        risk=abuse,
        factor_key="capacity",
        kind=ScoreKind.AGREED,
        level_label="Limited",
        user=analyst,
    )
    return abuse


def _audit_page(client, user) -> str:
    client.force_login(user)
    return " ".join(client.get(AUDIT).content.decode().split())


def test_deleting_a_risk_is_refused_while_a_workshop_holding_it_is_open(
    client, workshop, scored, analyst
):
    client.force_login(analyst)
    response = client.post(_delete_url(scored))
    assert response.status_code == 302
    errors = [str(m) for m in get_messages(response.wsgi_request)]
    assert errors == [
        '"Knife crime" cannot be deleted while the workshop "Annual workshop" is open: '
        "lock the workshop first."
    ]
    assert Risk.objects.filter(pk=scored.pk).exists()
    assert scored.submissions.count() == len(PARTNER_SCORES)


def test_the_delete_page_says_why_a_risk_in_an_open_workshop_cannot_go(
    client, workshop, scored, analyst
):
    client.force_login(analyst)
    page = html.unescape(" ".join(client.get(_delete_url(scored)).content.decode().split()))
    assert 'while the workshop "Annual workshop" is open' in page
    assert "Delete risk</button>" not in page


def test_deleting_a_risk_keeps_its_audit_trail_with_the_names_as_they_were(
    client, workshop, prescored, analyst, board_member
):
    workshop_lock(workshop=workshop)
    before = ScoreChange.objects.filter(risk=prescored).count()
    assert before == 2
    Risk.objects.filter(pk=prescored.pk).update(name="Domestic violence")
    client.force_login(analyst)
    client.post(_delete_url(prescored))
    assert not Risk.objects.filter(pk=prescored.pk).exists()
    kept = ScoreChange.objects.filter(risk_name="Domestic abuse")
    assert kept.count() == before
    assert set(kept.values_list("factor_name", flat=True)) == {
        "Capacity",
        "Physical harm to victims",
    }
    page = _audit_page(client, board_member)
    assert page.count("<td>Domestic abuse</td>") == before
    assert "Capacity" in page and "Physical harm to victims" in page


def test_the_audit_page_says_who_deleted_a_risk_and_when(
    client, workshop, prescored, analyst, board_member
):
    workshop_lock(workshop=workshop)
    Risk.objects.filter(pk=prescored.pk).update(name="Domestic violence")
    client.force_login(analyst)
    client.post(_delete_url(prescored))
    deletion = ScoreChange.objects.get(kind="deleted")
    assert (deletion.risk_name, deletion.changed_by, deletion.risk) == (
        "Domestic violence",
        analyst,
        None,
    )
    page = _audit_page(client, board_member)
    name = analyst.get_full_name()
    row = page[page.index("<td>Risk deleted</td>") - 400 :]
    assert name in row[: row.index("<td>Risk deleted</td>")]
    assert "<td>Domestic violence</td>" in row


def test_the_audit_trail_outlives_the_theme_organisation_person_and_workshop(
    client, workshop, scored, police, police_partner, board_member
):
    workshop_lock(workshop=workshop)
    partner_name = police_partner.get_full_name()
    count = ScoreChange.objects.count()
    workshop.delete()
    police_partner.memberships.all().delete()
    police_partner.delete()
    police.delete()
    scored.theme.delete()  # takes its risks with it
    assert ScoreChange.objects.count() == count
    page = _audit_page(client, board_member)
    assert page.count("Devon and Cornwall Police") == len(PARTNER_SCORES)
    assert page.count(partner_name) == len(PARTNER_SCORES)
    assert page.count("<td>Knife crime</td>") == count


def test_an_assessment_with_an_audit_trail_cannot_be_deleted(workshop, scored):
    workshop_lock(workshop=workshop)
    with pytest.raises(ProtectedError):
        scored.assessment.delete()
    assert ScoreChange.objects.filter(risk_name="Knife crime").exists()


def test_the_export_keeps_a_deleted_risks_audit_rows_and_its_deletion(
    client, workshop, prescored, analyst
):
    workshop_lock(workshop=workshop)
    client.force_login(analyst)
    client.post(_delete_url(prescored))
    audit = assessment_export(prescored.assessment)["audit"]
    abuse = [row for row in audit if row["risk"] == "Domestic abuse"]
    assert len(abuse) == 3
    assert abuse[-1]["kind"] == "deleted" and abuse[-1]["who"] == analyst.username

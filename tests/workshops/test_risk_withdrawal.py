"""A risk scored in a workshop is never erased: it is withdrawn from the assessment (kept,
marked, left out of the results, the report and the exports) and can be reinstated until the
assessment is published; deleting it is refused with a message offering withdrawal."""

import csv
import html
import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import Risk, ScoreChange
from assessments.services import (
    AssessmentLocked,
    RiskWithdrawal,
    factor_score_set,
    risk_reinstate,
    risk_withdraw,
)
from reports.exports import assessment_export
from reports.files import assessment_csv, assessment_pdf_html, assessment_xlsx
from reports.services import approval_record, assessment_publish
from tests.factories import WorkshopFactory
from tests.sheets_helpers import write_sheet
from tests.workshops.conftest import PARTNER_SCORES
from workshops.exceptions import WorkshopHoldsWithdrawnRisks
from workshops.services import risk_scores_save, workshop_lock, workshop_open
from workshops.sheet.apply import score_sheet_import

pytestmark = pytest.mark.django_db

BASE = "/p/plymouth/2019-20/"
REASON = "Merged into Domestic abuse for this year's assessment."


def _url(name: str, risk) -> str:
    return reverse(f"assessments:{name}", args=["plymouth", "2019-20", risk.pk])


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _page(client, url: str) -> str:
    return html.unescape(" ".join(client.get(url).content.decode().split()))


@pytest.fixture
def knife(workshop, risks, police, police_partner):
    """Knife crime, scored by the police's partner in the workshop, which is then locked."""
    levels = {key: (label, "") for key, label in PARTNER_SCORES.items()}
    risk_scores_save(
        workshop=workshop, risk=risks[1], organisation=police, levels=levels, user=police_partner
    )
    workshop_lock(workshop=workshop)
    return risks[1]


@pytest.fixture
def withdrawn(knife, analyst):
    return risk_withdraw(risk=knife, user=analyst, reason=REASON)


def test_deleting_a_risk_scored_in_a_workshop_is_refused_with_a_message_offering_withdrawal(
    client, knife, analyst
):
    client.force_login(analyst)
    response = client.post(_url("risk_delete", knife))
    assert response.status_code == 302
    (message,) = _messages(response)
    assert "has been scored in a workshop, so it cannot be deleted" in message
    assert "withdraw it from the assessment instead" in message
    assert Risk.objects.filter(pk=knife.pk).exists()
    assert knife.submissions.count() == len(PARTNER_SCORES)
    page = _page(client, _url("risk_delete", knife))
    assert "Withdraw it instead" in page and "Delete risk</button>" not in page
    assert _url("risk_withdraw", knife) in page


def test_an_analyst_withdraws_a_scored_risk_saying_why_and_it_stays_marked_in_the_register(
    client, knife, analyst
):
    client.force_login(analyst)
    response = client.post(_url("risk_withdraw", knife), {"reason": REASON})
    assert response.status_code == 302
    assert "withdrawn from the assessment" in _messages(response)[0]
    knife.refresh_from_db()
    assert knife.is_withdrawn and knife.withdrawn_by == analyst
    assert knife.withdrawn_reason == REASON
    assert knife.submissions.count() == len(PARTNER_SCORES)  # kept, not erased
    register = _page(client, BASE + "register/")
    assert "1 risk and 1 withdrawn from the assessment" in register
    row = register[register.index("Knife crime</a>") :]
    assert "Withdrawn" in row[:600] and REASON in row[:600]
    assert "Reinstate" in row[:1200]
    detail = _page(client, reverse("reports:risk_detail", args=["plymouth", "2019-20", knife.pk]))
    assert "Withdrawn from the assessment" in detail and REASON in detail


def test_the_audit_page_shows_who_withdrew_a_risk_why_and_who_reinstated_it(
    client, withdrawn, analyst, admin_user, board_member
):
    risk_reinstate(risk=withdrawn, user=admin_user)
    kinds = list(
        ScoreChange.objects.filter(risk=withdrawn)
        .order_by("changed_at", "id")
        .values_list("kind", "changed_by__username", "note")
    )
    assert kinds[-2] == ("withdrawn", analyst.username, REASON)
    assert kinds[-1][:2] == ("reinstated", admin_user.username)
    client.force_login(board_member)
    page = _page(client, reverse("workshops:audit", args=["plymouth", "2019-20"]))
    assert "<td>Risk withdrawn</td>" in page and "<td>Risk reinstated</td>" in page
    withdrawal = page[: page.index("<td>Risk withdrawn</td>")]
    assert analyst.get_full_name() in withdrawal[-400:]
    assert REASON in page


def test_withdrawing_needs_a_reason_and_changes_nothing_without_one(client, knife, analyst):
    client.force_login(analyst)
    response = client.post(_url("risk_withdraw", knife), {"reason": "  "})
    assert response.status_code == 400
    assert "Say why the risk is withdrawn." in response.content.decode()
    knife.refresh_from_db()
    assert not knife.is_withdrawn
    assert not ScoreChange.objects.filter(kind="withdrawn").exists()


def test_withdrawing_is_refused_while_a_workshop_holding_the_risk_is_open(
    client, workshop, risks, analyst
):
    client.force_login(analyst)
    response = client.post(_url("risk_withdraw", risks[1]), {"reason": REASON})
    assert _messages(response) == [
        '"Knife crime" cannot be withdrawn while the workshop "Annual workshop" is open: '
        "lock the workshop first."
    ]
    assert not Risk.objects.get(pk=risks[1].pk).is_withdrawn
    assert "lock the workshop first" in _page(client, _url("risk_withdraw", risks[1]))


@pytest.mark.parametrize("role", ["facilitator", "board_member", "police_partner"])
def test_only_analysts_and_admins_may_withdraw_or_reinstate_a_risk(client, request, knife, role):
    client.force_login(request.getfixturevalue(role))
    assert client.post(_url("risk_withdraw", knife), {"reason": REASON}).status_code == 403
    assert client.post(_url("risk_reinstate", knife)).status_code == 403
    assert not Risk.objects.get(pk=knife.pk).is_withdrawn


def test_an_admin_may_withdraw_a_risk_too(client, knife, admin_user):
    client.force_login(admin_user)
    client.post(_url("risk_withdraw", knife), {"reason": REASON})
    assert Risk.objects.get(pk=knife.pk).withdrawn_by == admin_user


def test_a_withdrawn_risk_is_left_out_of_the_results_the_report_and_every_export(
    client, withdrawn, board_member
):
    assessment = withdrawn.assessment
    export = assessment_export(assessment)
    assert [r["risk"] for r in export["risks"]] == ["Domestic abuse"]
    assert "Knife crime" not in assessment_csv(assessment)
    workbook = load_workbook(io.BytesIO(assessment_xlsx(assessment)))
    risk_cells = [c for row in workbook["Risks"].iter_rows(values_only=True) for c in row]
    assert "Knife crime" not in risk_cells
    assert "Knife crime" not in assessment_pdf_html(assessment)
    # The audit trail still holds its history, its withdrawal included.
    assert {"submission", "withdrawn"} <= {
        row["kind"] for row in export["audit"] if row["risk"] == "Knife crime"
    }
    client.force_login(board_member)
    assert "Knife crime" not in _page(client, BASE + "results/")
    rows = list(csv.reader(io.StringIO(client.get(BASE + "export/csv/").content.decode())))
    assert [row[1] for row in rows[1:]] == ["Domestic abuse"]


def test_a_reinstated_risk_counts_in_the_results_again(client, withdrawn, analyst):
    client.force_login(analyst)
    response = client.post(_url("risk_reinstate", withdrawn))
    assert "reinstated" in _messages(response)[0]
    withdrawn.refresh_from_db()
    assert not withdrawn.is_withdrawn and not withdrawn.withdrawn_reason
    names = [r["risk"] for r in assessment_export(withdrawn.assessment)["risks"]]
    assert names == ["Domestic abuse", "Knife crime"]


def test_reinstating_a_risk_that_is_not_withdrawn_is_refused(client, knife, analyst):
    client.force_login(analyst)
    response = client.post(_url("risk_reinstate", knife))
    assert _messages(response) == ['"Knife crime" is not withdrawn, so there is nothing to undo.']
    with pytest.raises(RiskWithdrawal):
        risk_reinstate(risk=knife, user=analyst)


def test_a_published_assessments_withdrawn_risk_stays_withdrawn(
    client, withdrawn, analyst, board_member
):
    assessment = withdrawn.assessment
    approval_record(assessment=assessment, user=board_member, comment="Fine.", approved=True)
    assessment_publish(assessment=assessment, user=board_member, accept_unrated=True)
    client.force_login(analyst)
    response = client.post(_url("risk_reinstate", withdrawn))
    assert "published" in _messages(response)[0]
    with pytest.raises(AssessmentLocked):
        risk_reinstate(risk=Risk.objects.get(pk=withdrawn.pk), user=analyst)
    assert Risk.objects.get(pk=withdrawn.pk).is_withdrawn
    assert "Knife crime" not in _page(client, BASE + "published/1/")


def test_a_withdrawn_risk_cannot_be_scored_offline_or_pre_scored(
    client, withdrawn, analyst, tmp_path
):
    client.force_login(analyst)
    sheet = client.get(BASE + "scoring-sheet.csv").content.decode("utf-8-sig")
    assert "Knife crime" not in sheet and "Domestic abuse" in sheet
    rows = [("Violence", "Knife crime", "Physical harm to victims", "Low", "", "")]
    with pytest.raises(Exception, match="withdrawn from the assessment") as failed:
        score_sheet_import(
            assessment=withdrawn.assessment,
            data=write_sheet(tmp_path, rows).read_bytes(),
            filename="s.csv",
        )
    assert "row 2" in str(failed.value)
    response = client.get(_url("prescore", withdrawn))
    assert response.status_code == 302
    assert "reinstate it before scoring it" in _messages(response)[0]
    with pytest.raises(RiskWithdrawal):
        factor_score_set(
            risk=withdrawn, factor_key="physical", kind="analyst", level_label="Low", user=analyst
        )


def test_a_workshop_cannot_open_holding_a_withdrawn_risk_nor_offer_it(
    client, withdrawn, risks, facilitator, police
):
    draft = WorkshopFactory(assessment=withdrawn.assessment, title="Second look")
    draft.risks.set(risks)
    with pytest.raises(WorkshopHoldsWithdrawnRisks, match="Knife crime"):
        workshop_open(workshop=draft)
    client.force_login(facilitator)
    page = _page(client, reverse("workshops:create", args=["plymouth", "2019-20"]))
    assert "Domestic abuse" in page and "Knife crime" not in page

"""Importing an offline scoring sheet: all or nothing, into the right workshop and round, never
changing what a locked workshop settled."""

from decimal import Decimal

import pytest

from assessments.imports import ImportFailed
from assessments.models import AssessmentStatus, RiskFactorScore, ScoreChange, ScoreKind
from assessments.services import AssessmentLocked
from tests.factories import WorkshopFactory
from tests.sheets_helpers import make_register, scored_risk_rows, sheet_text
from workshops.models import RiskComment, Round, Submission, Workshop, WorkshopStatus
from workshops.services import workshop_agree, workshop_lock, workshop_open
from workshops.sheet.apply import score_sheet_import

pytestmark = pytest.mark.django_db


def _import(assessment, rows, **kwargs):
    return score_sheet_import(
        assessment=assessment, data=sheet_text(rows).encode(), filename="sheet.csv", **kwargs
    )


def test_rows_without_organisation_set_analyst_and_agreed_scores(assessment):
    risks = make_register(assessment)
    rows = [r for r in scored_risk_rows() if not r[4]]
    summary = _import(assessment, rows)
    assert (summary.analyst, summary.agreed, summary.submissions) == (6, 4, 0)
    kinds = dict(
        RiskFactorScore.objects.filter(risk=risks["abuse"]).values_list("factor_key", "kind")
    )
    assert kinds["physical"] == kinds["trend"] == ScoreKind.ANALYST
    assert kinds["confidence"] == kinds["mitigation"] == ScoreKind.AGREED
    assert not Workshop.objects.exists()


def test_organisation_rows_become_submissions_in_a_new_offline_workshop(
    assessment, police, council
):
    risks = make_register(assessment)
    summary = _import(assessment, scored_risk_rows())
    workshop = Workshop.objects.get()
    assert (workshop.title, workshop.status, summary.workshop_created) == (
        "Offline scoring",
        WorkshopStatus.OPEN,
        True,
    )
    assert set(workshop.organisations.all()) == {police, council}
    assert workshop.risks.count() == 3
    values = dict(Submission.objects.values_list("organisation__name", "value"))
    assert values == {
        "Devon and Cornwall Police": Decimal(1),
        "Plymouth City Council": Decimal(3),
    }
    assert Submission.objects.get(organisation=police).round.number == 1
    comment = RiskComment.objects.get(organisation=police)
    assert (comment.risk, comment.text) == (risks["abuse"], "We cope.")


def test_organisation_rows_go_to_the_latest_round_of_the_current_workshop(
    assessment, police, council
):
    make_register(assessment)
    locked = WorkshopFactory(assessment=assessment, title="Old", status=WorkshopStatus.LOCKED)
    current = WorkshopFactory(assessment=assessment, title="March workshop")
    current.risks.add(*assessment.risks.all())
    Round.objects.create(workshop=current, number=1)
    round_two = Round.objects.create(workshop=current, number=2)
    round_two.round_risks.create(risk=assessment.risks.get(name="Domestic abuse"))
    _import(assessment, scored_risk_rows())
    assert not locked.rounds.exists()
    assert set(Submission.objects.values_list("round", flat=True)) == {round_two.id}
    assert police in current.organisations.all()
    assert Workshop.objects.count() == 2


def test_a_sheet_with_no_levels_is_refused(assessment):
    make_register(assessment)
    with pytest.raises(ImportFailed, match="no level is filled in"):
        _import(assessment, [("Domestic abuse", "Burglary", "Trend", "", "", "")])


def test_rows_with_empty_levels_are_skipped(assessment):
    make_register(assessment)
    summary = _import(
        assessment,
        [
            ("Acquisitive crime", "Burglary", "Trend", "", "", ""),
            ("Acquisitive crime", "Burglary", "Capacity", "Weak", "", ""),
        ],
    )
    assert summary.rows == 1


def test_a_published_assessment_refuses_a_sheet(assessment):
    make_register(assessment)
    assessment.status = AssessmentStatus.PUBLISHED
    assessment.save()
    with pytest.raises(AssessmentLocked):
        _import(assessment, scored_risk_rows())


def test_importing_the_same_sheet_twice_adds_no_audit_rows(assessment, police, council):
    make_register(assessment)
    _import(assessment, scored_risk_rows())
    changes = ScoreChange.objects.count()
    _import(assessment, scored_risk_rows())
    assert ScoreChange.objects.count() == changes
    assert Submission.objects.count() == 2
    assert Workshop.objects.count() == 1


# --- settled risks: a sheet cannot change what a locked workshop settled ---------------------


def _sheet(rows):
    return sheet_text(rows).encode()


def test_a_scoring_sheet_cannot_change_what_a_locked_workshop_settled(settled, assessment):
    rows = [
        ["Violence", "Domestic abuse", "Capacity", "Weak", "", ""],
        ["Violence", "Domestic abuse", "Capability", "Weak", "Devon and Cornwall Police", ""],
    ]
    with pytest.raises(ImportFailed) as refused:
        score_sheet_import(assessment=assessment, data=_sheet(rows), filename="s.csv")
    problems = [(p.row, p.column) for p in refused.value.problems]
    assert problems == [(2, "level"), (3, "organisation")]
    assert "settled in the locked workshop “Annual workshop”" in str(refused.value)
    agreed = RiskFactorScore.objects.get(kind=ScoreKind.AGREED)
    assert agreed.level_label == "Adequate" and not Submission.objects.exists()


def test_a_scoring_sheet_may_repeat_a_settled_agreed_value_and_change_unsettled_risks(
    assessment, risks, police, draft_workshop
):
    draft_workshop.risks.set([risks[0]])
    workshop_open(workshop=draft_workshop)
    workshop_agree(
        workshop=draft_workshop, risk=risks[0], factor_key="capacity", level_label="Adequate"
    )
    workshop_lock(workshop=draft_workshop)
    rows = [
        ["Violence", "Domestic abuse", "Capacity", "Adequate", "", ""],
        ["Violence", "Knife crime", "Capacity", "Weak", "", ""],
        ["Violence", "Knife crime", "Capability", "Weak", "Devon and Cornwall Police", ""],
    ]
    score_sheet_import(assessment=assessment, data=_sheet(rows), filename="s.csv")
    assert RiskFactorScore.objects.filter(kind=ScoreKind.AGREED).count() == 2
    assert Submission.objects.get().risk == risks[1]

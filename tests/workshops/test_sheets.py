"""Offline scoring sheets: rows of a download, and the all-or-nothing import service."""

from decimal import Decimal

import pytest

from assessments.imports import ImportFailed
from assessments.models import AssessmentStatus, RiskFactorScore, ScoreChange, ScoreKind
from assessments.scoring import DEFAULT_MODEL
from assessments.services import AssessmentLocked, factor_score_set
from tests.factories import WorkshopFactory
from tests.sheets_helpers import make_register, row_counts, scored_risk_rows, sheet_text
from workshops.models import RiskComment, Round, Submission, Workshop, WorkshopStatus
from workshops.services import score_sheet_import
from workshops.sheets import sheet_rows

pytestmark = pytest.mark.django_db


def _import(assessment, rows, **kwargs):
    return score_sheet_import(
        assessment=assessment, data=sheet_text(rows).encode(), filename="sheet.csv", **kwargs
    )


def test_blank_sheet_has_every_risk_and_factor_with_no_levels(assessment):
    make_register(assessment)
    rows = sheet_rows(assessment, DEFAULT_MODEL, filled=False)
    assert len(rows) == 3 * len(DEFAULT_MODEL.factors)
    assert [r.risk for r in rows[:: len(DEFAULT_MODEL.factors)]] == [
        "Domestic homicide",
        "Domestic abuse",
        "Burglary",
    ]
    assert {r.level for r in rows} == {""}
    assert [r.factor for r in rows[: len(DEFAULT_MODEL.factors)]] == [
        f.name for f in DEFAULT_MODEL.factors
    ]


def test_filled_sheet_shows_analyst_levels_for_harm_and_agreed_levels_for_response(assessment):
    risks = make_register(assessment)
    factor_score_set(
        risk=risks["burglary"], factor_key="physical", kind=ScoreKind.ANALYST, level_label="Low"
    )
    factor_score_set(
        risk=risks["burglary"], factor_key="capacity", kind=ScoreKind.AGREED, level_label="Weak"
    )
    factor_score_set(  # an analyst's guess at a response factor is not what the sheet holds
        risk=risks["burglary"], factor_key="cost", kind=ScoreKind.ANALYST, level_label="Weak"
    )
    rows = {(r.risk, r.factor): r.level for r in sheet_rows(assessment, DEFAULT_MODEL, filled=True)}
    assert rows[("Burglary", "Physical harm to victims")] == "Low"
    assert rows[("Burglary", "Capacity")] == "Weak"
    assert rows[("Burglary", "Cost to respond")] == ""


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


def test_factor_keys_and_any_case_are_accepted(assessment):
    risks = make_register(assessment)
    _import(assessment, [("acquisitive  CRIME", "burglary", "capacity", "weak", "", "")])
    score = RiskFactorScore.objects.get(risk=risks["burglary"])
    assert (score.factor_key, score.level_label, score.kind) == ("capacity", "Weak", "agreed")


def test_every_bad_row_is_reported_and_nothing_is_written(assessment, police):
    make_register(assessment)
    rows = [
        *scored_risk_rows(),
        ("Domestic abuse", "Stalking", "Trend", "Rising", "", ""),
        ("Nope", "Burglary", "Trend", "Rising", "", ""),
        ("Acquisitive crime", "Burglary", "Trend", "Soaring", "", ""),
        ("Acquisitive crime", "Burglary", "Vibes", "High", "", ""),
        ("Acquisitive crime", "Burglary", "Capacity", "Weak", "Acme Ltd", ""),
    ]
    before = row_counts()
    with pytest.raises(ImportFailed) as failed:
        _import(assessment, rows)
    # The council is not an organisation of this partnership here (no `council` fixture).
    where = {(p.row, p.column) for p in failed.value.problems}
    assert where == {
        (13, "organisation"),
        (14, "risk"),
        (15, "theme"),
        (16, "level"),
        (17, "factor"),
        (18, "organisation"),
    }
    messages = {p.column: p.message for p in failed.value.problems}
    assert "Soaring" in messages["level"] and "Falling, Stable, Rising" in messages["level"]
    assert row_counts() == before
    assessment.refresh_from_db()
    assert assessment.scoring_spec is None


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

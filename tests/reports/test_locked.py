"""A published assessment refuses every kind of change, in the services and on the pages: each
refusal says why, and nothing in the database moves."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.imports import ImportFailed, data_import
from assessments.models import (
    EmergingIssue,
    ImportRun,
    Indicator,
    IndicatorValue,
    Population,
    Risk,
    RiskFactorScore,
    ScoreChange,
    ScoreKind,
    Theme,
)
from assessments.services import (
    AssessmentLocked,
    factor_score_set,
    risk_delete,
    risk_save,
    risk_set_priority,
    theme_delete,
    theme_save,
)
from reports.files import assessment_csv
from reports.models import Approval, Publication
from reports.services import (
    approval_record,
    assessment_copy_forward,
    assessment_publish,
    emerging_issue_delete,
    emerging_issue_save,
    theme_narrative_set,
)
from workshops.models import Round, RoundRisk, Submission, Workshop, WorkshopStatus
from workshops.services import (
    risk_scores_save,
    workshop_agree,
    workshop_create,
    workshop_lock,
    workshop_new_round,
    workshop_open,
    workshop_reveal,
)
from workshops.sheet.apply import score_sheet_import

BASE = "/p/plymouth/2019-20/"
LOCKED = "published and can no longer be changed"
STATE_MODELS = (
    Theme,
    Risk,
    RiskFactorScore,
    ScoreChange,
    EmergingIssue,
    Indicator,
    IndicatorValue,
    Population,
    Workshop,
    Round,
    RoundRisk,
    Submission,
    Approval,
    Publication,
    ImportRun,
)


def _state() -> dict[str, list]:
    """Every row of every model a change could touch, all fields."""
    return {
        model.__name__: sorted(map(repr, model.objects.order_by("pk").values_list()))
        for model in STATE_MODELS
    }


@pytest.fixture
def published(scored, board_member, police):
    """Published 2019/20 with a workshop set up but never opened (which publishing allows)."""
    workshop_create(
        assessment=scored, title="Spare workshop", risks=scored.risks.all(), organisations=[police]
    )
    approval_record(assessment=scored, user=board_member, comment="", approved=True)
    assessment_publish(assessment=scored, user=board_member)
    scored.refresh_from_db()
    return scored


def _summary_file(*rows: str) -> list[tuple[str, io.BytesIO]]:
    text = "period,category,count,msg_rate_per_1000\n" + "\n".join(rows) + "\n"
    return [("summary.csv", io.BytesIO(text.encode()))]


def _scores_sheet(assessment) -> bytes:
    return (
        b"theme,risk,factor,level,organisation,comment\n"
        b"Acquisitive crime,Burglary,Physical harm to victims,Critical,,late\n"
    )


# Every kind of change, through its service: (name, change(published, people)).
CHANGES: list[tuple[str, Callable]] = [
    (
        "narrative",
        lambda a, p: theme_narrative_set(
            theme=a.themes.first(), values={"impact": "new"}, user=p["analyst"]
        ),
    ),
    (
        "new emerging issue",
        lambda a, p: emerging_issue_save(issue=EmergingIssue(assessment=a, title="N", text="x")),
    ),
    (
        "edited emerging issue",
        lambda a, p: emerging_issue_save(
            issue=EmergingIssue(
                pk=a.emerging_issues.get().pk, assessment=a, title="Knife crime", text="changed"
            )
        ),
    ),
    ("deleted emerging issue", lambda a, p: emerging_issue_delete(issue=a.emerging_issues.get())),
    (
        "analyst pre-score",
        lambda a, p: factor_score_set(
            risk=a.risks.get(name="Burglary"),
            factor_key="physical",
            kind=ScoreKind.ANALYST,
            level_label="Critical",
        ),
    ),
    (
        "agreed value",
        lambda a, p: factor_score_set(
            risk=a.risks.get(name="Burglary"),
            factor_key="capacity",
            kind=ScoreKind.AGREED,
            level_label="Weak",
        ),
    ),
    (
        "priority",
        lambda a, p: risk_set_priority(
            risk=a.risks.get(name="Burglary"), is_priority=True, reason="Why", user=p["board"]
        ),
    ),
    (
        "approval",
        lambda a, p: approval_record(assessment=a, user=p["board"], comment="late", approved=True),
    ),
    ("republish", lambda a, p: assessment_publish(assessment=a, user=p["board"])),
    ("new theme", lambda a, p: theme_save(theme=Theme(assessment=a, name="New theme"))),
    (
        "renamed theme",
        lambda a, p: theme_save(
            theme=Theme(pk=a.themes.first().pk, assessment=a, name="Renamed", order=1)
        ),
    ),
    ("deleted theme", lambda a, p: theme_delete(theme=a.themes.get(name="Acquisitive crime"))),
    (
        "new risk",
        lambda a, p: risk_save(risk=Risk(assessment=a, theme=a.themes.first(), name="Stalking")),
    ),
    ("renamed risk", lambda a, p: risk_save(risk=_renamed(a.risks.get(name="Burglary")))),
    (
        "deleted risk",
        lambda a, p: risk_delete(risk=a.risks.get(name="Burglary"), user=p["analyst"]),
    ),
    (
        "new workshop",
        lambda a, p: workshop_create(assessment=a, title="Late", risks=a.risks.all()),
    ),
    ("opened workshop", lambda a, p: workshop_open(workshop=a.workshops.get())),
    ("locked workshop", lambda a, p: workshop_lock(workshop=a.workshops.get())),
    (
        "revealed risk",
        lambda a, p: workshop_reveal(workshop=a.workshops.get(), risk=a.risks.first()),
    ),
    (
        "new round",
        lambda a, p: workshop_new_round(workshop=a.workshops.get(), risks=list(a.risks.all())),
    ),
    (
        "agreed in the workshop",
        lambda a, p: workshop_agree(
            workshop=a.workshops.get(),
            risk=a.risks.first(),
            factor_key="capacity",
            level_label="Weak",
        ),
    ),
    (
        "partner's scores",
        lambda a, p: risk_scores_save(
            workshop=a.workshops.get(),
            risk=a.risks.first(),
            organisation=p["police"],
            levels={"capacity": ("Weak", "")},
        ),
    ),
    (
        "scoring sheet",
        lambda a, p: score_sheet_import(assessment=a, data=_scores_sheet(a), filename="s.csv"),
    ),
    (
        "summary data for the period",
        lambda a, p: data_import(
            partnership=a.partnership,
            period="2019/20",
            kind="summary",
            files=_summary_file("2019/20,Robbery,1,"),
        ),
    ),
    (
        "register import",
        lambda a, p: data_import(
            partnership=a.partnership,
            period="2019/20",
            kind="register",
            files=[("register.csv", io.BytesIO(b"theme,risk\nNew theme,New risk\n"))],
        ),
    ),
]


def _renamed(risk: Risk) -> Risk:
    risk.name = "Burglary (renamed)"
    return risk


@pytest.mark.parametrize(("name", "change"), CHANGES, ids=[name for name, _ in CHANGES])
def test_a_published_assessment_refuses_every_kind_of_change_and_nothing_moves(
    published, analyst, board_member, police, name, change
):
    people = {"analyst": analyst, "board": board_member, "police": police}
    before = _state()
    with pytest.raises(AssessmentLocked, match=LOCKED):
        change(published, people)
    assert _state() == before


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("summary", "period,category,count,msg_rate_per_1000\n2019/20,Robbery,1,\n"),
        ("population", "area,period,population\nPlymouth,2019/20,1\n"),
    ],
)
def test_a_later_periods_import_does_not_write_the_published_periods_data(published, kind, text):
    """A 2020/21 file holding 2019/20 rows must not rewrite the published year's figures."""
    before = {
        model.__name__: sorted(map(repr, model.objects.values_list()))
        for model in (IndicatorValue, Population)
    }
    try:
        data_import(
            partnership=published.partnership,
            period="2020/21",
            kind=kind,
            files=[(f"{kind}.csv", io.BytesIO(text.encode()))],
        )
    except (AssessmentLocked, ImportFailed, ValidationError):
        pass
    else:
        pytest.xfail("imports refusing other periods' rows land with the evidence branch")
    after = {
        model.__name__: sorted(map(repr, model.objects.values_list()))
        for model in (IndicatorValue, Population)
    }
    assert after == before


def _post(client, url, data=None, **extra):
    return client.post(url, data or {}, follow=True, **extra)


def test_report_pages_of_a_published_assessment_refuse_changes_and_say_why(
    client, published, analyst, board_member
):
    theme = published.themes.first()
    issue = published.emerging_issues.get()
    risk = published.risks.get(name="Burglary")
    before = _state()
    client.force_login(analyst)
    for response in (
        client.get(f"{BASE}themes/{theme.id}/narrative/", follow=True),
        _post(client, f"{BASE}themes/{theme.id}/narrative/", {"impact": "late"}),
        _post(client, BASE + "emerging-issues/", {"title": "Late", "text": "x", "order": 0}),
        _post(
            client,
            f"{BASE}emerging-issues/{issue.id}/edit/",
            {"title": "Knife crime", "text": "changed", "order": 0},
        ),
        _post(client, f"{BASE}emerging-issues/{issue.id}/delete/"),
    ):
        assert LOCKED in response.content.decode()
    client.force_login(board_member)
    for response in (
        _post(
            client,
            BASE + "results/priority/",
            {"risk": risk.id, "is_priority": "1", "reason": "Late"},
        ),
        _post(client, BASE + "sign-off/approve/", {"comment": "late", "approved": "on"}),
        client.get(BASE + "sign-off/publish/", follow=True),
        _post(client, BASE + "sign-off/publish/", {"confirm": "on"}),
    ):
        assert LOCKED in response.content.decode()
    assert _state() == before


def _url(name: str, **kwargs) -> str:
    return reverse(name, kwargs={"partnership": "plymouth", "period": "2019-20", **kwargs})


def test_workshop_pages_of_a_published_assessment_refuse_changes_and_say_why(
    client, published, facilitator, police
):
    workshop = published.workshops.get()
    risk = published.risks.first()
    before = _state()
    client.force_login(facilitator)
    one = {"pk": workshop.pk}
    for url, data in (
        (
            _url("workshops:create"),
            {"title": "Late", "risks": [risk.pk], "organisations": [police.pk]},
        ),
        (_url("workshops:open", **one), {}),
        (_url("workshops:lock", **one), {}),
        (_url("workshops:reveal", risk_id=risk.pk, **one), {}),
        (_url("workshops:new_round", **one), {"risks": [risk.pk]}),
        (_url("workshops:agree", risk_id=risk.pk, **one), {"choice": "capacity:Weak"}),
    ):
        assert LOCKED in _post(client, url, data).content.decode(), url
    assert _state() == before
    assert Workshop.objects.get(pk=workshop.pk).status == WorkshopStatus.DRAFT


def test_register_data_and_sheet_pages_of_a_published_assessment_refuse_changes_and_say_why(
    client, published, analyst
):
    theme = published.themes.first()
    risk = published.risks.get(name="Burglary")
    before = _state()
    client.force_login(analyst)
    sheet = SimpleUploadedFile("sheet.csv", _scores_sheet(published), content_type="text/csv")
    summary = SimpleUploadedFile(
        "summary.csv", b"period,category,count,msg_rate_per_1000\n2019/20,Robbery,1,\n"
    )
    for url, data in (
        (_url("assessments:theme_add"), {"name": "Late", "order": 9}),
        (_url("assessments:theme_edit", theme_id=theme.pk), {"name": "Renamed", "order": 1}),
        (_url("assessments:theme_delete", pk=theme.pk), {}),
        (_url("assessments:risk_add"), {"theme": theme.pk, "name": "Late"}),
        (_url("assessments:risk_edit", risk_id=risk.pk), {"theme": theme.pk, "name": "Renamed"}),
        (_url("assessments:risk_delete", pk=risk.pk), {}),
        (_url("assessments:prescore", risk_id=risk.pk), {"physical": "Critical"}),
        (_url("assessments:data_import"), {"kind": "summary", "files": summary}),
        (_url("workshops:sheet_upload"), {"file": sheet}),
    ):
        assert LOCKED in _post(client, url, data).content.decode(), url
    assert _state() == before


def test_after_copy_forward_the_published_year_stays_fixed_and_the_new_year_is_editable(
    published, analyst
):
    csv_before = assessment_csv(published)
    following = assessment_copy_forward(source=published, period="2020/21", user=analyst)
    burglary = following.risks.get(name="Burglary")
    factor_score_set(
        risk=burglary, factor_key="physical", kind=ScoreKind.ANALYST, level_label="Critical"
    )
    theme_narrative_set(theme=following.themes.first(), values={"impact": "New year."})
    published.refresh_from_db()
    assert published.is_published and not following.is_published
    assert assessment_csv(published) == csv_before
    with pytest.raises(AssessmentLocked, match=LOCKED):
        factor_score_set(
            risk=published.risks.get(name="Burglary"),
            factor_key="physical",
            kind=ScoreKind.ANALYST,
            level_label="Critical",
        )


def test_comment_without_approval_needs_text(scored, board_member):
    with pytest.raises(ValidationError):
        approval_record(assessment=scored, user=board_member, comment=" ", approved=False)

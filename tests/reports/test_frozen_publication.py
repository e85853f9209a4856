"""A published assessment's report, pages and every export stay exactly as published, whatever
is edited, imported or re-modelled afterwards (also behind the app's back)."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from assessments.imports import data_import
from assessments.models import (
    Area,
    AreaKind,
    EmergingIssue,
    Indicator,
    IndicatorValue,
    Population,
    Risk,
    RiskFactorScore,
    ScoreKind,
    Theme,
)
from assessments.scoring import DEFAULT_MODEL
from assessments.services import factor_score_set, scoring_model_save
from reports.services import (
    approval_record,
    assessment_copy_forward,
    assessment_publish,
    theme_narrative_set,
)
from tests.reports.conftest import STANDARD_LEVELS, score_risk

BASE = "/p/plymouth/2019-20/"
# CSRF tokens are masked afresh on every response.
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return CSRF.sub(r"\1", response.content.decode())


def _xlsx_cells(body: bytes) -> dict[str, list[tuple]]:
    """Every sheet's cell values (the file's own bytes carry a creation time)."""
    workbook = load_workbook(io.BytesIO(body))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}


def _command(fmt: str, tmp_path, period: str = "2019/20") -> bytes:
    out = tmp_path / f"export.{fmt}"
    call_command(
        "export_assessment",
        partnership="plymouth",
        period=period,
        format=fmt,
        output=str(out),
        stderr=io.StringIO(),
    )
    return out.read_bytes()


def _everything(client, tmp_path) -> dict[str, object]:
    """Every way to read the 2019/20 report: pages, web downloads and the command."""
    seen: dict[str, object] = {
        "publication page": _page(client, BASE + "published/1/"),
        "results page": _page(client, BASE + "results/"),
        "export.json": client.get(BASE + "export.json", follow=True).content,
    }
    for theme in Theme.objects.filter(assessment__period="2019/20"):
        seen[f"theme page {theme.name}"] = _page(client, f"{BASE}themes/{theme.id}/")
    for fmt in ("json", "csv", "pdf", "xlsx"):
        web = client.get(f"{BASE}export/{fmt}/").content
        version = client.get(f"{BASE}published/1/export/{fmt}/").content
        command = _command(fmt, tmp_path)
        if fmt == "xlsx":
            web, version, command = _xlsx_cells(web), _xlsx_cells(version), _xlsx_cells(command)
        seen[f"web {fmt}"], seen[f"version {fmt}"], seen[f"command {fmt}"] = web, version, command
    return seen


def _change_everything_after_publishing(published, analyst, board_member):
    """Copy forward, then edit, score, import and re-model; and write 2019/20 rows directly."""
    partnership = published.partnership
    following = assessment_copy_forward(source=published, period="2020/21", user=analyst)
    theme = following.themes.get(name="Domestic abuse and sexual violence")
    theme_narrative_set(
        theme=theme, values={"recommendation": "A new recommendation for 2020/21."}, user=analyst
    )
    risk = following.risks.get(name="Burglary")
    score_risk(risk, ("Critical",) * 4 + ("Constant", "Rising", "Low", "Weak"))
    factor_score_set(
        risk=following.risks.get(name="Domestic abuse"),
        factor_key="physical",
        kind=ScoreKind.ANALYST,
        level_label="Low",
    )
    data_import(
        partnership=partnership,
        period="2020/21",
        kind="summary",
        files=[
            (
                "summary.csv",
                io.BytesIO(
                    b"period,category,count,msg_rate_per_1000\n"
                    b"2020/21,All crime,19000,95.1\n2020/21,Robbery,180,1.2\n"
                ),
            )
        ],
    )
    # Rows for the published period itself, written behind every guard the app has.
    area = Area.objects.get(partnership=partnership, kind=AreaKind.PARTNERSHIP)
    all_crime = Indicator.objects.get(partnership=partnership, name="All crime")
    IndicatorValue.objects.filter(indicator=all_crime, period="2019/20").update(
        value=99999, msg_rate_per_1000=Decimal("1.0")
    )
    IndicatorValue.objects.create(
        indicator=Indicator.objects.create(partnership=partnership, name="Shoplifting"),
        area=area,
        period="2019/20",
        value=1468,
    )
    Population.objects.filter(area=area, period="2019/20").update(population=100)
    Theme.objects.filter(assessment=published).update(recommendation="Rewritten behind the back")
    EmergingIssue.objects.filter(assessment=published).update(text="Changed behind the back")
    Risk.objects.filter(assessment=published, name="Burglary").update(
        is_priority=True, priority_reason="Marked behind the back"
    )
    RiskFactorScore.objects.filter(risk__assessment=published).update(value=Decimal("8"))
    scoring_model_save(
        partnership=partnership,
        spec=replace(DEFAULT_MODEL, high_threshold=Decimal("500")),
        user=board_member,
    )
    return following


@pytest.fixture
def published(scored, board_member):
    approval_record(assessment=scored, user=board_member, comment="Clear.", approved=True)
    assessment_publish(assessment=scored, user=board_member)
    scored.refresh_from_db()
    return scored


@pytest.mark.slow
def test_published_report_pages_and_every_export_are_unchanged_by_later_edits_and_imports(
    client, published, analyst, board_member, tmp_path
):
    client.force_login(board_member)
    before = _everything(client, tmp_path)
    following = _change_everything_after_publishing(published, analyst, board_member)
    # The changes are real: the new period shows them.
    new_period = client.get("/p/plymouth/2020-21/export/json/").json()
    assert {r["risk"]: r["rating"] for r in new_period["risks"]}["Burglary"] == "High"
    assert following.themes.get(name="Domestic abuse and sexual violence").recommendation
    after = _everything(client, tmp_path)
    changed = [name for name in before if before[name] != after[name]]
    assert not changed, f"changed after publishing: {changed}"


def test_the_published_pdf_and_page_show_the_figures_as_published(client, published, analyst):
    client.force_login(analyst)
    IndicatorValue.objects.filter(indicator__name="All crime", period="2019/20").update(value=99999)
    html = _page(client, BASE + "published/1/")
    assert "23,024" in html and "99,999" not in html
    pdf_html = client.get(BASE + "export/pdf/")
    assert pdf_html.status_code == 200
    from reports.files import assessment_pdf_html

    text = assessment_pdf_html(published)
    assert "23,024" in text and "99,999" not in text


def test_publishing_freezes_the_scoring_model_if_scoring_never_froze_it(
    assessment, board_member, partnership
):
    theme = Theme.objects.create(assessment=assessment, name="Acquisitive crime", order=1)
    risk = Risk.objects.create(assessment=assessment, theme=theme, name="Burglary")
    # Scores written without the scoring service, so nothing has frozen the model yet.
    for factor, level in zip(DEFAULT_MODEL.factors, STANDARD_LEVELS[:6], strict=False):
        value = factor.level(level).value
        RiskFactorScore.objects.create(
            risk=risk, factor_key=factor.key, kind=ScoreKind.ANALYST, value=value, level_label=level
        )
    for factor in DEFAULT_MODEL.factors[6:]:
        label = "High" if factor.key == "confidence" else "Strong"
        RiskFactorScore.objects.create(
            risk=risk,
            factor_key=factor.key,
            kind=ScoreKind.AGREED,
            value=factor.level(label).value,
            level_label=label,
        )
    assert assessment.scoring_spec is None
    approval_record(assessment=assessment, user=board_member, comment="", approved=True)
    publication = assessment_publish(assessment=assessment, user=board_member)
    assessment.refresh_from_db()
    assert assessment.scoring_spec == DEFAULT_MODEL.to_dict()
    assert assessment.scoring_frozen_at is not None
    assert publication.snapshot["scoring_model"]["high_threshold"] == 60
    assert publication.snapshot["report"]["model"] == DEFAULT_MODEL.to_dict()

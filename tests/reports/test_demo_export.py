"""The full demo: the seed's register, computed ratings equal to the seed's, and idempotence."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from assessments.models import EmergingIssue, ImportRun, Risk, RiskFactorScore, ScoreChange, Theme
from reports.demo import PRIORITY_REASON

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
# The seed's published register, shared beside the repository; a fresh clone has only the
# repository's copy (which adds the demo's categories), checked against the seed when present.
SEED_REGISTER = REPO.parent / "shared" / "data" / "plymouth-2019-20" / "risk-register.csv"
DEMO_REGISTER = REPO / "assessments" / "demo_data" / "plymouth-2019-20-risk-register.csv"


def _load():
    call_command("load_demo", stdout=io.StringIO())


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _published() -> list[dict[str, str]]:
    return _read(SEED_REGISTER if SEED_REGISTER.exists() else DEMO_REGISTER)


@pytest.mark.skipif(not SEED_REGISTER.exists(), reason="the shared seed data is not beside")
def test_the_repositorys_register_copy_has_the_seeds_themes_risks_and_ratings():
    columns = ("theme", "risk", "published_rating", "note")
    seed = [tuple(r[c] for c in columns) for r in _read(SEED_REGISTER)]
    assert [tuple(r[c] for c in columns) for r in _read(DEMO_REGISTER)] == seed


def test_the_demo_json_export_gives_all_30_of_the_seeds_published_ratings(demo, tmp_path):
    out = tmp_path / "plymouth.json"
    call_command(
        "export_assessment",
        partnership="plymouth",
        period="2019/20",
        format="json",
        output=str(out),
        stderr=io.StringIO(),
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    exported = {(r["theme"], r["risk"]): r["rating"] for r in data["risks"]}
    published = {(r["theme"], r["risk"]): r["published_rating"] for r in _published()}
    assert len(published) == 30
    assert exported == published
    assert all(isinstance(r["score"], float) for r in data["risks"])


def test_the_demo_register_keeps_the_seeds_theme_and_risk_order(demo):
    themes = list(Theme.objects.filter(assessment=demo).values_list("name", flat=True))
    seed_themes = list(dict.fromkeys(r["theme"] for r in _published()))
    assert themes == seed_themes
    risks = Risk.objects.filter(assessment=demo)
    assert [r.name for r in risks] == [r["risk"] for r in _published()]


def test_the_demo_marks_modern_slavery_a_priority_with_the_seeds_reason(demo, tmp_path):
    slavery = Risk.objects.get(assessment=demo, name="Modern slavery")
    assert slavery.is_priority and slavery.priority_reason == PRIORITY_REASON
    assert Risk.objects.filter(assessment=demo, is_priority=True).count() == 1


def test_loading_the_demo_twice_adds_no_scores_audit_rows_or_imports(demo):
    counts = [m.objects.count() for m in (Theme, Risk, RiskFactorScore, ScoreChange, ImportRun)]
    _load()
    assert [
        m.objects.count() for m in (Theme, Risk, RiskFactorScore, ScoreChange, ImportRun)
    ] == counts
    assert counts[2] == 2 * 330  # 2019/20's and the published 2018/19's


def test_the_demo_links_risks_to_the_seeds_crime_categories_and_health_indicators(demo):

    def linked(name):
        risk = Risk.objects.get(assessment=demo, name=name)
        return set(risk.indicators.values_list("name", flat=True))

    assert linked("Burglary") == {"Burglary residential", "Burglary business and community"}
    assert linked("Domestic abuse") == {"Domestic abuse crimes", "Domestic abuse incidents"}
    assert linked("Rape and sexual assault") == {"Rape"}
    assert "Alcohol-related hospital admissions" in linked("Alcohol-related hospital admissions")
    linked_risks = Risk.objects.filter(assessment=demo, indicators__isnull=False).distinct()
    assert linked_risks.count() >= 20
    assert linked("Modern slavery") == set()  # the seed gives no figures for it


def test_the_demo_risk_page_shows_the_linked_evidence(demo, client):
    from django.contrib.auth import get_user_model

    burglary = Risk.objects.get(assessment=demo, name="Burglary")
    client.force_login(get_user_model().objects.get(username="police"))
    page = client.get(f"/p/plymouth/2019-20/risks/{burglary.pk}/").content.decode()
    assert "No indicators are linked" not in page
    assert "Burglary residential" in page and "649" in page and "498" in page


def test_the_demo_loads_the_seeds_narrative_for_every_theme_and_its_emerging_issues(demo):
    from reports.demo_narrative import THEME_NARRATIVE

    themes = {t.name: t for t in Theme.objects.filter(assessment=demo)}
    assert set(THEME_NARRATIVE) == set(themes)
    dasv = themes["Domestic abuse and sexual violence"]
    assert dasv.recommendation.startswith("- Recommended CSP priority")
    assert "£24 million" in dasv.organisational_response
    assert [i.title for i in EmergingIssue.objects.filter(assessment=demo).order_by("order")] == [
        "Child to parent violence",
        "Knife crime",
    ]


def test_the_demo_pdf_reads_like_the_seed_with_live_figures_and_no_placeholders(demo):
    from assessments.models import Assessment
    from reports.files import assessment_pdf_html

    html = assessment_pdf_html(Assessment.objects.get(period="2019/20"))
    assert "Not written yet" not in html
    assert "[[" not in html  # every live figure found its statistic
    for text in [
        "<strong>395 reported crimes of rape</strong>, a 17.2% increase from 2018/19",
        "<strong>3,320 dependent drinkers</strong>, 1.58% compared to 1.39% nationally",
        "8,126 anti-social behaviour incidents recorded, a reduction of 8.1% on 2018/19 (8,838).",
        # computed from 649 burglaries and 110,000 households, not typed in
        "crime rate of 5.9 per 1,000 households is less than half that of the iQuanta group "
        "average (13.2)",
        "Child to parent violence",
        "Knife crime",
        "Emerging issues for Safer Plymouth",
    ]:
        assert text in html, text


def test_loading_the_demo_twice_leaves_the_narrative_and_its_audit_as_they_were(demo):
    narrative = list(Theme.objects.order_by("pk").values())
    issues = list(EmergingIssue.objects.order_by("pk").values())
    changes = ScoreChange.objects.count()
    _load()
    assert list(Theme.objects.order_by("pk").values()) == narrative
    assert list(EmergingIssue.objects.order_by("pk").values()) == issues
    assert ScoreChange.objects.count() == changes


def test_the_demo_json_export_gives_burglary_per_household_and_all_crime_per_resident(
    demo, tmp_path
):
    out = tmp_path / "plymouth.json"
    call_command(
        "export_assessment",
        partnership="plymouth",
        period="2019/20",
        format="json",
        output=str(out),
        stderr=io.StringIO(),
    )
    rows = {
        row["category"]: row
        for row in json.loads(out.read_text(encoding="utf-8"))["indicators"]
        if row["period"] == "2019/20"
    }
    burglary, all_crime = rows["Burglary residential"], rows["All crime"]
    assert (burglary["rate_per_1000"], burglary["msg_rate_per_1000"]) == (5.9, 13.2)
    assert burglary["rate_basis"] == "households"
    assert (all_crime["rate_per_1000"], all_crime["msg_rate_per_1000"]) == (87.8, 107.8)
    assert all_crime["rate_basis"] == "residents"


def test_the_demo_shows_movement_since_its_published_2018_19_for_every_risk(demo, client):
    from django.contrib.auth import get_user_model

    from assessments.models import Assessment
    from reports.files import assessment_pdf_html

    previous = Assessment.objects.get(period="2018/19")
    assert previous.is_published
    risks = Risk.objects.filter(assessment=demo)
    assert all(r.carried_from and r.carried_from.assessment == previous for r in risks)
    html = assessment_pdf_html(demo)
    assert "New this year" not in html
    assert "Up from Standard" in html and "Down from Moderate" in html
    client.force_login(get_user_model().objects.get(username="board"))
    results = client.get("/p/plymouth/2019-20/results/").content.decode()
    assert "New this year" not in results
    # The illustrative 2018/19 scores say that they are.
    method = previous.report_sections.get(key="method").text
    assert "illustrative" in method

"""The report's front matter: written per assessment, carried forward for review, printed in
the seed's order, and the demo's seed text with its 20 acknowledged organisations."""

from __future__ import annotations

import html as html_lib

import pytest
from django.urls import reverse

from assessments.models import Assessment
from reports.demo_front_matter import ACKNOWLEDGED_ORGANISATIONS
from reports.files import assessment_pdf_html
from reports.models import ReportSection
from reports.services import assessment_copy_forward, report_section_set

pytestmark = pytest.mark.django_db


def _url(assessment, name: str, **kwargs) -> str:
    return reverse(
        name,
        kwargs={
            "partnership": assessment.partnership.slug,
            "period": assessment.period_slug,
            **kwargs,
        },
    )


def test_analyst_writes_an_introduction_that_the_pdf_prints_with_its_live_figures(
    client, analyst, scored
):
    client.force_login(analyst)
    response = client.post(
        _url(scored, "reports:front_matter_edit", key="introduction"),
        {"text": "We recorded [[All crime]] crimes this year."},
    )
    assert response.status_code == 302
    html = assessment_pdf_html(scored)
    assert "We recorded" in html
    assert "[[All crime]]" not in html


def test_analyst_is_told_of_an_unknown_live_figure_and_loses_nothing_typed(client, analyst, scored):
    client.force_login(analyst)
    response = client.post(
        _url(scored, "reports:front_matter_edit", key="crime_trends"),
        {"text": "Robbery rose by [[Robery: % change]]."},
    )
    assert response.status_code == 200
    assert "Unknown live figure" in response.content.decode()
    assert "Robbery rose by [[Robery: % change]]." in response.content.decode()
    assert not ReportSection.objects.filter(assessment=scored).exists()


def test_acknowledgements_start_from_the_partnerships_organisations(client, analyst, scored):
    client.force_login(analyst)
    page = client.get(_url(scored, "reports:front_matter_edit", key="acknowledgements"))
    text = page.content.decode()
    for org in scored.partnership.organisations.all():
        assert f"- {org.name}" in text


def test_front_matter_is_printed_in_the_seeds_order(scored, analyst):
    for key in ("sources", "method", "crime_trends", "area_overview", "governance"):
        report_section_set(assessment=scored, key=key, text=f"Text of {key}.", user=analyst)
    report_section_set(
        assessment=scored, key="introduction", text="Text of introduction.", user=analyst
    )
    report_section_set(
        assessment=scored, key="acknowledgements", text="Text of acknowledgements.", user=analyst
    )
    html = assessment_pdf_html(scored)
    body = html[html.index('<section id="intro"') :]
    order = [
        "introduction",
        "governance",
        "acknowledgements",
        "area_overview",
        "crime_trends",
        "method",
        "sources",
    ]
    positions = [body.index(f"Text of {key}.") for key in order]
    assert positions == sorted(positions)


def test_front_matter_carried_forward_is_marked_for_review_until_saved(scored, analyst):
    report_section_set(assessment=scored, key="method", text="Due to COVID-19…", user=analyst)
    target = assessment_copy_forward(source=scored, period="2020/21", user=analyst)
    section = ReportSection.objects.get(assessment=target, key="method")
    assert section.needs_review and section.carried_from == "2019/20"
    assert section.text == "Due to COVID-19…"
    report_section_set(assessment=target, key="method", text="This year…", user=analyst)
    section.refresh_from_db()
    assert not section.needs_review


def test_the_sections_page_shows_which_text_awaits_review(client, analyst, scored):
    report_section_set(assessment=scored, key="method", text="Last year's.", user=analyst)
    target = assessment_copy_forward(source=scored, period="2020/21", user=analyst)
    client.force_login(analyst)
    page = client.get(_url(target, "reports:front_matter")).content.decode()
    assert "Carried forward from 2019/20, not yet reviewed" in page


def test_a_published_assessments_sections_cannot_be_edited(client, analyst, scored):
    Assessment.objects.filter(pk=scored.pk).update(status="published")
    client.force_login(analyst)
    response = client.post(
        _url(scored, "reports:front_matter_edit", key="introduction"), {"text": "Changed."}
    )
    assert response.status_code == 302
    assert not ReportSection.objects.filter(assessment=scored).exists()


def test_the_demo_report_has_the_seeds_introduction_and_its_20_thanked_organisations(demo):
    assessment = Assessment.objects.get(partnership__slug="plymouth", period="2019/20")
    html = assessment_pdf_html(assessment)
    assert "Safer Plymouth is the <strong>community safety partnership</strong>" in html
    assert "due to COVID-19 this has not been possible in 2020" in html
    assert len(ACKNOWLEDGED_ORGANISATIONS) == 20
    acknowledgements = html[html.index('<section id="participants"') :]
    acknowledgements = acknowledgements[: acknowledgements.index("</section>")]
    for name in ACKNOWLEDGED_ORGANISATIONS:
        assert name in html_lib.unescape(acknowledgements), name
    assert "decreased by 2.5% or 602 crimes" in html
    assert "rising from 205 to 238" in html

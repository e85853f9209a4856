"""The report document: the seed's overview (quick facts with anti-social behaviour, the
neighbourhood ranking, the crime table to one decimal) read through the evidence module."""

from __future__ import annotations

import json

import pytest

from assessments.models import (
    Area,
    AreaKind,
    Indicator,
    IndicatorValue,
    Population,
)
from reports.document import report_document
from reports.files import assessment_pdf_html
from reports.presentation import report_context
from tests.factories import OrganisationFactory

BASE = "/p/plymouth/2019-20/"


@pytest.fixture
def with_neighbourhoods(scored):
    """The seed's five highest-rate neighbourhoods, with populations, and ASB named as in the
    demo ("Anti-social behaviour incidents")."""
    partnership = scored.partnership
    Indicator.objects.filter(partnership=partnership, name="ASB").update(
        name="Anti-social behaviour incidents"
    )
    all_crime = Indicator.objects.get(partnership=partnership, name="All crime")
    for name, count, population in [
        ("Mutley", 855, 3441),
        ("City Centre", 3595, 7393),
        ("Stonehouse", 2490, 10016),
        ("East End", 953, 5928),
        ("Morice Town", 628, 2958),
    ]:
        area = Area.objects.create(partnership=partnership, name=name, kind=AreaKind.NEIGHBOURHOOD)
        Population.objects.create(area=area, period="2019/20", population=population)
        IndicatorValue.objects.create(indicator=all_crime, area=area, period="2019/20", value=count)
    return scored


def test_the_document_is_plain_json(with_neighbourhoods):
    document = report_document(with_neighbourhoods)
    assert json.loads(json.dumps(document)) == document


def test_quick_facts_include_anti_social_behaviour_named_as_the_demo_names_it(
    with_neighbourhoods,
):
    facts = report_document(with_neighbourhoods)["quick_facts"]
    assert facts[0] == "23,024 crimes recorded: 87.8 crimes per 1,000 residents."
    assert "below the most similar group (MSG) average of 107.8 per 1,000" in facts[1]
    assert facts[2] == "This is a decrease of 2.5% on 2018/19 (23,626 crimes)."
    assert facts[3] == (
        "8,126 anti-social behaviour incidents recorded, a reduction of 8.1% on 2018/19 (8,838)."
    )


def test_the_neighbourhood_ranking_is_in_the_document_highest_rate_first(with_neighbourhoods):
    ranking = report_document(with_neighbourhoods)["neighbourhoods"]
    assert [(n["rank"], n["name"], n["rate_per_1000"]) for n in ranking] == [
        (1, "City Centre", "486.3"),
        (2, "Stonehouse", "248.6"),
        (3, "Mutley", "248.5"),
        (4, "Morice Town", "212.3"),
        (5, "East End", "160.8"),
    ]


def test_results_page_and_pdf_show_the_neighbourhood_table_and_chart(
    client, with_neighbourhoods, board_member
):
    client.force_login(board_member)
    html = client.get(BASE + "results/").content.decode()
    assert "Crime rate by neighbourhood, 2019/20" in html  # the chart's title
    assert '<th scope="row">City Centre</th>' in html and "486.3" in html
    pdf = assessment_pdf_html(with_neighbourhoods)
    assert "Crime rate by neighbourhood, 2019/20" in pdf
    assert '<th scope="row">Stonehouse</th>' in pdf and "248.6" in pdf


def test_the_crime_table_shows_one_decimal_like_the_seed(client, with_neighbourhoods, analyst):
    client.force_login(analyst)
    html = client.get(BASE + "results/").content.decode()
    assert "87.8 (107.8)" in html  # not (107.80)
    assert "\u22122.5% (\u2212602)" in html
    assert "0.9 (1.5)" in html  # Robbery's rate, with the group's in brackets
    assert "+16.1% (+33)" in html
    assert "107.80" not in html


def _household_burglary(assessment) -> None:
    """The seed's residential burglary, per 1,000 households as iQuanta counts it."""
    partnership = assessment.partnership
    Population.objects.update(households=110_000)
    burglary = Indicator.objects.create(
        partnership=partnership, name="Burglary residential", rate_basis="households", order=1
    )
    area = Area.objects.get(kind=AreaKind.PARTNERSHIP)
    IndicatorValue.objects.create(indicator=burglary, area=area, period="2018/19", value=667)
    IndicatorValue.objects.create(
        indicator=burglary, area=area, period="2019/20", value=649, msg_rate_per_1000="13.2"
    )


def test_the_report_crime_table_marks_a_household_rate_and_explains_the_mark(
    client, scored, board_member
):
    _household_burglary(scored)
    rows = {row["name"]: row for row in report_document(scored)["crime_table"]}
    burglary = rows["Burglary residential"]
    assert (burglary["rate_per_1000"], burglary["rate_basis"]) == ("5.9", "households")
    assert rows["All crime"]["rate_basis"] == "residents"
    client.force_login(board_member)
    note = "Rates per 1,000 residents unless marked: \u2020 per 1,000 households"
    mark = '<span class="visually-hidden"> per 1,000 households</span>'
    for html in (client.get(BASE + "results/").content.decode(), assessment_pdf_html(scored)):
        row = html[html.index('<th scope="row">Burglary residential</th>') :]
        row = row[: row.index("</tr>")]
        assert "5.9 (13.2)" in row and mark in row
        assert note in html
        all_crime = html[html.index('<th scope="row">All crime</th>') :]
        assert "87.8 (107.8)" in all_crime[: all_crime.index("</tr>")]
        assert mark not in all_crime[: all_crime.index("</tr>")]


def test_a_document_from_before_rate_bases_shows_its_rates_unmarked(scored):
    from django.template.loader import render_to_string

    document = report_document(scored)
    for row in document["crime_table"]:
        del row["rate_basis"]
    html = render_to_string("reports/includes/crime_table.html", report_context(document))
    assert "87.8 (107.8)" in html
    assert "\u2020" not in html and "unless marked" not in html


def test_the_msg_rate_keeps_the_precision_it_was_given(scored):
    robbery = IndicatorValue.objects.get(indicator__name="Robbery", period="2019/20")
    robbery.msg_rate_per_1000 = "0.85"
    robbery.save()
    context = report_context(report_document(scored))
    row = next(r for r in context["crime_table"] if r["name"] == "Robbery")
    assert str(row["msg_rate_per_1000"]) == "0.85"


def test_later_periods_data_stays_out_of_the_report(scored):
    all_crime = Indicator.objects.get(name="All crime")
    area = Area.objects.get(kind=AreaKind.PARTNERSHIP)
    IndicatorValue.objects.create(indicator=all_crime, area=area, period="2020/21", value=19000)
    document = report_document(scored)
    assert [period for period, _ in document["trend"]] == ["2017/18", "2018/19", "2019/20"]
    assert {v["period"] for v in document["indicator_values"]} == {"2018/19", "2019/20"}


def test_the_cover_says_the_twelve_months_to_the_end_of_march(scored):
    html = assessment_pdf_html(scored)
    assert "the 12 months to 31 March 2020" in html
    assert "April to March 2019/20" not in html


def test_theme_narrative_pulls_live_figures_into_the_document(scored):
    theme = scored.themes.get(name="Domestic abuse and sexual violence")
    theme.key_statistics = (
        "- **[[Robbery]] robberies**, a [[Robbery: % change]] [[Robbery: direction]]"
    )
    theme.save()
    document = report_document(scored)
    text = document["themes"][0]["narrative"]["key_statistics"]
    assert text == "- **238 robberies**, a 16.1% increase"


def test_published_reports_leave_out_unwritten_headings_but_the_dashboard_shows_them(
    client, scored, analyst
):
    html = assessment_pdf_html(scored)
    assert "Not written yet" not in html
    theme = scored.themes.get(name="Acquisitive crime")
    client.force_login(analyst)
    page = client.get(f"{BASE}themes/{theme.id}/").content.decode()
    assert "Not written yet." in page  # analysts see what is still to write


def test_an_asb_acronym_keeps_its_capitals_in_the_quick_facts(scored):
    facts = report_document(scored)["quick_facts"]
    assert facts[-1] == "8,126 ASB incidents recorded, a reduction of 8.1% on 2018/19 (8,838)."


def test_the_introduction_counts_responsible_authorities_in_good_english(scored):
    partnership = scored.partnership
    partnership.organisations.update(is_responsible_authority=False)
    OrganisationFactory(
        partnership=partnership, name="Plymouth City Council", is_responsible_authority=True
    )
    html = assessment_pdf_html(scored)
    assert "made up of 1 statutory organisation, the responsible authority," in html
    assert "The responsible authority is Plymouth City Council." in html
    assert "reviews 3 risks grouped in 2 themes" in html

    OrganisationFactory(
        partnership=partnership, name="Devon and Cornwall Police", is_responsible_authority=True
    )
    html = assessment_pdf_html(scored)
    assert "made up of 2 statutory organisations, the responsible authorities," in html
    assert "The responsible authorities are Devon and Cornwall Police and Plymouth City" in html

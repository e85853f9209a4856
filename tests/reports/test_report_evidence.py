"""The report shows what the evidence page shows: part years marked and never compared, the
trend breaking at gaps, why there is no seasonal pattern, neighbourhoods by count without
populations, where the figures come from and the comparator position; reports published
before these were kept (schema 1) still render."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from assessments.imports import ColumnMapping, data_import
from assessments.models import Indicator, IndicatorValue
from reports.document import report_document
from reports.files import assessment_pdf_html
from reports.models import Publication
from reports.presentation import report_context
from reports.services import approval_record, assessment_publish
from tests.factories import AssessmentFactory

DEVON = sorted(
    (Path(__file__).resolve().parents[1] / "data" / "policeuk").glob("*-devon-and-cornwall-*")
)


def _summary(partnership, content: bytes, period: str) -> None:
    data_import(
        partnership=partnership,
        period=period,
        kind="summary",
        files=[("s.csv", io.BytesIO(content))],
    )


def _police_uk(partnership) -> None:
    """January to March 2017 for Devon and Cornwall: 3 of the 12 months of 2016/17."""
    data_import(
        partnership=partnership, period="2016/17", kind="records", paths=DEVON, preset="police-uk"
    )


def _monthly(partnership, months: dict[str, int]) -> None:
    lines = ["Date,Offence"]
    for month, count in months.items():
        lines += [f"{month}-01,Burglary"] * count
    data_import(
        partnership=partnership,
        period="2019/20",
        kind="records",
        files=[("m.csv", io.BytesIO("\n".join(lines).encode()))],
        mapping=ColumnMapping(month="Date", category="Offence"),
        dataset="local",
    )


def _page(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def part_year(partnership):
    """2016/17 with three months of police.uk records, after a whole 2015/16 from a summary."""
    assessment = AssessmentFactory(partnership=partnership, period="2016/17")
    _summary(partnership, b"period,category,count\n2015/16,All crime,150000\n", "2016/17")
    _police_uk(partnership)
    return assessment


def test_a_part_year_is_marked_and_never_compared_in_the_quick_facts_and_crime_table(
    part_year,
):
    document = report_document(part_year)
    facts = document["quick_facts"]
    assert facts[0].endswith(" crimes recorded in 3 of 12 months (January to March 2017).")
    assert (
        "Not compared with 2015/16 (150,000 crimes, the whole year): 2016/17 covers only 3 of "
        "12 months." in facts
    )
    assert not any("decrease" in fact or "increase" in fact for fact in facts)
    assert document["crime_coverage"] == {
        "is_partial": True,
        "months": 3,
        "months_covered": "January to March 2017",
        "source_note": "police-uk records, 3 of 12 months",
    }
    all_crime = document["crime_table"][0]
    assert all_crime["name"] == "All crime" and all_crime["previous_count"] == 150000
    assert (all_crime["months"], all_crime["comparable"]) == (3, False)
    assert (all_crime["change"], all_crime["pct_change"]) == (None, None)
    assert document["crime_sources"] == ["police-uk records, 3 of 12 months"]


def test_the_results_page_and_pdf_say_a_part_year_covers_three_months(client, analyst, part_year):
    page = _page(client, analyst, "/p/plymouth/2016-17/results/")
    assert "Part year:" in page
    assert "3 of the 12 months to 31 March 2017 (January to March 2017)" in page
    assert "not compared: part year" in page and "3 of 12 months</small>" in page
    assert "Source: police-uk records, 3 of 12 months." in page
    pdf = assessment_pdf_html(part_year)
    assert "Crime analysis covers 3 of the 12 months to 31 March 2017" in pdf
    assert "covers the 12 months to" not in pdf
    assert "Part year:" in pdf and "not compared: part year" in pdf


def test_the_report_trend_breaks_at_a_missing_year_and_marks_the_part_year(partnership):
    _summary(
        partnership,
        b"period,category,count\n2014/15,All crime,150000\n2015/16,All crime,140000\n",
        "2016/17",
    )
    _police_uk(partnership)
    _summary(partnership, b"period,category,count\n2018/19,All crime,120000\n", "2018/19")
    assessment = AssessmentFactory(partnership=partnership, period="2018/19")
    document = report_document(assessment)
    assert [(period, count is None) for period, count in document["trend"]] == [
        ("2014/15", False),
        ("2015/16", False),
        ("2016/17", False),
        ("2017/18", True),
        ("2018/19", False),
    ]
    assert document["trend_part_years"] == {"2016/17": "3 of 12 months"}
    context = report_context(json.loads(json.dumps(document)))
    chart = context["trend_chart"]
    assert "No figure for 2017/18: the line breaks there." in chart
    assert chart.count("<polyline") == 1, "only 2014/15 to 2015/16 are joined"
    assert "stroke-dasharray" in chart  # the part year's dashed diamond
    assert "2016/17 covers only 3 of 12 months" in context["trend_summary"]
    pdf = assessment_pdf_html(assessment)
    assert "2016/17 covers only 3 of 12 months, so it is not joined to the line." in pdf


def test_the_report_says_why_there_is_no_seasonal_pattern(client, analyst, partnership):
    assessment = AssessmentFactory(partnership=partnership, period="2019/20")
    _monthly(partnership, {"2019-04": 10, "2019-05": 12, "2019-06": 8})
    document = report_document(assessment)
    assert document["seasonal"] == []
    assert "at least two years of monthly data" in document["seasonal_pattern"]["reason"]
    page = _page(client, analyst, "/p/plymouth/2019-20/results/")
    assert "April to June 2019 only" in page and "0.0%" not in page
    assert "April to June 2019 only" in assessment_pdf_html(assessment)


def test_the_report_names_the_average_the_seasonal_pattern_is_taken_over(
    client, analyst, partnership
):
    assessment = AssessmentFactory(partnership=partnership, period="2019/20")
    _monthly(partnership, {"2018-04": 100, "2018-05": 80, "2019-04": 120, "2019-05": 80})
    document = report_document(assessment)
    assert document["seasonal_pattern"]["average_label"] == "two-year average"
    assert document["seasonal_pattern"]["years"] == ["2018/19", "2019/20"]
    page = _page(client, analyst, "/p/plymouth/2019-20/results/")
    assert "Crime each month against its two-year average, 2019/20" in page
    assert "over 2 years (2018/19, 2019/20): a two-year average" in page
    assert "Two-year average" in page and "three-year" not in page.lower()


def test_neighbourhoods_without_populations_are_ranked_by_count_in_the_report(
    client, analyst, partnership
):
    assessment = AssessmentFactory(partnership=partnership, period="2016/17")
    data_import(
        partnership=partnership,
        period="2016/17",
        kind="lookup",
        files=[("l.csv", io.BytesIO(b"lsoa_code,neighbourhood\nE01015001,Centre\n"))],
    )
    data_import(
        partnership=partnership,
        period="2016/17",
        kind="records",
        files=[
            (
                "r.csv",
                io.BytesIO(
                    b"Date,Offence,LSOA\n2017-01-02,Robbery,E01015001\n"
                    b"2017-01-03,Robbery,E01015001\n2017-01-04,Robbery,E01015002\n"
                ),
            )
        ],
        mapping=ColumnMapping(month="Date", category="Offence", area="LSOA"),
        dataset="force",
    )
    document = report_document(assessment)
    assert [(n["name"], n["count"]) for n in document["neighbourhoods"]] == [("Centre", 2)]
    assert document["neighbourhood_figures"]["has_rates"] is False
    assert document["neighbourhood_figures"]["source_note"] == "force records, 1 of 12 months"
    page = _page(client, analyst, "/p/plymouth/2016-17/results/")
    assert "Crimes by neighbourhood, 2016/17" in page  # the chart, by count
    assert "shown by number of crimes, most first" in page
    assert "Source: force records, 1 of 12 months." in page
    assert "Crimes by neighbourhood, 2016/17" in assessment_pdf_html(assessment)


def test_the_quick_facts_and_crime_table_give_the_position_in_the_group(client, analyst, scored):
    IndicatorValue.objects.filter(indicator__name="All crime", period="2019/20").update(
        msg_rank=2, msg_group_size=15
    )
    facts = report_document(scored)["quick_facts"]
    assert facts[1].endswith(
        "average of 107.8 per 1,000: position 2 of 15 in the group (1 = lowest rate)."
    )
    page = _page(client, analyst, "/p/plymouth/2019-20/results/")
    assert "position 2 of 15 in the MSG" in page


# --- documents frozen before schema 2 --------------------------------------------------------

SCHEMA_2_KEYS = (
    "crime_coverage",
    "crime_sources",
    "neighbourhood_figures",
    "seasonal_pattern",
    "trend_part_years",
    "heat_map",  # schema 3
)
SCHEMA_1_ROW_KEYS = (
    "name",
    "count",
    "previous_count",
    "change",
    "pct_change",
    "rate_per_1000",
    "msg_rate_per_1000",
    "position",
)


def _as_schema_1(document: dict) -> dict:
    """The document as the report kept it before schema 2 (reports/results.py at 7b6500a)."""
    old = {key: value for key, value in document.items() if key not in SCHEMA_2_KEYS}
    old["schema"] = "workbench-report/1"
    old["crime_table"] = [{k: row[k] for k in SCHEMA_1_ROW_KEYS} for row in old["crime_table"]]
    old["seasonal"] = [
        {"month": f"{2019 + (m < 4)}-{m:02d}", "label": label, "count": 100 + m,
         "average": "100.0", "pct_vs_average": f"{m}.0"}
        for m, label in [(4, "Apr"), (5, "May"), (6, "Jun")]
    ]  # fmt: skip
    return old


def test_a_report_published_before_schema_2_still_renders_as_it_was(client, scored, board_member):
    approval_record(assessment=scored, user=board_member, comment="", approved=True)
    assessment_publish(assessment=scored, user=board_member)
    publication = Publication.objects.get(assessment=scored)
    publication.snapshot["report"] = _as_schema_1(publication.snapshot["report"])
    publication.save()
    # Data imported since never reaches a frozen report.
    Indicator.objects.filter(name="All crime").update(name="All crime (renamed)")
    for url in ("/p/plymouth/2019-20/results/", "/p/plymouth/2019-20/published/1/"):
        page = _page(client, board_member, url)
        assert "23,024" in page and "−2.5% (−602)" in page
        assert "Crime each month against its three-year average, 2019/20" in page
        assert "not compared" not in page and "Part year" not in page
        assert "<title id=" in page and "Risks by harm and likelihood" in page  # the heat map
    for url in ("/p/plymouth/2019-20/export/pdf/", "/p/plymouth/2019-20/published/1/export/pdf/"):
        response = client.get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_the_json_export_says_how_many_months_a_part_year_covers(part_year, tmp_path):
    from django.core.management import call_command

    output = tmp_path / "export.json"
    call_command(
        "export_assessment", partnership="plymouth", period="2016/17", format="json",
        output=str(output),
    )  # fmt: skip
    indicators = json.loads(output.read_text())["indicators"]
    now = next(i for i in indicators if i["category"] == "All crime" and i["period"] == "2016/17")
    before = next(
        i for i in indicators if i["category"] == "All crime" and i["period"] == "2015/16"
    )
    assert (now["months"], now["previous_count"], now["change"], now["pct_change"]) == (
        3, 150000, None, None,
    )  # fmt: skip
    assert before["months"] is None  # a whole year

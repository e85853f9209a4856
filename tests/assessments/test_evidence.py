"""The evidence pages show the seed's figures, computed from the counts, to every member."""

import io
import re
from pathlib import Path

import pytest

from assessments import evidence
from assessments.demo import DEMO_DATA
from assessments.imports import ColumnMapping, data_import

pytestmark = pytest.mark.django_db

EVIDENCE_URL = "/p/plymouth/2019-20/evidence/"
IMPORT_URL = "/p/plymouth/2019-20/evidence/import/"


@pytest.fixture
def seed_data(partnership, assessment):
    for kind, name in [("summary", "crime-summary.csv"), ("population", "area.csv")]:
        data_import(
            partnership=partnership,
            period="2019/20",
            kind=kind,
            files=[(name, io.BytesIO((Path(DEMO_DATA) / name).read_bytes()))],
        )
    return assessment


def _row(rows, name):
    return next(r for r in rows if r.name == name)


def test_all_crime_matches_the_seeds_quick_facts(seed_data):
    figures = _row(evidence.indicator_rows(seed_data), "All crime").figures
    assert (figures.count, figures.previous_count, figures.change) == (23024, 23626, -602)
    assert str(figures.pct_change) == "-2.5"
    assert str(figures.rate_per_1000) == "87.8"
    assert str(figures.msg_rate_per_1000) == "107.8"
    assert figures.position == "below"


def test_shoplifting_change_is_computed_not_copied_from_the_seed(seed_data):
    assert _row(evidence.indicator_rows(seed_data), "Shoplifting").figures.change == -119


def test_the_crime_table_sorts_by_a_column_with_unknowns_last(seed_data):
    rows = evidence.crime_rows(evidence.indicator_rows(seed_data))
    by_change = evidence.sort_rows(rows, "pct_change", descending=True)
    assert by_change[0].name == "Rape"  # +17.2%, the largest rise


# --- rates per 1,000 residents and per 1,000 households ---------------------------------------


def _html_row(content: bytes, name: str) -> str:
    """The crime table's row for `name`, as HTML."""
    html = content.decode()
    match = re.search(rf'<tr>\s*<th scope="row">{re.escape(name)}</th>.*?</tr>', html, re.S)
    assert match, f"no row for {name}"
    return match.group(0)


def test_residential_burglary_is_per_1000_households_as_its_group_average_is(seed_data):
    rows = evidence.indicator_rows(seed_data)
    burglary = _row(rows, "Burglary residential").figures
    assert (str(burglary.rate_per_1000), str(burglary.msg_rate_per_1000)) == ("5.9", "13.2")
    assert (burglary.rate_basis, burglary.position) == ("households", "below")
    all_crime = _row(rows, "All crime").figures
    assert (str(all_crime.rate_per_1000), str(all_crime.msg_rate_per_1000)) == ("87.8", "107.8")
    assert all_crime.rate_basis == "residents"


def test_the_crime_table_marks_the_household_rate_and_says_what_the_mark_means(
    client, analyst, seed_data
):
    client.force_login(analyst)
    content = client.get(EVIDENCE_URL).content
    burglary = _html_row(content, "Burglary residential")
    assert "5.9 (13.2)" in burglary and "2.5" not in burglary
    assert '<span class="visually-hidden"> per 1,000 households</span>' in burglary
    assert "†" in burglary
    all_crime = _html_row(content, "All crime")
    assert "87.8 (107.8)" in all_crime and "†" not in all_crime
    assert b"Rates per 1,000 residents unless marked: \xe2\x80\xa0 per 1,000 households" in content
    assert b'<dt class="col-sm-4">Households</dt><dd class="col-sm-8">110,000</dd>' in content


def test_without_households_the_burglary_rate_is_unknown_never_per_resident(
    client, analyst, partnership, assessment
):
    summary = (Path(DEMO_DATA) / "crime-summary.csv").read_bytes()
    data_import(
        partnership=partnership,
        period="2019/20",
        kind="summary",
        files=[("crime-summary.csv", io.BytesIO(summary))],
    )
    data_import(
        partnership=partnership,
        period="2019/20",
        kind="population",
        files=[("p.csv", io.BytesIO(b"area,period,population\nPlymouth,2019/20,262100\n"))],
    )
    burglary = _row(evidence.indicator_rows(assessment), "Burglary residential").figures
    assert (burglary.rate_per_1000, burglary.position) == (None, None)
    client.force_login(analyst)
    content = client.get(EVIDENCE_URL).content
    row = _html_row(content, "Burglary residential")
    assert "– (13.2)" in row and "2.5" not in row
    assert "87.8 (107.8)" in _html_row(content, "All crime")


def test_households_of_an_earlier_year_serve_a_year_without_its_own(partnership, assessment):
    data_import(
        partnership=partnership,
        period="2019/20",
        kind="population",
        files=[
            (
                "p.csv",
                io.BytesIO(
                    b"area,period,population,households\n"
                    b"Plymouth,2018/19,261000,109000\nPlymouth,2019/20,262100,\n"
                ),
            )
        ],
    )
    assert evidence.area_denominators(partnership, "2019/20") == evidence.Denominators(
        262100, 109000, "2019/20", "2018/19"
    )
    assert evidence.area_denominators(partnership, "2017/18") == evidence.Denominators(None, None)


def test_sorting_by_rate_never_ranks_household_rates_among_resident_rates(seed_data):
    rows = evidence.crime_rows(evidence.indicator_rows(seed_data))
    for descending in (True, False):
        ordered = evidence.sort_rows(rows, "rate", descending=descending)
        bases = [r.rate_basis for r in ordered if r.figures.rate_per_1000 is not None]
        assert bases == sorted(bases, key=["residents", "households"].index)
        rates = [r.figures.rate_per_1000 for r in ordered if r.rate_basis == "residents"]
        assert rates == sorted(rates, reverse=descending)


@pytest.mark.parametrize(
    "person",
    ["admin_user", "analyst", "facilitator", "police_partner", "council_partner", "board_member"],
)
def test_every_member_sees_the_evidence(client, request, person, seed_data):
    client.force_login(request.getfixturevalue(person))
    response = client.get(EVIDENCE_URL)
    assert response.status_code == 200
    assert b"23,024" in response.content and b"87.8" in response.content
    assert "\u2212602".encode() in response.content


def test_an_upload_with_problems_lists_each_with_row_and_column(client, analyst, assessment):
    client.force_login(analyst)
    upload = io.BytesIO(b"period,category,count\n2019/20,Robbery,many\n")
    upload.name = "summary.csv"
    response = client.post(IMPORT_URL, {"kind": "summary", "files": upload})
    assert response.status_code == 200
    assert b"Nothing was imported" in response.content
    assert b"many" in response.content and b"<td>2</td>" in response.content


def test_a_good_upload_imports_and_is_listed(client, analyst, assessment):
    client.force_login(analyst)
    upload = io.BytesIO((Path(DEMO_DATA) / "crime-summary.csv").read_bytes())
    upload.name = "crime-summary.csv"
    response = client.post(IMPORT_URL, {"kind": "summary", "files": upload}, follow=True)
    assert b"Imported 42 counts" in response.content
    assert b"crime-summary.csv" in response.content


def test_an_upload_over_the_limit_is_refused_before_reading(client, analyst, assessment, settings):
    settings.UPLOAD_MAX_MB = 1
    client.force_login(analyst)
    upload = io.BytesIO(b"x" * (3 * 1024 * 1024))
    upload.name = "huge.csv"
    response = client.post(IMPORT_URL, {"kind": "summary", "files": upload}, follow=True)
    assert b"over the 1 MB limit" in response.content


def test_evidence_queries_do_not_grow_with_the_number_of_indicators(
    seed_data, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        evidence.overview(seed_data)


MAPPINGS_URL = "/p/plymouth/category-mappings/"


def test_an_analyst_maps_a_police_uk_type_to_an_indicator_used_by_later_imports(
    client, analyst, assessment
):
    client.force_login(analyst)
    response = client.post(
        MAPPINGS_URL, {"source_label": "Bicycle theft", "new_indicator": "Theft other"}
    )
    assert response.status_code == 302
    data_import(
        partnership=assessment.partnership,
        period="2019/20",
        kind="records",
        files=[("x.csv", io.BytesIO(b"Month,Crime type\n2019-05,Bicycle theft\n"))],
        mapping=ColumnMapping(month="Month", category="Crime type"),
    )
    names = set(assessment.partnership.indicators.values_list("name", flat=True))
    assert "Theft other" in names and "Bicycle theft" not in names


def test_a_partner_sees_mappings_but_cannot_change_them(client, police_partner, assessment):
    client.force_login(police_partner)
    assert client.get(MAPPINGS_URL).status_code == 200
    response = client.post(MAPPINGS_URL, {"source_label": "X", "new_indicator": "Y"})
    assert response.status_code == 403


def test_neighbourhood_counts_from_a_summary_rank_by_rate(partnership, assessment):
    for kind, content in [
        (
            "summary",
            b"period,category,count,area\n2019/20,All crime,3595,City Centre\n"
            b"2019/20,All crime,953,East End\n2019/20,All crime,2490,Stonehouse\n",
        ),
        (
            "population",
            b"area,period,population\nCity Centre,2019/20,7393\n"
            b"East End,2019/20,5927\nStonehouse,2019/20,10016\n",
        ),
    ]:
        data_import(
            partnership=partnership,
            period="2019/20",
            kind=kind,
            files=[("n.csv", io.BytesIO(content))],
        )
    ranking = evidence.neighbourhoods(assessment)
    assert [(n.name, str(n.rate_per_1000)) for n in ranking] == [
        ("City Centre", "486.3"),
        ("Stonehouse", "248.6"),
        ("East End", "160.8"),
    ]
    # Neighbourhood values never leak into the partnership's crime table.
    assert evidence.indicator_rows(assessment) == []


# --- part years, gaps and the seasonal pattern ---------------------------------------------

POLICE_UK = Path(__file__).resolve().parents[1] / "data" / "policeuk"
DEVON = sorted(POLICE_UK.glob("*-devon-and-cornwall-street.csv"))


def _police_uk(partnership, *paths, period="2016/17"):
    data_import(
        partnership=partnership,
        period=period,
        kind="records",
        paths=list(paths),
        preset="police-uk",
    )


def _summary(partnership, content: bytes, period="2016/17"):
    data_import(
        partnership=partnership,
        period=period,
        kind="summary",
        files=[("s.csv", io.BytesIO(content))],
    )


def _monthly(partnership, months: dict[str, int], dataset="local"):
    lines = ["Date,Offence"]
    for month, count in months.items():
        lines += [f"{month}-01,Burglary"] * count
    data_import(
        partnership=partnership,
        period="2019/20",
        kind="records",
        files=[("m.csv", io.BytesIO("\n".join(lines).encode()))],
        mapping=ColumnMapping(month="Date", category="Offence"),
        dataset=dataset,
    )


def test_three_months_of_records_are_shown_as_a_part_year_and_not_compared(
    client, analyst, partnership
):
    from tests.factories import AssessmentFactory

    AssessmentFactory(partnership=partnership, period="2016/17")
    _summary(partnership, b"period,category,count\n2015/16,All crime,150000\n")
    _police_uk(partnership, *DEVON)
    figures = _row(evidence.indicator_rows(partnership.assessments.get()), "All crime").figures
    assert figures.months == 3 and figures.change is None and figures.pct_change is None
    client.force_login(analyst)
    page = client.get("/p/plymouth/2016-17/evidence/").content.decode()
    assert "Part year:" in page and "3 of the 12 months of 2016/17" in page
    assert "(January to March 2017)" in page
    assert "12 months April to March" not in page
    assert "Not compared: 2016/17 covers 3 of 12 months" in page
    assert "not compared: part year" in page
    assert "police-uk records, 3 of 12 months" in page


def test_the_trend_breaks_at_a_missing_year_and_marks_a_part_year(partnership):
    from tests.factories import AssessmentFactory

    _summary(
        partnership, b"period,category,count\n2014/15,All crime,150000\n2015/16,All crime,140000\n"
    )
    _police_uk(partnership, *DEVON)
    _summary(partnership, b"period,category,count\n2018/19,All crime,120000\n", period="2018/19")
    assessment = AssessmentFactory(partnership=partnership, period="2018/19")
    trend = evidence.all_crime_trend(partnership, up_to="2018/19")
    assert [(p.period, p.count is not None, p.is_partial) for p in trend] == [
        ("2014/15", True, False),
        ("2015/16", True, False),
        ("2016/17", True, True),
        ("2017/18", False, False),
        ("2018/19", True, False),
    ]
    chart = evidence.overview(assessment).trend_chart
    assert "No figure for 2017/18: the line breaks there." in chart
    assert "2016/17 covers only 3 of 12 months, so it is not joined to the line." in chart
    assert chart.count("<polyline") == 1, "only 2014/15 to 2015/16 are joined"
    assert "stroke-dasharray" in chart


def test_the_seasonal_pattern_needs_two_years_of_months_and_says_why(client, analyst, partnership):
    from tests.factories import AssessmentFactory

    AssessmentFactory(partnership=partnership, period="2019/20")
    _monthly(partnership, {"2019-04": 10, "2019-05": 12, "2019-06": 8})
    pattern = evidence.seasonal(partnership.assessments.get())
    assert pattern.months == [] and pattern.years == ["2019/20"]
    client.force_login(analyst)
    page = client.get(EVIDENCE_URL).content.decode()
    assert "April to June 2019 only" in page and "at least two years of monthly data" in page
    assert "0.0%" not in page


def test_the_seasonal_pattern_averages_the_years_it_has_and_says_how_many(
    client, analyst, partnership
):
    from tests.factories import AssessmentFactory

    AssessmentFactory(partnership=partnership, period="2019/20")
    _monthly(partnership, {"2018-04": 100, "2018-05": 80, "2019-04": 120, "2019-05": 80})
    pattern = evidence.seasonal(partnership.assessments.get())
    assert pattern.years == ["2018/19", "2019/20"] and pattern.average_label == "two-year average"
    april, may = pattern.months[:2]
    assert (str(april.pct_vs_average), april.years) == ("9.1", 2)
    assert str(may.pct_vs_average) == "0.0"
    client.force_login(analyst)
    page = client.get(EVIDENCE_URL).content.decode()
    assert "over 2 years (2018/19, 2019/20): a two-year average" in page


def test_each_month_of_the_seasonal_pattern_comes_from_one_dataset_never_two(partnership):
    from tests.factories import AssessmentFactory

    assessment = AssessmentFactory(partnership=partnership, period="2019/20")
    _monthly(partnership, {"2018-04": 100, "2019-04": 100}, dataset="older")
    _monthly(partnership, {"2019-04": 120}, dataset="newer")
    assert evidence.monthly_crime(assessment) == {"2018-04": 100, "2019-04": 120}


# --- the demo --------------------------------------------------------------------------------


# `demo` (tests/conftest.py): the demo as `manage.py load_demo` leaves it.


def test_the_demo_says_why_it_has_no_seasonal_pattern(demo):
    pattern = evidence.seasonal(demo)
    assert pattern.months == []
    assert "No monthly crime figures for 2019/20 have been imported" in pattern.reason
    assert "Import data.police.uk street-level files" in pattern.reason


def test_the_demo_neighbourhoods_are_ranked_and_said_to_be_the_seeds_top_five_only(client, demo):
    from django.contrib.auth import get_user_model

    areas = evidence.neighbourhood_figures(demo)
    assert [n.name for n in areas.ranking] == [
        "City Centre",
        "Stonehouse",
        "Mutley",
        "Morice Town",
        "East End",
    ]
    assert areas.from_summary
    client.force_login(get_user_model().objects.get(username="board"))
    page = client.get(EVIDENCE_URL).content.decode()
    assert "the seed&#x27;s five highest-rate neighbourhoods" in page
    assert "Only the 5 neighbourhoods in that table are shown" in page
    chart = evidence.overview(demo).neighbourhood_chart
    assert "1. City Centre" in chart and "Highlighted" not in chart


def test_the_demo_shows_plymouth_second_of_fifteen_in_its_most_similar_group(client, demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="board"))
    page = client.get(EVIDENCE_URL).content.decode()
    assert "position 2 of 15 in the group (1 = lowest rate)" in page


def test_evidence_queries_stay_flat_with_records_lookups_and_more_months(
    partnership, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import AssessmentFactory

    assessment = AssessmentFactory(partnership=partnership, period="2016/17")
    data_import(
        partnership=partnership,
        period="2016/17",
        kind="lookup",
        files=[("l.csv", io.BytesIO(b"lsoa_code,neighbourhood\nE01018936,Centre\n"))],
    )
    _police_uk(partnership, DEVON[0])
    with CaptureQueriesContext(connection) as few:
        evidence.overview(assessment)
    _police_uk(partnership, *DEVON[1:])
    _summary(partnership, b"period,category,count\n2014/15,All crime,1\n2015/16,Robbery,2\n")
    with django_assert_num_queries(len(few)):
        evidence.overview(assessment)


def test_the_json_export_compares_no_part_year_with_a_whole_one(partnership):
    from reports.exports import indicators_json
    from tests.factories import AssessmentFactory

    assessment = AssessmentFactory(partnership=partnership, period="2016/17")
    _summary(partnership, b"period,category,count\n2015/16,All crime,150000\n")
    _police_uk(partnership, *DEVON)
    [row] = [
        r
        for r in indicators_json(assessment)
        if r["category"] == "All crime" and r["period"] == "2016/17"
    ]
    assert row["previous_count"] == 150000
    assert (row["change"], row["pct_change"]) == (None, None)


def test_neighbourhoods_without_populations_are_charted_by_count_and_say_why(
    client, analyst, partnership
):
    from tests.factories import AssessmentFactory

    assessment = AssessmentFactory(partnership=partnership, period="2016/17")
    data_import(
        partnership=partnership,
        period="2016/17",
        kind="lookup",
        files=[
            (
                "l.csv",
                io.BytesIO(b"lsoa_code,neighbourhood\nE01015001,Centre\nE01015002,Harbour\n"),
            )
        ],
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
    )
    overview = evidence.overview(assessment)
    assert [(n.name, n.count) for n in overview.neighbourhoods.ranking] == [
        ("Centre", 2),
        ("Harbour", 1),
    ]
    assert "Crimes by neighbourhood, 2016/17" in overview.neighbourhood_chart
    client.force_login(analyst)
    page = client.get("/p/plymouth/2016-17/evidence/").content.decode()
    assert "No neighbourhood populations for 2016/17 yet, so no rates" in page

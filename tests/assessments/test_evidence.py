"""The evidence pages show the seed's figures, computed from the counts, to every member."""

import io
from pathlib import Path

import pytest

from assessments import evidence
from assessments.demo import DEMO_DATA
from assessments.importing import data_import
from assessments.imports import ColumnMapping

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


def test_an_outsider_cannot_see_the_evidence(client, outsider, seed_data):
    client.force_login(outsider)
    assert client.get(EVIDENCE_URL).status_code == 404


@pytest.mark.parametrize("person", ["admin_user", "analyst"])
def test_analysts_and_admins_may_import(client, request, person, assessment):
    client.force_login(request.getfixturevalue(person))
    assert client.get(IMPORT_URL).status_code == 200


@pytest.mark.parametrize("person", ["facilitator", "police_partner", "board_member"])
def test_other_roles_may_not_import(client, request, person, assessment):
    client.force_login(request.getfixturevalue(person))
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"kind": "summary"}).status_code == 403


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


def test_an_outsider_cannot_see_mappings(client, outsider, assessment):
    client.force_login(outsider)
    assert client.get(MAPPINGS_URL).status_code == 404


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

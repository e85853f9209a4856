"""`export_assessment --format json`: PRODUCT.md's schema, computed from the scores."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.models import Area, AreaKind, Indicator, IndicatorValue, Population, Risk
from assessments.scoring import DEFAULT_MODEL, compute_risk, round1
from tests.sheets_helpers import make_register, scored_risk_rows, write_sheet

pytestmark = pytest.mark.django_db


def _export(tmp_path) -> dict:
    path = tmp_path / "out.json"
    call_command(
        "export_assessment",
        partnership="plymouth",
        period="2019/20",
        format="json",
        output=str(path),
        stderr=io.StringIO(),
    )
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def imported(assessment, police, council, analyst, tmp_path):
    make_register(assessment)
    call_command(
        "import_scores",
        str(write_sheet(tmp_path, scored_risk_rows())),
        partnership="plymouth",
        period="2019/20",
        user=analyst.username,
        stdout=io.StringIO(),
    )
    return assessment


def test_an_imported_sheet_exports_scores_matching_the_default_model(imported, tmp_path):
    data = _export(tmp_path)
    assert data["schema"] == "workbench-assessment/1"
    assert (data["partnership"], data["period"], data["status"]) == ("plymouth", "2019/20", "draft")
    risk = next(r for r in data["risks"] if r["risk"] == "Domestic abuse")
    values = {f.key: None for f in DEFAULT_MODEL.factors}
    for factor in DEFAULT_MODEL.factors:
        values[factor.key] = Decimal(str(risk["factors"][factor.name]["value"]))
    expected = compute_risk(DEFAULT_MODEL, values)
    # 9 harm × 4 likelihood × 1.1 confidence × (0.6 + 0.2 × mean(2, 2, 3, 2)) = 41.58
    assert risk["score"] == float(round1(expected.score)) == 41.6
    assert (risk["harm"], risk["likelihood"], risk["confidence"], risk["response"]) == (
        9,
        4,
        1.1,
        1.05,
    )
    assert risk["rating"] == expected.rating == "Moderate"
    capacity = risk["factors"]["Capacity"]
    assert capacity == {
        "level": "Adequate",
        "value": 2,
        "source": "median",
        "submissions": 2,
        "divergent": True,
        "spread": [1, 3],
    }
    trend = risk["factors"]["Trend"]
    assert (trend["source"], trend["submissions"], trend["divergent"]) == ("analyst", 0, False)
    assert risk["factors"]["Cost to respond"]["source"] == "agreed"


def test_unscored_risks_export_nulls_and_say_what_is_missing(imported, tmp_path):
    burglary = next(r for r in _export(tmp_path)["risks"] if r["risk"] == "Burglary")
    assert burglary["score"] is None and burglary["harm"] is None
    assert burglary["rating"] == "Unrated"
    assert "Capacity" in burglary["missing"]
    assert burglary["factors"]["Trend"] == {
        "level": None,
        "value": None,
        "source": None,
        "submissions": 0,
        "divergent": False,
        "spread": None,
    }


def test_the_export_holds_the_model_priority_and_audit_as_json_values(imported, tmp_path):
    Risk.objects.filter(name="Burglary").update(is_priority=True, priority_reason="Because.")
    data = _export(tmp_path)
    model = data["scoring_model"]
    assert model["high_threshold"] == 60 and model["response_base"] == 0.6
    assert model["factors"][6]["levels"][2] == {
        "label": "Low",
        "value": 1.25,
        "description": model["factors"][6]["levels"][2]["description"],
    }
    burglary = next(r for r in data["risks"] if r["risk"] == "Burglary")
    assert (burglary["priority"], burglary["priority_reason"]) == (True, "Because.")
    assert len(data["audit"]) == 12
    submission = next(a for a in data["audit"] if a["organisation"] == "Plymouth City Council")
    assert submission["factor"] == "Capacity"
    assert (submission["kind"], submission["round"]) == ("submission", 1)
    assert (submission["old_value"], submission["new_value"]) == (None, 3)
    assert submission["when"][:4].isdigit() and "T" in submission["when"]


def test_indicators_export_counts_change_and_rates(imported, partnership, tmp_path):
    area = Area.objects.create(partnership=partnership, name="Plymouth", kind=AreaKind.PARTNERSHIP)
    Population.objects.create(area=area, period="2019/20", population=263_100)
    burglary = Indicator.objects.create(partnership=partnership, name="Burglary")
    Indicator.objects.create(partnership=partnership, name="Deprivation", unit="percent")
    IndicatorValue.objects.create(indicator=burglary, area=area, period="2018/19", value=1200)
    IndicatorValue.objects.create(
        indicator=burglary, area=area, period="2019/20", value=1083, msg_rate_per_1000="4.3"
    )
    indicators = _export(tmp_path)["indicators"]
    assert indicators == [
        {
            "category": "Burglary",
            "period": "2018/19",
            "count": 1200,
            "previous_count": None,
            "change": None,
            "pct_change": None,
            "rate_per_1000": None,
            "msg_rate_per_1000": None,
            "months": None,
            "rate_basis": "residents",
        },
        {
            "category": "Burglary",
            "period": "2019/20",
            "count": 1083,
            "previous_count": 1200,
            "change": -117,
            "pct_change": -9.8,
            "rate_per_1000": 4.1,
            "msg_rate_per_1000": 4.3,
            "months": None,
            "rate_basis": "residents",
        },
    ]


def test_the_json_export_counts_a_household_rate_against_households_and_says_so(
    imported, partnership, tmp_path
):
    area = Area.objects.create(partnership=partnership, name="Plymouth", kind=AreaKind.PARTNERSHIP)
    Population.objects.create(area=area, period="2019/20", population=262_100, households=110_000)
    burglary = Indicator.objects.create(
        partnership=partnership, name="Burglary residential", rate_basis="households"
    )
    robbery = Indicator.objects.create(partnership=partnership, name="Robbery")
    for indicator, count, msg in [(burglary, 649, "13.2"), (robbery, 238, "1.5")]:
        IndicatorValue.objects.create(
            indicator=indicator, area=area, period="2019/20", value=count, msg_rate_per_1000=msg
        )
    rows = {row["category"]: row for row in _export(tmp_path)["indicators"]}
    assert rows["Burglary residential"]["rate_per_1000"] == 5.9  # not 2.5 per resident
    assert rows["Burglary residential"]["rate_basis"] == "households"
    assert (rows["Robbery"]["rate_per_1000"], rows["Robbery"]["rate_basis"]) == (0.9, "residents")
    # Without the households the household rate is unknown, not worked out per resident.
    Population.objects.update(households=None)
    rows = {row["category"]: row for row in _export(tmp_path)["indicators"]}
    assert rows["Burglary residential"]["rate_per_1000"] is None
    assert rows["Burglary residential"]["msg_rate_per_1000"] == 13.2


def test_the_csv_export_lists_every_risk_with_its_rating(imported, tmp_path):
    output = tmp_path / "risks.csv"
    call_command(
        "export_assessment",
        partnership="plymouth",
        period="2019/20",
        format="csv",
        output=str(output),
    )
    text = output.read_text()
    assert text.count("\n") >= 2 and "rating" in text.lower()


def test_an_unknown_partnership_is_a_clear_error(imported, tmp_path):
    with pytest.raises(CommandError, match="nowhere"):
        call_command("export_assessment", partnership="nowhere", period="2019/20", format="csv")


def test_the_export_makes_the_same_number_of_queries_however_many_risks(
    imported, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.exports import assessment_export
    from tests.factories import RiskFactory

    with CaptureQueriesContext(connection) as few:
        assessment_export(imported)
    theme = imported.themes.first()
    for number in range(20):
        RiskFactory(theme=theme, name=f"Extra risk {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        data = assessment_export(imported)
    assert len(data["risks"]) == 23

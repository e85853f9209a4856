"""Imports check the whole file, then write it in one go; bad files change nothing."""

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.imports import ImportFailed, data_import
from assessments.models import (
    ImportRun,
    Indicator,
    IndicatorValue,
    LsoaNeighbourhood,
    RecordCount,
    Risk,
)

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[4] / "assessments" / "demo_data"
POLICE_UK = Path(__file__).resolve().parents[3] / "data" / "policeuk"


def _import(partnership, kind, name, content: bytes, **options):
    # The police.uk samples are of 2016/17: confirmed as earlier years' trend.
    options.setdefault("earlier_years", True)
    return data_import(
        partnership=partnership,
        period="2019/20",
        kind=kind,
        files=[(name, io.BytesIO(content))],
        **options,
    )


def _demo_file(name: str) -> bytes:
    return (DEMO / name).read_bytes()


def _value(partnership, name: str, period: str = "2019/20") -> Decimal:
    return IndicatorValue.objects.get(
        indicator__partnership=partnership,
        indicator__name=name,
        period=period,
        area__kind="partnership",
    ).value


def test_the_seed_summary_imports_every_count_and_comparator(partnership):
    outcome = _import(partnership, "summary", "crime-summary.csv", _demo_file("crime-summary.csv"))
    assert outcome.rows == 42
    assert _value(partnership, "All crime") == 23024
    assert _value(partnership, "All crime", "2018/19") == 23626
    shoplifting = IndicatorValue.objects.get(indicator__name="Shoplifting", period="2019/20")
    assert shoplifting.msg_rate_per_1000 == Decimal("8.5")


def test_reimporting_the_same_summary_replaces_and_never_doubles(partnership):
    for _ in range(2):
        _import(partnership, "summary", "crime-summary.csv", _demo_file("crime-summary.csv"))
    assert IndicatorValue.objects.count() == 42
    assert Indicator.objects.count() == 21


def test_a_summary_with_a_bad_row_is_refused_whole_with_row_and_column(partnership):
    content = b"period,category,count\n2019/20,Robbery,238\n2019/20,Burglary,lots\n"
    with pytest.raises(ImportFailed) as failure:
        _import(partnership, "summary", "bad.csv", content)
    [problem] = failure.value.problems
    assert (problem.row, problem.column) == (3, "count")
    assert IndicatorValue.objects.count() == 0 and ImportRun.objects.count() == 0


@pytest.mark.parametrize(
    "content,words",
    [
        (b"when,what,how many\n2019/20,Robbery,1\n", "period"),
        (b"period,category,count\n2019/21,Robbery,1\n", "consecutive"),
        (b"period,category,count\n2019/20,Robbery,-5\n", "negative"),
        (b"\x00\x01\x02\xff\xfe binary junk", "binary"),
    ],
)
def test_malformed_summaries_change_nothing(partnership, content, words):
    with pytest.raises(ImportFailed, match=words):
        _import(partnership, "summary", "bad.csv", content)
    assert IndicatorValue.objects.count() == 0


def test_a_text_file_named_xlsx_is_refused(partnership):
    with pytest.raises(ImportFailed, match="(?i)excel|workbook"):
        _import(partnership, "summary", "summary.xlsx", b"period,category,count\n")


def test_population_and_lookup_roll_records_up_to_neighbourhoods(partnership):
    _import(partnership, "population", "area.csv", _demo_file("area.csv"))
    _import(
        partnership,
        "lookup",
        "lookup.csv",
        b"lsoa_code,neighbourhood\nE01015001,City Centre\nE01015002,City Centre\n"
        b"E01015003,Stonehouse\n",
    )
    assert LsoaNeighbourhood.objects.count() == 3
    _import(
        partnership,
        "lookup",
        "lookup.csv",
        b"lsoa_code,neighbourhood\nE01015001,City Centre\n",
    )
    assert LsoaNeighbourhood.objects.count() == 1, "a new look-up replaces the old one"


def test_police_uk_files_count_every_row_including_identical_and_unlocated_ones(partnership):
    street = POLICE_UK / "2017-01-city-of-london-street.csv"
    rows = len(street.read_bytes().splitlines()) - 1
    outcome = _import(partnership, "records", street.name, street.read_bytes(), preset="police-uk")
    assert outcome.rows == rows
    total = sum(RecordCount.objects.filter(flag="").values_list("count", flat=True))
    assert total == rows
    # January 2017 belongs to the period that began in April 2016.
    assert set(RecordCount.objects.values_list("period", flat=True)) == {"2016/17"}


def test_a_zip_of_police_uk_files_skips_outcomes_and_says_so(partnership):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ("2017-01-city-of-london-street.csv", "2017-01-city-of-london-outcomes.csv"):
            archive.write(POLICE_UK / name, f"2017-01/{name}")
    outcome = _import(partnership, "records", "download.zip", buffer.getvalue(), preset="police-uk")
    assert "outcomes" in str(outcome)
    assert RecordCount.objects.exists()


def test_reimporting_records_replaces_those_months(partnership):
    street = (POLICE_UK / "2017-01-city-of-london-street.csv").read_bytes()
    _import(partnership, "records", "a.csv", street, preset="police-uk")
    before = RecordCount.objects.count()
    _import(partnership, "records", "a.csv", street, preset="police-uk")
    assert RecordCount.objects.count() == before


def test_records_with_a_column_mapping_and_flags(partnership):
    content = (
        b"Date,Offence,LSOA,DA\n"
        b"2019-04-03,Violence,E01015001,Y\n"
        b"2019-04-09,Violence,E01015001,\n"
        b"2019-05-01,Robbery,,no\n"
    )
    from assessments.imports import ColumnMapping

    mapping = ColumnMapping(month="Date", category="Offence", area="LSOA", flags=("DA",))
    _import(partnership, "records", "local.csv", content, mapping=mapping)
    assert _value(partnership, "Violence") == 2
    assert _value(partnership, "DA") == 1
    assert _value(partnership, "All crime") == 3


def test_the_register_import_links_categories_and_refuses_unknown_ones(partnership):
    _import(partnership, "summary", "crime-summary.csv", _demo_file("crime-summary.csv"))
    _import(
        partnership,
        "register",
        "register.csv",
        b"theme,risk,categories\nAcquisitive crime,Robbery,Robbery\n",
    )
    assert list(Risk.objects.get().indicators.values_list("name", flat=True)) == ["Robbery"]
    with pytest.raises(ImportFailed) as failure:
        _import(
            partnership,
            "register",
            "register.csv",
            b"theme,risk,categories\nAcquisitive crime,Fraud,Cyber fraud\n",
        )
    assert failure.value.problems[0].row == 2
    assert Risk.objects.count() == 1


def test_the_command_imports_and_creates_the_assessment(partnership, tmp_path):
    out = io.StringIO()
    call_command(
        "import_data",
        str(DEMO / "crime-summary.csv"),
        partnership="plymouth",
        period="2020/21",
        kind="summary",
        stdout=out,
    )
    assert "Imported 42 counts" in out.getvalue()
    assert partnership.assessments.filter(period="2020/21").exists()


def test_the_command_reports_every_problem_and_exits_non_zero(partnership, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("period,category,count\n2019/20,Robbery,x\n2019/20,Robbery,1\n")
    with pytest.raises(CommandError) as error:
        call_command(
            "import_data", str(bad), partnership="plymouth", period="2019/20", kind="summary"
        )
    message = str(error.value)
    assert "row 2" in message and "'count'" in message and "row 3" in message
    assert IndicatorValue.objects.count() == 0


def test_the_command_refuses_a_bad_period_clearly(partnership):
    with pytest.raises(CommandError, match="consecutive"):
        call_command(
            "import_data",
            str(DEMO / "area.csv"),
            partnership="plymouth",
            period="2019/21",
            kind="population",
        )


def test_a_new_preset_needs_only_an_entry_in_the_presets_table(partnership, monkeypatch):
    from assessments.imports import PRESETS, ColumnMapping, RecordPreset

    local = RecordPreset("Local force extract", ColumnMapping(month="Date", category="Offence"))
    monkeypatch.setitem(PRESETS, "local", local)
    content = b"Date,Offence\n2019-06-01,Robbery\n2019-07-02,Robbery\n"
    _import(partnership, "records", "extract.csv", content, preset="local")
    assert _value(partnership, "Robbery") == 2


def test_an_unknown_preset_is_refused(partnership):
    with pytest.raises(ImportFailed, match="not a known format"):
        _import(partnership, "records", "x.csv", b"a,b\n", preset="nonsense")


def test_a_category_mapping_file_replaces_the_mappings_and_later_records_use_it(partnership):
    from assessments.imports import ColumnMapping
    from assessments.models import CategoryMapping

    _import(
        partnership,
        "mappings",
        "mappings.csv",
        b"source_label,indicator\nBicycle theft,Theft other\nOther theft,Theft other\n",
    )
    outcome = _import(
        partnership,
        "mappings",
        "mappings.csv",
        b"source_label,indicator\nBicycle theft,Cycle crime\n",
    )
    assert "replacing the old ones" in str(outcome) and "re-import files" in str(outcome)
    assert list(CategoryMapping.objects.values_list("source_label", "indicator__name")) == [
        ("Bicycle theft", "Cycle crime")
    ]
    content = b"Month,Crime type\n2019-05,Bicycle theft\n2019-06,Bicycle theft\n"
    mapping = ColumnMapping(month="Month", category="Crime type")
    _import(partnership, "records", "r.csv", content, mapping=mapping)
    assert _value(partnership, "Cycle crime") == 2


def test_a_mapping_file_naming_a_label_twice_or_mapping_to_all_crime_changes_nothing(partnership):
    from assessments.models import CategoryMapping

    with pytest.raises(ImportFailed, match="already in row 2"):
        _import(partnership, "mappings", "m.csv", b"source_label,indicator\nArson,A\narson,B\n")
    with pytest.raises(ImportFailed, match="worked out from the other crime categories"):
        _import(partnership, "mappings", "m.csv", b"source_label,indicator\nArson,All crime\n")
    assert not CategoryMapping.objects.exists()


# --- households and rate bases ----------------------------------------------------------------

RATE_SUMMARY = (
    b"period,category,count,msg_rate_per_1000,rate_basis\n"
    b"2019/20,Burglary residential,649,13.2,households\n"
    b"2019/20,Robbery,238,1.5,\n"
)


def _basis(partnership, name: str) -> str:
    return Indicator.objects.get(partnership=partnership, name=name).rate_basis


def _population(partnership) -> tuple[int, int | None]:
    from assessments.models import Population

    row = Population.objects.get(area__partnership=partnership, period="2019/20")
    return row.population, row.households


def test_a_summarys_rate_basis_sets_each_indicators_basis(partnership):
    outcome = _import(partnership, "summary", "summary.csv", RATE_SUMMARY)
    assert _basis(partnership, "Burglary residential") == "households"
    assert _basis(partnership, "Robbery") == "residents"
    assert "Burglary residential: rates are now per 1,000 households." in str(outcome)


def test_a_summary_without_the_rate_basis_column_keeps_each_basis(partnership):
    _import(partnership, "summary", "summary.csv", RATE_SUMMARY)
    _import(
        partnership,
        "summary",
        "old.csv",
        b"period,category,count\n2019/20,Burglary residential,650\n",
    )
    assert _basis(partnership, "Burglary residential") == "households"
    # An empty cell in the column, though, says residents.
    _import(partnership, "summary", "s.csv", RATE_SUMMARY.replace(b"13.2,households", b"13.2,"))
    assert _basis(partnership, "Burglary residential") == "residents"


def test_a_bad_rate_basis_refuses_the_whole_summary(partnership):
    content = RATE_SUMMARY + b"2019/20,Rape,395,1.3,per head\n"
    with pytest.raises(ImportFailed) as failure:
        _import(partnership, "summary", "summary.csv", content)
    [problem] = failure.value.problems
    assert (problem.row, problem.column) == (4, "rate_basis")
    assert not Indicator.objects.exists() and not IndicatorValue.objects.exists()


def test_two_labels_of_one_indicator_with_different_bases_are_refused(partnership):
    call_command(
        "import_data",
        str(DEMO / "crime-summary.csv"),
        partnership="plymouth",
        period="2019/20",
        kind="summary",
        stdout=io.StringIO(),
    )
    from assessments.models import CategoryMapping

    CategoryMapping.objects.create(
        partnership=partnership,
        source_label="Domestic burglary",
        indicator=Indicator.objects.get(name="Burglary residential"),
    )
    content = RATE_SUMMARY + b"2018/19,Domestic burglary,667,,residents\n"
    with pytest.raises(ImportFailed) as failure:
        _import(partnership, "summary", "summary.csv", content)
    [problem] = failure.value.problems
    assert (problem.row, problem.column) == (4, "rate_basis")
    assert "which row 2 (Burglary residential) gives per 1,000 households" in problem.message
    assert _value(partnership, "Burglary residential", "2018/19") == 667  # the demo's, unchanged


def test_a_population_import_stores_households_and_a_file_without_them_keeps_them(partnership):
    outcome = _import(partnership, "population", "area.csv", _demo_file("area.csv"))
    assert _population(partnership) == (262100, 110000)
    assert "population and households" in str(outcome)
    _import(
        partnership, "population", "p.csv", b"area,period,population\nPlymouth,2019/20,262200\n"
    )
    assert _population(partnership) == (262200, 110000)
    # An empty households cell says they are not known.
    _import(
        partnership,
        "population",
        "p.csv",
        b"area,period,population,households\nPlymouth,2019/20,262200,\n",
    )
    assert _population(partnership) == (262200, None)


def test_bad_households_refuse_the_whole_population_file(partnership):
    _import(partnership, "population", "area.csv", _demo_file("area.csv"))
    content = b"area,period,population,households\nPlymouth,2019/20,1,\nPlymouth,2018/19,5,lots\n"
    with pytest.raises(ImportFailed) as failure:
        _import(partnership, "population", "p.csv", content)
    [problem] = failure.value.problems
    assert (problem.row, problem.column) == (3, "households")
    assert _population(partnership) == (262100, 110000)

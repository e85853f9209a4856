"""No import changes what a published assessment shows: its own period, the year before it
(its "previous year") and, for record-level months, the years its seasonal pattern averages."""

import io

import pytest

from assessments.imports import ColumnMapping, ImportFailed, data_import
from assessments.models import (
    AssessmentStatus,
    IndicatorValue,
    Population,
    RecordCount,
    RecordMonth,
)
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db

SUMMARY = (
    b"period,category,count,msg_rate_per_1000\n2018/19,Robbery,205,\n2019/20,Robbery,238,1.5\n"
)
MAPPING = ColumnMapping(month="Date", category="Offence", area="LSOA")


def _import(partnership, kind, content: bytes, period="2020/21", **options):
    options.setdefault("earlier_years", True)
    return data_import(
        partnership=partnership,
        period=period,
        kind=kind,
        files=[(f"{kind}.csv", io.BytesIO(content))],
        **options,
    )


def _publish(partnership, period="2019/20"):
    assessment = AssessmentFactory(partnership=partnership, period=period)
    assessment.status = AssessmentStatus.PUBLISHED
    assessment.save()
    return assessment


def _robbery(period):
    return IndicatorValue.objects.get(indicator__name="Robbery", period=period).value


def test_a_summary_changing_a_published_period_is_refused_whole_naming_it(partnership):
    _import(partnership, "summary", SUMMARY, period="2019/20")
    _publish(partnership)
    changed = SUMMARY.replace(b"238", b"240") + b"2020/21,Robbery,250,\n"
    with pytest.raises(ImportFailed) as failure:
        _import(partnership, "summary", changed)
    [problem] = failure.value.problems
    assert problem.row == 3 and "2019/20 assessment is published" in problem.message
    assert "from 238 to 240" in problem.message
    assert _robbery("2019/20") == 238
    assert not IndicatorValue.objects.filter(period="2020/21").exists()


def test_next_years_summary_may_repeat_a_published_years_counts_unchanged(partnership):
    _import(partnership, "summary", SUMMARY, period="2019/20")
    _publish(partnership)
    next_year = b"period,category,count,msg_rate_per_1000\n2019/20,Robbery,238,1.5\n"
    next_year += b"2020/21,Robbery,250,1.6\n"
    outcome = _import(partnership, "summary", next_year)
    assert _robbery("2020/21") == 250
    assert "1 row for periods that published assessments show repeated the stored" in str(outcome)


def test_the_year_before_a_published_one_is_locked_too_as_its_previous_year(partnership):
    _import(partnership, "summary", SUMMARY, period="2019/20")
    _publish(partnership)
    with pytest.raises(ImportFailed, match="shows 2018/19 as its previous year"):
        _import(partnership, "summary", b"period,category,count\n2018/19,Robbery,1\n")
    assert _robbery("2018/19") == 205


def test_record_months_of_a_published_period_or_the_two_years_before_are_refused(partnership):
    _publish(partnership)
    for month, words in [
        ("2019-06", "2019/20 assessment is published"),
        ("2018-06", "shows 2018/19 as its previous year"),
        ("2017-06", "seasonal pattern averages the months of 2017/18"),
    ]:
        content = f"Date,Offence,LSOA\n{month}-01,Robbery,\n".encode()
        with pytest.raises(ImportFailed, match=words):
            _import(partnership, "records", content, mapping=MAPPING)
    assert not RecordCount.objects.exists() and not RecordMonth.objects.exists()


def test_records_of_a_later_period_still_import(partnership):
    _publish(partnership)
    _import(partnership, "records", b"Date,Offence,LSOA\n2020-06-01,Robbery,\n", mapping=MAPPING)
    assert _robbery("2020/21") == 1


def test_a_population_for_a_published_period_is_refused(partnership):
    _import(partnership, "population", b"area,period,population\nPlymouth,2019/20,262100\n")
    _publish(partnership)
    with pytest.raises(ImportFailed, match="2019/20 assessment is published"):
        _import(partnership, "population", b"area,period,population\nPlymouth,2019/20,1\n")
    assert Population.objects.get().population == 262100


def test_an_earlier_population_a_published_assessment_falls_back_on_is_refused(partnership):
    _import(partnership, "population", b"area,period,population\nPlymouth,2016/17,250000\n")
    _publish(partnership)
    with pytest.raises(ImportFailed, match="uses the latest earlier one"):
        _import(partnership, "population", b"area,period,population\nPlymouth,2017/18,1\n")
    # A later period's population changes nothing the published assessment shows.
    _import(partnership, "population", b"area,period,population\nPlymouth,2020/21,270000\n")
    assert Population.objects.count() == 2


def test_a_new_lookup_never_changes_a_published_assessments_figures(partnership):
    _import(
        partnership,
        "lookup",
        b"lsoa_code,neighbourhood\nE01000001,Centre\nE01000002,Centre\n",
        period="2019/20",
    )
    content = (
        b"Date,Offence,LSOA\n2019-06-01,Robbery,E01000001\n2019-06-02,Robbery,E01000002\n"
        b"2019-06-03,Robbery,E01000003\n"
    )
    _import(partnership, "records", content, period="2019/20", mapping=MAPPING)
    later = b"Date,Offence,LSOA\n2020-06-01,Robbery,E01000003\n"
    _import(partnership, "records", later, period="2020/21", mapping=MAPPING)
    assert _robbery("2019/20") == 2
    _publish(partnership)
    outcome = _import(
        partnership, "lookup", b"lsoa_code,neighbourhood\nE01000003,Centre\n", period="2020/21"
    )
    assert _robbery("2019/20") == 2, "the published period keeps its figure"
    assert _robbery("2020/21") == 1, "an unpublished period is recounted with the new look-up"
    centre = IndicatorValue.objects.get(area__name="Centre", period="2019/20")
    assert centre.value == 2
    assert "2019/20 kept its figures" in str(outcome)
    june = RecordMonth.objects.get(month="2019-06")
    assert (june.crimes, june.outside_area) == (2, 1)


def test_a_published_indicators_rate_basis_cannot_change(partnership):
    _import(partnership, "summary", SUMMARY, period="2019/20")
    _publish(partnership)
    rebased = b"period,category,count,rate_basis\n2020/21,Robbery,250,households\n"
    with pytest.raises(ImportFailed) as failure:
        _import(partnership, "summary", rebased)
    [problem] = failure.value.problems
    assert (problem.row, problem.column) == (2, "rate_basis")
    assert "from per 1,000 residents to per 1,000 households" in problem.message
    assert "2019/20 assessment is published" in problem.message
    assert not IndicatorValue.objects.filter(period="2020/21").exists()
    # Saying the basis it already has is no change.
    _import(partnership, "summary", rebased.replace(b"households", b"residents"))
    assert _robbery("2020/21") == 250


def test_households_of_a_published_period_are_refused_and_repeats_accepted(partnership):
    header = b"area,period,population,households\n"
    _import(partnership, "population", header + b"Plymouth,2019/20,262100,\n", period="2019/20")
    _publish(partnership)
    with pytest.raises(ImportFailed) as failure:
        _import(partnership, "population", header + b"Plymouth,2019/20,262100,110000\n")
    [problem] = failure.value.problems
    assert problem.column == "households" and "from nothing to 110,000" in problem.message
    # Repeating the stored figures, with or without the households column, is accepted.
    _import(partnership, "population", header + b"Plymouth,2019/20,262100,\n")
    _import(partnership, "population", b"area,period,population\nPlymouth,2019/20,262100\n")
    assert Population.objects.get().households is None


def test_earlier_households_a_published_assessment_falls_back_on_are_refused(partnership):
    header = b"area,period,population,households\n"
    _import(partnership, "population", header + b"Plymouth,2016/17,250000,105000\n")
    _import(partnership, "population", header + b"Plymouth,2019/20,262100,\n")
    _publish(partnership)
    # 2019/20 has no households of its own and uses 2016/17's: a 2017/18 figure would change it.
    with pytest.raises(ImportFailed, match="has no households of its own"):
        _import(partnership, "population", header + b"Plymouth,2017/18,255000,107000\n")
    # Without households the same row changes nothing the published assessment uses.
    _import(partnership, "population", header + b"Plymouth,2017/18,255000,\n")
    assert Population.objects.count() == 3

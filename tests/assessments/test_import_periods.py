"""Record files of other years are refused unless confirmed; recent imports are per period."""

from __future__ import annotations

import io

from assessments.models import AssessmentStatus, RecordCount
from tests.factories import AssessmentFactory

IMPORT_URL = "/p/plymouth/2019-20/evidence/import/"
RECORDS = "Date,Offence\n{rows}"


def _post(client, content: str, url: str = IMPORT_URL, **extra):
    upload = io.BytesIO(content.encode())
    upload.name = "extract.csv"
    data = {
        "kind": "records",
        "files": upload,
        "preset": "",
        "month_column": "Date",
        "category_column": "Offence",
        "date_format": "auto",
        **extra,
    }
    return client.post(url, data, follow=True)


def _rows(*months: str) -> str:
    return RECORDS.format(rows="".join(f"{month}-05,Robbery\n" for month in months))


def test_an_analyst_is_asked_before_months_of_an_old_year_are_imported(client, analyst, assessment):
    client.force_login(analyst)
    html = _post(client, _rows("2019-06", "2017-01", "2017-02")).content.decode()
    assert "Nothing was imported" in html
    assert "January to February 2017 belong to 2016/17, before 2019/20" in html
    assert "trend, confirm so and import again" in html
    assert not RecordCount.objects.exists()
    html = _post(client, _rows("2019-06", "2017-01", "2017-02"), earlier_years="on").content
    assert b"Nothing was imported" not in html
    assert set(RecordCount.objects.values_list("period", flat=True)) == {"2019/20", "2016/17"}


def test_months_of_the_two_earlier_years_need_no_confirmation(client, analyst, assessment):
    client.force_login(analyst)
    _post(client, _rows("2019-06", "2018-06", "2017-06"))
    assert RecordCount.objects.count() == 3


def test_months_after_the_period_are_refused_even_when_earlier_years_are_confirmed(
    client, analyst, assessment
):
    client.force_login(analyst)
    html = _post(client, _rows("2019-06", "2020-05"), earlier_years="on").content.decode()
    assert "May 2020 belongs to 2020/21, after 2019/20: import them into the 2020/21" in html
    assert not RecordCount.objects.exists()


def test_recent_imports_show_this_periods_by_default_and_every_period_on_request(
    client, analyst, assessment
):
    AssessmentFactory(partnership=assessment.partnership, period="2020/21")
    client.force_login(analyst)
    _post(client, _rows("2020-06"), url="/p/plymouth/2020-21/evidence/import/")
    html = client.get(IMPORT_URL).content.decode()
    assert "Recent imports for 2019/20" in html and "Nothing imported yet for 2019/20" in html
    html = client.get(IMPORT_URL + "?all=1").content.decode()
    assert "extract.csv" in html and "<td>2020/21</td>" in html


def test_the_published_year_is_untouched_by_a_refused_import(client, analyst, assessment):
    assessment.status = AssessmentStatus.PUBLISHED
    assessment.save()
    client.force_login(analyst)
    _post(client, _rows("2019-06"))
    assert not RecordCount.objects.exists()

"""Record-level imports: every file given is collected before anything is checked, counts stay
inside the partnership's area, datasets are never added together, and re-imports replace."""

import io
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.imports import ColumnMapping, ImportFailed, data_import
from assessments.models import ImportRun, IndicatorValue, RecordCount, RecordMonth
from tests.assessments.imports.helpers import with_declared_size, zip_bytes
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db

POLICE_UK = Path(__file__).resolve().parents[3] / "data" / "policeuk"
STREET = sorted(POLICE_UK.glob("*-street.csv"))
LONDON = POLICE_UK / "2017-01-city-of-london-street.csv"
OUTCOMES = POLICE_UK / "2017-01-city-of-london-outcomes.csv"
FEBRUARY = POLICE_UK / "2017-02-devon-and-cornwall-street.csv"
FOLDER_RECORDS = 31_980  # every line of the four street files but their headers
IMPORT_URL = "/p/plymouth/2016-17/evidence/import/"


def rows_in(path: Path) -> int:
    return len(path.read_bytes().splitlines()) - 1


def value(partnership, name, period="2016/17", area_kind="partnership"):
    found = IndicatorValue.objects.filter(
        indicator__partnership=partnership,
        indicator__name=name,
        period=period,
        area__kind=area_kind,
    ).first()
    return found


def counted(partnership) -> int:
    return sum(RecordCount.objects.filter(flag="").values_list("count", flat=True))


def import_data(*paths, **options) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_data",
        *map(str, paths),
        partnership="plymouth",
        period=options.pop("period", "2016/17"),
        kind="records",
        stdout=out,
        stderr=err,
        **options,
    )
    return out.getvalue()


def records(partnership, content: bytes, *, name="local.csv", period="2019/20", **options):
    # Samples span several years: confirmed as earlier years' trend unless a test says not.
    options.setdefault("earlier_years", True)
    return data_import(
        partnership=partnership,
        period=period,
        kind="records",
        files=[(name, io.BytesIO(content))],
        **options,
    )


LOCAL = ColumnMapping(month="Date", category="Offence", area="LSOA")
SIMPLE = ColumnMapping(month="Date", category="Offence")


# --- several files, folders and ZIPs (all sources collected first) -------------------------


def test_a_street_file_and_an_outcomes_file_import_together_and_the_outcomes_are_skipped(
    partnership,
):
    output = import_data(LONDON, OUTCOMES, preset="police-uk")
    assert counted(partnership) == rows_in(LONDON)
    assert "2017-01-city-of-london-outcomes.csv (an outcomes file" in output


def test_the_real_police_uk_folder_imports_every_street_file_once(partnership):
    output = import_data(POLICE_UK, preset="police-uk")
    assert counted(partnership) == FOLDER_RECORDS
    assert "outcomes file" in output and "SOURCES.md" in output


def test_a_folder_holding_its_own_zip_counts_every_record_once(partnership, tmp_path):
    folder = tmp_path / "policeuk"
    shutil.copytree(POLICE_UK, folder)
    with zipfile.ZipFile(folder / "download.zip", "w") as archive:
        for path in STREET:
            archive.write(path, f"{path.name[:7]}/{path.name}")
    output = import_data(folder, preset="police-uk")
    assert counted(partnership) == FOLDER_RECORDS
    assert "download.zip (a ZIP inside a folder" in output


def test_the_same_file_given_twice_is_refused_and_nothing_is_written(partnership):
    with pytest.raises(CommandError, match="given twice") as error:
        import_data(FEBRUARY, FEBRUARY, preset="police-uk")
    assert str(error.value).count("Nothing was imported") == 1
    assert RecordCount.objects.count() == 0 and ImportRun.objects.count() == 0


def test_a_renamed_copy_of_a_file_is_refused_as_the_same_file(partnership, tmp_path):
    copy = tmp_path / "february-again-street.csv"
    shutil.copy(FEBRUARY, copy)
    with pytest.raises(CommandError, match="exactly the same contents"):
        import_data(FEBRUARY, copy, preset="police-uk")
    assert RecordCount.objects.count() == 0


def test_a_file_and_a_zip_holding_it_are_refused_rather_than_counted_twice(partnership, tmp_path):
    download = tmp_path / "download.zip"
    with zipfile.ZipFile(download, "w") as archive:
        archive.write(FEBRUARY, f"2017-02/{FEBRUARY.name}")
    with pytest.raises(CommandError, match="given twice"):
        import_data(FEBRUARY, download, preset="police-uk")


def test_uploading_street_and_outcomes_files_together_imports_the_street_file(
    client, analyst, partnership
):
    AssessmentFactory(partnership=partnership, period="2016/17")
    client.force_login(analyst)
    uploads = []
    for path in (LONDON, OUTCOMES):
        upload = io.BytesIO(path.read_bytes())
        upload.name = path.name
        uploads.append(upload)
    response = client.post(
        IMPORT_URL,
        {"kind": "records", "preset": "police-uk", "files": uploads, "date_format": "auto"},
        follow=True,
    )
    assert response.status_code == 200
    assert f"Counted {rows_in(LONDON):,} records".encode() in response.content
    assert b"an outcomes file, not street-level crime" in response.content
    assert counted(partnership) == rows_in(LONDON)


def test_the_command_reports_progress_on_stderr_for_a_large_file(partnership, tmp_path):
    from assessments.management.commands import import_data as command

    err = io.StringIO()
    original = command.PROGRESS_FROM_BYTES
    command.PROGRESS_FROM_BYTES = 1
    try:
        call_command(
            "import_data",
            str(FEBRUARY),
            partnership="plymouth",
            period="2016/17",
            kind="records",
            preset="police-uk",
            stdout=io.StringIO(),
            stderr=err,
        )
    finally:
        command.PROGRESS_FROM_BYTES = original
    assert "Checking and counting records" in err.getvalue() and "(100%)" in err.getvalue()


def test_the_command_reads_a_file_larger_than_the_upload_limit(partnership, settings):
    settings.UPLOAD_MAX_MB = 1
    assert FEBRUARY.stat().st_size > 2 * 1024 * 1024
    out = import_data(FEBRUARY, preset="police-uk", quiet_progress=True)
    assert f"Counted {rows_in(FEBRUARY):,} records" in out
    assert counted(partnership) == rows_in(FEBRUARY)


def test_an_upload_over_the_limit_is_still_refused_however_the_command_reads(partnership, settings):
    settings.UPLOAD_MAX_MB = 1
    with pytest.raises(ImportFailed) as failure:
        data_import(
            partnership=partnership,
            period="2016/17",
            kind="records",
            preset="police-uk",
            files=[(FEBRUARY.name, io.BytesIO(FEBRUARY.read_bytes()))],
        )
    assert "larger than the 1 MB limit" in str(failure.value)
    assert not RecordCount.objects.exists()


def test_an_uploaded_file_streams_to_a_temporary_file_on_disk_however_small(rf):
    from django.core.files.uploadedfile import TemporaryUploadedFile

    upload = io.BytesIO(LONDON.read_bytes()[:1000])
    upload.name = LONDON.name
    received = rf.post(IMPORT_URL, {"files": upload}).FILES["files"]
    assert isinstance(received, TemporaryUploadedFile)
    assert Path(received.temporary_file_path()).read_bytes() == LONDON.read_bytes()[:1000]


def test_the_import_command_loads_no_pdf_or_spreadsheet_library_to_count_records(tmp_path):
    import subprocess
    import sys

    script = (
        "import sys, django\n"
        "django.setup()\n"
        "from django.core.management import call_command\n"
        "try:\n"
        f"    call_command('import_data', {str(LONDON)!r}, partnership='x', period='2016/17',\n"
        "                 kind='records', preset='police-uk', skip_checks=False)\n"
        "except Exception:\n"
        "    pass  # the database is empty: what matters is what was imported to get here\n"
        "import assessments.imports.parse.record_engine, duckdb\n"
        "heavy = {'weasyprint', 'openpyxl', 'numpy', 'pandas', 'markdown', 'reports.views'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[4],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.strip() == "[]", done.stdout + done.stderr


def write_street_rows(path: Path, rows: int) -> None:
    """`rows` police.uk-shaped rows over 2019/20, every 7th with a quoted location."""
    header = (
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
        "LSOA name,Crime type,Last outcome category,Context\n"
    )
    lines = []
    for number in range(10_000):
        month = f"{2019 + (number % 12 >= 9)}-{(number % 12 + 3) % 12 + 1:02d}"
        location = (
            '"On or near Royal Parade, City Centre"'
            if number % 7 == 0
            else "On or near Mayflower St"
        )
        crime = ("Burglary", "Drugs", "Robbery", "Anti-social behaviour")[number % 4]
        lines.append(
            f"{number:064x},{month},Devon & Cornwall Police,Devon & Cornwall Police,-4.142000,"
            f"50.371000,{location},E0101{8000 + number % 200:04d},Plymouth {number % 200:03d}A,"
            f"{crime},Under investigation,\n"
        )
    block = "".join(lines).encode()
    with path.open("wb") as out:
        out.write(header.encode())
        for _ in range(rows // 10_000):
            out.write(block)


@pytest.mark.slow
def test_a_200_mb_file_imports_through_the_command_with_the_default_settings(partnership, tmp_path):
    from django.conf import settings

    path = tmp_path / "2019-20-devon-and-cornwall-street.csv"
    write_street_rows(path, 1_050_000)
    assert path.stat().st_size > 200 * 1024 * 1024 > settings.UPLOAD_MAX_MB * 1024 * 1024
    out = import_data(path, preset="police-uk", period="2019/20", quiet_progress=True)
    assert "Counted 1,050,000 records" in out
    assert counted(partnership) == 1_050_000
    assert RecordMonth.objects.filter(partnership=partnership).count() == 12


# --- the partnership's area ----------------------------------------------------------------

LOOKUP = b"lsoa_code,neighbourhood\nE01032739,Barbican\nE01032740,Barbican\nE01000002,Temple\n"


def lookup(partnership, content=LOOKUP, period="2016/17"):
    return data_import(
        partnership=partnership,
        period=period,
        kind="lookup",
        files=[("lookup.csv", io.BytesIO(content))],
    )


def london_rows(*codes: str, crimes_only: bool = True) -> int:
    import csv

    with LONDON.open(newline="") as handle:
        return sum(
            1
            for row in csv.DictReader(handle)
            if row["LSOA code"] in codes
            and not (crimes_only and row["Crime type"] == "Anti-social behaviour")
        )


def test_with_a_lookup_only_records_in_its_lsoas_or_without_a_location_count(partnership):
    lookup(partnership)
    outcome = import_data(LONDON, preset="police-uk")
    inside = london_rows("E01032739", "E01032740", "E01000002", "")
    assert value(partnership, "All crime").value == inside
    outside = rows_in(LONDON) - london_rows(
        "E01032739", "E01032740", "E01000002", "", crimes_only=False
    )
    assert f"{outside:,} in other LSOAs are outside it and are not counted" in outcome
    month = RecordMonth.objects.get()
    assert (month.crimes, month.outside_area, month.records) == (inside, outside, rows_in(LONDON))


def test_without_a_lookup_every_record_counts_and_the_import_says_so(partnership):
    outcome = import_data(LONDON, preset="police-uk")
    assert value(partnership, "All crime").value == rows_in(LONDON) - _asb(LONDON)
    assert "Plymouth has no LSOA look-up yet, so all 483 records count" in outcome


def _asb(path: Path) -> int:
    return path.read_text().count(",Anti-social behaviour,")


def test_a_new_lookup_recounts_the_area_and_its_neighbourhoods(partnership):
    import_data(LONDON, preset="police-uk")
    before = value(partnership, "All crime").value
    outcome = lookup(partnership)
    after = value(partnership, "All crime").value
    assert after == london_rows("E01032739", "E01032740", "E01000002", "") < before
    assert "Recounted the record-level figures of 2016/17" in str(outcome)
    barbican = IndicatorValue.objects.get(area__name="Barbican", indicator__name="All crime")
    assert barbican.value == london_rows("E01032739", "E01032740")
    assert barbican.source == "records" and barbican.months == 1


# --- datasets: never added together; re-imports replace ------------------------------------


def test_police_uk_and_a_local_extract_are_not_added_together_the_newer_wins(partnership):
    import_data(LONDON, preset="police-uk")
    police_total = value(partnership, "All crime").value
    records(
        partnership,
        b"Date,Offence,LSOA\n2017-01-05,Burglary,E01000001\n2017-01-09,Burglary,\n",
        period="2016/17",
        mapping=LOCAL,
        dataset="local extract",
    )
    all_crime = value(partnership, "All crime")
    assert all_crime.value == 2 and all_crime.dataset == "local extract"
    assert value(partnership, "Burglary").value == 2
    # Shoplifting is only in the police.uk data: it still comes from there, alone.
    shoplifting = value(partnership, "Shoplifting")
    assert shoplifting.dataset == "police-uk" and shoplifting.value == 67
    assert police_total > 2


def test_the_same_police_uk_file_imported_through_a_mapping_never_doubles_a_figure(partnership):
    import_data(FEBRUARY, preset="police-uk")
    before = value(partnership, "All crime").value
    mapping = ColumnMapping(month="Month", category="Crime type", area="LSOA code")
    records(
        partnership, FEBRUARY.read_bytes(), name=FEBRUARY.name, period="2016/17", mapping=mapping
    )
    after = value(partnership, "All crime")
    assert after.value == before
    assert after.dataset == "2017-02-devon-and-cornwall-street"


def test_a_mapped_upload_is_named_after_its_file_unless_a_dataset_is_given(partnership):
    records(partnership, b"Date,Offence\n2019-04-02,Robbery\n", name="extract.csv", mapping=SIMPLE)
    records(
        partnership,
        b"Date,Offence\n2019-05-02,Robbery\n",
        name="other.csv",
        mapping=SIMPLE,
        dataset="Force extract",
    )
    assert set(RecordMonth.objects.values_list("dataset", flat=True)) == {
        "extract",
        "Force extract",
    }


def test_reimporting_a_dataset_replaces_its_months_and_leaves_other_datasets_alone(partnership):
    local = b"Date,Offence,LSOA\n2017-01-05,Burglary,E01000001\n"
    records(partnership, local, period="2016/17", mapping=LOCAL, dataset="local")
    import_data(LONDON, preset="police-uk")
    import_data(LONDON, preset="police-uk")
    assert RecordCount.objects.filter(dataset="local").count() == 1
    assert counted(partnership) == rows_in(LONDON) + 1
    assert RecordMonth.objects.count() == 2


def test_a_category_missing_from_a_reimport_loses_its_old_value(partnership):
    mapping = ColumnMapping(month="Date", category="Offence")
    records(partnership, b"Date,Offence\n2019-04-02,Robbery\n2019-04-03,Arson\n", mapping=mapping)
    assert value(partnership, "Arson", "2019/20") is not None
    records(partnership, b"Date,Offence\n2019-04-02,Robbery\n", mapping=mapping)
    assert value(partnership, "Arson", "2019/20") is None
    assert value(partnership, "Robbery", "2019/20").value == 1


def test_a_summary_figure_wins_over_one_counted_from_records(partnership):
    data_import(
        partnership=partnership,
        period="2019/20",
        kind="summary",
        files=[("s.csv", io.BytesIO(b"period,category,count\n2019/20,Robbery,238\n"))],
    )
    records(partnership, b"Date,Offence\n2019-04-02,Robbery\n", mapping=SIMPLE)
    robbery = value(partnership, "Robbery", "2019/20")
    assert (robbery.value, robbery.source) == (Decimal(238), "summary")


# --- what the files may hold ----------------------------------------------------------------


def test_a_month_in_the_future_is_refused(partnership):
    with pytest.raises(ImportFailed, match="in the future") as failure:
        records(partnership, b"Date,Offence\n2099-01-03,Robbery\n", mapping=SIMPLE)
    assert failure.value.problems[0].row == 2
    assert RecordCount.objects.count() == 0


def test_a_csv_file_named_xlsx_is_refused_for_records_as_for_a_summary(partnership):
    with pytest.raises(ImportFailed, match="not a valid Excel workbook"):
        records(partnership, b"Date,Offence\n2019-04-02,Robbery\n", name="x.xlsx", mapping=SIMPLE)


def test_american_dates_are_read_when_that_format_is_chosen(partnership):
    mapping = ColumnMapping(month="Date", category="Offence", date_format="%m/%d/%Y")
    records(partnership, b"Date,Offence\n04/17/2019,Robbery\n05/01/2019,Robbery\n", mapping=mapping)
    assert sorted(RecordMonth.objects.values_list("month", flat=True)) == ["2019-04", "2019-05"]


def test_police_uk_categories_are_created_in_police_uk_order(partnership):
    import_data(LONDON, preset="police-uk")
    names = list(
        partnership.indicators.exclude(name="All crime")
        .order_by("order")
        .values_list("name", flat=True)
    )
    assert names[:3] == ["Anti-social behaviour", "Bicycle theft", "Burglary"]
    assert names[-2:] == ["Violence and sexual offences", "Other crime"]


# --- the upload form ------------------------------------------------------------------------


def test_a_damaged_zip_upload_gets_the_importers_message_not_a_server_error(
    client, analyst, partnership
):
    AssessmentFactory(partnership=partnership, period="2016/17")
    client.force_login(analyst)
    archive = zip_bytes({LONDON.name: LONDON.read_bytes()})
    upload = io.BytesIO(with_declared_size(archive, LONDON.name, LONDON.stat().st_size - 10))
    upload.name = "download.zip"
    response = client.post(
        IMPORT_URL,
        {"kind": "records", "preset": "police-uk", "files": upload, "date_format": "auto"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was imported" in page and "the ZIP archive is damaged" in page
    assert not RecordCount.objects.exists() and not ImportRun.objects.exists()


UPLOAD_2019 = "/p/plymouth/2019-20/evidence/import/"


def _post_records(client, content: bytes, **fields):
    upload = io.BytesIO(content)
    upload.name = fields.pop("name", "extract.csv")
    data = {"kind": "records", "preset": "", "files": upload, "date_format": "auto", **fields}
    return client.post(UPLOAD_2019, data, follow=True)


def test_a_mapped_upload_names_the_missing_column_and_the_columns_the_file_has(
    client, analyst, assessment
):
    client.force_login(analyst)
    response = _post_records(
        client,
        b"Offence date,Offence\n2019-04-02,Robbery\n",
        month_column="Date",
        category_column="Offence",
    )
    page = response.content.decode()
    assert "the month column &#x27;Date&#x27; is missing" in page
    assert "the header has &#x27;Offence date&#x27;, &#x27;Offence&#x27;" in page
    assert page.count("Nothing was imported") == 1
    assert not RecordCount.objects.exists()


def test_a_mapped_upload_reads_american_dates_and_keeps_its_dataset_name(
    client, analyst, assessment
):
    client.force_login(analyst)
    response = _post_records(
        client,
        b"When,What,Flag\n04/17/2019,Robbery,y\n05/02/2019,Robbery,\n",
        month_column="When",
        category_column="What",
        flag_columns="Flag",
        date_format="mm/dd/yyyy",
        dataset="Force extract",
    )
    assert "as the dataset “Force extract”" in response.content.decode()
    assert set(RecordMonth.objects.values_list("dataset", "month")) == {
        ("Force extract", "2019-04"),
        ("Force extract", "2019-05"),
    }
    assert value(assessment.partnership, "Flag", "2019/20").value == 1


def test_the_record_fields_are_grouped_so_they_can_be_hidden_for_other_kinds(
    client, analyst, assessment
):
    client.force_login(analyst)
    page = client.get(UPLOAD_2019).content.decode()
    options = page[page.index('id="record-options"') : page.index("</fieldset>\n  </fieldset>")]
    for name in ("preset", "dataset", "month_column", "date_format", "flag_columns"):
        assert f'name="{name}"' in options
    assert 'list="file-columns"' in options and '<datalist id="file-columns">' in page
    assert "js/upload-columns.js" in page

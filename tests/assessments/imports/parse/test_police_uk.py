"""data.police.uk street-level files: real files, folders, ZIPs and uploads."""

import io
import shutil
import time
import zipfile

import pytest

from assessments.imports.parse import (
    POLICE_UK,
    ImportFailed,
    aggregate_police_uk,
    aggregate_records,
    collect_police_uk_files,
    collect_police_uk_upload,
    collect_police_uk_uploads,
    is_street_file,
)

from ..helpers import MB, POLICE, at, line_count, refused, with_declared_size, zip_bytes

STREET_FILES = sorted(POLICE.glob("*-street.csv"))
LIMIT = 100 * MB


def opener(path):
    return lambda: path.open("rb")


def names(skipped):
    return [entry.name for entry in skipped]


@pytest.fixture(scope="module")
def all_counts():
    sources, _ = collect_police_uk_files([POLICE])
    return aggregate_records(sources, POLICE_UK, max_bytes=LIMIT)


@pytest.fixture
def download_zip(tmp_path):
    """The folder as data.police.uk serves it: a ZIP with a folder per month."""
    path = tmp_path / "download.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(POLICE.glob("*.csv")):
            archive.write(file, f"{file.name[:7]}/{file.name}")
    return path


def test_the_real_files_include_lf_and_crlf_line_endings():
    endings = {path.name: b"\r\n" in path.read_bytes()[:2000] for path in STREET_FILES}
    assert endings == {
        "2017-01-city-of-london-street.csv": True,
        "2017-01-devon-and-cornwall-street.csv": False,
        "2017-02-devon-and-cornwall-street.csv": False,
        "2017-03-devon-and-cornwall-street.csv": False,
    }


@pytest.mark.parametrize("path", STREET_FILES, ids=lambda path: path.name)
def test_each_real_street_file_counts_every_line_but_the_header(path):
    result = aggregate_records([(path.name, opener(path))], POLICE_UK, max_bytes=LIMIT)
    assert result.total() == result.rows == line_count(path) - 1
    assert {key[1] for key in result.counts} == {path.name[:7]}
    assert {key[3] for key in result.counts} == {""}


def test_the_real_street_files_together_count_all_their_lines(all_counts):
    assert all_counts.total() == sum(line_count(path) - 1 for path in STREET_FILES)
    assert [name.split("/")[-1] for name in all_counts.files] == [p.name for p in STREET_FILES]


def test_rows_with_no_location_count_under_an_empty_area():
    path = POLICE / "2017-01-devon-and-cornwall-street.csv"
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    no_location = sum(1 for line in lines if line.split(",")[7] == "")
    assert no_location > 0
    result = aggregate_records([(path.name, opener(path))], POLICE_UK, max_bytes=LIMIT)
    counted = sum(count for key, count in result.counts.items() if key[2] == "")
    assert counted == no_location


def test_crlf_and_lf_copies_of_a_file_count_the_same(tmp_path):
    crlf = POLICE / "2017-01-city-of-london-street.csv"
    lf = tmp_path / crlf.name
    lf.write_bytes(crlf.read_bytes().replace(b"\r\n", b"\n"))
    counts = [
        aggregate_records([(p.name, opener(p))], POLICE_UK, max_bytes=LIMIT).counts
        for p in (crlf, lf)
    ]
    assert counts[0] == counts[1]


def test_identical_duplicate_rows_are_both_counted(tmp_path):
    original = POLICE / "2017-03-devon-and-cornwall-street.csv"
    lines = original.read_bytes().splitlines(keepends=True)
    copy = tmp_path / original.name
    copy.write_bytes(b"".join(lines) + lines[1])
    before = aggregate_records([("a", opener(original))], POLICE_UK, max_bytes=LIMIT)
    after = aggregate_records([("b", opener(copy))], POLICE_UK, max_bytes=LIMIT)
    assert after.total() == before.total() + 1


def test_a_folder_gives_its_street_files_and_reports_the_others_as_skipped():
    sources, skipped = collect_police_uk_files([POLICE])
    assert [name for name, _ in sources] == [f"policeuk/{p.name}" for p in STREET_FILES]
    assert [str(s) for s in skipped] == [
        "policeuk/2017-01-city-of-london-outcomes.csv (an outcomes file, not street-level crime)",
        "policeuk/SOURCES.md (not a street-level file: its name does not end -street.csv)",
    ]


def test_a_zip_of_the_files_gives_identical_counts_and_skips_the_outcomes(download_zip, all_counts):
    sources, skipped = collect_police_uk_files([download_zip])
    assert names(skipped) == ["download.zip/2017-01/2017-01-city-of-london-outcomes.csv"]
    result = aggregate_records(sources, POLICE_UK, max_bytes=LIMIT)
    assert result.counts == all_counts.counts
    assert result.rows == all_counts.rows


def test_an_uploaded_zip_gives_identical_counts(download_zip, all_counts):
    upload = io.BytesIO(download_zip.read_bytes())
    sources, skipped = collect_police_uk_upload(upload, "download.zip")
    assert len(sources) == 4 and len(skipped) == 1
    assert aggregate_police_uk(sources, max_bytes=LIMIT).counts == all_counts.counts


def test_an_uploaded_csv_is_read_as_it_is():
    path = STREET_FILES[0]
    sources, skipped = collect_police_uk_upload(io.BytesIO(path.read_bytes()), path.name)
    assert skipped == []
    result = aggregate_police_uk(sources, max_bytes=LIMIT)
    assert result.total() == line_count(path) - 1


def test_an_uploaded_outcomes_file_is_skipped_and_refused_as_no_street_files():
    data = io.BytesIO(b"Crime ID,Month\n")
    problem = refused(collect_police_uk_upload, data, "2017-01-x-outcomes.csv")[0]
    assert "no data.police.uk street-level files" in problem.message
    assert "2017-01-x-outcomes.csv" in problem.message


def test_several_csv_paths_may_be_given_and_outcomes_among_them_are_skipped():
    paths = [*STREET_FILES[:2], POLICE / "2017-01-city-of-london-outcomes.csv"]
    sources, skipped = collect_police_uk_files(paths)
    assert [name for name, _ in sources] == [p.name for p in STREET_FILES[:2]]
    assert names(skipped) == ["2017-01-city-of-london-outcomes.csv"]


def test_the_same_file_given_twice_is_refused_rather_than_counted_twice(download_zip):
    problems = refused(collect_police_uk_files, [POLICE, download_zip])
    assert any("given twice" in problem.message for problem in problems)


def test_a_path_that_does_not_exist_is_refused(tmp_path):
    assert "does not exist" in refused(collect_police_uk_files, [tmp_path / "nope"])[0].message


def test_a_folder_without_street_files_is_refused_listing_what_it_skipped(tmp_path):
    shutil.copy(POLICE / "2017-01-city-of-london-outcomes.csv", tmp_path)
    problem = refused(collect_police_uk_files, [tmp_path])[0]
    assert "outcomes.csv" in problem.message


def test_macos_resource_forks_in_a_zip_are_ignored(tmp_path):
    path = tmp_path / "mac.zip"
    street = STREET_FILES[0]
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(street, street.name)
        archive.writestr(f"__MACOSX/._{street.name}", b"\x00\x05\x16\x07junk")
    sources, skipped = collect_police_uk_files([path])
    assert [name for name, _ in sources] == [f"mac.zip/{street.name}"] and skipped == []


def test_a_zip_bomb_of_street_files_is_refused_before_decompressing(tmp_path, street_bomb):
    path = tmp_path / "bomb.zip"
    path.write_bytes(street_bomb)
    assert path.stat().st_size < MB
    started = time.perf_counter()
    problems = refused(collect_police_uk_files, [path])
    assert time.perf_counter() - started < 1
    assert "zip bomb" in problems[0].message and problems[0].file == "bomb.zip"
    upload_problems = refused(collect_police_uk_upload, io.BytesIO(street_bomb), "bomb.zip")
    assert "zip bomb" in upload_problems[0].message


def test_a_zip_whose_street_files_exceed_the_limit_is_refused(download_zip):
    problems = refused(collect_police_uk_files, [download_zip], max_bytes=MB)
    assert "more than the 1 MB limit" in problems[0].message


def test_a_corrupt_zip_is_refused(tmp_path):
    path = tmp_path / "broken.zip"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    assert "not a readable ZIP" in refused(collect_police_uk_files, [path])[0].message


@pytest.mark.parametrize("given", ["upload", "path"])
def test_a_zip_whose_member_fails_its_crc_check_is_refused_naming_it(tmp_path, given):
    street = STREET_FILES[0]
    archive = zip_bytes({street.name: street.read_bytes()})
    damaged = with_declared_size(archive, street.name, street.stat().st_size - 10)
    if given == "upload":
        sources, _ = collect_police_uk_upload(io.BytesIO(damaged), "download.zip")
    else:
        (tmp_path / "download.zip").write_bytes(damaged)
        sources, _ = collect_police_uk_files([tmp_path / "download.zip"])
    problem = refused(aggregate_police_uk, sources, max_bytes=LIMIT)[0]
    assert problem.file == f"download.zip/{street.name}"
    assert "the ZIP archive is damaged (Bad CRC-32" in problem.message


def test_an_outcomes_file_read_as_street_data_is_refused_naming_the_missing_column():
    path = POLICE / "2017-01-city-of-london-outcomes.csv"
    with pytest.raises(ImportFailed) as failure:
        aggregate_records([(path.name, opener(path))], POLICE_UK, max_bytes=LIMIT)
    assert "missing" in at(failure.value.problems, 1, "Crime type").message


def test_street_file_names_are_recognised_in_any_folder_and_case():
    assert is_street_file("2019-04/2019-04-Devon-And-Cornwall-STREET.csv")
    assert not is_street_file("2019-04/2019-04-devon-and-cornwall-outcomes.csv")


def test_street_and_outcomes_paths_together_read_the_street_files_and_skip_the_rest():
    paths = [
        POLICE / "2017-01-city-of-london-street.csv",
        POLICE / "2017-01-city-of-london-outcomes.csv",
    ]
    sources, skipped = collect_police_uk_files(paths)
    assert [name for name, _ in sources] == ["2017-01-city-of-london-street.csv"]
    assert [str(s) for s in skipped] == [
        "2017-01-city-of-london-outcomes.csv (an outcomes file, not street-level crime)"
    ]


def test_several_uploads_are_collected_together_so_an_outcomes_file_among_them_is_skipped():
    street, outcomes = STREET_FILES[0], POLICE / "2017-01-city-of-london-outcomes.csv"
    uploads = [(p.name, io.BytesIO(p.read_bytes())) for p in (street, outcomes)]
    sources, skipped = collect_police_uk_uploads(uploads)
    assert [name for name, _ in sources] == [street.name]
    assert names(skipped) == [outcomes.name]


def test_the_same_upload_given_twice_is_refused_naming_both():
    path = STREET_FILES[1]
    uploads = [(path.name, io.BytesIO(path.read_bytes())) for _ in range(2)]
    problem = refused(collect_police_uk_uploads, uploads)[0]
    assert "given twice" in problem.message and path.name in problem.message


def test_a_folder_holding_its_own_zip_reads_the_csv_files_once_and_says_why_it_skipped_the_zip(
    tmp_path, download_zip, all_counts
):
    folder = tmp_path / "policeuk"
    shutil.copytree(POLICE, folder)
    shutil.copy(download_zip, folder / "download.zip")
    sources, skipped = collect_police_uk_files([folder])
    result = aggregate_records(sources, POLICE_UK, max_bytes=LIMIT)
    assert result.counts == all_counts.counts and result.rows == all_counts.rows
    [zip_entry] = [entry for entry in skipped if entry.name.endswith(".zip")]
    assert "the CSV files are read instead" in zip_entry.reason


def test_a_folder_holding_only_a_zip_reads_the_zip(tmp_path, download_zip, all_counts):
    folder = tmp_path / "downloads"
    folder.mkdir()
    shutil.copy(download_zip, folder / "download.zip")
    sources, _ = collect_police_uk_files([folder])
    assert aggregate_records(sources, POLICE_UK, max_bytes=LIMIT).counts == all_counts.counts


def test_a_copy_of_a_file_under_another_name_is_refused_as_the_same_file(tmp_path):
    original = STREET_FILES[1]
    copy = tmp_path / "copy-of-february-street.csv"
    copy.write_bytes(original.read_bytes())
    sources, _ = collect_police_uk_files([original, copy])
    problems = refused(aggregate_records, sources, POLICE_UK, max_bytes=LIMIT)
    assert "exactly the same contents" in problems[0].message
    assert problems[0].file == "copy-of-february-street.csv"


def test_two_different_files_with_identical_rows_inside_are_both_counted(tmp_path):
    row = "2019-04,Burglary,E01015001\n"
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("Month,Crime type,LSOA code\n" + row * 3)
    second.write_text("Month,Crime type,LSOA code\n" + row * 2)
    result = aggregate_records(
        [(p.name, opener(p)) for p in (first, second)], POLICE_UK, max_bytes=LIMIT
    )
    assert result.total() == 5

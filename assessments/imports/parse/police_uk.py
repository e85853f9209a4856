"""Finding data.police.uk street-level files in what a user gives: one CSV or several, a folder
(searched recursively), a ZIP of a download (read member by member, never extracted), or any
mix of these, all collected first and checked together.

Only `*-street.csv` files are read; `-outcomes.csv`, `-stop-and-search.csv` and anything else
are listed as skipped, each with the reason, so that the user can see what was left out. The
same file given twice (by name: police.uk names each file by month and force) is refused, so
that no month is ever counted twice. Every source comes with an opener, so files are opened
one at a time and can be read again if they have problems.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from .archives import looks_like_zip, zip_bomb_problems
from .problems import Problems
from .record_columns import ColumnMapping
from .record_counts import RecordAggregate, aggregate_records
from .record_sources import Opener

#: The columns of a street-level file that are counted (the preset `police-uk` uses it too).
POLICE_UK = ColumnMapping(month="Month", category="Crime type", area="LSOA code")
STREET_SUFFIX = "-street.csv"
#: The crime types of street-level files, in data.police.uk's order (PRODUCT.md); older files
#: also have "Public disorder and weapons".
CRIME_TYPES = (
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other theft",
    "Possession of weapons",
    "Public disorder and weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
    "Other crime",
)
OTHER_SUFFIXES = {
    "-outcomes.csv": "an outcomes file, not street-level crime",
    "-stop-and-search.csv": "a stop-and-search file, not street-level crime",
}
NOT_STREET = f"not a street-level file: its name does not end {STREET_SUFFIX}"
ZIP_IN_FOLDER = (
    "a ZIP inside a folder that also holds street-level CSV files: the CSV files are read "
    "instead (give the ZIP itself to read it)"
)
TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm")
#: What a ZIP's street files may expand to when no `max_bytes` is given: all forces for a
#: year are about 1.5 GB.
DEFAULT_MAX_UNCOMPRESSED = 4 * 1024**3

Sources = list[tuple[str, Opener]]


@dataclass(frozen=True)
class Skipped:
    """A file that was given but not read, and why."""

    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name} ({self.reason})"


def is_street_file(name: str) -> bool:
    return PurePosixPath(name.replace("\\", "/")).name.lower().endswith(STREET_SUFFIX)


def _skip_reason(name: str) -> str:
    lowered = name.lower()
    for suffix, reason in OTHER_SUFFIXES.items():
        if lowered.endswith(suffix):
            return reason
    return NOT_STREET


def _ignored(name: str) -> bool:
    """Hidden files and macOS resource forks (`__MACOSX/._2017-01-…-street.csv`)."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return any(part.startswith(".") or part == "__MACOSX" for part in parts)


def _is_zip(path: Path) -> bool:
    with path.open("rb") as handle:
        return looks_like_zip(handle.read(4))


def _open_member(path: Path, member: str) -> BinaryIO:
    # The member stays readable after the archive is closed: zipfile keeps the underlying
    # file open until the member is closed too.
    with zipfile.ZipFile(path) as archive:
        return archive.open(member)  # type: ignore[return-value]


class _Collector:
    """Sources, skipped files and problems gathered over everything the user gave."""

    def __init__(self, max_bytes: int | None) -> None:
        self.limit = max_bytes if max_bytes is not None else DEFAULT_MAX_UNCOMPRESSED
        self.sources: Sources = []
        self.skipped: list[Skipped] = []
        self.problems = Problems()
        self.expanded = 0  # what ZIP members will expand to, across every ZIP

    def zip_members(
        self, archive: zipfile.ZipFile, label: str, opener_for: Callable[[str], Opener]
    ) -> None:
        taken = []
        for info in archive.infolist():
            if info.is_dir() or _ignored(info.filename):
                continue
            if is_street_file(info.filename):
                taken.append(info)
            else:
                self.skipped.append(
                    Skipped(f"{label}/{info.filename}", _skip_reason(info.filename))
                )
        bombs = zip_bomb_problems(taken, max_total=self.limit - self.expanded)
        for message in bombs:
            self.problems.add(None, None, message, label)
        if not bombs:
            self.expanded += sum(info.file_size for info in taken)
            for info in sorted(taken, key=lambda info: info.filename):
                self.sources.append((f"{label}/{info.filename}", opener_for(info.filename)))

    def zip_path(self, path: Path, label: str) -> None:
        try:
            with zipfile.ZipFile(path) as archive:
                self.zip_members(archive, label, lambda member: lambda: _open_member(path, member))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
            self.problems.add(None, None, "the file is not a readable ZIP archive", label)

    def folder(self, path: Path) -> None:
        files = [
            file
            for file in sorted(path.rglob("*"))
            if file.is_file() and not _ignored(file.relative_to(path).as_posix())
        ]
        has_street_csv = any(is_street_file(file.name) for file in files)
        for file in files:
            label = f"{path.name}/{file.relative_to(path).as_posix()}"
            if is_street_file(file.name):
                self.sources.append((label, lambda file=file: file.open("rb")))
            elif _is_zip(file) and not file.name.lower().endswith(TABLE_SUFFIXES[1:]):
                # A folder is usually a download extracted next to its ZIP: read one or the
                # other, never both.
                if has_street_csv:
                    self.skipped.append(Skipped(label, ZIP_IN_FOLDER))
                else:
                    self.zip_path(file, label)
            else:
                self.skipped.append(Skipped(label, _skip_reason(file.name)))

    def file(self, path: Path) -> None:
        name = path.name
        if _is_zip(path) and not name.lower().endswith(TABLE_SUFFIXES[1:]):
            self.zip_path(path, name)
        elif not name.lower().endswith(TABLE_SUFFIXES):
            self.skipped.append(Skipped(name, "not a CSV file or a ZIP of them"))
        elif _skip_reason(name) != NOT_STREET:
            self.skipped.append(Skipped(name, _skip_reason(name)))
        else:
            self.sources.append((name, lambda path=path: path.open("rb")))

    def upload(self, upload: BinaryIO, filename: str) -> None:
        start = upload.tell()
        head = upload.read(4)
        upload.seek(start)
        if looks_like_zip(head) and not filename.lower().endswith(TABLE_SUFFIXES[1:]):
            try:
                archive = zipfile.ZipFile(upload)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
                self.problems.add(None, None, "the file is not a readable ZIP archive", filename)
                return
            self.zip_members(
                archive,
                filename,
                lambda member: lambda: archive.open(member),  # type: ignore[return-value]
            )
        elif _skip_reason(filename) != NOT_STREET:
            self.skipped.append(Skipped(filename, _skip_reason(filename)))
        else:
            self.sources.append((filename, _rewinding(upload, start)))

    def finish(self) -> tuple[Sources, list[Skipped]]:
        self._check_unique_names()
        if not self.sources and not self.problems:
            listing = f"; skipped: {', '.join(map(str, self.skipped))}" if self.skipped else ""
            self.problems.add(
                None,
                None,
                f"no data.police.uk street-level files (names ending {STREET_SUFFIX}) were "
                f"found{listing}",
            )
        self.problems.raise_if_any()
        return self.sources, self.skipped

    def _check_unique_names(self) -> None:
        """The same police.uk file given twice (in a folder and in a ZIP, say) would count
        every incident of that month twice: refused, naming both."""
        first: dict[str, str] = {}
        for name, _ in self.sources:
            base = PurePosixPath(name.replace("\\", "/")).name.lower()
            if base in first:
                where = "" if first[base] == name else f" ({first[base]} and {name})"
                self.problems.add(
                    None,
                    None,
                    f"{base} is given twice{where}; its incidents would be counted twice, so "
                    "nothing was read: give each file once",
                )
            else:
                first[base] = name


def collect_police_uk_files(
    paths: Iterable[Path | str], *, max_bytes: int | None = None
) -> tuple[Sources, list[Skipped]]:
    """Sources `(name, opener)` for every street-level file in `paths`, and what was skipped.

    Each path is a CSV file (taken unless it is an outcomes or stop-and-search file), a
    folder (its `*-street.csv` files, recursively; a ZIP inside a folder is read only if the
    folder holds no street-level CSV files, since it is usually the download the folder was
    extracted from) or a ZIP (its `*-street.csv` members). ZIP members that would expand
    absurdly, or beyond `max_bytes` in all, are refused before anything is decompressed."""
    collector = _Collector(max_bytes)
    for given in paths:
        path = Path(given)
        if path.is_dir():
            collector.folder(path)
        elif path.is_file():
            collector.file(path)
        else:
            collector.problems.add(None, None, f"{given} does not exist")
    return collector.finish()


def collect_police_uk_uploads(
    uploads: Iterable[tuple[str, BinaryIO]], *, max_bytes: int | None = None
) -> tuple[Sources, list[Skipped]]:
    """Like `collect_police_uk_files` for uploaded files (ZIPs or CSVs), each a seekable binary
    stream such as Django's UploadedFile. The streams must stay open until the sources have
    been read."""
    collector = _Collector(max_bytes)
    for filename, upload in uploads:
        collector.upload(upload, filename)
    return collector.finish()


def collect_police_uk_upload(
    upload: BinaryIO, filename: str, *, max_bytes: int | None = None
) -> tuple[Sources, list[Skipped]]:
    """`collect_police_uk_uploads` for one upload."""
    return collect_police_uk_uploads([(filename, upload)], max_bytes=max_bytes)


class _Unclosable:
    """Hands the upload to the reader without letting it be closed."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self._stream, name)

    def close(self) -> None:
        pass


def _rewinding(upload: BinaryIO, start: int) -> Opener:
    def opener() -> BinaryIO:
        upload.seek(start)
        return _Unclosable(upload)  # type: ignore[return-value]

    return opener


def aggregate_police_uk(
    sources: Sources,
    *,
    max_bytes: int,
    progress: Callable[[int], None] | None = None,
) -> RecordAggregate:
    """`aggregate_records` with the police.uk column mapping."""
    return aggregate_records(sources, POLICE_UK, max_bytes=max_bytes, progress=progress)

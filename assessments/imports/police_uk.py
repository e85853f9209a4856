"""Finding data.police.uk street-level files in what a user gives: one CSV or several, a folder
(searched recursively) or a ZIP of a download (read member by member, never extracted).

Only `*-street.csv` files are read; `-outcomes.csv`, `-stop-and-search.csv` and anything else
are listed as skipped so that the user can see what was left out. Every source comes with an
opener, so files are opened one at a time and can be read again if they have problems.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from .archives import looks_like_zip, zip_bomb_problems
from .problems import Problems, refuse
from .records import POLICE_UK, Opener, RecordAggregate, aggregate_records

STREET_SUFFIX = "-street.csv"
OTHER_SUFFIXES = ("-outcomes.csv", "-stop-and-search.csv")
#: What a ZIP's street files may expand to when no `max_bytes` is given: all forces for a
#: year are about 1.5 GB.
DEFAULT_MAX_UNCOMPRESSED = 4 * 1024**3

Sources = list[tuple[str, Opener]]


def is_street_file(name: str) -> bool:
    return PurePosixPath(name.replace("\\", "/")).name.lower().endswith(STREET_SUFFIX)


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


def _zip_members(
    archive: zipfile.ZipFile,
    label: str,
    opener_for: Callable[[str], Opener],
    max_bytes: int | None,
    sources: Sources,
    skipped: list[str],
    problems: Problems,
) -> None:
    taken = []
    for info in archive.infolist():
        if info.is_dir() or _ignored(info.filename):
            continue
        if is_street_file(info.filename):
            taken.append(info)
        else:
            skipped.append(f"{label}/{info.filename}")
    limit = max_bytes if max_bytes is not None else DEFAULT_MAX_UNCOMPRESSED
    bombs = zip_bomb_problems(taken, max_total=limit)
    for message in bombs:
        problems.add(None, None, message, label)
    if not bombs:
        for info in sorted(taken, key=lambda info: info.filename):
            sources.append((f"{label}/{info.filename}", opener_for(info.filename)))


def _add_zip_path(
    path: Path,
    label: str,
    max_bytes: int | None,
    sources: Sources,
    skipped: list[str],
    problems: Problems,
) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            _zip_members(
                archive,
                label,
                lambda member: lambda: _open_member(path, member),
                max_bytes,
                sources,
                skipped,
                problems,
            )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        problems.add(None, None, "the file is not a readable ZIP archive", label)


def _check_unique_names(sources: Sources, problems: Problems) -> None:
    """The same police.uk file given twice (in a folder and in a ZIP, say) would count every
    incident of that month twice."""
    first: dict[str, str] = {}
    for name, _ in sources:
        base = PurePosixPath(name.replace("\\", "/")).name.lower()
        if base in first:
            problems.add(
                None,
                None,
                f"{base} is given twice ({first[base]} and {name}); its incidents would be "
                "counted twice",
            )
        else:
            first[base] = name


def _finish(sources: Sources, skipped: list[str], problems: Problems) -> tuple[Sources, list]:
    _check_unique_names(sources, problems)
    if not sources and not problems:
        listing = f"; skipped: {', '.join(skipped)}" if skipped else ""
        problems.add(
            None,
            None,
            f"no data.police.uk street-level files (names ending {STREET_SUFFIX}) were "
            f"found{listing}",
        )
    problems.raise_if_any()
    return sources, skipped


def collect_police_uk_files(
    paths: Iterable[Path | str], *, max_bytes: int | None = None
) -> tuple[Sources, list[str]]:
    """Sources `(name, opener)` for every street-level file in `paths`, and the names skipped.

    Each path is a CSV file (taken unless it is an outcomes or stop-and-search file), a
    folder (its `*-street.csv` files, recursively; ZIPs inside folders are skipped, since
    they are usually the download the folder was extracted from) or a ZIP (its
    `*-street.csv` members). ZIP members that would expand absurdly, or beyond `max_bytes`
    in all, are refused before anything is decompressed."""
    sources: Sources = []
    skipped: list[str] = []
    problems = Problems()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                relative = file.relative_to(path).as_posix()
                if not file.is_file() or _ignored(relative):
                    continue
                label = f"{path.name}/{relative}"
                if is_street_file(relative):
                    sources.append((label, lambda file=file: file.open("rb")))
                else:
                    skipped.append(label)
        elif path.is_file():
            if _is_zip(path) and not path.name.lower().endswith((".xlsx", ".xlsm")):
                _add_zip_path(path, path.name, max_bytes, sources, skipped, problems)
            elif path.name.lower().endswith(OTHER_SUFFIXES) or not path.name.lower().endswith(
                (".csv", ".xlsx", ".xlsm")
            ):
                skipped.append(path.name)
            else:
                sources.append((path.name, lambda path=path: path.open("rb")))
        else:
            problems.add(None, None, f"{given} does not exist")
    return _finish(sources, skipped, problems)


def collect_police_uk_upload(
    upload: BinaryIO, filename: str, *, max_bytes: int | None = None
) -> tuple[Sources, list[str]]:
    """Like `collect_police_uk_files` for one uploaded file (a ZIP or a CSV), given as a
    seekable binary stream such as Django's UploadedFile. The stream must stay open until
    the sources have been read."""
    sources: Sources = []
    skipped: list[str] = []
    problems = Problems()
    start = upload.tell()
    head = upload.read(4)
    upload.seek(start)
    if looks_like_zip(head) and not filename.lower().endswith((".xlsx", ".xlsm")):
        try:
            archive = zipfile.ZipFile(upload)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
            refuse(filename, f"{filename} is not a readable ZIP archive")
        _zip_members(
            archive,
            filename,
            lambda member: lambda: archive.open(member),  # type: ignore[return-value]
            max_bytes,
            sources,
            skipped,
            problems,
        )
    elif filename.lower().endswith(OTHER_SUFFIXES):
        skipped.append(filename)
    else:
        sources.append((filename, _rewinding(upload, start)))
    return _finish(sources, skipped, problems)


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

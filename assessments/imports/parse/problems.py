"""What goes wrong in an import, said so that a spreadsheet user can find and fix it.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row is 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NoReturn

#: At most this many problems are kept; the rest are summarised in one final entry.
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with an uploaded file, with where it is.

    `row` and `column` are None when the problem is about the file as a whole; `file` names the
    file when one import reads several (a ZIP of police.uk files, say).
    """

    row: int | None
    column: str | None
    message: str
    file: str | None = None

    def __str__(self) -> str:
        place = []
        if self.file:
            place.append(self.file)
        if self.row is not None:
            place.append(f"row {self.row}")
        if self.column is not None:
            place.append(f"column {self.column!r}")
        return f"{', '.join(place)}: {self.message}" if place else self.message


def plural(count: int, word: str, words: str | None = None) -> str:
    """`1 problem`, `2,000 problems`; `words` where adding an s is wrong (`categories`)."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


class ImportFailed(Exception):
    """The file was refused. `problems` lists every problem found (capped at MAX_PROBLEMS, with a
    final "…and N more problems" entry); `total` is how many there were in all."""

    def __init__(
        self,
        problems: Iterable[ImportProblem],
        filename: str | None = None,
        *,
        total: int | None = None,
    ) -> None:
        found = list(problems)
        self.filename = filename
        self.total = max(total or 0, len(found))
        if self.total > MAX_PROBLEMS or len(found) > MAX_PROBLEMS:
            kept = found[:MAX_PROBLEMS]
            more = self.total - len(kept)
            kept.append(ImportProblem(None, None, f"…and {plural(more, 'more problem')}"))
            found = kept
        self.problems: list[ImportProblem] = found
        super().__init__(self._describe())

    def _describe(self) -> str:
        subject = f"{self.filename} was not imported" if self.filename else "Nothing was imported"
        lines = [f"{subject}: {plural(self.total, 'problem')}"]
        lines.extend(f"- {problem}" for problem in self.problems)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._describe()


class Problems:
    """Collects problems while a file is checked, keeping memory bounded however bad the file."""

    def __init__(self, filename: str | None = None) -> None:
        self.filename = filename
        self.items: list[ImportProblem] = []
        self.total = 0

    def add(
        self, row: int | None, column: str | None, message: str, file: str | None = None
    ) -> None:
        self.total += 1
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(ImportProblem(row, column, message, file))

    def extend(self, other: Problems) -> None:
        for problem in other.items:
            self.add(problem.row, problem.column, problem.message, problem.file)
        self.total += other.total - len(other.items)

    def __bool__(self) -> bool:
        return self.total > 0

    def __len__(self) -> int:
        return self.total

    def fail(self) -> NoReturn:
        raise ImportFailed(self.items, self.filename, total=self.total)

    def raise_if_any(self) -> None:
        if self.total:
            self.fail()


def refuse(filename: str | None, message: str, row: int | None = None) -> NoReturn:
    """Refuse the whole file with a single problem."""
    raise ImportFailed([ImportProblem(row, None, message)], filename)


def format_size(size: int) -> str:
    """`10485760` → `10 MB`; small limits are shown in KB or bytes so they never read as 0 MB."""
    megabytes = size / 1_048_576
    if megabytes >= 1:
        return f"{megabytes:,.1f}".removesuffix(".0") + " MB"
    if size >= 1024:
        return f"{size / 1024:,.0f} KB ({megabytes:.2f} MB)"
    return f"{size:,} bytes ({megabytes:.2f} MB)"

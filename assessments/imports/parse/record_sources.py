"""Reading the sources of a record-level import: each file can be opened again (to find its
problems), and every byte read counts against one limit for all files together.
"""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import BinaryIO, TextIO

from .files import FIELD_LIMIT, binary_problem

#: Bytes read at a time (and so how often `progress` is told): a little under FIELD_LIMIT,
#: so that only a block that carries a long line over from the last can hold a too-long line.
CHUNK = FIELD_LIMIT - 65_536
PROGRESS_STEP = 1 << 20

Opener = Callable[[], BinaryIO]
Source = tuple[str, "BinaryIO | Opener"]


class NeedExactPass(Exception):
    """The fast pass met something it does not handle; the exact pass will."""


class FileRefused(Exception):
    """The file cannot be read at all (binary, undecodable, too big): one problem."""

    def __init__(self, message: str, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column


class TooBig(Exception):
    pass


class Budget:
    """Bytes read across all files: enforces `max_bytes` and reports progress."""

    def __init__(self, max_bytes: int, progress: Callable[[int], None] | None) -> None:
        self.max_bytes = max_bytes
        self.progress = progress
        self.done = 0
        self.current = 0
        self.reported = 0

    def at(self, position: int) -> None:
        """`position` bytes of the current file have been read (perhaps for a second time)."""
        self.current = max(self.current, position)
        total = self.done + position
        if total > self.max_bytes:
            raise TooBig
        if self.progress is not None and total >= self.reported + PROGRESS_STEP:
            self.reported = total
            self.progress(total)

    def limit(self, position: int) -> None:
        """Raise TooBig if `position` bytes of the current file are more than is allowed."""
        if self.done + position > self.max_bytes:
            raise TooBig

    def finish_file(self) -> None:
        self.done += self.current
        self.current = 0
        if self.progress is not None and self.done > self.reported:
            self.reported = self.done
            self.progress(self.done)


class _CountingReader(io.RawIOBase):
    """Raw reader for the exact pass: counts bytes against the budget and refuses NUL bytes."""

    def __init__(self, stream: BinaryIO, budget: Budget) -> None:
        self.stream = stream
        self.budget = budget
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:
        data = self.stream.read(len(buffer))
        if not data:
            return 0
        problem = binary_problem(data, self.position)
        if problem:
            raise FileRefused(problem)
        self.position += len(data)
        self.budget.at(self.position)
        buffer[: len(data)] = data
        return len(data)


class RecordSource:
    """One source, which can be read more than once (an opener, or a seekable stream)."""

    def __init__(self, name: str, target: BinaryIO | Opener) -> None:
        self.name = name
        self.target = target
        self.start: int | None = None

    @contextmanager
    def reading(self) -> Iterator[BinaryIO]:
        """The source from its start; closed afterwards if this opened it."""
        stream = self._open()
        try:
            yield stream
        finally:
            if not hasattr(self.target, "read"):
                stream.close()

    def _open(self) -> BinaryIO:
        target = self.target
        if not hasattr(target, "read"):
            return target()  # an opener: a fresh stream each time
        stream: BinaryIO = target  # type: ignore[assignment]
        if self.start is None:
            self.start = stream.tell() if stream.seekable() else -1
        elif self.start < 0:
            raise FileRefused("the file could not be read a second time to find its problems")
        else:
            stream.seek(self.start)
        return stream

    def head(self) -> bytes:
        """The first four bytes: enough to tell a ZIP (a workbook) from text."""
        with self.reading() as stream:
            return stream.read(4)

    @contextmanager
    def text(self, budget: Budget, encoding: str, errors: str = "strict") -> Iterator[TextIO]:
        """The source as text for `csv`, its bytes counted against `budget`, NUL bytes refused."""
        with self.reading() as stream:
            raw = _CountingReader(stream, budget)
            yield io.TextIOWrapper(
                io.BufferedReader(raw, CHUNK), encoding=encoding, newline="", errors=errors
            )

    def digest(self) -> bytes:
        """A hash of the whole source, to tell whether two sources are the same file."""
        with self.reading() as stream:
            digest = hashlib.blake2b()
            while block := stream.read(CHUNK):
                digest.update(block)
            return digest.digest()


class FileCount:
    """The counts of one file: raw keys (bytes or text, as in the file) → number of rows,
    then, once checked, final (category, month, area, flag) keys → number of rows."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.counter: Counter = Counter()
        self.rows = 0
        self.encoding = "utf-8"

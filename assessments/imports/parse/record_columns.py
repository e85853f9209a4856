"""Which columns of a record-level file hold what, and checking the values found in them.

Each distinct value is checked once (a year of police.uk files has millions of rows but a few
hundred categories, months and areas), and its outcome is cached.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter

from assessments.periods import parse_month

from . import values
from .files import normalise_header
from .problems import Problems

#: LSOA codes are nine characters; other area codes are allowed up to this length.
AREA_MAX = 20
TRUTHY = frozenset({"y", "yes", "true", "1", "x"})
FALSY = frozenset({"", "n", "no", "false", "0"})


@dataclass(frozen=True)
class ColumnMapping:
    """Which columns of a record-level file hold what, named as in the file's header (matched
    ignoring case and spacing). `date_format` is tried first for the month; YYYY-MM,
    YYYY-MM-DD and DD/MM/YYYY always work. A flag column counts a row as flagged when it
    holds y, yes, true, 1 or x."""

    month: str
    category: str
    area: str | None = None
    flags: tuple[str, ...] = ()
    date_format: str = "%Y-%m"

    def columns(self) -> list[tuple[str, str]]:
        """(role, column name) in key order: category, month, [area], flags."""
        roles = [("category", self.category), ("month", self.month)]
        if self.area:
            roles.append(("area", self.area))
        roles.extend(("flag", flag) for flag in self.flags)
        return roles


def resolve_columns(
    header: list[str], mapping: ColumnMapping, name: str, problems: Problems, row: int
) -> list[int] | None:
    """Indexes of the mapped columns in `header`, or None after reporting what is missing."""
    where: dict[str, list[int]] = defaultdict(list)
    for index, cell in enumerate(header):
        where[normalise_header(cell)].append(index)
    indexes = []
    listing = ", ".join(repr(cell) for cell in header if cell.strip()) or "no names"
    ok = True
    for role, column in mapping.columns():
        found = where.get(normalise_header(column), [])
        if not found:
            problems.add(
                row,
                column,
                f"the {role} column {column!r} is missing (the header has {listing})",
                name,
            )
            ok = False
        elif len(found) > 1:
            problems.add(row, column, f"the column {column!r} appears {len(found)} times", name)
            ok = False
        else:
            indexes.append(found[0])
    return indexes if ok else None


class ValueChecker:
    """Turns raw cell values into clean ones, caching each distinct value's outcome."""

    def __init__(self, mapping: ColumnMapping, latest_month: str | None = None) -> None:
        self.mapping = mapping
        self.latest_month = latest_month
        self.roles = [role for role, _ in mapping.columns()]
        self.columns = [column for _, column in mapping.columns()]
        self.cache: list[dict[str, str | bool | ValueError]] = [{} for _ in self.roles]

    def _clean(self, role: str, raw: str) -> str | bool:
        if role == "category":
            return values.name(raw, what="category")
        if role == "month":
            month = parse_month(raw, self.mapping.date_format)
            if self.latest_month is not None and month > self.latest_month:
                raise ValueError(
                    f"{raw!r} is in the future (after {self.latest_month}); is the date or "
                    "the date format wrong?"
                )
            return month
        if role == "area":
            return values.name(raw, what="area code", required=False, limit=AREA_MAX)
        folded = raw.strip().lower()
        if folded in TRUTHY:
            return True
        if folded in FALSY:
            return False
        raise ValueError(
            f"{raw!r} is not a yes/no value (y, yes, true, 1 or x for yes; blank, n, no, false "
            "or 0 for no)"
        )

    def clean(self, position: int, raw: str) -> str | bool | ValueError:
        cache = self.cache[position]
        outcome = cache.get(raw)
        if outcome is None:
            try:
                outcome = self._clean(self.roles[position], raw)
            except ValueError as error:
                outcome = error
            cache[raw] = outcome
        return outcome

    def finalise(self, raw_counts: Counter, encodings: Iterable[str] = ()) -> Counter | None:
        """(category, month, area, flag) counts from raw keys, checking each distinct value
        once. Raw values are bytes, decoded with the first of `encodings` that works, or text
        (no `encodings`). None if a value is undecodable or bad: the exact pass says where."""
        distinct = [set(map(itemgetter(i), raw_counts)) for i in range(len(self.roles))]
        texts = _decode_all(distinct, tuple(encodings))
        if texts is None:
            return None
        cleaned: list[dict] = []
        for position, decoded in enumerate(texts):
            clean = {}
            for raw, text in decoded.items():
                outcome = self.clean(position, text)
                if isinstance(outcome, ValueError):
                    return None
                clean[raw] = outcome
            cleaned.append(clean)
        has_area = self.mapping.area is not None
        categories, months = cleaned[0], cleaned[1]
        areas = cleaned[2] if has_area else None
        flags = [
            (position, flag, cleaned[position])
            for position, flag in enumerate(self.mapping.flags, start=3 if has_area else 2)
        ]
        counts: Counter = Counter()
        for key, number in raw_counts.items():
            base = (categories[key[0]], months[key[1]], "" if areas is None else areas[key[2]])
            counts[(*base, "")] += number
            for position, flag, truth in flags:
                if truth[key[position]] is True:
                    counts[(*base, flag)] += number
        return counts


def _decode_all(distinct: list[set], encodings: tuple[str, ...]) -> list[dict] | None:
    if not encodings:
        return [{value: value for value in values} for values in distinct]
    for encoding in dict.fromkeys(encodings):
        try:
            return [{value: value.decode(encoding) for value in values} for values in distinct]
        except UnicodeDecodeError:
            continue
    return None

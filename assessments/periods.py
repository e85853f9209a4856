"""Assessment periods (April to March, written `2019/20`) and months; needs no settings."""

from __future__ import annotations

import re
from datetime import datetime

from django.core.exceptions import ValidationError

# ASCII digits only: Python's \d and int() would also take "２０１９/２０" (full-width digits).
_PERIOD = re.compile(r"^([0-9]{4})/([0-9]{2})$")
_LONG_PERIOD = re.compile(r"^([0-9]{4})\s*[/-]\s*([0-9]{4})$")
_SHORT_PERIOD = re.compile(r"^([0-9]{2})\s*[/-]\s*([0-9]{2})$")

FIRST_YEAR = 1990
LAST_YEAR = 2100


def _period_text(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def parse_period(text: str) -> str:
    """Return the period if `text` is `YYYY/YY` with consecutive years, else raise ValueError
    with a message fit to show to the person who typed it."""
    cleaned = text.strip()
    match = _PERIOD.match(cleaned)
    if not match:
        long = _LONG_PERIOD.match(cleaned)
        if long:
            suggestion = _period_text(int(long.group(1)))
            raise ValueError(
                f"{text!r} is not a period like 2019/20 (write the second year with two digits, "
                f"e.g. {suggestion})"
            )
        if _SHORT_PERIOD.match(cleaned):
            raise ValueError(
                f"{text!r} is not a period like 2019/20 (write the first year in full)"
            )
        raise ValueError(f"{text!r} is not a period like 2019/20")
    start, end = int(match.group(1)), int(match.group(2))
    if (start + 1) % 100 != end:
        raise ValueError(
            f"{text!r} is not two consecutive years (did you mean {_period_text(start)}?)"
        )
    if not FIRST_YEAR <= start <= LAST_YEAR:
        raise ValueError(f"{text!r} is outside the years {FIRST_YEAR} to {LAST_YEAR}")
    return cleaned


def next_period_text(start_year: int) -> str:
    """The period that starts in April of `start_year`."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def period_start_year(period: str) -> int:
    """The calendar year in which the period's April falls."""
    return int(parse_period(period)[:4])


def previous_period(period: str) -> str:
    """The period a year before `period`."""
    return next_period_text(period_start_year(period) - 1)


def following_period(period: str) -> str:
    """The period a year after `period`."""
    return next_period_text(period_start_year(period) + 1)


def period_months(period: str) -> list[str]:
    """The twelve `YYYY-MM` months of a period, April to March."""
    start = period_start_year(period)
    return [f"{start}-{m:02d}" for m in range(4, 13)] + [
        f"{start + 1}-{m:02d}" for m in range(1, 4)
    ]


def period_for_month(month: str) -> str:
    """The period a `YYYY-MM` month falls in (January to March belong to the previous April)."""
    year, month_number = int(month[:4]), int(month[5:7])
    return next_period_text(year if month_number >= 4 else year - 1)


def period_to_slug(period: str) -> str:
    """`2019/20` → `2019-20`, for URLs."""
    return period.replace("/", "-")


def slug_to_period(slug: str) -> str:
    """`2019-20` → `2019/20`."""
    return slug.replace("-", "/")


def validate_period(value: str) -> None:
    """Model-field validator for periods."""
    try:
        parse_period(value)
    except ValueError as error:
        raise ValidationError(str(error)) from None


_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$", re.ASCII)
_ISO_DATE = re.compile(rf"^(\d{{4}})-(\d{{1,2}})-(\d{{1,2}}){_TIME}$", re.ASCII)
_UK_DATE = re.compile(rf"^(\d{{1,2}})/(\d{{1,2}})/(\d{{4}}){_TIME}$", re.ASCII)

MONTH_FORMATS = "YYYY-MM, YYYY-MM-DD or DD/MM/YYYY"


def _month_text(year: int, month: int, day: int = 1) -> str:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"the year {year} is outside {FIRST_YEAR} to {LAST_YEAR}")
    datetime(year, month, day)  # raises ValueError for month 13, 31 February, ...
    return f"{year:04d}-{month:02d}"


#: Date formats a record-level file's month column may use, by the name people choose them
#: by: (strptime format, description). "auto" reads YYYY-MM, YYYY-MM-DD and DD/MM/YYYY.
DATE_FORMATS: dict[str, tuple[str, str]] = {
    "auto": ("%Y-%m", f"Automatic: {MONTH_FORMATS}"),
    "mm/dd/yyyy": ("%m/%d/%Y", "MM/DD/YYYY (American, e.g. 04/17/2019)"),
    "dd-mm-yyyy": ("%d-%m-%Y", "DD-MM-YYYY (e.g. 17-04-2019)"),
    "dd.mm.yyyy": ("%d.%m.%Y", "DD.MM.YYYY (e.g. 17.04.2019)"),
    "yyyy/mm/dd": ("%Y/%m/%d", "YYYY/MM/DD (e.g. 2019/04/17)"),
    "yyyymmdd": ("%Y%m%d", "YYYYMMDD (e.g. 20190417)"),
    "dd mon yyyy": ("%d %b %Y", "DD Mon YYYY (e.g. 17 Apr 2019)"),
    "mon yyyy": ("%b %Y", "Mon YYYY (e.g. Apr 2019)"),
}
_TRAILING_TIME = re.compile(r"^(.+?)[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")


def date_format_named(name: str) -> str:
    """The strptime format of a named date format (see DATE_FORMATS); ValueError if unknown."""
    key = " ".join(name.split()).lower()
    if key in DATE_FORMATS:
        return DATE_FORMATS[key][0]
    choices = ", ".join(DATE_FORMATS)
    raise ValueError(f"{name!r} is not a date format this import reads (choose one of {choices})")


def date_format_label(date_format: str) -> str:
    """How a strptime format is described to people."""
    for strptime_format, label in DATE_FORMATS.values():
        if strptime_format == date_format:
            return label
    return date_format


def parse_month(text: str, date_format: str = "%Y-%m") -> str:
    """The `YYYY-MM` month of a cell holding a month or a date.

    With the default format, YYYY-MM, YYYY-MM-DD and DD/MM/YYYY are read (each optionally
    followed by a time). With another `date_format` (a `strptime` format, e.g. "%m/%d/%Y"),
    that format is read, and otherwise only the unambiguous YYYY-MM and YYYY-MM-DD, so that a
    file is never read partly as American and partly as British dates. Raises ValueError with
    a readable message.
    """
    cleaned = text.strip()
    if not cleaned:
        raise ValueError("the month is empty")
    patterns = [(_YEAR_MONTH, "ym"), (_ISO_DATE, "ymd"), (_UK_DATE, "dmy")]
    expected = MONTH_FORMATS
    if date_format and date_format != "%Y-%m":
        patterns.pop()
        expected = f"{date_format_label(date_format)}, YYYY-MM or YYYY-MM-DD"
        timeless = _TRAILING_TIME.match(cleaned)
        for candidate in (cleaned, timeless.group(1) if timeless else None):
            if candidate is None:
                continue
            try:
                parsed = datetime.strptime(candidate, date_format)
            except ValueError:
                continue
            try:
                return _month_text(parsed.year, parsed.month)
            except ValueError as error:
                raise ValueError(f"{text!r}: {error}") from None
    for pattern, order in patterns:
        match = pattern.match(cleaned)
        if match:
            parts = dict(zip(order, (int(group) for group in match.groups()), strict=True))
            try:
                return _month_text(parts["y"], parts["m"], parts.get("d", 1))
            except ValueError:
                break
    raise ValueError(f"{text!r} is not a month or date ({expected})")


def month_after(month: str) -> str:
    """The `YYYY-MM` month after `month`."""
    year, number = int(month[:4]), int(month[5:7])
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def describe_months(months: list[str] | set[str]) -> str:
    """`["2017-01", "2017-02", "2017-03"]` → "January to March 2017"; runs of consecutive
    months are joined with commas."""
    runs: list[list[str]] = []
    for month in sorted(set(months)):
        if runs and month_after(runs[-1][-1]) == month:
            runs[-1].append(month)
        else:
            runs.append([month])
    parts = []
    for run in runs:
        first, last = run[0], run[-1]
        first_name = MONTH_NAMES[int(first[5:]) - 1]
        last_name = f"{MONTH_NAMES[int(last[5:]) - 1]} {last[:4]}"
        if first == last:
            parts.append(last_name)
        elif first[:4] == last[:4]:
            parts.append(f"{first_name} to {last_name}")
        else:
            parts.append(f"{first_name} {first[:4]} to {last_name}")
    return ", ".join(parts)

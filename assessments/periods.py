"""Assessment periods: April to March, written `2019/20`."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

PERIOD_PATTERN = re.compile(r"^(\d{4})/(\d{2})$")


def parse_period(text: str) -> str:
    """Return the period if `text` is `YYYY/YY` with consecutive years, else raise ValueError."""
    cleaned = text.strip()
    match = PERIOD_PATTERN.match(cleaned)
    if not match:
        raise ValueError(f"{text!r} is not a period like 2019/20")
    start, end = int(match.group(1)), int(match.group(2))
    if (start + 1) % 100 != end:
        raise ValueError(
            f"{text!r} is not two consecutive years (did you mean {next_period_text(start)}?)"
        )
    if not 1990 <= start <= 2100:
        raise ValueError(f"{text!r} is outside the years 1990 to 2100")
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

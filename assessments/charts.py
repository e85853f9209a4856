"""Accessible, printable SVG charts rendered on the server (no JavaScript, no external files).

Every chart function returns a complete ``<svg>`` element as a string that is safe to embed
in a page (mark it safe in the template): all text passes through ``html.escape``.

Conventions shared by all charts:

- The root is ``<svg role="img" aria-labelledby="ID-title ID-desc">`` whose first children are
  ``<title>`` (the chart title) and ``<desc>`` (a one-paragraph summary of the data).
- ``chart_id`` sets ID; by default it is derived from the title and data, so it is stable
  between renders. Pass your own when two identical charts share a page.
- Sizing uses ``viewBox`` with ``width``/``height`` attributes and ``max-width:100%`` so the
  chart scales down in narrow columns and prints at its natural size.
- Every bar and point carries a text label with its value; colour is never the only signal.
- Empty input renders a small chart that says "No data" instead of raising.

Text alternatives: each chart has a ``*_summary`` companion that returns the sentence used in
``<desc>``; callers can show it in a caption. The full figures belong in a data table that the
caller renders beside the chart (for example in ``<details>``); these functions do not build it.

Heat map API: ``heat_map(cells, x_levels=..., y_levels=..., title=..., cell_rating=...)``.
``x_levels`` name the columns left to right (usually likelihood, lowest first) and ``y_levels``
the rows from the bottom up (usually harm, lowest first). ``cells`` maps a ``(x, y)`` pair of
0-based indexes into those levels to the names of the risks placed there. ``cell_rating(x, y)``
is called for every cell and returns "High", "Moderate" or "Standard" (any case; anything else
draws a neutral cell). Each cell shows its rating word and a numbered marker per risk; a
numbered key below the grid gives the risk names.
"""

from __future__ import annotations

import hashlib
import html
import math
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

__all__ = [
    "bar_chart_horizontal",
    "bar_chart_summary",
    "diverging_bar_chart",
    "diverging_summary",
    "format_number",
    "heat_map",
    "heat_map_summary",
    "line_chart",
    "line_chart_summary",
]

Value = int | float | Decimal

FONT_STACK = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
    '"Liberation Sans", "DejaVu Sans", sans-serif'
)
# Contrast against white: INK 19.6:1, MUTED 7.1:1 (text); BAR 5.2:1, HIGHLIGHT 12.4:1,
# ABOVE 4.9:1 (graphics, all also pass 4.5:1 so they could carry text).
INK = "#0b0c0c"
MUTED = "#505a5f"
GRID = "#d8dbdd"
BAR = "#1d70b8"
BAR_HIGHLIGHT = "#003078"
ABOVE = "#d4351c"
BELOW = "#1d70b8"
# (fill, text colour): fills are at least 3:1 against white, text at least 4.5:1 on the fill.
RATING_STYLES = {
    "high": ("#b10e1e", "#ffffff"),  # 7.1:1
    "moderate": ("#e07000", INK),  # 3.2:1 vs white; ink on it 6.0:1
    "standard": ("#00703c", "#ffffff"),  # 6.2:1
}
NEUTRAL_STYLE = ("#ffffff", INK)

WIDTH = 720
PAD = 16
FONT_SIZE = 13
SMALL_SIZE = 12
TITLE_SIZE = 16
# Average advance width as a fraction of font size; generous so that wide fonts still fit.
CHAR_WIDTH = 0.6
MINUS = "\u2212"


# --- helpers -------------------------------------------------------------------------------


def _esc(text: object) -> str:
    """Escape text for use in SVG content or a double-quoted attribute."""
    return html.escape(str(text), quote=True)


def _n(value: float) -> str:
    """Format a coordinate compactly."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _text_width(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    """Estimate the rendered width of text in user units."""
    return len(text) * size * (CHAR_WIDTH + (0.05 if bold else 0))


def _fit(text: str, max_width: float, size: float = FONT_SIZE) -> str:
    """Truncate text with an ellipsis so that it fits ``max_width``."""
    if _text_width(text, size) <= max_width:
        return text
    keep = max(1, int(max_width / (size * CHAR_WIDTH)) - 1)
    return text[:keep].rstrip() + "…"


def _wrap(text: str, max_width: float, size: float = FONT_SIZE, max_lines: int = 2) -> list[str]:
    """Greedily wrap text into at most ``max_lines`` lines of ``max_width``."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if _text_width(candidate, size) <= max_width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [" ".join(lines[max_lines - 1 :])]
    return [_fit(line, max_width, size) for line in lines] or [""]


def format_number(value: Value, places: int | None = None) -> str:
    """Format a number with thousands separators and a true minus sign."""
    if isinstance(value, Decimal):
        text = f"{abs(value):,f}" if places is None else f"{abs(value):,.{places}f}"
    elif isinstance(value, int):
        text = f"{abs(value):,}" if places is None else f"{abs(value):,.{places}f}"
    else:
        if places is None:
            places = 0 if float(value).is_integer() else 1
        text = f"{abs(value):,.{places}f}"
    negative = value < 0 and any(ch not in "0.," for ch in text)
    return f"{MINUS}{text}" if negative else text


def _signed_pct(value: Value) -> str:
    """Format a percentage with an explicit + or − sign."""
    text = format_number(value, 1 if not isinstance(value, Decimal) else None)
    if value > 0:
        return f"+{text}%"
    return f"{text}%"


def _chart_id(kind: str, title: str, payload: object) -> str:
    """Return a stable element id derived from the chart's content."""
    digest = hashlib.blake2s(repr((kind, title, payload)).encode(), digest_size=4).hexdigest()
    return f"{kind}-{digest}"


def _nice_ticks(low: float, high: float, target: int = 5) -> list[float]:
    """Return evenly spaced round tick values covering ``low`` to ``high``."""
    if high < low:
        low, high = high, low
    if high == low:
        high = low + (abs(low) or 1)
    raw = (high - low) / target
    magnitude = 10 ** math.floor(math.log10(raw))
    step = magnitude * 10
    for multiple in (1, 2, 5, 10):
        if multiple * magnitude >= raw:
            step = multiple * magnitude
            break
    start = math.floor(low / step + 1e-9) * step
    end = math.ceil(high / step - 1e-9) * step
    count = round((end - start) / step)
    return [round(start + i * step, 10) for i in range(count + 1)]


def _tick_label(value: float, ticks: Sequence[float], suffix: str = "") -> str:
    """Format a tick value with as many decimals as the tick step needs."""
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1
    places = 0 if step >= 1 and float(step).is_integer() else max(1, -math.floor(math.log10(step)))
    if places == 1 and not float(step * 10).is_integer():
        places = 2
    text = format_number(float(value), places)
    if suffix and value > 0:
        return f"+{text}{suffix}"
    return f"{text}{suffix}"


def _svg(chart_id: str, width: float, height: float, title: str, desc: str, body: list[str]) -> str:
    """Wrap chart body elements in an accessible, responsive root ``<svg>``."""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="wb-chart" id="{_esc(chart_id)}" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" width="{_n(width)}" height="{_n(height)}" '
        'role="img" '
        f'aria-labelledby="{_esc(chart_id)}-title {_esc(chart_id)}-desc" '
        f'font-family="{_esc(FONT_STACK)}" font-size="{FONT_SIZE}">'
        f'<title id="{_esc(chart_id)}-title">{_esc(title)}</title>'
        f'<desc id="{_esc(chart_id)}-desc">{_esc(desc)}</desc>'
        f'<rect width="{_n(width)}" height="{_n(height)}" fill="#ffffff"/>'
    )
    return head + "".join(body) + "</svg>"


def _text(
    x: float,
    y: float,
    content: str,
    *,
    anchor: str = "start",
    size: float = FONT_SIZE,
    fill: str = INK,
    bold: bool = False,
    extra: str = "",
) -> str:
    """Return an escaped, vertically centred ``<text>`` element."""
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" dy="0.35em" text-anchor="{anchor}" '
        f'font-size="{_n(size)}" fill="{fill}"{weight}{extra}>{_esc(content)}</text>'
    )


def _title_block(title: str, show_title: bool) -> tuple[list[str], float]:
    """Return the visible title elements and the height they occupy."""
    if not show_title:
        return [], PAD
    lines = _wrap(title, WIDTH - 2 * PAD, TITLE_SIZE)
    body = [
        _text(PAD, PAD + 8 + i * 20, line, size=TITLE_SIZE, bold=True)
        for i, line in enumerate(lines)
    ]
    return body, PAD + 8 + len(lines) * 20 + 4


def _empty(kind: str, title: str, chart_id: str | None, show_title: bool) -> str:
    """Render a chart that says there is no data."""
    chart_id = chart_id or _chart_id(kind, title, ())
    body, top = _title_block(title, show_title)
    height = top + 80
    body.append(
        f'<rect x="{PAD}" y="{_n(top)}" width="{WIDTH - 2 * PAD}" height="64" fill="none" '
        f'stroke="{GRID}" stroke-dasharray="4 4"/>'
    )
    body.append(_text(WIDTH / 2, top + 32, "No data", anchor="middle", fill=MUTED, size=15))
    return _svg(chart_id, WIDTH, height, title, "No data to chart.", body)


def _as_float(value: Value) -> float:
    """Convert a chart value to float for geometry only (labels keep the original)."""
    return float(value)


# --- horizontal bar chart ------------------------------------------------------------------


def bar_chart_summary(items: Sequence[tuple[str, Value | None]], *, unit_label: str) -> str:
    """Return a one-sentence text alternative for a horizontal bar chart."""
    known = [(label, value) for label, value in items if value is not None]
    if not known:
        return "No data to chart."
    top = max(known, key=lambda item: item[1])
    bottom = min(known, key=lambda item: item[1])
    noun = "bar" if len(known) == 1 else "bars"
    text = (
        f"{len(known)} {noun} of {unit_label}. Highest: {top[0]} ({format_number(top[1])})"
        f"; lowest: {bottom[0]} ({format_number(bottom[1])})."
    )
    missing = len(items) - len(known)
    if missing:
        text += f" {missing} with no data."
    return text


def bar_chart_horizontal(
    items: Sequence[tuple[str, Value | None]],
    *,
    title: str,
    unit_label: str,
    highlight: set[str] | frozenset[str] = frozenset(),
    chart_id: str | None = None,
    show_title: bool = True,
) -> str:
    """Render labelled horizontal bars in the given order; highlighted bars are dark and bold."""
    if not items:
        return _empty("bar", title, chart_id, show_title)
    items = [(str(label), value) for label, value in items]
    chart_id = chart_id or _chart_id("bar", title, items)
    body, top = _title_block(title, show_title)

    values = [_as_float(v) for _, v in items if v is not None]
    low, high = min([0.0, *values]), max([0.0, *values])
    ticks = _nice_ticks(low, high)
    domain_low, domain_high = ticks[0], ticks[-1]
    value_texts = [format_number(v) if v is not None else "no data" for _, v in items]

    label_width = min(260.0, max(_text_width(label, bold=True) for label, _ in items))
    value_width = max(_text_width(text, bold=True) for text in value_texts) + 8
    has_negative = low < 0
    plot_left = PAD + label_width + 10 + (value_width if has_negative else 0)
    plot_right = WIDTH - PAD - value_width
    plot_width = plot_right - plot_left

    def x_of(value: float) -> float:
        return plot_left + (value - domain_low) / (domain_high - domain_low) * plot_width

    legend_height = 22 if highlight else 0
    if highlight:
        body.append(
            f'<rect x="{PAD}" y="{_n(top + 2)}" width="14" height="14" fill="{BAR_HIGHLIGHT}"/>'
        )
        body.append(_text(PAD + 20, top + 9, "Highlighted: dark bar, bold label", size=SMALL_SIZE))
    row, bar = 22, 16
    bars_top = top + legend_height + 6
    bars_bottom = bars_top + len(items) * row
    zero = x_of(0)

    for tick in ticks:
        x = x_of(tick)
        body.append(
            f'<line x1="{_n(x)}" y1="{_n(bars_top)}" x2="{_n(x)}" y2="{_n(bars_bottom)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(
            _text(
                x,
                bars_bottom + 12,
                _tick_label(tick, ticks),
                anchor="middle",
                size=SMALL_SIZE,
                fill=MUTED,
            )
        )

    for index, ((label, value), value_text) in enumerate(zip(items, value_texts, strict=True)):
        y = bars_top + index * row
        centre = y + row / 2
        bold = label in highlight
        fill = BAR_HIGHLIGHT if bold else BAR
        shown = _fit(label, label_width, FONT_SIZE)
        body.append(f"<g><title>{_esc(f'{label}: {value_text} {unit_label}')}</title>")
        body.append(_text(PAD + label_width, centre, shown, anchor="end", bold=bold))
        if value is None:
            body.append(_text(zero + 4, centre, value_text, fill=MUTED, size=SMALL_SIZE))
        else:
            end = x_of(_as_float(value))
            left, right = min(zero, end), max(zero, end)
            body.append(
                f'<rect x="{_n(left)}" y="{_n(centre - bar / 2)}" '
                f'width="{_n(max(right - left, 0.5))}" height="{bar}" fill="{fill}"/>'
            )
            if value < 0:
                body.append(_text(left - 4, centre, value_text, anchor="end", bold=bold))
            else:
                body.append(_text(right + 4, centre, value_text, bold=bold))
        body.append("</g>")

    body.append(
        f'<line x1="{_n(zero)}" y1="{_n(bars_top)}" x2="{_n(zero)}" y2="{_n(bars_bottom)}" '
        f'stroke="{INK}" stroke-width="1"/>'
    )
    body.append(
        _text(
            (plot_left + plot_right) / 2, bars_bottom + 32, unit_label, anchor="middle", fill=MUTED
        )
    )
    height = bars_bottom + 32 + 12 + PAD
    desc = bar_chart_summary(items, unit_label=unit_label)
    return _svg(chart_id, WIDTH, height, title, desc, body)


# --- diverging (vertical) bar chart --------------------------------------------------------


def diverging_summary(
    items: Sequence[tuple[str, Value | None]],
    *,
    positive_label: str = "above average",
    negative_label: str = "below average",
) -> str:
    """Return a one-sentence text alternative for a diverging bar chart."""
    known = [(label, value) for label, value in items if value is not None]
    if not known:
        return "No data to chart."
    above = [item for item in known if item[1] > 0]
    below = [item for item in known if item[1] < 0]
    parts = [f"{len(above)} of {len(items)} {positive_label}, {len(below)} {negative_label}"]
    if above:
        label, value = max(above, key=lambda item: item[1])
        parts.append(f"most {positive_label}: {label} ({_signed_pct(value)})")
    if below:
        label, value = min(below, key=lambda item: item[1])
        parts.append(f"most {negative_label}: {label} ({_signed_pct(value)})")
    missing = len(items) - len(known)
    if missing:
        parts.append(f"{missing} with no data")
    return "; ".join(parts) + "."


def diverging_bar_chart(
    items: Sequence[tuple[str, Value | None]],
    *,
    title: str,
    positive_label: str = "Above average",
    negative_label: str = "Below average",
    chart_id: str | None = None,
    show_title: bool = True,
) -> str:
    """Render percentages as columns above and below a zero line, each labelled with its sign."""
    if not items:
        return _empty("diverging", title, chart_id, show_title)
    items = [(str(label), value) for label, value in items]
    chart_id = chart_id or _chart_id("diverging", title, items)
    body, top = _title_block(title, show_title)

    # Legend: colour plus the sign that every label also carries.
    legend_y = top + 8
    x = PAD
    for colour, text in ((ABOVE, f"+ {positive_label}"), (BELOW, f"{MINUS} {negative_label}")):
        body.append(
            f'<rect x="{_n(x)}" y="{_n(legend_y - 7)}" width="14" height="14" fill="{colour}"/>'
        )
        body.append(_text(x + 20, legend_y, text, size=SMALL_SIZE))
        x += 20 + _text_width(text, SMALL_SIZE) + 20
    top = legend_y + 14

    values = [_as_float(v) for _, v in items if v is not None]
    extent = max([abs(v) for v in values] + [0.0]) or 1.0
    ticks = _nice_ticks(-extent, extent, target=6)
    bound = max(abs(ticks[0]), abs(ticks[-1]))
    ticks = _nice_ticks(-bound, bound, target=6)

    axis_width = max(_text_width(_tick_label(t, ticks, "%"), SMALL_SIZE) for t in ticks) + 10
    plot_left = PAD + axis_width
    column = max(36.0, (WIDTH - PAD - plot_left) / len(items))
    width = max(WIDTH, plot_left + column * len(items) + PAD)
    plot_top = top + 22
    plot_height = 220
    plot_bottom = plot_top + plot_height

    def y_of(value: float) -> float:
        return plot_top + (bound - value) / (2 * bound) * plot_height

    for tick in ticks:
        y = y_of(tick)
        body.append(
            f'<line x1="{_n(plot_left)}" y1="{_n(y)}" x2="{_n(width - PAD)}" '
            f'y2="{_n(y)}" stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(
            _text(
                plot_left - 6,
                y,
                _tick_label(tick, ticks, "%"),
                anchor="end",
                size=SMALL_SIZE,
                fill=MUTED,
            )
        )

    zero = y_of(0)
    bar_width = min(column * 0.64, 48)
    label_size = SMALL_SIZE if column >= 48 else 11
    for index, (label, value) in enumerate(items):
        centre = plot_left + column * (index + 0.5)
        text = "no data" if value is None else _signed_pct(value)
        body.append(f"<g><title>{_esc(f'{label}: {text}')}</title>")
        if value is None:
            body.append(_text(centre, zero - 10, text, anchor="middle", size=11, fill=MUTED))
        else:
            y = y_of(_as_float(value))
            colour = ABOVE if value > 0 else BELOW
            top_y, bottom_y = min(y, zero), max(y, zero)
            body.append(
                f'<rect x="{_n(centre - bar_width / 2)}" y="{_n(top_y)}" '
                f'width="{_n(bar_width)}" height="{_n(max(bottom_y - top_y, 0.5))}" '
                f'fill="{colour}"/>'
            )
            label_y = top_y - 9 if value >= 0 else bottom_y + 9
            body.append(_text(centre, label_y, text, anchor="middle", size=label_size, bold=True))
        body.append(
            _text(
                centre,
                plot_bottom + 22,
                _fit(label, column - 2, SMALL_SIZE),
                anchor="middle",
                size=SMALL_SIZE,
            )
        )
        body.append("</g>")

    body.append(
        f'<line x1="{_n(plot_left)}" y1="{_n(zero)}" x2="{_n(width - PAD)}" '
        f'y2="{_n(zero)}" stroke="{INK}" stroke-width="1.5"/>'
    )
    height = plot_bottom + 22 + 12 + PAD
    desc = diverging_summary(
        items, positive_label=positive_label.lower(), negative_label=negative_label.lower()
    )
    return _svg(chart_id, width, height, title, desc, body)


# --- line chart ----------------------------------------------------------------------------


def line_chart_summary(points: Sequence[tuple[str, Value | None]], *, y_label: str) -> str:
    """Return a one-sentence text alternative for a line chart."""
    known = [(label, value) for label, value in points if value is not None]
    if not known:
        return "No data to chart."
    first, last = known[0], known[-1]
    text = f"{y_label}: {format_number(first[1])} in {first[0]}"
    if len(known) > 1:
        text += f" and {format_number(last[1])} in {last[0]}"
        top = max(known, key=lambda item: item[1])
        bottom = min(known, key=lambda item: item[1])
        text += (
            f"; highest {format_number(top[1])} ({top[0]}), "
            f"lowest {format_number(bottom[1])} ({bottom[0]})"
        )
    return text + "."


def _label_every(count: int, step: float, label_width: float) -> int:
    """Return k such that labelling every k-th of ``count`` slots avoids overlap."""
    if step <= 0 or count <= 1:
        return 1
    return max(1, math.ceil((label_width + 6) / step))


def _value_label_indexes(
    points: Sequence[tuple[str, Value | None]],
    value_texts: Sequence[str | None],
    step: float,
    every: int,
) -> set[int]:
    """Choose which points get value labels: ends and extremes first, then every k-th."""
    known = [(i, _as_float(v)) for i, (_, v) in enumerate(points) if v is not None]
    priority = [
        known[0][0],
        known[-1][0],
        max(known, key=lambda p: p[1])[0],
        min(known, key=lambda p: p[1])[0],
        *range(0, len(points), every),
    ]
    values = dict(known)
    chosen: set[int] = set()
    spans: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    for index in priority:
        text = value_texts[index]
        if text is None or index in chosen:
            continue
        half = _text_width(text, SMALL_SIZE, bold=True) / 2 + 3
        span = (index * step - half, index * step + half)
        side = spans[_label_above(index, values)]
        if any(span[0] < right and left < span[1] for left, right in side):
            continue
        chosen.add(index)
        side.append(span)
    return chosen


def _label_above(index: int, known: Mapping[int, float]) -> bool:
    """Return whether a point's label belongs above it: on the side away from its neighbours."""
    neighbours = [known[i] for i in (index - 1, index + 1) if i in known]
    if neighbours:
        return known[index] >= sum(neighbours) / len(neighbours)
    return known[index] >= 0


def _point_label(
    x: float, y: float, index: int, known: Mapping[int, float], text: str, plot_bottom: float
) -> str:
    """Return a value label placed on the side of the point away from the line."""
    above = _label_above(index, known) or y + 22 > plot_bottom
    label_y = y - 13 if above else y + 13
    width = _text_width(text, SMALL_SIZE, bold=True)
    backing = (
        f'<rect x="{_n(x - width / 2 - 2)}" y="{_n(label_y - 8)}" width="{_n(width + 4)}" '
        'height="16" fill="#ffffff" fill-opacity="0.8"/>'
    )
    return backing + _text(x, label_y, text, anchor="middle", size=SMALL_SIZE, bold=True)


def line_chart(  # noqa: C901 - split by the display-layer move (r-reports)
    points: Sequence[tuple[str, Value | None]],
    *,
    title: str,
    y_label: str,
    chart_id: str | None = None,
    show_title: bool = True,
    part_years: Mapping[str, str] | None = None,
) -> str:
    """Render a labelled line with a marker and value on each point (None leaves a gap).

    `part_years` maps labels of points that cover only part of their period to a note (e.g.
    "3 of 12 months"): they get a dashed diamond instead of a dot, are not joined to the line
    (a part year next to whole ones would look like a fall) and are named under the chart."""
    part_years = dict(part_years or {})
    if not points or all(value is None for _, value in points):
        return _empty("line", title, chart_id, show_title)
    points = [(str(label), value) for label, value in points]
    chart_id = chart_id or _chart_id("line", title, points)
    body, top = _title_block(title, show_title)

    values = [_as_float(v) for _, v in points if v is not None]
    # Start counts at zero so the slope is not exaggerated; extend below zero if needed.
    low, high = min([0.0, *values]), max([0.0, *values])
    # Leave room below the lowest negative point for its label.
    ticks = _nice_ticks(low - (0.1 * (high - low) if low < 0 else 0), high)
    domain_low, domain_high = ticks[0], ticks[-1]
    axis_width = max(_text_width(_tick_label(t, ticks), SMALL_SIZE) for t in ticks) + 10
    plot_left = PAD + 22 + axis_width
    plot_right = WIDTH - PAD - 10
    plot_top = top + 26
    plot_height = 220
    plot_bottom = plot_top + plot_height
    step = (plot_right - plot_left) / len(points)

    def x_of(index: int) -> float:
        return plot_left + step * (index + 0.5)

    def y_of(value: float) -> float:
        return plot_bottom - (value - domain_low) / (domain_high - domain_low) * plot_height

    for tick in ticks:
        y = y_of(tick)
        colour, weight = (INK, 1.5) if tick == 0 else (GRID, 1)
        body.append(
            f'<line x1="{_n(plot_left)}" y1="{_n(y)}" x2="{_n(plot_right)}" '
            f'y2="{_n(y)}" stroke="{colour}" stroke-width="{weight}"/>'
        )
        body.append(
            _text(
                plot_left - 6,
                y,
                _tick_label(tick, ticks),
                anchor="end",
                size=SMALL_SIZE,
                fill=MUTED,
            )
        )
    body.append(
        _text(
            PAD + 6,
            (plot_top + plot_bottom) / 2,
            y_label,
            anchor="middle",
            fill=MUTED,
            size=SMALL_SIZE,
            extra=f' transform="rotate(-90 {_n(PAD + 6)} {_n((plot_top + plot_bottom) / 2)})"',
        )
    )

    value_texts = [None if v is None else format_number(v) for _, v in points]
    widest_value = max(_text_width(t, SMALL_SIZE, bold=True) for t in value_texts if t)
    every_value = _label_every(len(points), step, widest_value)
    widest_label = max(_text_width(label, SMALL_SIZE) for label, _ in points)
    every_label = _label_every(len(points), step, widest_label)
    labelled = _value_label_indexes(points, value_texts, step, every_value)

    segment: list[str] = []
    segments: list[list[str]] = []
    for index, (label, value) in enumerate(points):
        if value is None or label in part_years:
            if segment:
                segments.append(segment)
            segment = []
        else:
            segment.append(f"{_n(x_of(index))},{_n(y_of(_as_float(value)))}")
    if segment:
        segments.append(segment)
    for seg in segments:
        if len(seg) < 2:
            continue  # a lone point has its marker; there is no line to draw
        body.append(
            f'<polyline points="{" ".join(seg)}" fill="none" stroke="{BAR}" '
            'stroke-width="2.5" stroke-linejoin="round"/>'
        )

    known = {i: _as_float(v) for i, (_, v) in enumerate(points) if v is not None}
    labels: list[str] = []
    for index, ((label, value), value_text) in enumerate(zip(points, value_texts, strict=True)):
        x = x_of(index)
        tooltip = f"{label}: {value_text or 'no data'}"
        if label in part_years and value is not None:
            tooltip += f" (part year: {part_years[label]})"
        body.append(f"<g><title>{_esc(tooltip)}</title>")
        if value is not None:
            y = y_of(known[index])
            if label in part_years:
                body.append(_diamond(x, y))
            else:
                body.append(
                    f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4" fill="#ffffff" '
                    f'stroke="{BAR}" stroke-width="2"/>'
                )
            if index in labelled:
                labels.append(_point_label(x, y, index, known, value_text or "", plot_bottom))
        if index % every_label == 0:
            body.append(_text(x, plot_bottom + 14, label, anchor="middle", size=SMALL_SIZE))
        body.append("</g>")
    # Labels go last so that no marker or line is drawn over them.
    body.extend(labels)

    height = plot_bottom + 14 + 10 + PAD
    shown_parts = [
        (label, note)
        for label, value in points
        if value is not None
        for note in [part_years.get(label)]
        if note
    ]
    if shown_parts:
        key_y = plot_bottom + 34
        body.append(_diamond(plot_left + 6, key_y))
        text = "Part year, not joined to the line: " + "; ".join(
            f"{label} ({note})" for label, note in shown_parts
        )
        body.append(
            _text(
                plot_left + 18,
                key_y,
                _fit(text, WIDTH - plot_left - 18 - PAD, SMALL_SIZE),
                size=SMALL_SIZE,
            )
        )
        height += 20
    desc = line_chart_summary(points, y_label=y_label)
    missing = [label for label, value in points if value is None]
    if missing:
        desc += f" No figure for {', '.join(missing)}: the line breaks there."
    for label, note in shown_parts:
        desc += f" {label} covers only {note}, so it is not joined to the line."
    if len(labelled) < len(value_texts) - value_texts.count(None):
        desc += " Not every point is labelled; see the table for all values."
    return _svg(chart_id, WIDTH, height, title, desc, body)


def _diamond(x: float, y: float, size: float = 6) -> str:
    """A dashed, hollow diamond: the marker of a part-year point."""
    return (
        f'<path d="M{_n(x)},{_n(y - size)} L{_n(x + size)},{_n(y)} L{_n(x)},{_n(y + size)} '
        f'L{_n(x - size)},{_n(y)} Z" fill="#ffffff" stroke="{BAR}" stroke-width="2" '
        'stroke-dasharray="3 2"/>'
    )


# --- harm by likelihood heat map -----------------------------------------------------------


def _rating_style(rating: str) -> tuple[str, str]:
    """Return (fill, text colour) for a rating word."""
    return RATING_STYLES.get(rating.strip().lower(), NEUTRAL_STYLE)


def _numbered(cells: Mapping[tuple[int, int], Sequence[str]]) -> list[tuple[int, int, str]]:
    """Return (x, y, name) for every risk in reading order: top row first, left to right."""
    ordered = sorted(cells.items(), key=lambda item: (-item[0][1], item[0][0]))
    return [(x, y, str(name)) for (x, y), names in ordered for name in names]


def heat_map_summary(
    cells: Mapping[tuple[int, int], Sequence[str]],
    *,
    x_levels: Sequence[str],
    y_levels: Sequence[str],
    cell_rating: Callable[[int, int], str],
    x_title: str = "likelihood",
    y_title: str = "harm",
) -> str:
    """Return a text alternative listing each rating's risks with their harm and likelihood."""
    risks = _numbered(cells)
    if not risks:
        return "No risks placed on the grid."
    groups: dict[str, list[str]] = {}
    for x, y, name in risks:
        rating = cell_rating(x, y).strip() or "Unrated"
        groups.setdefault(rating, []).append(
            f"{name} ({y_title} {y_levels[y]}, {x_title} {x_levels[x]})"
        )
    order = {"high": 0, "moderate": 1, "standard": 2}
    parts = [
        f"{rating} ({len(names)}): {'; '.join(names)}"
        for rating, names in sorted(groups.items(), key=lambda g: order.get(g[0].lower(), 3))
    ]
    return ". ".join(parts) + "."


def heat_map(  # noqa: C901 - split by the display-layer move (r-reports)
    cells: Mapping[tuple[int, int], Sequence[str]],
    *,
    x_levels: Sequence[str],
    y_levels: Sequence[str],
    title: str,
    cell_rating: Callable[[int, int], str],
    x_title: str = "Likelihood",
    y_title: str = "Harm",
    chart_id: str | None = None,
    show_title: bool = True,
) -> str:
    """Render a harm-by-likelihood grid with rated cells, numbered risks and a key."""
    if not x_levels or not y_levels:
        return _empty("heatmap", title, chart_id, show_title)
    for x, y in cells:
        if not (0 <= x < len(x_levels) and 0 <= y < len(y_levels)):
            raise ValueError(f"Cell {(x, y)} is outside the {len(x_levels)}×{len(y_levels)} grid")
    cells = {key: [str(name) for name in names] for key, names in cells.items()}
    chart_id = chart_id or _chart_id(
        "heatmap", title, (sorted(cells.items()), list(x_levels), list(y_levels))
    )
    body, top = _title_block(title, show_title)

    columns, rows = len(x_levels), len(y_levels)
    y_label_width = min(150.0, max(_text_width(level, SMALL_SIZE) for level in y_levels) + 10)
    grid_left = PAD + 22 + y_label_width
    grid_right = WIDTH - PAD
    cell_width = (grid_right - grid_left) / columns
    show_words = cell_width >= 84
    radius, gap = 12, 4
    per_line = max(1, int((cell_width - 12 + gap) // (2 * radius + gap)))

    risks = _numbered(cells)
    numbers: dict[tuple[int, int], list[int]] = {}
    for number, (x, y, _) in enumerate(risks, start=1):
        numbers.setdefault((x, y), []).append(number)

    row_heights = []
    for y in range(rows):
        needed = max(
            (math.ceil(len(numbers.get((x, y), [])) / per_line) for x in range(columns)), default=0
        )
        row_heights.append(max(64.0, 30 + needed * (2 * radius + gap) + 6))
    grid_top = top + 6
    row_tops = []
    cursor = grid_top
    for y in reversed(range(rows)):
        row_tops.append((y, cursor))
        cursor += row_heights[y]
    grid_bottom = cursor
    row_top = dict(row_tops)

    for y in range(rows):
        y0 = row_top[y]
        body.append(
            _text(
                grid_left - 8,
                y0 + row_heights[y] / 2,
                _fit(y_levels[y], y_label_width - 10, SMALL_SIZE),
                anchor="end",
                size=SMALL_SIZE,
            )
        )
        for x in range(columns):
            rating = str(cell_rating(x, y))
            fill, ink = _rating_style(rating)
            x0 = grid_left + x * cell_width
            names = cells.get((x, y), [])
            heading = f"{y_title} {y_levels[y]}, {x_title} {x_levels[x]}: {rating or 'unrated'}"
            tooltip = heading + (f" — {', '.join(names)}" if names else "")
            body.append(f"<g><title>{_esc(tooltip)}</title>")
            body.append(
                f'<rect x="{_n(x0)}" y="{_n(y0)}" width="{_n(cell_width)}" '
                f'height="{_n(row_heights[y])}" fill="{fill}" stroke="#ffffff" '
                'stroke-width="2"/>'
            )
            if fill == NEUTRAL_STYLE[0]:
                body.append(
                    f'<rect x="{_n(x0 + 1)}" y="{_n(y0 + 1)}" width="{_n(cell_width - 2)}" '
                    f'height="{_n(row_heights[y] - 2)}" fill="none" stroke="{MUTED}"/>'
                )
            word = rating if show_words else rating[:1].upper()
            body.append(_text(x0 + 8, y0 + 14, word, size=SMALL_SIZE, fill=ink, bold=True))
            for i, number in enumerate(numbers.get((x, y), [])):
                cx = x0 + 6 + radius + (i % per_line) * (2 * radius + gap)
                cy = y0 + 30 + radius + (i // per_line) * (2 * radius + gap)
                body.append(
                    f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{radius}" fill="#ffffff" '
                    f'stroke="{INK}" stroke-width="1"/>'
                )
                body.append(_text(cx, cy, str(number), anchor="middle", size=11, bold=True))
            body.append("</g>")

    level_lines = 1
    for x in range(columns):
        cx = grid_left + (x + 0.5) * cell_width
        lines = _wrap(x_levels[x], cell_width - 6, SMALL_SIZE)
        level_lines = max(level_lines, len(lines))
        for i, line in enumerate(lines):
            body.append(
                _text(cx, grid_bottom + 14 + i * 15, line, anchor="middle", size=SMALL_SIZE)
            )
    axis_y = grid_bottom + 14 + level_lines * 15 + 8
    body.append(
        _text((grid_left + grid_right) / 2, axis_y, f"{x_title} →", anchor="middle", bold=True)
    )
    mid = (grid_top + grid_bottom) / 2
    body.append(
        _text(
            PAD + 6,
            mid,
            f"{y_title} →",
            anchor="middle",
            bold=True,
            extra=f' transform="rotate(-90 {_n(PAD + 6)} {_n(mid)})"',
        )
    )

    cursor = axis_y + 24
    if not show_words:
        legend = "  ".join(f"{word[0]} = {word}" for word in ("High", "Moderate", "Standard"))
        body.append(_text(PAD, cursor, legend, size=SMALL_SIZE, fill=MUTED))
        cursor += 20
    if risks:
        body.append(_text(PAD, cursor, "Key", bold=True))
        cursor += 20
        key_columns = 2
        column_width = (WIDTH - 2 * PAD) / key_columns
        per_column = math.ceil(len(risks) / key_columns)
        column_bottoms = []
        for c in range(key_columns):
            y = cursor
            for number, (_, _, name) in enumerate(risks, start=1):
                if (number - 1) // per_column != c:
                    continue
                x = PAD + c * column_width
                body.append(
                    f'<circle cx="{_n(x + radius)}" cy="{_n(y)}" r="{radius}" fill="#ffffff" '
                    f'stroke="{INK}" stroke-width="1"/>'
                )
                body.append(_text(x + radius, y, str(number), anchor="middle", size=11, bold=True))
                lines = _wrap(name, column_width - 2 * radius - 16, SMALL_SIZE)
                for i, line in enumerate(lines):
                    body.append(_text(x + 2 * radius + 6, y + i * 15, line, size=SMALL_SIZE))
                y += max(26, len(lines) * 15 + 11)
            column_bottoms.append(y)
        cursor = max(column_bottoms)
    height = cursor + PAD - 8
    desc = heat_map_summary(
        cells,
        x_levels=x_levels,
        y_levels=y_levels,
        cell_rating=cell_rating,
        x_title=x_title.lower(),
        y_title=y_title.lower(),
    )
    return _svg(chart_id, WIDTH, height, title, desc, body)

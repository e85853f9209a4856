"""What every SVG chart shares: the palette, sizes, escaping, text layout and the root element.

See the package docstring (`assessments/display/__init__.py`) for the conventions.
"""

from __future__ import annotations

import hashlib
import html
import math
from collections.abc import Sequence
from decimal import Decimal

from assessments.display.numbers import Value, format_number

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


def esc(text: object) -> str:
    """Escape text for use in SVG content or a double-quoted attribute."""
    return html.escape(str(text), quote=True)


def px(value: float) -> str:
    """Format a coordinate compactly."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def text_width(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    """Estimate the rendered width of text in user units."""
    return len(text) * size * (CHAR_WIDTH + (0.05 if bold else 0))


def fit(text: str, max_width: float, size: float = FONT_SIZE) -> str:
    """Truncate text with an ellipsis so that it fits ``max_width``."""
    if text_width(text, size) <= max_width:
        return text
    keep = max(1, int(max_width / (size * CHAR_WIDTH)) - 1)
    return text[:keep].rstrip() + "…"


def wrap(text: str, max_width: float, size: float = FONT_SIZE, max_lines: int = 2) -> list[str]:
    """Greedily wrap text into at most ``max_lines`` lines of ``max_width``."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if text_width(candidate, size) <= max_width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [" ".join(lines[max_lines - 1 :])]
    return [fit(line, max_width, size) for line in lines] or [""]


def signed_pct(value: Value) -> str:
    """Format a percentage with an explicit + or − sign."""
    text = format_number(value, 1 if not isinstance(value, Decimal) else None)
    if value > 0:
        return f"+{text}%"
    return f"{text}%"


def chart_id_for(kind: str, title: str, payload: object) -> str:
    """Return a stable element id derived from the chart's content."""
    digest = hashlib.blake2s(repr((kind, title, payload)).encode(), digest_size=4).hexdigest()
    return f"{kind}-{digest}"


def nice_ticks(low: float, high: float, target: int = 5) -> list[float]:
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


def tick_label(value: float, ticks: Sequence[float], suffix: str = "") -> str:
    """Format a tick value with as many decimals as the tick step needs."""
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1
    places = 0 if step >= 1 and float(step).is_integer() else max(1, -math.floor(math.log10(step)))
    if places == 1 and not float(step * 10).is_integer():
        places = 2
    text = format_number(float(value), places)
    if suffix and value > 0:
        return f"+{text}{suffix}"
    return f"{text}{suffix}"


def svg_root(
    chart_id: str, width: float, height: float, title: str, desc: str, body: list[str]
) -> str:
    """Wrap chart body elements in an accessible, responsive root ``<svg>``."""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="wb-chart" id="{esc(chart_id)}" '
        f'viewBox="0 0 {px(width)} {px(height)}" width="{px(width)}" height="{px(height)}" '
        'role="img" '
        f'aria-labelledby="{esc(chart_id)}-title {esc(chart_id)}-desc" '
        f'font-family="{esc(FONT_STACK)}" font-size="{FONT_SIZE}">'
        f'<title id="{esc(chart_id)}-title">{esc(title)}</title>'
        f'<desc id="{esc(chart_id)}-desc">{esc(desc)}</desc>'
        f'<rect width="{px(width)}" height="{px(height)}" fill="#ffffff"/>'
    )
    return head + "".join(body) + "</svg>"


def svg_text(
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
        f'<text x="{px(x)}" y="{px(y)}" dy="0.35em" text-anchor="{anchor}" '
        f'font-size="{px(size)}" fill="{fill}"{weight}{extra}>{esc(content)}</text>'
    )


def title_block(title: str, show_title: bool) -> tuple[list[str], float]:
    """Return the visible title elements and the height they occupy."""
    if not show_title:
        return [], PAD
    lines = wrap(title, WIDTH - 2 * PAD, TITLE_SIZE)
    body = [
        svg_text(PAD, PAD + 8 + i * 20, line, size=TITLE_SIZE, bold=True)
        for i, line in enumerate(lines)
    ]
    return body, PAD + 8 + len(lines) * 20 + 4


def empty_chart(kind: str, title: str, chart_id: str | None, show_title: bool) -> str:
    """Render a chart that says there is no data."""
    chart_id = chart_id or chart_id_for(kind, title, ())
    body, top = title_block(title, show_title)
    height = top + 80
    body.append(
        f'<rect x="{PAD}" y="{px(top)}" width="{WIDTH - 2 * PAD}" height="64" fill="none" '
        f'stroke="{GRID}" stroke-dasharray="4 4"/>'
    )
    body.append(svg_text(WIDTH / 2, top + 32, "No data", anchor="middle", fill=MUTED, size=15))
    return svg_root(chart_id, WIDTH, height, title, "No data to chart.", body)


def as_float(value: Value) -> float:
    """Convert a chart value to float for geometry only (labels keep the original)."""
    return float(value)

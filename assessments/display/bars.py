"""Horizontal bar charts (ranked figures) and diverging column charts (above or below an
average)."""

from __future__ import annotations

from collections.abc import Sequence

from assessments.display.numbers import MINUS, Value, format_number
from assessments.display.svg import (
    ABOVE,
    BAR,
    BAR_HIGHLIGHT,
    BELOW,
    FONT_SIZE,
    GRID,
    INK,
    MUTED,
    PAD,
    SMALL_SIZE,
    WIDTH,
    as_float,
    chart_id_for,
    empty_chart,
    esc,
    fit,
    nice_ticks,
    px,
    signed_pct,
    svg_root,
    svg_text,
    text_width,
    tick_label,
    title_block,
)

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
        return empty_chart("bar", title, chart_id, show_title)
    items = [(str(label), value) for label, value in items]
    chart_id = chart_id or chart_id_for("bar", title, items)
    body, top = title_block(title, show_title)

    values = [as_float(v) for _, v in items if v is not None]
    low, high = min([0.0, *values]), max([0.0, *values])
    ticks = nice_ticks(low, high)
    domain_low, domain_high = ticks[0], ticks[-1]
    value_texts = [format_number(v) if v is not None else "no data" for _, v in items]

    label_width = min(260.0, max(text_width(label, bold=True) for label, _ in items))
    value_width = max(text_width(text, bold=True) for text in value_texts) + 8
    has_negative = low < 0
    plot_left = PAD + label_width + 10 + (value_width if has_negative else 0)
    plot_right = WIDTH - PAD - value_width
    plot_width = plot_right - plot_left

    def x_of(value: float) -> float:
        return plot_left + (value - domain_low) / (domain_high - domain_low) * plot_width

    legend_height = 22 if highlight else 0
    if highlight:
        body.append(
            f'<rect x="{PAD}" y="{px(top + 2)}" width="14" height="14" fill="{BAR_HIGHLIGHT}"/>'
        )
        body.append(
            svg_text(PAD + 20, top + 9, "Highlighted: dark bar, bold label", size=SMALL_SIZE)
        )
    row, bar = 22, 16
    bars_top = top + legend_height + 6
    bars_bottom = bars_top + len(items) * row
    zero = x_of(0)

    for tick in ticks:
        x = x_of(tick)
        body.append(
            f'<line x1="{px(x)}" y1="{px(bars_top)}" x2="{px(x)}" y2="{px(bars_bottom)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(
            svg_text(
                x,
                bars_bottom + 12,
                tick_label(tick, ticks),
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
        shown = fit(label, label_width, FONT_SIZE)
        body.append(f"<g><title>{esc(f'{label}: {value_text} {unit_label}')}</title>")
        body.append(svg_text(PAD + label_width, centre, shown, anchor="end", bold=bold))
        if value is None:
            body.append(svg_text(zero + 4, centre, value_text, fill=MUTED, size=SMALL_SIZE))
        else:
            end = x_of(as_float(value))
            left, right = min(zero, end), max(zero, end)
            body.append(
                f'<rect x="{px(left)}" y="{px(centre - bar / 2)}" '
                f'width="{px(max(right - left, 0.5))}" height="{bar}" fill="{fill}"/>'
            )
            if value < 0:
                body.append(svg_text(left - 4, centre, value_text, anchor="end", bold=bold))
            else:
                body.append(svg_text(right + 4, centre, value_text, bold=bold))
        body.append("</g>")

    body.append(
        f'<line x1="{px(zero)}" y1="{px(bars_top)}" x2="{px(zero)}" y2="{px(bars_bottom)}" '
        f'stroke="{INK}" stroke-width="1"/>'
    )
    body.append(
        svg_text(
            (plot_left + plot_right) / 2, bars_bottom + 32, unit_label, anchor="middle", fill=MUTED
        )
    )
    height = bars_bottom + 32 + 12 + PAD
    desc = bar_chart_summary(items, unit_label=unit_label)
    return svg_root(chart_id, WIDTH, height, title, desc, body)


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
        parts.append(f"most {positive_label}: {label} ({signed_pct(value)})")
    if below:
        label, value = min(below, key=lambda item: item[1])
        parts.append(f"most {negative_label}: {label} ({signed_pct(value)})")
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
        return empty_chart("diverging", title, chart_id, show_title)
    items = [(str(label), value) for label, value in items]
    chart_id = chart_id or chart_id_for("diverging", title, items)
    body, top = title_block(title, show_title)

    # Legend: colour plus the sign that every label also carries.
    legend_y = top + 8
    x = PAD
    for colour, text in ((ABOVE, f"+ {positive_label}"), (BELOW, f"{MINUS} {negative_label}")):
        body.append(
            f'<rect x="{px(x)}" y="{px(legend_y - 7)}" width="14" height="14" fill="{colour}"/>'
        )
        body.append(svg_text(x + 20, legend_y, text, size=SMALL_SIZE))
        x += 20 + text_width(text, SMALL_SIZE) + 20
    top = legend_y + 14

    values = [as_float(v) for _, v in items if v is not None]
    extent = max([abs(v) for v in values] + [0.0]) or 1.0
    ticks = nice_ticks(-extent, extent, target=6)
    bound = max(abs(ticks[0]), abs(ticks[-1]))
    ticks = nice_ticks(-bound, bound, target=6)

    axis_width = max(text_width(tick_label(t, ticks, "%"), SMALL_SIZE) for t in ticks) + 10
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
            f'<line x1="{px(plot_left)}" y1="{px(y)}" x2="{px(width - PAD)}" '
            f'y2="{px(y)}" stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(
            svg_text(
                plot_left - 6,
                y,
                tick_label(tick, ticks, "%"),
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
        text = "no data" if value is None else signed_pct(value)
        body.append(f"<g><title>{esc(f'{label}: {text}')}</title>")
        if value is None:
            body.append(svg_text(centre, zero - 10, text, anchor="middle", size=11, fill=MUTED))
        else:
            y = y_of(as_float(value))
            colour = ABOVE if value > 0 else BELOW
            top_y, bottom_y = min(y, zero), max(y, zero)
            body.append(
                f'<rect x="{px(centre - bar_width / 2)}" y="{px(top_y)}" '
                f'width="{px(bar_width)}" height="{px(max(bottom_y - top_y, 0.5))}" '
                f'fill="{colour}"/>'
            )
            label_y = top_y - 9 if value >= 0 else bottom_y + 9
            body.append(
                svg_text(centre, label_y, text, anchor="middle", size=label_size, bold=True)
            )
        body.append(
            svg_text(
                centre,
                plot_bottom + 22,
                fit(label, column - 2, SMALL_SIZE),
                anchor="middle",
                size=SMALL_SIZE,
            )
        )
        body.append("</g>")

    body.append(
        f'<line x1="{px(plot_left)}" y1="{px(zero)}" x2="{px(width - PAD)}" '
        f'y2="{px(zero)}" stroke="{INK}" stroke-width="1.5"/>'
    )
    height = plot_bottom + 22 + 12 + PAD
    desc = diverging_summary(
        items, positive_label=positive_label.lower(), negative_label=negative_label.lower()
    )
    return svg_root(chart_id, width, height, title, desc, body)

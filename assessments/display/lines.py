"""Line charts of yearly figures: gaps break the line, part years stand apart."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from assessments.display.numbers import Value, format_number
from assessments.display.svg import (
    BAR,
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
    svg_root,
    svg_text,
    text_width,
    tick_label,
    title_block,
)


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
    known = [(i, as_float(v)) for i, (_, v) in enumerate(points) if v is not None]
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
        half = text_width(text, SMALL_SIZE, bold=True) / 2 + 3
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
    width = text_width(text, SMALL_SIZE, bold=True)
    backing = (
        f'<rect x="{px(x - width / 2 - 2)}" y="{px(label_y - 8)}" width="{px(width + 4)}" '
        'height="16" fill="#ffffff" fill-opacity="0.8"/>'
    )
    return backing + svg_text(x, label_y, text, anchor="middle", size=SMALL_SIZE, bold=True)


def line_chart(
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
        return empty_chart("line", title, chart_id, show_title)
    points = [(str(label), value) for label, value in points]
    chart_id = chart_id or chart_id_for("line", title, points)
    body, top = title_block(title, show_title)

    values = [as_float(v) for _, v in points if v is not None]
    # Start counts at zero so the slope is not exaggerated; extend below zero if needed.
    low, high = min([0.0, *values]), max([0.0, *values])
    # Leave room below the lowest negative point for its label.
    ticks = nice_ticks(low - (0.1 * (high - low) if low < 0 else 0), high)
    domain_low, domain_high = ticks[0], ticks[-1]
    axis_width = max(text_width(tick_label(t, ticks), SMALL_SIZE) for t in ticks) + 10
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
            f'<line x1="{px(plot_left)}" y1="{px(y)}" x2="{px(plot_right)}" '
            f'y2="{px(y)}" stroke="{colour}" stroke-width="{weight}"/>'
        )
        body.append(
            svg_text(
                plot_left - 6,
                y,
                tick_label(tick, ticks),
                anchor="end",
                size=SMALL_SIZE,
                fill=MUTED,
            )
        )
    body.append(
        svg_text(
            PAD + 6,
            (plot_top + plot_bottom) / 2,
            y_label,
            anchor="middle",
            fill=MUTED,
            size=SMALL_SIZE,
            extra=f' transform="rotate(-90 {px(PAD + 6)} {px((plot_top + plot_bottom) / 2)})"',
        )
    )

    value_texts = [None if v is None else format_number(v) for _, v in points]
    widest_value = max(text_width(t, SMALL_SIZE, bold=True) for t in value_texts if t)
    every_value = _label_every(len(points), step, widest_value)
    widest_label = max(text_width(label, SMALL_SIZE) for label, _ in points)
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
            segment.append(f"{px(x_of(index))},{px(y_of(as_float(value)))}")
    if segment:
        segments.append(segment)
    for seg in segments:
        if len(seg) < 2:
            continue  # a lone point has its marker; there is no line to draw
        body.append(
            f'<polyline points="{" ".join(seg)}" fill="none" stroke="{BAR}" '
            'stroke-width="2.5" stroke-linejoin="round"/>'
        )

    known = {i: as_float(v) for i, (_, v) in enumerate(points) if v is not None}
    labels: list[str] = []
    for index, ((label, value), value_text) in enumerate(zip(points, value_texts, strict=True)):
        x = x_of(index)
        tooltip = f"{label}: {value_text or 'no data'}"
        if label in part_years and value is not None:
            tooltip += f" (part year: {part_years[label]})"
        body.append(f"<g><title>{esc(tooltip)}</title>")
        if value is not None:
            y = y_of(known[index])
            if label in part_years:
                body.append(_diamond(x, y))
            else:
                body.append(
                    f'<circle cx="{px(x)}" cy="{px(y)}" r="4" fill="#ffffff" '
                    f'stroke="{BAR}" stroke-width="2"/>'
                )
            if index in labelled:
                labels.append(_point_label(x, y, index, known, value_text or "", plot_bottom))
        if index % every_label == 0:
            body.append(svg_text(x, plot_bottom + 14, label, anchor="middle", size=SMALL_SIZE))
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
            svg_text(
                plot_left + 18,
                key_y,
                fit(text, WIDTH - plot_left - 18 - PAD, SMALL_SIZE),
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
    return svg_root(chart_id, WIDTH, height, title, desc, body)


def _diamond(x: float, y: float, size: float = 6) -> str:
    """A dashed, hollow diamond: the marker of a part-year point."""
    return (
        f'<path d="M{px(x)},{px(y - size)} L{px(x + size)},{px(y)} L{px(x)},{px(y + size)} '
        f'L{px(x - size)},{px(y)} Z" fill="#ffffff" stroke="{BAR}" stroke-width="2" '
        'stroke-dasharray="3 2"/>'
    )

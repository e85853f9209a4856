"""Line charts of yearly figures: gaps break the line, part years stand apart."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True)
class _Plot:
    """Where a line chart's points go: columns of `step` from `left`, values up from `bottom`."""

    left: float
    right: float
    top: float
    bottom: float
    step: float
    ticks: list[float]
    height: float = 220

    def x_of(self, index: int) -> float:
        return self.left + self.step * (index + 0.5)

    def y_of(self, value: float) -> float:
        low, high = self.ticks[0], self.ticks[-1]
        return self.bottom - (value - low) / (high - low) * self.height


def _plot(points: Sequence[tuple[str, Value | None]], top: float) -> _Plot:
    values = [as_float(v) for _, v in points if v is not None]
    # Start counts at zero so the slope is not exaggerated; extend below zero if needed.
    low, high = min([0.0, *values]), max([0.0, *values])
    # Leave room below the lowest negative point for its label.
    ticks = nice_ticks(low - (0.1 * (high - low) if low < 0 else 0), high)
    axis_width = max(text_width(tick_label(t, ticks), SMALL_SIZE) for t in ticks) + 10
    left, right = PAD + 22 + axis_width, WIDTH - PAD - 10
    plot_top = top + 26
    height = 220
    return _Plot(left, right, plot_top, plot_top + height, (right - left) / len(points), ticks)


def _y_axis(plot: _Plot, y_label: str) -> list[str]:
    """Gridlines with their values, the zero line darker, and the axis label."""
    body = []
    for tick in plot.ticks:
        y = plot.y_of(tick)
        colour, weight = (INK, 1.5) if tick == 0 else (GRID, 1)
        body.append(
            f'<line x1="{px(plot.left)}" y1="{px(y)}" x2="{px(plot.right)}" '
            f'y2="{px(y)}" stroke="{colour}" stroke-width="{weight}"/>'
        )
        label = tick_label(tick, plot.ticks)
        body.append(svg_text(plot.left - 6, y, label, anchor="end", size=SMALL_SIZE, fill=MUTED))
    middle = (plot.top + plot.bottom) / 2
    turn = f' transform="rotate(-90 {px(PAD + 6)} {px(middle)})"'
    body.append(
        svg_text(PAD + 6, middle, y_label, anchor="middle", fill=MUTED, size=SMALL_SIZE, extra=turn)
    )
    return body


def _polylines(plot: _Plot, points, part_years: Mapping[str, str]) -> list[str]:
    """The line, broken at gaps and part years; a lone point keeps only its marker."""
    segments: list[list[str]] = [[]]
    for index, (label, value) in enumerate(points):
        if value is None or label in part_years:
            segments.append([])
        else:
            segments[-1].append(f"{px(plot.x_of(index))},{px(plot.y_of(as_float(value)))}")
    return [
        f'<polyline points="{" ".join(seg)}" fill="none" stroke="{BAR}" '
        'stroke-width="2.5" stroke-linejoin="round"/>'
        for seg in segments
        if len(seg) >= 2
    ]


def _markers(plot: _Plot, points, value_texts, labelled, part_years) -> list[str]:
    """Each point's marker, tooltip and period label; value labels last, so nothing covers them."""
    widest_label = max(text_width(label, SMALL_SIZE) for label, _ in points)
    every_label = _label_every(len(points), plot.step, widest_label)
    known = {i: as_float(v) for i, (_, v) in enumerate(points) if v is not None}
    body: list[str] = []
    labels: list[str] = []
    for index, ((label, value), value_text) in enumerate(zip(points, value_texts, strict=True)):
        x = plot.x_of(index)
        tooltip = f"{label}: {value_text or 'no data'}"
        if label in part_years and value is not None:
            tooltip += f" (part year: {part_years[label]})"
        body.append(f"<g><title>{esc(tooltip)}</title>")
        if value is not None:
            y = plot.y_of(known[index])
            if label in part_years:
                body.append(_diamond(x, y))
            else:
                body.append(
                    f'<circle cx="{px(x)}" cy="{px(y)}" r="4" fill="#ffffff" '
                    f'stroke="{BAR}" stroke-width="2"/>'
                )
            if index in labelled:
                labels.append(_point_label(x, y, index, known, value_text or "", plot.bottom))
        if index % every_label == 0:
            body.append(svg_text(x, plot.bottom + 14, label, anchor="middle", size=SMALL_SIZE))
        body.append("</g>")
    return body + labels


def _part_year_key(plot: _Plot, shown_parts: list[tuple[str, str]]) -> list[str]:
    key_y = plot.bottom + 34
    text = "Part year, not joined to the line: " + "; ".join(
        f"{label} ({note})" for label, note in shown_parts
    )
    shown = fit(text, WIDTH - plot.left - 18 - PAD, SMALL_SIZE)
    return [_diamond(plot.left + 6, key_y), svg_text(plot.left + 18, key_y, shown, size=SMALL_SIZE)]


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
    plot = _plot(points, top)
    body += _y_axis(plot, y_label)

    value_texts = [None if v is None else format_number(v) for _, v in points]
    widest_value = max(text_width(t, SMALL_SIZE, bold=True) for t in value_texts if t)
    every_value = _label_every(len(points), plot.step, widest_value)
    labelled = _value_label_indexes(points, value_texts, plot.step, every_value)
    body += _polylines(plot, points, part_years)
    body += _markers(plot, points, value_texts, labelled, part_years)

    height = plot.bottom + 14 + 10 + PAD
    shown_parts = [
        (label, part_years[label])
        for label, value in points
        if value is not None and part_years.get(label)
    ]
    if shown_parts:
        body += _part_year_key(plot, shown_parts)
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

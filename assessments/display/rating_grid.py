"""The harm-by-likelihood grid of rated risks (the report's heat map).

API: ``heat_map(cells, x_levels=..., y_levels=..., title=...)``. ``x_levels`` name the columns
left to right (usually likelihood, lowest first) and ``y_levels`` the rows from the bottom up
(usually harm, lowest first). ``cells`` maps a ``(x, y)`` pair of 0-based indexes into those
levels to the risks placed there, each a ``(name, rating)`` pair.

The grid rates nothing: a cell has no colour of its own. Each risk is a numbered marker on a
block of its own rating's colour, under the rating's word, so a cell holding risks of
different ratings shows each of them; a numbered key below the grid gives the names.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assessments.display.svg import (
    INK,
    MUTED,
    NEUTRAL_STYLE,
    PAD,
    RATING_STYLES,
    SMALL_SIZE,
    WIDTH,
    chart_id_for,
    empty_chart,
    esc,
    fit,
    px,
    svg_root,
    svg_text,
    text_width,
    title_block,
    wrap,
)
from assessments.scoring import HIGH, MODERATE, RATING_ORDER, STANDARD, UNRATED

RATINGS = (HIGH, MODERATE, STANDARD)  # worst first, as scoring.RATING_ORDER ranks them
RADIUS, GAP = 12, 4  # a numbered marker, and the space between markers
WORD_LINE = 18  # the rating's word at the top of its block
MIN_ROW = 48.0

Cells = Mapping[tuple[int, int], Sequence[tuple[str, str]]]


def _word(rating: str) -> str:
    """A rating as its word: High, Moderate, Standard, or Unrated for anything else."""
    known = {word.lower(): word for word in RATINGS}
    return known.get(rating.strip().lower(), UNRATED)


def _style(word: str) -> tuple[str, str]:
    """(fill, text colour) of a rating word; unrated risks are drawn on white."""
    return RATING_STYLES.get(word.lower(), NEUTRAL_STYLE)


def _rank(word: str) -> int:
    """Worst first: High, Moderate, Standard, then Unrated."""
    return -RATING_ORDER.get(word, 0)


@dataclass(frozen=True)
class _Risk:
    number: int
    x: int
    y: int
    name: str
    rating: str  # the risk's own rating word


def _numbered(cells: Cells) -> list[_Risk]:
    """Every risk in reading order (top row first, left to right; in a cell, worst rating
    first, then as given), numbered from 1."""
    ordered = sorted(cells.items(), key=lambda item: (-item[0][1], item[0][0]))
    risks = []
    for (x, y), placed in ordered:
        for name, rating in sorted(placed, key=lambda risk: _rank(_word(risk[1]))):
            risks.append(_Risk(len(risks) + 1, x, y, str(name), _word(rating)))
    return risks


def _groups(risks: Sequence[_Risk]) -> dict[tuple[int, int], list[tuple[str, list[_Risk]]]]:
    """Each cell's risks grouped by rating, worst first."""
    cells: dict[tuple[int, int], dict[str, list[_Risk]]] = {}
    for risk in risks:
        cells.setdefault((risk.x, risk.y), {}).setdefault(risk.rating, []).append(risk)
    return {
        key: sorted(by_rating.items(), key=lambda group: _rank(group[0]))
        for key, by_rating in cells.items()
    }


def heat_map_summary(
    cells: Cells,
    *,
    x_levels: Sequence[str],
    y_levels: Sequence[str],
    x_title: str = "likelihood",
    y_title: str = "harm",
) -> str:
    """A text alternative listing each rating's risks with their harm and likelihood."""
    risks = _numbered(cells)
    if not risks:
        return "No risks placed on the grid."
    by_rating: dict[str, list[str]] = {}
    for risk in risks:
        by_rating.setdefault(risk.rating, []).append(
            f"{risk.name} ({y_title} {y_levels[risk.y]}, {x_title} {x_levels[risk.x]})"
        )
    parts = [
        f"{rating} ({len(names)}): {'; '.join(names)}"
        for rating, names in sorted(by_rating.items(), key=lambda group: _rank(group[0]))
    ]
    return ". ".join(parts) + "."


@dataclass(frozen=True)
class _Layout:
    top: float
    grid_left: float
    cell_width: float
    label_width: float
    per_line: int
    show_words: bool
    row_top: dict[int, float]
    row_height: dict[int, float]
    bottom: float


def _block_height(count: int, per_line: int) -> float:
    return WORD_LINE + math.ceil(count / per_line) * (2 * RADIUS + GAP) + 2


def _layout(groups, columns: int, y_levels: Sequence[str], top: float) -> _Layout:
    label_width = min(150.0, max(text_width(level, SMALL_SIZE) for level in y_levels) + 10)
    grid_left = PAD + 22 + label_width
    cell_width = (WIDTH - PAD - grid_left) / columns
    per_line = max(1, int((cell_width - 16 + GAP) // (2 * RADIUS + GAP)))
    heights = {}
    for y in range(len(y_levels)):
        needed = [
            sum(_block_height(len(members), per_line) + 4 for _, members in groups.get((x, y), []))
            for x in range(columns)
        ]
        heights[y] = max(MIN_ROW, 4 + max(needed, default=0))
    row_top, cursor = {}, top + 6
    for y in reversed(range(len(y_levels))):
        row_top[y] = cursor
        cursor += heights[y]
    return _Layout(
        top + 6,
        grid_left,
        cell_width,
        label_width,
        per_line,
        cell_width >= 84,
        row_top,
        heights,
        cursor,
    )


def _cell(layout: _Layout, x: int, y: int, heading: str, groups) -> list[str]:
    """One cell: a plain frame, then a block per rating with its word and numbered markers."""
    x0, y0, width = layout.grid_left + x * layout.cell_width, layout.row_top[y], layout.cell_width
    names = ", ".join(f"{r.name} ({r.rating})" for _, members in groups for r in members)
    tooltip = f"{heading} — {names}" if names else heading
    body = [f"<g><title>{esc(tooltip)}</title>"]
    body.append(
        f'<rect x="{px(x0)}" y="{px(y0)}" width="{px(width)}" height="{px(layout.row_height[y])}" '
        f'fill="#ffffff" stroke="{MUTED}" stroke-width="1"/>'
    )
    cursor = y0 + 4
    for word, members in groups:
        fill, ink = _style(word)
        height = _block_height(len(members), layout.per_line)
        outline = f' stroke="{MUTED}"' if fill == NEUTRAL_STYLE[0] else ""
        body.append(
            f'<rect x="{px(x0 + 4)}" y="{px(cursor)}" width="{px(width - 8)}" '
            f'height="{px(height)}" rx="3" fill="{fill}"{outline}/>'
        )
        shown = word if layout.show_words else word[:1]
        body.append(svg_text(x0 + 9, cursor + 10, shown, size=SMALL_SIZE, fill=ink, bold=True))
        for i, risk in enumerate(members):
            cx = x0 + 8 + RADIUS + (i % layout.per_line) * (2 * RADIUS + GAP)
            cy = cursor + WORD_LINE + RADIUS + (i // layout.per_line) * (2 * RADIUS + GAP)
            body.append(_marker(cx, cy, risk.number))
        cursor += height + 4
    body.append("</g>")
    return body


def _marker(cx: float, cy: float, number: int) -> str:
    return (
        f'<circle cx="{px(cx)}" cy="{px(cy)}" r="{RADIUS}" fill="#ffffff" stroke="{INK}" '
        f'stroke-width="1"/>' + svg_text(cx, cy, str(number), anchor="middle", size=11, bold=True)
    )


def _axes(layout: _Layout, x_levels, y_levels, x_title: str, y_title: str) -> tuple[list, float]:
    """Row and column labels and the axis titles; returns the elements and where they end."""
    body = []
    for y, level in enumerate(y_levels):
        middle = layout.row_top[y] + layout.row_height[y] / 2
        label = fit(level, layout.label_width - 10, SMALL_SIZE)
        body.append(svg_text(layout.grid_left - 8, middle, label, anchor="end", size=SMALL_SIZE))
    level_lines = 1
    for x, level in enumerate(x_levels):
        cx = layout.grid_left + (x + 0.5) * layout.cell_width
        lines = wrap(level, layout.cell_width - 6, SMALL_SIZE)
        level_lines = max(level_lines, len(lines))
        for i, line in enumerate(lines):
            body.append(
                svg_text(cx, layout.bottom + 14 + i * 15, line, anchor="middle", size=SMALL_SIZE)
            )
    axis_y = layout.bottom + 14 + level_lines * 15 + 8
    centre = (layout.grid_left + WIDTH - PAD) / 2
    body.append(svg_text(centre, axis_y, f"{x_title} →", anchor="middle", bold=True))
    mid = (layout.top + layout.bottom) / 2
    turn = f' transform="rotate(-90 {px(PAD + 6)} {px(mid)})"'
    body.append(svg_text(PAD + 6, mid, f"{y_title} →", anchor="middle", bold=True, extra=turn))
    return body, axis_y + 24


def _key(risks: Sequence[_Risk], cursor: float) -> tuple[list[str], float]:
    """The numbered key in two columns; returns the elements and where they end."""
    body = [svg_text(PAD, cursor, "Key", bold=True)]
    cursor += 20
    column_width = (WIDTH - 2 * PAD) / 2
    per_column = math.ceil(len(risks) / 2)
    bottoms = []
    for column in range(2):
        y = cursor
        for risk in risks[column * per_column : (column + 1) * per_column]:
            x = PAD + column * column_width
            body.append(_marker(x + RADIUS, y, risk.number))
            lines = wrap(risk.name, column_width - 2 * RADIUS - 16, SMALL_SIZE)
            for i, line in enumerate(lines):
                body.append(svg_text(x + 2 * RADIUS + 6, y + i * 15, line, size=SMALL_SIZE))
            y += max(26, len(lines) * 15 + 11)
        bottoms.append(y)
    return body, max(bottoms)


def heat_map(
    cells: Cells,
    *,
    x_levels: Sequence[str],
    y_levels: Sequence[str],
    title: str,
    x_title: str = "Likelihood",
    y_title: str = "Harm",
    chart_id: str | None = None,
    show_title: bool = True,
) -> str:
    """Render a harm-by-likelihood grid: each risk numbered under its own rating and colour."""
    if not x_levels or not y_levels:
        return empty_chart("heatmap", title, chart_id, show_title)
    for x, y in cells:
        if not (0 <= x < len(x_levels) and 0 <= y < len(y_levels)):
            raise ValueError(f"Cell {(x, y)} is outside the {len(x_levels)}×{len(y_levels)} grid")
    cells = {key: [(str(n), str(r)) for n, r in placed] for key, placed in cells.items()}
    chart_id = chart_id or chart_id_for(
        "heatmap", title, (sorted(cells.items()), list(x_levels), list(y_levels))
    )
    body, top = title_block(title, show_title)
    risks = _numbered(cells)
    groups = _groups(risks)
    layout = _layout(groups, len(x_levels), y_levels, top)
    for y in range(len(y_levels)):
        for x in range(len(x_levels)):
            heading = f"{y_title} {y_levels[y]}, {x_title} {x_levels[x]}"
            body += _cell(layout, x, y, heading, groups.get((x, y), []))
    axes, cursor = _axes(layout, x_levels, y_levels, x_title, y_title)
    body += axes
    if not layout.show_words:
        legend = "  ".join(f"{word[0]} = {word}" for word in (*RATINGS, UNRATED))
        body.append(svg_text(PAD, cursor, legend, size=SMALL_SIZE, fill=MUTED))
        cursor += 20
    if risks:
        key, cursor = _key(risks, cursor)
        body += key
    desc = heat_map_summary(
        cells,
        x_levels=x_levels,
        y_levels=y_levels,
        x_title=x_title.lower(),
        y_title=y_title.lower(),
    )
    return svg_root(chart_id, WIDTH, cursor + PAD - 8, title, desc, body)

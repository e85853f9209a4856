"""The harm-by-likelihood grid of rated risks (the report's heat map).

API: ``heat_map(cells, x_levels=..., y_levels=..., title=..., cell_rating=...)``.
``x_levels`` name the columns left to right (usually likelihood, lowest first) and ``y_levels``
the rows from the bottom up (usually harm, lowest first). ``cells`` maps a ``(x, y)`` pair of
0-based indexes into those levels to the names of the risks placed there. ``cell_rating(x, y)``
is called for every cell and returns "High", "Moderate" or "Standard" (any case; anything else
draws a neutral cell). Each cell shows its rating word and a numbered marker per risk; a
numbered key below the grid gives the risk names.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

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


def heat_map(
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
        return empty_chart("heatmap", title, chart_id, show_title)
    for x, y in cells:
        if not (0 <= x < len(x_levels) and 0 <= y < len(y_levels)):
            raise ValueError(f"Cell {(x, y)} is outside the {len(x_levels)}×{len(y_levels)} grid")
    cells = {key: [str(name) for name in names] for key, names in cells.items()}
    chart_id = chart_id or chart_id_for(
        "heatmap", title, (sorted(cells.items()), list(x_levels), list(y_levels))
    )
    body, top = title_block(title, show_title)

    columns, rows = len(x_levels), len(y_levels)
    y_label_width = min(150.0, max(text_width(level, SMALL_SIZE) for level in y_levels) + 10)
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
            svg_text(
                grid_left - 8,
                y0 + row_heights[y] / 2,
                fit(y_levels[y], y_label_width - 10, SMALL_SIZE),
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
            body.append(f"<g><title>{esc(tooltip)}</title>")
            body.append(
                f'<rect x="{px(x0)}" y="{px(y0)}" width="{px(cell_width)}" '
                f'height="{px(row_heights[y])}" fill="{fill}" stroke="#ffffff" '
                'stroke-width="2"/>'
            )
            if fill == NEUTRAL_STYLE[0]:
                body.append(
                    f'<rect x="{px(x0 + 1)}" y="{px(y0 + 1)}" width="{px(cell_width - 2)}" '
                    f'height="{px(row_heights[y] - 2)}" fill="none" stroke="{MUTED}"/>'
                )
            word = rating if show_words else rating[:1].upper()
            body.append(svg_text(x0 + 8, y0 + 14, word, size=SMALL_SIZE, fill=ink, bold=True))
            for i, number in enumerate(numbers.get((x, y), [])):
                cx = x0 + 6 + radius + (i % per_line) * (2 * radius + gap)
                cy = y0 + 30 + radius + (i // per_line) * (2 * radius + gap)
                body.append(
                    f'<circle cx="{px(cx)}" cy="{px(cy)}" r="{radius}" fill="#ffffff" '
                    f'stroke="{INK}" stroke-width="1"/>'
                )
                body.append(svg_text(cx, cy, str(number), anchor="middle", size=11, bold=True))
            body.append("</g>")

    level_lines = 1
    for x in range(columns):
        cx = grid_left + (x + 0.5) * cell_width
        lines = wrap(x_levels[x], cell_width - 6, SMALL_SIZE)
        level_lines = max(level_lines, len(lines))
        for i, line in enumerate(lines):
            body.append(
                svg_text(cx, grid_bottom + 14 + i * 15, line, anchor="middle", size=SMALL_SIZE)
            )
    axis_y = grid_bottom + 14 + level_lines * 15 + 8
    body.append(
        svg_text((grid_left + grid_right) / 2, axis_y, f"{x_title} →", anchor="middle", bold=True)
    )
    mid = (grid_top + grid_bottom) / 2
    body.append(
        svg_text(
            PAD + 6,
            mid,
            f"{y_title} →",
            anchor="middle",
            bold=True,
            extra=f' transform="rotate(-90 {px(PAD + 6)} {px(mid)})"',
        )
    )

    cursor = axis_y + 24
    if not show_words:
        legend = "  ".join(f"{word[0]} = {word}" for word in ("High", "Moderate", "Standard"))
        body.append(svg_text(PAD, cursor, legend, size=SMALL_SIZE, fill=MUTED))
        cursor += 20
    if risks:
        body.append(svg_text(PAD, cursor, "Key", bold=True))
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
                    f'<circle cx="{px(x + radius)}" cy="{px(y)}" r="{radius}" fill="#ffffff" '
                    f'stroke="{INK}" stroke-width="1"/>'
                )
                body.append(
                    svg_text(x + radius, y, str(number), anchor="middle", size=11, bold=True)
                )
                lines = wrap(name, column_width - 2 * radius - 16, SMALL_SIZE)
                for i, line in enumerate(lines):
                    body.append(svg_text(x + 2 * radius + 6, y + i * 15, line, size=SMALL_SIZE))
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
    return svg_root(chart_id, WIDTH, height, title, desc, body)

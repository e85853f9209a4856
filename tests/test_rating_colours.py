"""Ratings are a word on a colour: every rating colour, in the stylesheet and in the heat map,
gives its text at least WCAG's 4.5:1 contrast (1.4.3, normal-size text)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assessments.display.svg import NEUTRAL_STYLE, RATING_STYLES

CSS = (Path(__file__).resolve().parent.parent / "static" / "css" / "app.css").read_text()
RATING_VARIABLES = ("--wb-high", "--wb-moderate", "--wb-standard", "--wb-unrated")
AA_TEXT = 4.5


def _luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a #rrggbb or #rgb colour."""
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(d * 2 for d in hex_digits)
    channels = [int(hex_digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _css_variable(name: str) -> str:
    match = re.search(rf"{re.escape(name)}:\s*(#[0-9a-fA-F]{{3,6}})\s*;", CSS)
    assert match, f"{name} is not set in app.css"
    return match.group(1)


def _rating_text_colour() -> str:
    """The text colour the `.rating` badge puts on every rating background."""
    rule = re.search(r"\.rating\s*\{([^}]*)\}", CSS)
    assert rule, ".rating rule missing from app.css"
    colour = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})", rule.group(1))
    assert colour, ".rating sets no text colour"
    return colour.group(1)


def test_contrast_formula_matches_wcag_reference_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("variable", RATING_VARIABLES)
def test_rating_badge_text_is_readable_on_each_rating_colour(variable):
    background, text = _css_variable(variable), _rating_text_colour()
    ratio = contrast(background, text)
    print(f"{variable} {background} with {text}: {ratio:.2f}:1")
    assert ratio >= AA_TEXT, f"{variable} {background} gives {text} only {ratio:.2f}:1"


@pytest.mark.parametrize("variable", ("--wb-high", "--wb-standard"))
def test_rating_colours_used_as_text_on_white_are_readable(variable):
    """`.movement-up`/`.movement-down` write in the High/Standard colours on the page."""
    assert contrast(_css_variable(variable), "#ffffff") >= AA_TEXT


@pytest.mark.parametrize("rating", [*RATING_STYLES, "unrated"])
def test_heat_map_cell_text_is_readable_on_each_rating_fill(rating):
    fill, ink = RATING_STYLES.get(rating, NEUTRAL_STYLE)
    ratio = contrast(fill, ink)
    print(f"heat map {rating} {fill} with {ink}: {ratio:.2f}:1")
    assert ratio >= AA_TEXT, f"heat map {rating} {fill} gives {ink} only {ratio:.2f}:1"


# Theme-table levels: a word on a tint, in the dashboard (app.css) and in the PDF.
PDF_TEMPLATE = (
    Path(__file__).resolve().parent.parent / "templates" / "reports" / "pdf" / "assessment.html"
).read_text()
LEVELS = range(5)
# Bootstrap's table text, its body text, and the .level-value figures beside each word.
LEVEL_INKS = ("#000000", "#212529", "#383f43")


def _rule(css: str, selector: str) -> str:
    match = re.search(rf"{re.escape(selector)}\s*\{{([^}}]*)\}}", css)
    assert match, f"{selector} rule missing"
    return match.group(1)


def _declared(rule: str, prop: str) -> str:
    match = re.search(rf"(?<![-\w]){re.escape(prop)}:\s*(#[0-9a-fA-F]{{3,6}})", rule)
    assert match, f"{prop} not set in {rule!r}"
    return match.group(1).lower()


@pytest.mark.parametrize("level", LEVELS)
def test_each_level_tint_sets_bootstraps_table_cell_background(level):
    """`.table>:not(caption)>*>*` paints cells from --bs-table-bg, outranking a plain background."""
    rule = _rule(CSS, f".level-{level}")
    assert _declared(rule, "--bs-table-bg") == _declared(rule, "background-color")


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("ink", LEVEL_INKS)
def test_theme_table_text_is_readable_on_every_level_tint(level, ink):
    tint = _declared(_rule(CSS, f".level-{level}"), "background-color")
    ratio = contrast(tint, ink)
    assert ratio >= AA_TEXT, f".level-{level} {tint} gives {ink} only {ratio:.2f}:1"


@pytest.mark.parametrize("level", LEVELS)
def test_the_pdf_tints_each_level_as_the_dashboard_does(level):
    dashboard = _declared(_rule(CSS, f".level-{level}"), "background-color")
    assert _declared(_rule(PDF_TEMPLATE, f".level-{level}"), "background") == dashboard


def test_the_level_tints_are_distinct_so_severity_shows_as_colour_as_well_as_words():
    tints = [_declared(_rule(CSS, f".level-{level}"), "background-color") for level in LEVELS]
    assert len(set(tints)) == len(tints)


# Unchecked radios, checkboxes, inputs and selects are told apart from the page by their border
# alone: it needs 3:1 against white (WCAG 1.4.11); Bootstrap's own #dee2e6 gives 1.3:1.
NON_TEXT = 3.0


def test_form_control_borders_stand_out_from_the_page():
    border = _css_variable("--wb-control-border")
    assert contrast(border, "#ffffff") >= NON_TEXT
    rule = re.search(r"\.form-control, \.form-select, \.form-check-input \{([^}]*)\}", CSS)
    assert rule and "var(--wb-control-border)" in rule.group(1)

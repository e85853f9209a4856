"""The harm-by-likelihood grid of rated risks."""

import pytest

from assessments.display import svg as palette
from assessments.display.rating_grid import heat_map, heat_map_summary
from tests.assessments.display.samples import (
    HARM,
    LIKELIHOOD,
    RATING_WORDS,
    RISKS,
    SCRIPT,
    SVG,
    parse,
    ratings_shown,
    render_heat_map,
    texts,
)


def test_each_risk_shows_its_own_rating_word_and_colour():
    shown = ratings_shown(render_heat_map())
    high, moderate, standard = (
        palette.RATING_STYLES[r][0] for r in ("high", "moderate", "standard")
    )
    assert shown == {
        "Domestic abuse": ("High", high),
        "Rape and sexual assault": ("Moderate", moderate),
        "Homicide": ("Moderate", moderate),
        "Burglary": ("Standard", standard),
    }


def test_a_cell_has_no_rating_of_its_own():
    root = parse(render_heat_map())
    frames = [r for r in root.iter(f"{SVG}rect") if r.get("stroke") and not r.get("rx")]
    assert len(frames) == len(LIKELIHOOD) * len(HARM)
    assert {r.get("fill") for r in frames} == {"#ffffff"}
    # An empty grid rates nothing: no rating word, no rating colour.
    empty = parse(render_heat_map({}))
    cells = [g for g in empty.iter(f"{SVG}g") if g.findtext(f"{SVG}title").startswith("Harm ")]
    assert len(cells) == len(LIKELIHOOD) * len(HARM)
    assert not RATING_WORDS & {text for cell in cells for text in texts(cell)}
    fills = {style[0] for style in palette.RATING_STYLES.values()}
    assert not fills & {r.get("fill") for r in empty.iter(f"{SVG}rect")}
    assert empty.find(f"{SVG}desc").text == "No risks placed on the grid."


def test_heat_map_numbers_each_risk_and_names_it_in_the_key():
    shown = texts(parse(render_heat_map()))
    for name in ("Domestic abuse", "Rape and sexual assault", "Homicide", "Burglary"):
        assert name in shown
    # Numbered in reading order: top row first, then left to right.
    assert shown.index("Domestic abuse") < shown.index("Homicide") < shown.index("Burglary")
    assert shown.count("1") == 2  # marker in the cell and in the key


def test_in_a_cell_the_worst_rating_comes_first():
    cell = {(0, 0): [("Burglary", "Standard"), ("Knife crime", "High")]}
    svg = heat_map(cell, x_levels=["L"], y_levels=["H"], title="t")
    shown = texts(parse(svg))
    assert shown.index("High") < shown.index("Standard")
    assert shown.index("Knife crime") < shown.index("Burglary")  # numbered 1 and 2


def test_heat_map_summary_groups_risks_by_their_own_rating_with_their_position():
    summary = heat_map_summary(RISKS, x_levels=LIKELIHOOD, y_levels=HARM)
    assert summary.startswith("High (1): Domestic abuse (harm Critical, likelihood Almost")
    assert (
        "Moderate (2): Rape and sexual assault (harm Critical, likelihood Almost certain); "
        "Homicide (harm Major, likelihood Possible)"
    ) in summary
    assert summary.index("Moderate") < summary.index("Standard (1): Burglary")


def test_a_risk_outside_the_grid_is_an_error():
    with pytest.raises(ValueError):
        render_heat_map({(5, 0): [("Nowhere", "High")]})


def test_a_risk_without_a_rating_is_shown_unrated_on_white():
    svg = heat_map({(0, 0): [("Risk", "")]}, x_levels=["L"], y_levels=["H"], title="t")
    assert ratings_shown(svg) == {"Risk": ("Unrated", palette.NEUTRAL_STYLE[0])}


def test_narrow_cells_show_the_ratings_first_letter_and_a_legend():
    levels = [str(n) for n in range(1, 11)]
    svg = heat_map({(0, 0): [("Risk", "High")]}, x_levels=levels, y_levels=["H"], title="t")
    assert ratings_shown(svg)["Risk"][0] == "H"
    assert "H = High  M = Moderate  S = Standard  U = Unrated" in texts(parse(svg))


def test_a_script_tag_in_a_risk_name_is_escaped():
    svg = render_heat_map({(1, 1): [(SCRIPT, "High")]})
    assert "<script" not in svg
    assert SCRIPT in texts(parse(svg))


def test_a_heat_map_without_levels_renders_a_no_data_message():
    svg = heat_map({}, x_levels=[], y_levels=[], title="Empty")
    assert "No data" in texts(parse(svg))

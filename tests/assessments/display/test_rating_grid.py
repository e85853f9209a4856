"""The harm-by-likelihood grid of rated risks."""

import pytest

from assessments.display import svg as palette
from assessments.display.rating_grid import heat_map, heat_map_summary
from tests.assessments.display.samples import (
    HARM,
    LIKELIHOOD,
    RISKS,
    SCRIPT,
    SVG,
    parse,
    rating,
    render_heat_map,
    texts,
)


def test_heat_map_cells_show_their_rating_and_colour():
    root = parse(render_heat_map())
    shown = texts(root)
    assert {"High", "Moderate", "Standard"} <= set(shown)
    fills = {r.get("fill") for r in root.iter(f"{SVG}rect")}
    assert {style[0] for style in palette.RATING_STYLES.values()} <= fills


def test_heat_map_numbers_each_risk_and_names_it_in_the_key():
    shown = texts(parse(render_heat_map()))
    for name in ("Domestic abuse", "Rape and sexual assault", "Homicide", "Burglary"):
        assert name in shown
    # Numbered in reading order: top row first, then left to right.
    assert shown.index("Domestic abuse") < shown.index("Homicide") < shown.index("Burglary")
    assert shown.count("1") == 2  # marker in the cell and in the key


def test_heat_map_summary_groups_risks_by_rating_with_their_position():
    summary = heat_map_summary(RISKS, x_levels=LIKELIHOOD, y_levels=HARM, cell_rating=rating)
    assert summary.startswith("High (2): Domestic abuse (harm Critical, likelihood Almost")
    assert "Moderate (1): Homicide (harm Major, likelihood Possible)" in summary
    assert summary.index("Moderate") < summary.index("Standard (1): Burglary")


def test_a_risk_outside_the_grid_is_an_error():
    with pytest.raises(ValueError):
        render_heat_map({(5, 0): ["Nowhere"]})


def test_an_unknown_rating_draws_a_neutral_cell():
    svg = heat_map(
        {(0, 0): ["Risk"]}, x_levels=["L"], y_levels=["H"], title="t", cell_rating=lambda x, y: ""
    )
    root = parse(svg)
    assert "Risk" in texts(root)


def test_a_script_tag_in_a_risk_name_is_escaped():
    svg = render_heat_map({(1, 1): [SCRIPT]})
    assert "<script" not in svg
    assert SCRIPT in texts(parse(svg))


def test_a_heat_map_without_levels_renders_a_no_data_message():
    svg = heat_map({}, x_levels=[], y_levels=[], title="Empty", cell_rating=rating)
    assert "No data" in texts(parse(svg))


def test_a_heat_map_without_risks_still_draws_the_rated_grid():
    root = parse(render_heat_map({}))
    assert texts(root).count("High") + texts(root).count("Standard") > 0
    assert root.find(f"{SVG}desc").text == "No risks placed on the grid."

"""Horizontal and diverging bar charts."""

from decimal import Decimal

import pytest

from assessments.display import svg as palette
from assessments.display.bars import (
    bar_chart_horizontal,
    bar_chart_summary,
    diverging_bar_chart,
    diverging_summary,
)
from tests.assessments.display.samples import (
    MINUS,
    NEIGHBOURHOODS,
    SEASONAL,
    SVG,
    parse,
    texts,
)

# --- horizontal bars ------------------------------------------------------------------------


def test_bar_values_are_labelled_with_their_figures():
    shown = texts(parse(bar_chart_horizontal(NEIGHBOURHOODS, title="t", unit_label="u")))
    for _, value in NEIGHBOURHOODS:
        assert str(value) in shown


def test_forty_bars_make_a_taller_chart_with_readable_bars():
    many = [(f"Neighbourhood {i}", 500 - i * 10) for i in range(40)]
    few_root = parse(bar_chart_horizontal(many[:5], title="t", unit_label="u"))
    many_root = parse(bar_chart_horizontal(many, title="t", unit_label="u"))
    assert float(many_root.get("height")) > float(few_root.get("height")) + 35 * 20
    bars = [r for r in many_root.iter(f"{SVG}rect") if r.get("fill") == palette.BAR]
    assert len(bars) == 40
    assert all(float(r.get("height")) >= 14 for r in bars)


def test_negative_bars_extend_left_of_zero_and_carry_a_minus_sign():
    root = parse(bar_chart_horizontal([("Up", 5), ("Down", -3)], title="t", unit_label="u"))
    assert f"{MINUS}3" in texts(root)
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == palette.BAR]
    up, down = bars
    assert float(down.get("x")) < float(up.get("x"))
    assert all(float(r.get("width")) > 0 for r in bars)


def test_highlighted_bars_are_bold_as_well_as_darker():
    root = parse(
        bar_chart_horizontal(NEIGHBOURHOODS, title="t", unit_label="u", highlight={"Mutley"})
    )
    bold = ["".join(t.itertext()) for t in root.iter(f"{SVG}text") if t.get("font-weight")]
    assert "Mutley" in bold
    assert "City Centre" not in bold
    assert any(r.get("fill") == palette.BAR_HIGHLIGHT for r in root.iter(f"{SVG}rect"))


def test_a_missing_bar_value_says_no_data():
    shown = texts(parse(bar_chart_horizontal([("A", 1), ("B", None)], title="t", unit_label="u")))
    assert "no data" in shown


def test_very_long_labels_are_shortened_but_kept_in_full_in_the_tooltip():
    name = "A neighbourhood with a very long name that would not fit in the label column"
    svg = bar_chart_horizontal([(name, 1)], title="t", unit_label="u")
    root = parse(svg)
    assert name not in texts(root)
    assert any(name in (t.text or "") for t in root.iter(f"{SVG}title"))


# --- diverging bars -------------------------------------------------------------------------


def test_diverging_labels_carry_plus_and_minus_signs_and_colours_differ():
    root = parse(diverging_bar_chart(SEASONAL, title="Seasonal"))
    shown = texts(root)
    assert "+3.6%" in shown
    assert f"{MINUS}5.5%" in shown
    assert f"{MINUS}12.4%" in shown
    assert "0.0%" in shown
    assert "no data" in shown
    fills = {r.get("fill") for r in root.iter(f"{SVG}rect")}
    assert {palette.ABOVE, palette.BELOW} <= fills


def test_diverging_chart_draws_negative_columns_below_the_zero_line():
    root = parse(diverging_bar_chart([("Up", Decimal("4")), ("Down", Decimal("-4"))], title="t"))
    columns = [r for g in root.iter(f"{SVG}g") for r in g.iter(f"{SVG}rect")]  # not the legend
    up = next(r for r in columns if r.get("fill") == palette.ABOVE)
    down = next(r for r in columns if r.get("fill") == palette.BELOW)
    assert float(up.get("y")) + float(up.get("height")) == pytest.approx(float(down.get("y")))


def test_diverging_chart_of_only_negative_values_renders():
    shown = texts(parse(diverging_bar_chart([("A", -1.5), ("B", -20)], title="t")))
    assert f"{MINUS}1.5%" in shown
    assert f"{MINUS}20.0%" in shown


def test_bar_summaries_name_the_extremes():
    assert "Highest: City Centre (486.3)" in bar_chart_summary(NEIGHBOURHOODS, unit_label="u")
    assert "most below average: Dec (" in diverging_summary(SEASONAL)
    assert "1 with no data" in diverging_summary(SEASONAL)

"""Tests for the server-side SVG charts in assessments.charts."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from assessments import charts
from assessments.charts import (
    bar_chart_horizontal,
    bar_chart_summary,
    diverging_bar_chart,
    diverging_summary,
    format_number,
    heat_map,
    heat_map_summary,
    line_chart,
    line_chart_summary,
)

SVG = "{http://www.w3.org/2000/svg}"
MINUS = "\u2212"
SCRIPT = "<script>alert('x')</script>"

NEIGHBOURHOODS = [
    ("City Centre", Decimal("486.3")),
    ("Stonehouse", Decimal("248.6")),
    ("Mutley", Decimal("248.5")),
    ("Morice Town", Decimal("212.3")),
    ("East End", Decimal("160.8")),
]
SEASONAL = [
    ("Apr", Decimal("-5.5")),
    ("May", Decimal("3.6")),
    ("Jun", Decimal("0.0")),
    ("Jul", None),
    ("Dec", Decimal("-12.4")),
]
TREND = [("2017/18", 22000), ("2018/19", 23626), ("2019/20", 23024)]
LIKELIHOOD = ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]
HARM = ["Minimal", "Minor", "Moderate", "Major", "Critical"]
RISKS = {
    (4, 4): ["Domestic abuse", "Rape and sexual assault"],
    (2, 3): ["Homicide"],
    (0, 0): ["Burglary"],
}


def rating(x: int, y: int) -> str:
    score = (x + 1) * (y + 1)
    return "High" if score >= 15 else "Moderate" if score >= 8 else "Standard"


def render_heat_map(cells=RISKS, **kwargs) -> str:
    return heat_map(
        cells, x_levels=LIKELIHOOD, y_levels=HARM, title="Risks", cell_rating=rating, **kwargs
    )


CHARTS = {
    "bar": lambda items, title: bar_chart_horizontal(items, title=title, unit_label="per 1,000"),
    "diverging": lambda items, title: diverging_bar_chart(items, title=title),
    "line": lambda items, title: line_chart(items, title=title, y_label="Crimes"),
}
SAMPLES = {"bar": NEIGHBOURHOODS, "diverging": SEASONAL, "line": TREND}


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]


RENDERED = [
    *((kind, CHARTS[kind](SAMPLES[kind], f"{kind} chart")) for kind in CHARTS),
    ("heat", render_heat_map()),
]


@pytest.mark.parametrize(("kind", "svg"), RENDERED, ids=[kind for kind, _ in RENDERED])
def test_every_chart_is_well_formed_svg_labelled_by_its_title_and_description(kind, svg):
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("viewBox", "").startswith("0 0 ")
    title_id, desc_id = root.get("aria-labelledby").split()
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert (title.get("id"), desc.get("id")) == (title_id, desc_id)
    assert title.text
    assert desc.text and desc.text != "No data to chart."
    assert list(root)[:2] == [title, desc]
    assert "font-family" in root.attrib


@pytest.mark.parametrize(("kind", "svg"), RENDERED, ids=[kind for kind, _ in RENDERED])
def test_charts_use_no_script_or_external_references(kind, svg):
    root = parse(svg)
    assert not list(root.iter(f"{SVG}script"))
    assert "href" not in svg
    assert "url(" not in svg


@pytest.mark.parametrize("kind", CHARTS)
def test_every_label_appears_as_text(kind):
    root = parse(CHARTS[kind](SAMPLES[kind], "Labels"))
    shown = " ".join(texts(root))
    for label, _ in SAMPLES[kind]:
        assert label in shown


@pytest.mark.parametrize("kind", CHARTS)
def test_a_script_tag_in_a_label_or_title_is_escaped(kind):
    items = [(SCRIPT, SAMPLES[kind][0][1]), *SAMPLES[kind][1:]]
    svg = CHARTS[kind](items, f"Title {SCRIPT}")
    assert "<script" not in svg
    root = parse(svg)
    assert not list(root.iter(f"{SVG}script"))
    assert root.find(f"{SVG}title").text == f"Title {SCRIPT}"


def test_a_script_tag_in_a_risk_name_is_escaped():
    svg = render_heat_map({(1, 1): [SCRIPT]})
    assert "<script" not in svg
    assert SCRIPT in texts(parse(svg))


@pytest.mark.parametrize("kind", CHARTS)
def test_empty_input_renders_a_no_data_message(kind):
    root = parse(CHARTS[kind]([], "Nothing yet"))
    assert "No data" in texts(root)
    assert root.find(f"{SVG}title").text == "Nothing yet"
    assert root.find(f"{SVG}desc").text == "No data to chart."


def test_a_line_of_only_missing_values_renders_a_no_data_message():
    assert "No data" in texts(parse(line_chart([("a", None)], title="t", y_label="y")))


def test_a_heat_map_without_levels_renders_a_no_data_message():
    svg = heat_map({}, x_levels=[], y_levels=[], title="Empty", cell_rating=rating)
    assert "No data" in texts(parse(svg))


def test_a_heat_map_without_risks_still_draws_the_rated_grid():
    root = parse(render_heat_map({}))
    assert texts(root).count("High") + texts(root).count("Standard") > 0
    assert root.find(f"{SVG}desc").text == "No risks placed on the grid."


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
    bars = [r for r in many_root.iter(f"{SVG}rect") if r.get("fill") == charts.BAR]
    assert len(bars) == 40
    assert all(float(r.get("height")) >= 14 for r in bars)


def test_negative_bars_extend_left_of_zero_and_carry_a_minus_sign():
    root = parse(bar_chart_horizontal([("Up", 5), ("Down", -3)], title="t", unit_label="u"))
    assert f"{MINUS}3" in texts(root)
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == charts.BAR]
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
    assert any(r.get("fill") == charts.BAR_HIGHLIGHT for r in root.iter(f"{SVG}rect"))


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
    assert {charts.ABOVE, charts.BELOW} <= fills


def test_diverging_chart_draws_negative_columns_below_the_zero_line():
    root = parse(diverging_bar_chart([("Up", Decimal("4")), ("Down", Decimal("-4"))], title="t"))
    columns = [r for g in root.iter(f"{SVG}g") for r in g.iter(f"{SVG}rect")]  # not the legend
    up = next(r for r in columns if r.get("fill") == charts.ABOVE)
    down = next(r for r in columns if r.get("fill") == charts.BELOW)
    assert float(up.get("y")) + float(up.get("height")) == pytest.approx(float(down.get("y")))


def test_diverging_chart_of_only_negative_values_renders():
    shown = texts(parse(diverging_bar_chart([("A", -1.5), ("B", -20)], title="t")))
    assert f"{MINUS}1.5%" in shown
    assert f"{MINUS}20.0%" in shown


# --- line chart -----------------------------------------------------------------------------


def test_line_points_are_labelled_with_their_values():
    root = parse(line_chart(TREND, title="Trend", y_label="Crimes"))
    assert {"22,000", "23,626", "23,024"} <= set(texts(root))
    assert len(list(root.iter(f"{SVG}circle"))) == 3
    assert "Crimes" in texts(root)


def test_line_chart_handles_negative_values_and_gaps():
    root = parse(line_chart([("a", -3), ("b", 2.5), ("c", None), ("d", 4)], title="t", y_label="y"))
    assert {f"{MINUS}3", "2.5", "4"} <= set(texts(root))
    # a to b is a line; the gap at c breaks it, and d alone keeps its marker.
    assert len(list(root.iter(f"{SVG}polyline"))) == 1
    assert len(list(root.iter(f"{SVG}circle"))) == 3
    assert "No figure for c: the line breaks there." in root.find(f"{SVG}desc").text


def test_a_part_year_point_is_a_dashed_diamond_not_joined_and_named_under_the_chart():
    points = [("2014/15", 100), ("2015/16", 110), ("2016/17", 30), ("2017/18", 105)]
    root = parse(
        line_chart(points, title="t", y_label="y", part_years={"2016/17": "3 of 12 months"})
    )
    assert len(list(root.iter(f"{SVG}polyline"))) == 1
    assert len(list(root.iter(f"{SVG}circle"))) == 3
    assert any("stroke-dasharray" in path.attrib for path in root.iter(f"{SVG}path"))
    assert "Part year, not joined to the line: 2016/17 (3 of 12 months)" in texts(root)
    assert "2016/17 covers only 3 of 12 months" in root.find(f"{SVG}desc").text


def test_a_dense_line_labels_its_extremes_and_says_not_every_point_is_labelled():
    points = [(f"2019-{m:02d}", 1000 + m * 10) for m in range(1, 13)] * 3
    points[20] = ("peak", 5000)
    root = parse(line_chart(points, title="Monthly", y_label="Crimes"))
    assert "5,000" in texts(root)
    assert "Not every point is labelled" in root.find(f"{SVG}desc").text


# --- heat map -------------------------------------------------------------------------------


def test_heat_map_cells_show_their_rating_and_colour():
    root = parse(render_heat_map())
    shown = texts(root)
    assert {"High", "Moderate", "Standard"} <= set(shown)
    fills = {r.get("fill") for r in root.iter(f"{SVG}rect")}
    assert {style[0] for style in charts.RATING_STYLES.values()} <= fills


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


# --- shared behaviour -----------------------------------------------------------------------


def test_the_same_chart_renders_identically_and_ids_can_be_set():
    assert line_chart(TREND, title="t", y_label="y") == line_chart(TREND, title="t", y_label="y")
    root = parse(line_chart(TREND, title="t", y_label="y", chart_id="trend"))
    assert root.get("aria-labelledby") == "trend-title trend-desc"


def test_charts_can_leave_the_visible_title_to_the_page():
    root = parse(line_chart(TREND, title="Hidden title", y_label="y", show_title=False))
    assert "Hidden title" not in texts(root)
    assert root.find(f"{SVG}title").text == "Hidden title"


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_colours_meet_contrast_requirements_against_white():
    for graphic in (charts.BAR, charts.BAR_HIGHLIGHT, charts.ABOVE, charts.BELOW):
        assert contrast(graphic, "#ffffff") >= 3
    for text in (charts.INK, charts.MUTED):
        assert contrast(text, "#ffffff") >= 4.5
    for fill, ink in charts.RATING_STYLES.values():
        assert contrast(fill, "#ffffff") >= 3
        assert contrast(fill, ink) >= 4.5


def test_numbers_are_formatted_with_separators_and_a_true_minus_sign():
    assert format_number(23024) == "23,024"
    assert format_number(-602) == f"{MINUS}602"
    assert format_number(Decimal("0.74")) == "0.74"
    assert format_number(Decimal("-0.0")) == "0.0"
    assert format_number(2.5) == "2.5"


def test_summaries_name_the_extremes():
    assert "Highest: City Centre (486.3)" in bar_chart_summary(NEIGHBOURHOODS, unit_label="u")
    assert "most below average: Dec (" in diverging_summary(SEASONAL)
    assert "1 with no data" in diverging_summary(SEASONAL)
    assert "highest 23,626 (2018/19)" in line_chart_summary(TREND, y_label="Crimes")

"""What every chart shares: an accessible, escaped, self-contained SVG with our colours."""

import pytest

from assessments.display import svg as palette
from assessments.display.bars import bar_chart_horizontal, diverging_bar_chart
from assessments.display.lines import line_chart
from tests.assessments.display.samples import (
    NEIGHBOURHOODS,
    SCRIPT,
    SEASONAL,
    SVG,
    TREND,
    parse,
    render_heat_map,
    texts,
)

CHARTS = {
    "bar": lambda items, title: bar_chart_horizontal(items, title=title, unit_label="per 1,000"),
    "diverging": lambda items, title: diverging_bar_chart(items, title=title),
    "line": lambda items, title: line_chart(items, title=title, y_label="Crimes"),
}
SAMPLES = {"bar": NEIGHBOURHOODS, "diverging": SEASONAL, "line": TREND}


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


@pytest.mark.parametrize("kind", CHARTS)
def test_empty_input_renders_a_no_data_message(kind):
    root = parse(CHARTS[kind]([], "Nothing yet"))
    assert "No data" in texts(root)
    assert root.find(f"{SVG}title").text == "Nothing yet"
    assert root.find(f"{SVG}desc").text == "No data to chart."


def test_a_line_of_only_missing_values_renders_a_no_data_message():
    assert "No data" in texts(parse(line_chart([("a", None)], title="t", y_label="y")))


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
    for graphic in (palette.BAR, palette.BAR_HIGHLIGHT, palette.ABOVE, palette.BELOW):
        assert contrast(graphic, "#ffffff") >= 3
    for text in (palette.INK, palette.MUTED):
        assert contrast(text, "#ffffff") >= 4.5
    for fill, ink in palette.RATING_STYLES.values():
        assert contrast(fill, "#ffffff") >= 3
        assert contrast(fill, ink) >= 4.5

"""Line charts: labelled points, gaps and part years."""

from assessments.display.lines import line_chart, line_chart_summary
from tests.assessments.display.samples import (
    MINUS,
    SVG,
    TREND,
    parse,
    texts,
)

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


def test_the_line_summary_names_the_extremes():
    assert "highest 23,626 (2018/19)" in line_chart_summary(TREND, y_label="Crimes")

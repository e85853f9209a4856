"""The one template-tag library: each filter defined once, formatting through the display layer."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template, engines

from assessments.templatetags.workbench import css_string, markdown_safe

MINUS = "\u2212"


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_no_filter_of_ours_is_defined_in_two_libraries():
    ours = {
        name: library
        for name, library in engines["django"].engine.template_libraries.items()
        if name in {"workbench", "workshops"}
    }
    assert set(ours) == {"workbench", "workshops"}
    twice = set(ours["workbench"].filters) & set(ours["workshops"].filters)
    assert not twice, f"defined in both libraries: {sorted(twice)}"


def test_loading_every_library_keeps_the_thousands_separator_of_a_signed_decimal():
    value = Decimal("-1234.5")
    assert render("{% load workbench %}{{ v|signed }}", v=value) == f"{MINUS}1,234.5"
    assert render("{% load workbench workshops %}{{ v|signed }}", v=value) == f"{MINUS}1,234.5"
    assert render("{% load workshops workbench %}{{ v|signed:'%' }}", v=value) == (
        f"{MINUS}1,234.5%"
    )


@pytest.mark.parametrize(
    ("source", "value", "shown"),
    [
        ("{{ v|signed }}", 1234, "+1,234"),
        ("{{ v|signed }}", 0, "0"),
        ("{{ v|signed }}", None, "–"),
        ("{{ v|thousands }}", 23024, "23,024"),
        ("{{ v|thousands }}", Decimal("13.2000"), "13.2"),
        ("{{ v|thousands }}", None, "–"),
        ("{{ v|number }}", None, "–"),
        ("{{ v|number:1 }}", Decimal("87.84"), "87.8"),
        ("{{ v|rate }}", Decimal("0.85"), "0.85"),
        ("{{ v|rate }}", Decimal("13"), "13.0"),
        ("{{ v|one_decimal }}", Decimal("2.25"), "2.3"),  # halves up, as the engine rounds
        ("{{ v|one_decimal }}", Decimal("41.7"), "41.7"),
        ("{{ v|one_decimal }}", None, "–"),
        ("{{ v|plain_number }}", Decimal("1.250"), "1.25"),
    ],
)
def test_numbers_show_as_the_display_layer_formats_them(source, value, shown):
    assert render("{% load workbench %}" + source, v=value) == shown


def test_a_missing_key_is_nothing_so_a_default_can_follow():
    source = '{% load workbench %}{{ m|get_item:"trend"|default:"not scored" }}'
    assert render(source, m={"frequency": "Rare"}) == "not scored"
    assert render(source, m={"trend": "Rising"}) == "Rising"


def test_markdown_is_rendered_but_raw_html_never_survives():
    html = str(
        markdown_safe(
            "**Bold** and a [link](https://example.org)\n\n"
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
            '<a href="javascript:alert(1)">x</a> <p style="color:red" onclick="x()">p</p>'
        )
    )
    assert "<strong>Bold</strong>" in html
    assert 'href="https://example.org"' in html
    for bad in ("<script", "onerror", "javascript:", "onclick", "style=", "<img"):
        assert bad not in html


def test_markdown_of_nothing_is_empty():
    assert markdown_safe("") == "" and markdown_safe(None) == ""


def test_css_string_escapes_quotes_and_markup():
    assert css_string('A "B" <C>') == "A \\22 B\\22  \\3c C\\3e "


def test_a_table_region_is_a_named_focusable_region_around_its_table():
    html = Template(
        '{% load workbench %}{% table_region "Evidence for" name %}<table></table>'
        "{% endtable_region %}"
    ).render(Context({"name": "Domestic <abuse>"}))
    assert html == (
        '<div class="table-region" role="region" tabindex="0" '
        'aria-label="Evidence for Domestic &lt;abuse&gt;"><table></table></div>'
    )

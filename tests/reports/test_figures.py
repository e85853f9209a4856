"""Live figures in narrative: `[[Rape]]`, `[[Rape: % change]]` and friends."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessments.evidence import IndicatorRow
from assessments.statistics import indicator_figures
from assessments.templatetags.workbench import markdown_safe
from reports.figures import figure_problems, with_figures


def _row(name: str, count=None, previous=None, *, value=None, national=None, unit="count"):
    figures = indicator_figures(
        count=count, previous_count=previous, population=262100, msg_rate=Decimal("1.3")
    )
    return IndicatorRow(
        indicator_id=1,
        name=name,
        kind="crime",
        unit=unit,
        figures=figures,
        value=value if value is not None else (Decimal(count) if count is not None else None),
        regional_value=None,
        regional_label="",
        national_value=national,
        national_label="England" if national is not None else "",
        msg_rank=None,
        msg_group_size=None,
    )


ROWS = {
    "rape": _row("Rape", 395, 337),
    "burglary": _row("Burglary", 649, 667),
    "dependent drinkers": _row("Dependent drinkers", unit="people", value=Decimal("3320")),
    "hate crime: racism share": _row("Hate crime: racism share", unit="percent", value=64),
    "deaths from drug misuse": _row(
        "Deaths from drug misuse", unit="per 100000", value=Decimal("11.4"), national=10.8
    ),
}


def _fill(text: str) -> str:
    return with_figures(text, ROWS, period="2019/20", previous_period="2018/19")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[Rape]] rapes", "395 rapes"),
        ("[[rape: count]]", "395"),
        ("[[Rape: previous]]", "337"),
        ("[[Rape: change]]", "+58"),
        ("[[Burglary: change]]", "\u221218"),
        ("a [[Rape: % change]] [[Rape: direction]]", "a 17.2% increase"),
        ("a [[Burglary: % change]] [[Burglary: direction]]", "a 2.7% decrease"),
        ("[[Rape: rate]] ([[Rape: MSG rate]])", "1.5 (1.3)"),
        ("**[[Dependent drinkers]] dependent drinkers**", "**3,320 dependent drinkers**"),
        ("Racism [[Hate crime: racism share]]%", "Racism 64%"),
        ("[[Deaths from drug misuse]] v [[Deaths from drug misuse: comparator]]", "11.4 v 10.8"),
        ("from [[previous period]] to [[period]]", "from 2018/19 to 2019/20"),
        ("no tokens at all", "no tokens at all"),
    ],
)
def test_tokens_become_the_evidences_figures(text, expected):
    assert _fill(text) == expected


def test_a_figure_the_data_does_not_have_says_so_in_words_flagged_never_a_dash():
    text = _fill("[[Dependent drinkers: change]]")
    assert text == "\u27e6(change in Dependent drinkers since 2018/19 not known yet)\u27e7"
    assert str(markdown_safe(text)) == (
        '<p><mark class="missing-figure">'
        "(change in Dependent drinkers since 2018/19 not known yet)</mark></p>"
    )


def test_typed_marks_never_flag_the_analysts_own_words():
    assert _fill("\u27e6plain\u27e7 [[period]]") == "plain 2019/20"


def test_unknown_statistics_and_fields_stay_visible_as_typed():
    assert _fill("[[Arson]] and [[Rape: colour]]") == "[[Arson]] and [[Rape: colour]]"


def test_saving_narrative_names_unknown_statistics_and_fields():
    problems = figure_problems(
        "[[Rape]] [[Arson]] [[Rape: colour]] [[period]] [[Hate crime: racism share]]",
        ["Rape", "Hate crime: racism share"],
    )
    assert [(p.token, p.message) for p in problems] == [
        ("[[Arson]]", "no statistic is called “Arson”"),
        ("[[Rape: colour]]", "“colour” is not a figure"),
    ]


def test_the_narrative_form_refuses_unknown_figures_and_lists_the_known_ones(
    client, scored, analyst
):
    theme = scored.themes.first()
    client.force_login(analyst)
    response = client.post(
        f"/p/plymouth/2019-20/themes/{theme.id}/narrative/",
        {"key_statistics": "[[Arsons]] arsons", "impact": ""},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Unknown live figure: [[Arsons]] (no statistic is called “Arsons”)" in html
    assert "The statistics are: All crime, Robbery, ASB." in html
    theme.refresh_from_db()
    assert theme.key_statistics == "- **395** reported rapes, up 17%"

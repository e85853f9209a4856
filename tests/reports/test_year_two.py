"""Year 2: 2019/20 copied forward to 2020/21 with only part of the new year's data in."""

from __future__ import annotations

import re

import pytest

from assessments.models import Area, AreaKind, Indicator, IndicatorValue, Theme
from reports.files import assessment_pdf_html
from reports.services import assessment_copy_forward, theme_narrative_set

LIVE = (
    "All crime increased again in [[previous period]]: [[All crime]] crimes, "
    "a [[All crime: % change]] [[All crime: direction]]. Robbery: [[Robbery]]."
)


@pytest.fixture
def year_two(scored, analyst):
    """2020/21 from 2019/20; of the new year's data only robbery is in."""
    theme = Theme.objects.get(assessment=scored, name="Domestic abuse and sexual violence")
    theme_narrative_set(theme=theme, values={"key_statistics": LIVE}, user=analyst)
    target = assessment_copy_forward(source=scored, period="2020/21", user=analyst)
    area = Area.objects.get(partnership=scored.partnership, kind=AreaKind.PARTNERSHIP)
    robbery = Indicator.objects.get(partnership=scored.partnership, name="Robbery")
    IndicatorValue.objects.create(indicator=robbery, area=area, period="2020/21", value=250)
    return target


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _narratives(html: str) -> list[str]:
    return [_text(block) for block in re.findall(r'<dl class="narrative">(.*?)</dl>', html, re.S)]


def test_no_sentence_of_the_draft_pdf_prints_a_dash_for_a_missing_figure(year_two):
    html = assessment_pdf_html(year_two)
    narrative = " ".join(_narratives(html))
    assert "–" not in narrative
    # Each says what is missing, in words.
    assert "(no 2020/21 figure for All crime yet) crimes" in narrative
    assert "(change in All crime since 2019/20 not known yet)" in narrative
    assert "Robbery: 250" in narrative
    assert '<mark class="missing-figure">' in html  # flagged in the draft


def test_the_draft_marks_the_copied_narrative_as_not_yet_reviewed(year_two):
    assert "From 2019/20, not yet reviewed" in assessment_pdf_html(year_two)


def test_the_editor_lists_each_live_figure_with_no_value_this_year(client, year_two, analyst):
    theme = Theme.objects.get(assessment=year_two, name="Domestic abuse and sexual violence")
    client.force_login(analyst)
    html = client.get(f"/p/{year_two.partnership.slug}/2020-21/themes/{theme.id}/narrative/")
    text = _text(html.content.decode())
    assert "3 live figures have no value in 2020/21" in text
    assert "[[All crime]] reads “no 2020/21 figure for All crime yet”" in text
    gaps = text.split("have no value")[1].split("Save narrative")[0].split("Key statistics")
    assert "[[Robbery]]" not in " ".join(gaps[:-1])  # robbery's 2020/21 figure is in


def test_quick_facts_say_what_is_missing_and_whose_year_the_population_is(
    client, year_two, analyst
):
    client.force_login(analyst)
    text = _text(client.get(f"/p/{year_two.partnership.slug}/2020-21/evidence/").content.decode())
    facts = text.split("Quick facts")[1].split("Recorded crime and incidents")[0]
    assert "Not known yet: no figure for 2020/21 (23,024 in 2019/20)" in facts
    assert "262,100 (2019/20 figure: none for 2020/21 yet)" in facts
    assert "–" not in facts and "Source" not in facts

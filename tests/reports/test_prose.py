"""The report's words, written from the document's values: periods, movement, the heat map."""

from __future__ import annotations

from types import SimpleNamespace

from assessments.scoring import DEFAULT_MODEL
from reports.heat_map import axes_for
from reports.prose import (
    MOVEMENT_TEXT,
    MOVEMENT_WORDS,
    crime_period_text,
    heat_map_caption,
    msg_position_text,
    period_end,
)


def test_a_period_ends_on_the_last_day_of_march():
    assert period_end("2019/20") == "31 March 2020"


def test_a_part_year_says_which_months_of_the_twelve_it_covers():
    document = {"period_end": "31 March 2017"}
    whole = {"is_partial": False}
    part = {"is_partial": True, "months": 3, "months_covered": "January to March 2017"}
    assert crime_period_text(document, whole) == "the 12 months to 31 March 2017"
    assert crime_period_text(document, part) == (
        "3 of the 12 months to 31 March 2017 (January to March 2017)"
    )


def test_the_risk_page_says_movement_in_the_reports_words_shortened():
    assert MOVEMENT_TEXT["up"][1].format(previous="Moderate") == "Up from Moderate"
    assert MOVEMENT_WORDS == {
        "up": "Up",
        "down": "Down",
        "same": "No change",
        "new": "New this year",
        "unrated": "Not yet rated",
        "rated": "Not rated last year",
    }


def test_a_position_in_the_most_similar_group_says_which_end_is_lowest():
    row = SimpleNamespace(msg_rank=2, msg_group_size=15)
    assert msg_position_text(row) == "position 2 of 15 in the group (1 = lowest rate)"
    assert msg_position_text(SimpleNamespace(msg_rank=None, msg_group_size=None)) == ""


def test_the_heat_maps_caption_describes_the_models_axes_and_own_ratings():
    assert heat_map_caption(axes_for(DEFAULT_MODEL), DEFAULT_MODEL) == (
        "Rows are bands of harm (the sum of four harm factors, 0–32): Minimal 0–3; Low 4–7; "
        "Moderate 8–15; Substantial 16–23; Critical 24–32. Columns are likelihood (frequency "
        "and volume plus trend, 1–5). Each risk is numbered in its cell under its own rating, "
        "a word on the rating's colour, and named in the key; a cell can hold risks of "
        "different ratings, because confidence and the response count too."
    )

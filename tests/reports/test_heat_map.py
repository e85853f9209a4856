"""The heat map rates nothing itself: each risk shows its own rating, on axes drawn from the
assessment's frozen model, in the app, the PDF and the report document."""

from __future__ import annotations

import copy
import re
from dataclasses import replace
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments.display.svg import RATING_STYLES
from assessments.models import Assessment, Risk, Theme
from assessments.scoring import DEFAULT_MODEL, Factor, Level, ScoringModelSpec
from reports.document import report_document, risk_rows
from reports.files import assessment_pdf_html
from reports.heat_map import axes_for, heat_map_svg
from reports.presentation import report_context
from tests.assessments.display.samples import ratings_shown
from tests.reports.conftest import score_risk

HIGH_FILL, MODERATE_FILL = RATING_STYLES["high"][0], RATING_STYLES["moderate"][0]
# Harm 4 + 2 + 2 + 2 = 10 (Moderate, 8–15) and likelihood 4 + 0 = 4 for both; their
# confidence and response differ: 10 × 4 × 1.25 × 1.4 = 70 is High, 10 × 4 × 1 × 0.8 = 32
# Moderate. A "typical risk" of that cell (11.5 × 4 × 1.21 ≈ 55.7) would be Moderate.
HIDDEN = ("Substantial", "Moderate", "Moderate", "Moderate", "Constant", "Stable", "Low", "Weak")
VISIBLE = (
    "Substantial",
    "Moderate",
    "Moderate",
    "Moderate",
    "Constant",
    "Stable",
    "High",
    "Strong",
)


def _svg_in(html: str, chart_id: str) -> str:
    return re.search(rf'<svg[^>]*id="{chart_id}".*?</svg>', html, re.S).group(0)


def _cell_of(svg: str, name: str) -> str:
    """The heading ("Harm … , Likelihood …") of the cell a risk is drawn in."""
    titles = re.findall(r"<g><title>(Harm [^<]*)</title>", svg)
    return next(title.split(" — ")[0] for title in titles if f"{name} (" in title)


@pytest.fixture
def mixed_cell(assessment):
    theme = Theme.objects.create(assessment=assessment, name="Exploitation", order=1)
    for order, (name, levels) in enumerate((("Hidden harm", HIDDEN), ("Visible harm", VISIBLE))):
        score_risk(
            Risk.objects.create(assessment=assessment, theme=theme, name=name, order=order), levels
        )
    return assessment


def test_a_high_risk_is_shown_high_in_a_cell_it_shares_with_a_moderate_one(
    client, board_member, mixed_cell
):
    document = report_document(mixed_cell)
    assert {r["name"]: r["rating"] for r in document["risks"]} == {
        "Hidden harm": "High",
        "Visible harm": "Moderate",
    }
    client.force_login(board_member)
    page = client.get("/p/plymouth/2019-20/results/").content.decode()
    for svg in (
        _svg_in(page, "results-heat"),
        _svg_in(assessment_pdf_html(mixed_cell), "pdf-heat"),
    ):
        assert ratings_shown(svg) == {
            "Hidden harm": ("High", HIGH_FILL),
            "Visible harm": ("Moderate", MODERATE_FILL),
        }
        assert (
            _cell_of(svg, "Hidden harm")
            == _cell_of(svg, "Visible harm")
            == ("Harm Moderate (8–15), Likelihood 4 Constant")
        )
        assert "High (1): Hidden harm (harm Moderate (8–15), likelihood 4 Constant)" in svg


def test_the_heat_map_says_each_risk_has_its_own_rating(client, board_member, mixed_cell):
    client.force_login(board_member)
    page = client.get("/p/plymouth/2019-20/results/").content.decode()
    assert "Each risk is numbered in its cell under its own rating" in page
    assert "a risk in the middle of that harm band" not in page
    assert "Each risk is numbered in its cell under its own rating" in assessment_pdf_html(
        mixed_cell
    )


# --- axes from the frozen model ---------------------------------------------------------


def _levels(factor: Factor, values: dict[str, str]) -> Factor:
    return replace(
        factor, levels=tuple(Level(lv.label, Decimal(values[lv.label])) for lv in factor.levels)
    )


HARM_VALUES = {"None": "0", "Low": "2", "Moderate": "4", "Substantial": "6", "Critical": "10"}
FREQUENCY_VALUES = {"Rare": "2", "Occasional": "3", "Frequent": "4", "Constant": "6"}
TREND_VALUES = {"Falling": "-1", "Stable": "0", "Rising": "2"}
# Harm 0–40 (four factors of 0, 2, 4, 6 or 10) and likelihood 2–8: not the default 0–32, 1–5.
EDITED = replace(
    DEFAULT_MODEL,
    version=2,
    likelihood_min=Decimal(2),
    likelihood_max=Decimal(8),
    factors=tuple(
        _levels(f, HARM_VALUES)
        if f.dimension == "harm"
        else _levels(f, FREQUENCY_VALUES)
        if f.key == "frequency"
        else _levels(f, TREND_VALUES)
        if f.key == "trend"
        else f
        for f in DEFAULT_MODEL.factors
    ),
)


def test_the_default_model_draws_the_seeds_bands_and_five_likelihood_columns():
    axes = axes_for(DEFAULT_MODEL)
    assert [band.label for band in axes.harm] == [
        "Minimal (0–3)", "Low (4–7)", "Moderate (8–15)", "Substantial (16–23)", "Critical (24–32)",
    ]  # fmt: skip
    assert [c.label for c in axes.likelihood] == [
        "1 Rare",
        "2 Occasional",
        "3 Frequent",
        "4 Constant",
        "5 Constant, rising",
    ]


@pytest.mark.parametrize(
    ("harm", "band"),
    [(0, 0), (3, 0), (4, 1), (8, 2), (15, 2), (16, 3), (32, 4), ("3.5", 1), ("3.4", 0)],
)
def test_harm_bands_cover_zero_to_thirty_two(harm, band):
    # Halves (a median of two submissions) round up first, as the grid always has.
    assert axes_for(DEFAULT_MODEL).row(Decimal(harm)) == band


def test_harm_bands_are_contiguous():
    bands = axes_for(EDITED).harm
    assert bands[0].low == 0 and bands[-1].high == 40
    assert all(a.high + 1 == b.low for a, b in zip(bands, bands[1:], strict=False))


def test_an_edited_model_draws_its_own_axes():
    axes = axes_for(EDITED)
    assert [band.label for band in axes.harm] == [
        "Minimal (0–4)", "Low (5–9)", "Moderate (10–19)", "Substantial (20–29)", "Critical (30–40)",
    ]  # fmt: skip
    assert [c.label for c in axes.likelihood] == [
        "2 Rare", "3 Occasional", "4 Frequent", "5 Frequent–Constant", "6 Constant",
        "7 Beyond constant", "8 Constant, rising",
    ]  # fmt: skip


def test_a_scale_in_halves_has_bands_in_tenths_and_a_short_scale_fewer_bands():
    halves = replace(
        DEFAULT_MODEL,
        factors=tuple(
            _levels(
                f,
                {"None": "0", "Low": "0.5", "Moderate": "1", "Substantial": "1.5", "Critical": "2"},
            )
            if f.dimension == "harm"
            else f
            for f in DEFAULT_MODEL.factors
        ),
    )
    assert [band.label for band in axes_for(halves).harm][:2] == ["Minimal (0–0.9)", "Low (1–1.9)"]
    tiny = replace(
        DEFAULT_MODEL,
        factors=tuple(
            replace(f, levels=(Level("No", Decimal(0)), Level("Yes", Decimal(1))))
            if f.dimension == "harm"
            else f
            for f in DEFAULT_MODEL.factors
        ),
    )
    # 0–4: "Low" would start at 0.5 and end before "Moderate" at 1, so it is left out.
    assert [band.label for band in axes_for(tiny).harm] == [
        "Minimal (0)", "Moderate (1)", "Substantial (2)", "Critical (3–4)",
    ]  # fmt: skip


def test_a_wide_likelihood_range_is_grouped_into_ten_columns_at_most():
    wide = replace(DEFAULT_MODEL, likelihood_max=Decimal(40))
    columns = axes_for(wide).likelihood
    assert len(columns) == 10 and columns[0].label == "1–4" and columns[-1].label == "37–40"
    huge = replace(DEFAULT_MODEL, likelihood_max=Decimal(99999))
    assert len(axes_for(huge).likelihood) <= 10


@pytest.fixture
def edited(assessment):
    assessment.scoring_spec = EDITED.to_dict()
    assessment.scoring_frozen_at = timezone.now()
    assessment.save()
    theme = Theme.objects.create(assessment=assessment, name="Acquisitive crime", order=1)
    risk = Risk.objects.create(assessment=assessment, theme=theme, name="Burglary", order=1)
    # Harm 2 × 4 = 8: Low on this model's scale (5–9), where 0–32's bands would say Moderate.
    score_risk(risk, ("Low", "Low", "Low", "Low", "Frequent", "Falling", "High", "Strong"))
    return Assessment.objects.get(pk=assessment.pk)


def test_an_edited_models_map_places_risks_on_its_own_axes(edited):
    document = report_document(edited)
    assert document["heat_map"]["harm"][1] == {"word": "Low", "low": "5", "high": "9"}
    assert [c["label"] for c in document["heat_map"]["likelihood"]][0] == "2 Rare"
    burglary = document["risks"][0]
    assert burglary["grid"] == [1, 1]  # likelihood 4 − 1 = 3, the second column; harm 8, Low
    assert burglary["cells"][0]["word"] == "Low"  # the theme table's harm word, the same band
    svg = report_context(document)["heat_map"]
    assert _cell_of(svg, "Burglary") == "Harm Low (5–9), Likelihood 3 Occasional"
    assert "Critical (30–40)" in svg and ">8<" in svg
    assert "the sum of four harm factors, 0–40" in report_context(document)["heat_map_caption"]
    assert "(frequency and volume plus trend, 2–8)" in report_context(document)["heat_map_caption"]


def test_a_document_frozen_before_the_heat_maps_axes_were_kept_is_placed_again(edited):
    document = report_document(edited)
    older = copy.deepcopy(document)
    del older["heat_map"]
    older["schema"] = "workbench-report/2"
    older["risks"][0]["grid"] = [1, 2]  # counted against 0–32's bands: Moderate (8–15)
    svg = heat_map_svg(older, chart_id="older")
    assert _cell_of(svg, "Burglary") == "Harm Low (5–9), Likelihood 3 Occasional"
    assert svg == heat_map_svg(document, chart_id="older")


def test_rows_place_risks_by_harm_and_likelihood(scored):
    rows = {row.risk.name: row for row in risk_rows(scored)}
    assert rows["Domestic abuse"].grid == (3, 3)  # likelihood 4, harm 22
    assert rows["Burglary"].grid == (1, 1)  # likelihood 2, harm 4
    assert rows["Domestic abuse"].cells[1].word == "Frequent, rising"


def test_a_published_map_keeps_the_axes_it_was_drawn_with(edited):
    document = report_document(edited)
    assert ScoringModelSpec.from_dict(document["model"]) == EDITED
    # A later model (even the default) changes nothing: the document keeps its own axes.
    moved = {**document, "model": DEFAULT_MODEL.to_dict()}
    assert heat_map_svg(moved, chart_id="x") == heat_map_svg(document, chart_id="x")

"""Narrative carried forward to a new year is marked until an analyst edits or confirms it."""

from __future__ import annotations

import pytest

from assessments.carried import unreviewed_sections
from assessments.models import Theme
from reports.document import report_document
from reports.services import assessment_copy_forward

NARRATIVE = {
    "key_statistics": "649 burglaries",
    "impact": "",
    "likelihood": "",
    "organisational_response": "",
    "knowledge_gaps": "Under-reporting",
    "recommendation": "",
}


@pytest.fixture
def next_year(scored, analyst):
    return assessment_copy_forward(source=scored, period="2020/21", user=analyst)


def _theme(assessment, name="Domestic abuse and sexual violence") -> Theme:
    return Theme.objects.get(assessment=assessment, name=name)


def _url(theme: Theme, tail: str = "") -> str:
    return f"/p/{theme.assessment.partnership.slug}/2020-21/themes/{theme.id}/{tail}"


def test_copied_narrative_is_marked_from_last_year_until_reviewed(client, next_year, analyst):
    theme = _theme(next_year)
    client.force_login(analyst)
    html = client.get(_url(theme)).content.decode()
    assert "From 2019/20, not yet reviewed" in html
    assert "Confirm it still stands" in html
    # A theme that had no narrative has nothing to review.
    assert [t.name for t in unreviewed_sections(next_year)] == [theme.name]


def test_the_draft_report_marks_the_unreviewed_narrative(next_year):
    themes = {t["name"]: t for t in report_document(next_year)["themes"]}
    assert themes["Domestic abuse and sexual violence"]["unreviewed_from"] == "2019/20"
    assert themes["Acquisitive crime"]["unreviewed_from"] == ""


def test_an_analyst_who_confirms_a_section_clears_the_mark_and_is_recorded(
    client, next_year, analyst
):
    theme = _theme(next_year)
    client.force_login(analyst)
    response = client.post(
        f"/p/{next_year.partnership.slug}/2020-21/reviewed/theme/{theme.id}/",
        {"next": _url(theme)},
    )
    assert response.status_code == 302 and response["Location"] == _url(theme)
    theme.refresh_from_db()
    assert not theme.needs_review and theme.reviewed_by == analyst
    assert "not yet reviewed" not in client.get(_url(theme)).content.decode()
    assert theme.key_statistics == "- **395** reported rapes, up 17%"  # the words are kept


def test_saving_the_narrative_counts_as_reviewing_it(client, next_year, analyst):
    theme = _theme(next_year)
    client.force_login(analyst)
    assert "not yet reviewed" in client.get(_url(theme, "narrative/")).content.decode()
    assert client.post(_url(theme, "narrative/"), NARRATIVE).status_code == 302
    theme.refresh_from_db()
    assert not theme.needs_review


def test_confirming_goes_back_only_to_pages_of_this_site(client, next_year, analyst):
    theme = _theme(next_year)
    client.force_login(analyst)
    response = client.post(
        f"/p/{next_year.partnership.slug}/2020-21/reviewed/theme/{theme.id}/",
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == next_year.get_absolute_url()


def test_a_board_member_sees_the_mark_but_cannot_confirm(client, next_year, board_member):
    theme = _theme(next_year)
    client.force_login(board_member)
    html = client.get(_url(theme)).content.decode()
    assert "From 2019/20, not yet reviewed" in html and "Confirm it still stands" not in html
    url = f"/p/{next_year.partnership.slug}/2020-21/reviewed/theme/{theme.id}/"
    assert client.post(url).status_code == 403
    theme.refresh_from_db()
    assert theme.needs_review

"""The publish page lists every blocking problem and every warning, each linking to where it
is fixed; the partnership's number of approvals required is enforced by publishing itself."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from assessments.models import Theme
from reports.readiness import publish_readiness
from reports.services import (
    approval_record,
    assessment_copy_forward,
    assessment_publish,
    publish_check,
    report_section_set,
    theme_narrative_set,
)
from tests.conftest import _member

pytestmark = pytest.mark.django_db

PUBLISH = "/p/plymouth/2019-20/sign-off/publish/"


def _approve(assessment, user):
    return approval_record(assessment=assessment, user=user, comment="", approved=True)


def _keys(items) -> set[str]:
    return {item.key for item in items}


def test_a_partnership_requiring_two_approvals_is_refused_with_one(
    scored, board_member, partnership, council
):
    partnership.approvals_required = 2
    partnership.save()
    _approve(scored, board_member)
    with pytest.raises(ValidationError, match="requires 2 board members' approvals"):
        assessment_publish(assessment=scored, user=board_member)
    second = _member("bea_board", partnership, "board", council)
    _approve(scored, second)
    assert assessment_publish(assessment=scored, user=board_member).version == 1


def test_one_board_member_approving_twice_counts_once(scored, board_member, partnership):
    partnership.approvals_required = 2
    partnership.save()
    _approve(scored, board_member)
    _approve(scored, board_member)
    assert publish_check(scored).approvals_missing == 1


def test_the_board_sees_blocking_problems_with_links_to_where_they_are_fixed(
    client, scored, board_member, partnership
):
    partnership.approvals_required = 2
    partnership.save()
    client.force_login(board_member)
    html = client.get(PUBLISH).content.decode()
    assert "must be fixed first" in html
    assert "The partnership requires 2 board approvals" in html
    assert 'href="/p/plymouth/2019-20/sign-off/"' in html


def test_missing_monthly_data_empty_sections_and_unfilled_figures_are_warnings(
    scored, analyst, board_member
):
    theme = Theme.objects.get(assessment=scored, name="Acquisitive crime")
    # ASB has no most-similar-group rate, so the figure would print as "–".
    text = "[[ASB]] incidents, against [[ASB: msg rate]] in similar areas."
    theme_narrative_set(theme=theme, values={"key_statistics": text}, user=analyst)
    _approve(scored, board_member)
    readiness = publish_readiness(scored, publish_check(scored))
    keys = _keys(readiness.warnings)
    assert "no_monthly_figures" in keys
    assert "empty:introduction" in keys
    assert f"unfilled:theme:{theme.pk}" in keys
    assert f"empty_theme:{theme.pk}" in keys
    assert readiness.ready  # warnings never stop publishing


def test_front_matter_carried_forward_is_a_warning_until_reviewed(scored, analyst):
    report_section_set(assessment=scored, key="method", text="Last year.", user=analyst)
    target = assessment_copy_forward(source=scored, period="2020/21", user=analyst)
    assert "unreviewed:method" in _keys(publish_readiness(target, publish_check(target)).warnings)
    report_section_set(assessment=target, key="method", text="This year.", user=analyst)
    assert "unreviewed:method" not in _keys(
        publish_readiness(target, publish_check(target)).warnings
    )


def test_an_analyst_fixes_a_warning_from_its_link_and_it_is_gone(
    client, scored, analyst, admin_user
):
    client.force_login(admin_user)
    html = client.get(PUBLISH).content.decode()
    link = "/p/plymouth/2019-20/report/sections/introduction/"
    assert f'href="{link}"' in html
    client.post(link, {"text": "Safer Plymouth is the partnership for the city."})
    assert 'data-key="empty:introduction"' not in client.get(PUBLISH).content.decode()


def test_warnings_name_who_can_fix_them_for_a_board_member(client, scored, board_member):
    client.force_login(board_member)
    html = client.get(PUBLISH).content.decode()
    assert "Edit “Introduction” (for an analyst)" in html

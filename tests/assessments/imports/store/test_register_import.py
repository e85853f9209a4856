"""The register import (`import_data --kind register`) and the carried-forward labels."""

import io

import pytest

from assessments.imports import ImportFailed, data_import
from assessments.models import Indicator, Risk, RiskOrigin
from reports.services import assessment_copy_forward
from tests.factories import RiskFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def _import_register(partnership, content: bytes, period: str = "2020/21"):
    return data_import(
        partnership=partnership,
        period=period,
        kind="register",
        files=[("register.csv", io.BytesIO(content))],
    )


@pytest.fixture
def carried(assessment, analyst):
    """Robbery, carried forward from 2019/20 into 2020/21."""
    theme = ThemeFactory(assessment=assessment, name="Acquisitive crime")
    RiskFactory(theme=theme, name="Robbery", description="Street robbery")
    target = assessment_copy_forward(source=assessment, period="2020/21", user=analyst)
    return target.risks.get()


def test_reimporting_a_carried_risk_with_a_new_description_marks_it_changed(partnership, carried):
    _import_register(
        partnership, b"theme,risk,description\nAcquisitive crime,Robbery,Street and business\n"
    )
    carried.refresh_from_db()
    assert carried.description == "Street and business"
    assert carried.origin == RiskOrigin.CHANGED


def test_reimporting_a_carried_risk_under_a_new_theme_marks_it_changed(partnership, carried):
    _import_register(partnership, b"theme,risk\nViolence,Robbery\n")
    carried.refresh_from_db()
    assert carried.theme.name == "Violence" and carried.origin == RiskOrigin.CHANGED


def test_reimporting_a_carried_risk_with_new_categories_marks_it_changed(partnership, carried):
    Indicator.objects.create(partnership=partnership, name="Robbery of personal property")
    _import_register(
        partnership,
        b"theme,risk,categories\nAcquisitive crime,Robbery,Robbery of personal property\n",
    )
    carried.refresh_from_db()
    assert carried.origin == RiskOrigin.CHANGED
    assert [i.name for i in carried.indicators.all()] == ["Robbery of personal property"]


def test_reimporting_a_carried_risk_unchanged_keeps_it_carried_forward(partnership, carried):
    _import_register(partnership, b"theme,risk\nAcquisitive crime,Robbery\n")
    carried.refresh_from_db()
    assert carried.origin == RiskOrigin.CARRIED


def test_a_register_naming_one_risk_under_two_themes_is_refused_whole(partnership, assessment):
    with pytest.raises(ImportFailed) as failure:
        _import_register(
            partnership,
            b"theme,risk\nViolence,Robbery\nViolence,Knife crime\nAcquisitive crime,robbery\n",
            period="2019/20",
        )
    [problem] = failure.value.problems
    assert (problem.row, problem.column) == (4, "risk")
    assert "already in row 2" in problem.message
    assert not Risk.objects.exists()

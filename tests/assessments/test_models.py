"""Integrity of partnerships, memberships and assessments lives in the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from assessments.models import Membership, Role
from tests.factories import AssessmentFactory, OrganisationFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_partnership_has_one_assessment_per_period(assessment):
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentFactory._meta.model.objects.create(
            partnership=assessment.partnership, period="2019/20"
        )


def test_organisation_names_are_unique_within_a_partnership(police):
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(partnership=police.partnership, name=police.name)


def test_the_same_organisation_name_may_exist_in_two_partnerships(police):
    OrganisationFactory(partnership=PartnershipFactory(), name=police.name)


def test_a_partner_must_speak_for_an_organisation(partnership):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=UserFactory(), partnership=partnership, role=Role.PARTNER, organisation=None
        )


def test_a_membership_cannot_name_another_partnerships_organisation(partnership):
    elsewhere = OrganisationFactory()
    membership = Membership(
        user=UserFactory(), partnership=partnership, role=Role.ANALYST, organisation=elsewhere
    )
    with pytest.raises(ValidationError, match="same partnership"):
        membership.clean()


def test_a_user_has_one_role_per_partnership(analyst, partnership):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=analyst, partnership=partnership, role=Role.BOARD)


@pytest.mark.parametrize(
    "period", ["2019/21", "2019-20", "19/20", "２０１９/２０", "abcd/ef", "2019/2"]
)
def test_the_database_refuses_a_period_that_is_not_consecutive_yyyy_yy(partnership, period):
    # .create() skips the model's validators: only the database's check stands in the way.
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentFactory(partnership=partnership, period=period)


@pytest.mark.parametrize("period", ["2019/20", "1999/00", "2099/00"])
def test_the_database_accepts_consecutive_periods_across_the_century(partnership, period):
    assert AssessmentFactory(partnership=partnership, period=period).pk

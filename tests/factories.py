"""factory_boy factories for the domain."""

import factory
from django.contrib.auth import get_user_model

from assessments.models import Assessment, Membership, Organisation, Partnership, Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("correct-horse-battery")


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Safer Town {n}")
    slug = factory.Sequence(lambda n: f"town-{n}")
    area_name = factory.Sequence(lambda n: f"Town {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Agency {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, partnership=factory.SelfAttribute("..partnership")
    )
    role = Role.PARTNER


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment
        django_get_or_create = ["partnership", "period"]

    partnership = factory.SubFactory(PartnershipFactory)
    period = "2019/20"


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.Theme"

    assessment = factory.SubFactory(AssessmentFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.Risk"

    theme = factory.SubFactory(ThemeFactory)
    assessment = factory.SelfAttribute("theme.assessment")
    name = factory.Sequence(lambda n: f"Risk {n}")


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workshops.Workshop"

    assessment = factory.SubFactory(AssessmentFactory)
    title = factory.Sequence(lambda n: f"Workshop {n}")


# Every factor of the default model scored: harm 22 × likelihood 4 × 1.1 × 1.2 = 116.2, High.
FULL_SCORES = {
    "physical": "Critical",
    "psychological": "Critical",
    "financial": "Moderate",
    "community": "Substantial",
    "frequency": "Frequent",
    "trend": "Rising",
    "confidence": "Medium",
    "capacity": "Limited",
    "capability": "Limited",
    "cost": "Limited",
    "mitigation": "Limited",
}

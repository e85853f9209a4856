"""`manage.py load_demo` builds the Safer Plymouth demo and is safe to run twice."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models

from assessments.demo import DEMO_PASSWORD, DEMO_USERS
from assessments.models import Partnership, RiskFactorScore, Role

pytestmark = pytest.mark.django_db


def _is_auto_timestamp(field: models.Field) -> bool:
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))


def _every_row() -> dict[str, list[tuple]]:
    """Every row of every model, without the timestamps Django sets by itself."""
    dump = {}
    for model in apps.get_models():
        columns = [f.attname for f in model._meta.concrete_fields if not _is_auto_timestamp(f)]
        dump[model._meta.label] = sorted(model.objects.values_list(*columns), key=repr)
    return dump


def test_load_demo_creates_safer_plymouth_with_a_user_for_every_role(demo):
    plymouth = Partnership.objects.get(slug="plymouth")
    assert (plymouth.name, plymouth.area_name) == ("Safer Plymouth", "Plymouth")
    # 2019/20, to work on, and the year before it, published, to compare with.
    assert dict(plymouth.assessments.values_list("period", "status")) == {
        "2019/20": "draft",
        "2018/19": "published",
    }
    roles = set(plymouth.memberships.values_list("role", flat=True))
    assert roles == set(Role.values)
    assert plymouth.organisations.filter(is_responsible_authority=True).count() == 6
    # Every organisation the seed thanks, e.g. the local probation service.
    assert plymouth.organisations.filter(name="Devon and Cornwall Probation Service").exists()


@pytest.mark.slow
def test_demo_users_can_sign_in_with_the_documented_password(demo, client):
    for demo_user in DEMO_USERS:
        response = client.post(
            "/login/", {"username": demo_user.username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302 and response.url == "/", demo_user.username
        client.post("/logout/")


def test_running_load_demo_twice_changes_nothing(demo):
    before = _every_row()
    scores_saved_at = dict(RiskFactorScore.objects.values_list("pk", "updated_at"))
    call_command("load_demo", stdout=open("/dev/null", "w"))
    after = _every_row()
    counts = {label: (len(before[label]), len(after[label])) for label in before}
    assert {label: n for label, n in counts.items() if n[0] != n[1]} == {}
    assert sum(n for n, _ in counts.values()) > 1000  # the demo really loaded its data
    changed = [label for label in before if before[label] != after[label]]
    assert changed == []
    # Unchanged scores are not saved again (their updated_at would say they were edited).
    assert dict(RiskFactorScore.objects.values_list("pk", "updated_at")) == scores_saved_at

"""A published assessment stays published, whoever tries: the model, the ORM, raw SQL, the admin."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import timezone

from assessments.models import Assessment, AssessmentStatus
from assessments.services import AssessmentLocked
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(assessment):
    assessment.status, assessment.published_at = AssessmentStatus.PUBLISHED, timezone.now()
    assessment.save()
    return Assessment.objects.get(pk=assessment.pk)


def _status(assessment) -> str:
    return Assessment.objects.values_list("status", flat=True).get(pk=assessment.pk)


@pytest.fixture
def superuser_client(db):
    client = Client()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def test_saving_a_published_assessment_back_to_draft_is_refused(published):
    published.status = AssessmentStatus.DRAFT
    with pytest.raises(AssessmentLocked), transaction.atomic():
        published.save()
    assert _status(published) == AssessmentStatus.PUBLISHED


def test_a_stale_copy_loaded_before_publishing_cannot_unpublish_it(assessment):
    stale = Assessment.objects.get(pk=assessment.pk)
    Assessment.objects.filter(pk=assessment.pk).update(
        status=AssessmentStatus.PUBLISHED, published_at=timezone.now()
    )
    stale.period = "2020/21"
    with pytest.raises((AssessmentLocked, IntegrityError)), transaction.atomic():
        stale.save()
    assert _status(assessment) == AssessmentStatus.PUBLISHED


def test_a_queryset_update_cannot_unpublish_an_assessment(published):
    with pytest.raises(AssessmentLocked), transaction.atomic():
        Assessment.objects.filter(pk=published.pk).update(status=AssessmentStatus.DRAFT)
    published.status = AssessmentStatus.WORKSHOP
    with pytest.raises(AssessmentLocked), transaction.atomic():
        Assessment.objects.bulk_update([published], ["status"])
    assert _status(published) == AssessmentStatus.PUBLISHED


# A change to each column of a published assessment, as SQL (valid values, so only the trigger
# can refuse them). A new column needs a line here and in the trigger (a new migration).
CHANGES = {
    "id": "id = id + 1000",
    "partnership_id": "partnership_id = partnership_id + 1000",
    "period": "period = '2020/21'",
    "status": "status = 'draft'",
    "created_at": "created_at = '2001-01-01 00:00:00'",
    "published_at": "published_at = NULL",
    "scoring_spec": """scoring_spec = '{"name": "other"}'""",
    "scoring_frozen_at": "scoring_frozen_at = '2001-01-01 00:00:00'",
}


def test_every_column_of_an_assessment_has_a_change_the_database_must_refuse():
    assert set(CHANGES) == {field.column for field in Assessment._meta.concrete_fields}


@pytest.mark.parametrize("assignment", [*CHANGES.values(), "status = 'workshop'"])
def test_the_database_itself_refuses_to_change_a_published_assessment(published, assignment):
    # Raw SQL skips Django altogether: only the database's own trigger stands in the way.
    table = Assessment._meta.db_table
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {assignment} WHERE id = %s", [published.pk])
    assert _status(published) == AssessmentStatus.PUBLISHED


def test_the_database_lets_an_unpublished_assessment_change_and_be_published(assessment):
    table = Assessment._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET status = 'workshop' WHERE id = %s", [assessment.pk])
        cursor.execute(
            f"UPDATE {table} SET status = 'published', published_at = %s WHERE id = %s",
            [timezone.now(), assessment.pk],
        )
        # Writing the same values again changes nothing, so it is allowed.
        cursor.execute(f"UPDATE {table} SET status = 'published' WHERE id = %s", [assessment.pk])
    assert _status(assessment) == AssessmentStatus.PUBLISHED


def test_the_django_admin_shows_a_published_assessment_read_only(published, superuser_client):
    url = f"/django-admin/assessments/assessment/{published.pk}/change/"
    page = superuser_client.get(url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert b'<select name="status"' not in page.content
    response = superuser_client.post(
        url,
        {"partnership": published.partnership_id, "period": "2019/20", "status": "draft"},
    )
    assert response.status_code == 403
    assert _status(published) == AssessmentStatus.PUBLISHED


def test_the_django_admin_cannot_delete_a_published_assessment(published, superuser_client):
    url = f"/django-admin/assessments/assessment/{published.pk}/delete/"
    assert superuser_client.post(url, {"post": "yes"}).status_code == 403
    assert Assessment.objects.filter(pk=published.pk).exists()


def test_the_django_admin_cannot_publish_or_unpublish_by_editing_the_status(
    assessment, superuser_client
):
    # Publishing goes through the board's sign-off, which freezes the snapshot.
    url = f"/django-admin/assessments/assessment/{assessment.pk}/change/"
    page = superuser_client.get(url)
    assert page.status_code == 200 and b'<select name="status"' not in page.content
    superuser_client.post(
        url,
        {"partnership": assessment.partnership_id, "period": "2019/20", "status": "published"},
    )
    assert _status(assessment) == AssessmentStatus.DRAFT


def test_a_copy_refreshed_after_publishing_is_refused_with_the_apps_message(assessment):
    Assessment.objects.filter(pk=assessment.pk).update(
        status=AssessmentStatus.PUBLISHED, published_at=timezone.now()
    )
    assessment.refresh_from_db()
    assessment.status = AssessmentStatus.DRAFT
    with pytest.raises(AssessmentLocked, match="2019/20 assessment is published"):
        assessment.save()

"""A published assessment is final in the database itself: a trigger refuses any UPDATE that
would change a published row (its status above all), on SQLite and on PostgreSQL.

A CHECK constraint sees only the new row, never the old one, so it cannot tell "published,
now draft" from "draft all along"; a trigger can. Deleting a published assessment is already
refused by the foreign key from its Publication rows.

SQLite drops a table's triggers when Django rebuilds the table (most AlterField/RemoveField
operations on it): a later migration that rebuilds assessments_assessment must run
`create_trigger` again. tests/assessments/test_published_is_final.py fails if it is missing.
"""

from django.db import migrations

TABLE = "assessments_assessment"
NAME = "assessment_published_is_final"
# Every column: a published assessment changes in none of them.
COLUMNS = (
    "id",
    "partnership_id",
    "period",
    "status",
    "created_at",
    "published_at",
    "scoring_spec",
    "scoring_frozen_at",
)
MESSAGE = "assessment_published_is_final: a published assessment cannot be changed"

SQLITE = f"""
CREATE TRIGGER {NAME} BEFORE UPDATE ON {TABLE} FOR EACH ROW
WHEN OLD.status = 'published' AND ({" OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in COLUMNS)})
BEGIN
    SELECT RAISE(ABORT, '{MESSAGE}');
END
"""
POSTGRESQL_FUNCTION = f"""
CREATE FUNCTION {NAME}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'published' AND ({" OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in COLUMNS)}) THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation', CONSTRAINT = '{NAME}';
    END IF;
    RETURN NEW;
END
$$
"""
POSTGRESQL_TRIGGER = (
    f"CREATE TRIGGER {NAME} BEFORE UPDATE ON {TABLE} FOR EACH ROW EXECUTE FUNCTION {NAME}()"
)


def create_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FUNCTION)
        schema_editor.execute(POSTGRESQL_TRIGGER)
    else:
        raise NotImplementedError(f"No published-is-final trigger for {vendor}")


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {NAME} ON {TABLE}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {NAME}()")
    else:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("assessments", "0005_households_and_rate_basis")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]

"""On PostgreSQL, make observations and lab results append-only in the database itself.

The models already refuse updates and deletes in Python; this trigger refuses them
for every other path too: raw SQL, a psql session, another service sharing the
database. It raises SQLSTATE 23001 (restrict_violation), which Django surfaces as an
IntegrityError. SQLite (the embedded mode) has no such trigger: there the Python
guard is the only one, which the docs say.
"""

from django.db import migrations

TABLES = ["clinical_observation", "clinical_labresult"]

FUNCTION = """
CREATE OR REPLACE FUNCTION clinical_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused (record a superseding entry instead)',
        TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # params=None: the "%" in the message are PL/pgSQL placeholders, not the driver's.
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION clinical_refuse_change();"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS clinical_refuse_change();")


class Migration(migrations.Migration):
    dependencies = [("clinical", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]

"""A PostgreSQL exclusion constraint that the model can declare and SQLite can live with.

The rule "no two active appointments of one doctor overlap" is a PostgreSQL
EXCLUDE USING gist constraint. SQLite has no such thing, and every capstone must
also run on SQLite in the embedded mode. This subclass keeps the constraint in
``Meta.constraints`` (so makemigrations tracks it and a reader sees it on the model)
but emits no SQL on another database. There, the booking service's overlap query,
run inside SQLite's IMMEDIATE (write-locked) transaction, holds the rule instead.
See docs/decisions/0001-block-double-bookings.md.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField
from django.db.models import Func


class TsTzRange(Func):
    """``tstzrange(start, end, '[)')``: half-open, so 9:00-9:20 and 9:20-9:40 do not overlap."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class PostgresExclusionConstraint(ExclusionConstraint):
    """An ``ExclusionConstraint`` that exists on PostgreSQL and is skipped elsewhere."""

    @staticmethod
    def _is_postgres(schema_editor) -> bool:
        return schema_editor.connection.vendor == "postgresql"

    def constraint_sql(self, model, schema_editor):
        return (
            super().constraint_sql(model, schema_editor)
            if self._is_postgres(schema_editor)
            else None
        )

    def create_sql(self, model, schema_editor):
        return (
            super().create_sql(model, schema_editor) if self._is_postgres(schema_editor) else None
        )

    def remove_sql(self, model, schema_editor):
        return (
            super().remove_sql(model, schema_editor) if self._is_postgres(schema_editor) else None
        )

    def validate(self, model, instance, exclude=None, using=None):
        # The friendly check lives in Appointment.clean() and the booking service, which
        # work on every database; the constraint is the guarantee, not the message.
        return None

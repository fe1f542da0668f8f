"""Use cases that refuse, for the error-handling tests of both doors."""

import time

from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.db.models import F
from psycopg import errors as pg_errors

from shared.errors import Conflict, DomainError
from shared.tests.project.lab.models import Counter

STOCK = 3


class NotEnoughStock(Conflict):
    field = "quantity"


def reserve(*, quantity: int) -> None:
    if quantity > 100:
        raise DomainError("Order at most 100 at a time.", field="quantity", code="too_many")
    if quantity > STOCK:
        raise NotEnoughStock(f"Only {STOCK} left.", code="out_of_stock")


def close_door() -> None:
    raise Conflict("The door is already closed.", code="already_closed")


def check_name(*, name: str) -> None:
    if not name:
        raise ValidationError({"name": ValidationError("Name is required.", code="required")})


def store_count(*, name: str, value: int) -> None:
    """Writes the value as given: an integer past the column's range is the database's to
    refuse (DataError on PostgreSQL), which the shared guards answer with a 400."""
    Counter.objects.update_or_create(name=name, defaults={"value": value})


def race_for_rows() -> None:
    """Stands for a transaction PostgreSQL chose as a deadlock's victim: Django raises its
    OperationalError from psycopg's DeadlockDetected, exactly as here."""
    try:
        raise pg_errors.DeadlockDetected("deadlock detected")
    except pg_errors.DeadlockDetected as cause:
        raise OperationalError("deadlock detected") from cause


def move_count(*, source: str, target: str, pause: float) -> None:
    """Lock one row, wait, then write another: two calls in opposite directions deadlock on
    PostgreSQL, and it aborts one of them (the race test of the 409 guard)."""
    with transaction.atomic():
        Counter.objects.select_for_update().get(name=source)
        time.sleep(pause)
        Counter.objects.filter(name=target).update(value=F("value") + 1)

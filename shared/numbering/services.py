"""Gap-free document numbers (invoices, credit notes): ``next_number("invoice-2026")``.

Tax law in many countries wants invoice numbers without gaps. An auto-increment id can't
promise that: a rolled-back insert burns its id. Here each series is one counter row,
locked and incremented inside the caller's transaction. Until that transaction ends, a
second caller waits on the row lock; if the first rolls back, its number was never taken.
The price is that documents of one series are numbered one at a time.
"""

from django.db import IntegrityError, transaction
from django.db.models import F

from shared.numbering.models import Counter


def next_number(series: str) -> int:
    """Lock the series' counter until the caller's transaction ends, and return its next value.

    Call it inside ``transaction.atomic``, as late as possible: concurrent callers of the
    same series wait here until this transaction commits or rolls back.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("next_number() must run inside transaction.atomic().")
    # The UPDATE takes the row lock and bumps the value in one statement; the first number
    # of a series creates its row (a savepoint lets a racing creator retry as an UPDATE).
    while True:
        if Counter.objects.filter(series=series).update(last_value=F("last_value") + 1):
            return Counter.objects.values_list("last_value", flat=True).get(series=series)
        try:
            with transaction.atomic():
                Counter.objects.create(series=series, last_value=1)
            return 1
        except IntegrityError:
            continue  # another transaction created the row first: take the UPDATE path

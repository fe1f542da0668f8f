"""Catalog use cases: the stock movements that checkout, fulfilment and the admin call, and
the low-stock alerts sent to staff.

Why a conditional UPDATE?
    "Read the stock, check it in Python, then write it" is a race: two checkouts both
    read "3 available", both pass the check and both write, and we sell 6 units. Instead
    the check and the write are ONE statement::

        UPDATE catalog_stock SET reserved = reserved + 2
         WHERE variant_id = 7 AND quantity >= reserved + 2

    PostgreSQL locks the row while it updates it; the second transaction waits, then
    re-evaluates the WHERE against the committed row and updates 0 rows. The row count
    tells us whether we got the units. The CheckConstraint (reserved <= quantity) is the
    last line of defence should any other code path forget the condition.

Why in ascending variant_id order?
    A checkout reserves several rows in one transaction, and each UPDATE keeps its row
    locked until COMMIT. If checkout A locks variant 1 then 2 while B locks 2 then 1,
    each waits for the other forever (PostgreSQL detects it and kills one: a deadlock
    error). Taking the locks in one global order makes that cycle impossible.

These functions do not open their own transaction for the caller: they must run
inside the caller's ``transaction.atomic()`` so that a failure on line 3 rolls back the
reservations already made for lines 1 and 2 (they assert it).
"""

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F

from catalog.exceptions import OutOfStock, StockError
from catalog.models import LowStockAlert, Stock
from core.roles import BACK_OFFICE
from shared.tasks.base import enqueue_on_commit

Lines = Iterable[tuple[int, int]]  # (variant_id, quantity) pairs


def _merged_in_lock_order(lines: Lines) -> list[tuple[int, int]]:
    """Sum quantities per variant and sort by variant id (the global lock order)."""
    totals: dict[int, int] = defaultdict(int)
    for variant_id, quantity in lines:
        if quantity <= 0:
            raise ValueError(f"quantity must be positive, got {quantity} for variant {variant_id}")
        totals[variant_id] += quantity
    return sorted(totals.items())


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Stock movements must run inside transaction.atomic().")


def _available(variant_id: int) -> int:
    row = Stock.objects.filter(variant_id=variant_id).values("quantity", "reserved").first()
    return row["quantity"] - row["reserved"] if row else 0


def reserve_stock(*, lines: Lines) -> None:
    """Hold units for an order; raise ``OutOfStock`` (and reserve nothing) if any line is short.

    Must be called inside ``transaction.atomic``; on ``OutOfStock`` the caller's
    transaction rolls back the lines already reserved.
    """
    _require_transaction()
    for variant_id, quantity in _merged_in_lock_order(lines):
        updated = Stock.objects.filter(
            variant_id=variant_id, quantity__gte=F("reserved") + quantity
        ).update(reserved=F("reserved") + quantity)
        if updated == 0:
            available = _available(variant_id)
            raise OutOfStock(
                f"Only {available} unit(s) of variant {variant_id} are available.",
                variant_id=variant_id,
                available=available,
            )


def release_stock(*, lines: Lines) -> None:
    """Give reserved units back (an order cancelled or expired unpaid)."""
    _require_transaction()
    for variant_id, quantity in _merged_in_lock_order(lines):
        updated = Stock.objects.filter(variant_id=variant_id, reserved__gte=quantity).update(
            reserved=F("reserved") - quantity
        )
        if updated == 0:
            raise StockError(f"Cannot release {quantity} unit(s) of variant {variant_id}.")


def commit_stock(*, lines: Lines) -> None:
    """The reserved units leave the warehouse (an order is fulfilled/shipped).

    Both columns drop together, so ``available`` does not change: those units were
    already unavailable since the reservation.
    """
    _require_transaction()
    for variant_id, quantity in _merged_in_lock_order(lines):
        updated = Stock.objects.filter(
            variant_id=variant_id, reserved__gte=quantity, quantity__gte=quantity
        ).update(quantity=F("quantity") - quantity, reserved=F("reserved") - quantity)
        if updated == 0:
            raise StockError(
                f"Cannot ship {quantity} unit(s) of variant {variant_id}: not reserved."
            )


@transaction.atomic
def restock(*, variant_id: int, quantity: int) -> Stock:
    """Add units to the shelf (a delivery arrived). Creates the stock row if missing."""
    if quantity <= 0:
        raise ValueError("quantity must be positive")
    stock, _ = Stock.objects.get_or_create(variant_id=variant_id)
    Stock.objects.filter(pk=stock.pk).update(quantity=F("quantity") + quantity)
    stock.refresh_from_db()
    return stock


# --- Low-stock alerts -------------------------------------------------------------------


def staff_emails() -> list[str]:
    """The back office's addresses: who gets the low-stock alerts and the sales reports."""
    return list(
        get_user_model()
        .objects.filter(groups__name__in=BACK_OFFICE, is_active=True)
        .distinct()
        .order_by("pk")
        .values_list("email", flat=True)
    )


def send_low_stock_alerts() -> list[str]:
    """Email staff about variants that have just fallen to their low-stock threshold.

    "Just fallen": a variant is alerted once per crossing. Its ``LowStockAlert`` row (unique
    per variant) says "already told"; the row is deleted when the stock is back above the
    threshold, which re-arms the alert. Returns the SKUs alerted by this run.
    """
    low = {s.variant_id: s for s in Stock.objects.low().select_related("variant__product")}
    with transaction.atomic():
        LowStockAlert.objects.exclude(variant_id__in=low).delete()  # back above: re-arm
        told = set(
            LowStockAlert.objects.filter(variant_id__in=low).values_list("variant_id", flat=True)
        )
        fresh = [stock for variant_id, stock in sorted(low.items()) if variant_id not in told]
        if not fresh:
            return []
        try:
            with transaction.atomic():
                alerts = LowStockAlert.objects.bulk_create(
                    [
                        LowStockAlert(variant_id=s.variant_id, available_when_alerted=s.available)
                        for s in fresh
                    ]
                )
        except IntegrityError:  # a concurrent run is alerting these right now
            return []
        recipients = staff_emails()
        if recipients:
            # The message carries plain values only: it travels through the broker as JSON.
            enqueue_on_commit(
                "shared.send_templated_email",
                to=recipients,
                subject=f"Low stock: {len(fresh)} variant(s)",
                template="catalog/email/low_stock",
                context={
                    "stocks": [
                        {
                            "sku": s.variant.sku,
                            "name": f"{s.variant.product.title} – {s.variant.title}",
                            "available": s.available,
                            "threshold": s.low_stock_threshold,
                        }
                        for s in fresh
                    ]
                },
                idempotency_key=f"low-stock-{alerts[0].pk}",
            )
    return [s.variant.sku for s in fresh]

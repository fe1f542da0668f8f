"""Order use cases: checkout, coupons, status transitions, payment events, invoices, reports.

Every function here is called by both doors (pages and API) and by the Celery tasks.
Lock order, the same in every transaction so that two of them can never wait on each other
in a cycle (a deadlock): the order row (or its unique index), then stock rows in variant-id
order (catalog.services does that), then the coupon row, then the payment row.

Orders sit on top of payments, the cart and the catalog (.importlinter): refunds and the
payment itself are payments.services, stock movements and staff addresses catalog.services.
"""

import csv
import hashlib
import io
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from cart.models import Cart, CartItem
from catalog.exceptions import OutOfStock
from catalog.services import commit_stock, release_stock, reserve_stock, staff_emails
from orders.exceptions import CheckoutError, CouponError, TransitionNotAllowed
from orders.models import (
    MAX_ORDER_AMOUNT,
    SOLD_STATUSES,
    TRANSITIONS,
    ZERO,
    Coupon,
    CouponRedemption,
    Invoice,
    Order,
    OrderLine,
    OrderStatus,
    OrderStatusChange,
    SalesReport,
)
from payments import services as payments
from payments.gateway import HostedCheckout, ProviderEvent
from payments.models import Payment, PaymentStatus, WebhookEvent
from shared.accounts.models import User
from shared.errors import DomainError
from shared.numbering.services import next_number
from shared.tasks.base import enqueue_on_commit

logger = logging.getLogger(__name__)


# --- Checkout ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShippingAddress:
    name: str
    line1: str
    city: str
    postcode: str
    country: str
    line2: str = ""


@dataclass(frozen=True)
class Quote:
    """What the customer would pay for a cart now; the review page and place_order share it."""

    lines: list[CartItem]  # with variant and product loaded
    subtotal: Decimal
    discount: Decimal
    coupon: Coupon | None

    @property
    def total(self) -> Decimal:
        return self.subtotal - self.discount


def find_coupon(*, code: str, now: datetime | None = None) -> Coupon:
    """The coupon for ``code`` if it can be used now, else ``CouponError`` (friendly message)."""
    coupon: Coupon | None = Coupon.objects.by_code(code).first()
    if coupon is None or not coupon.is_valid_at(now or timezone.now()):
        raise CouponError("This coupon code is not valid.")
    if coupon.usage_limit is not None and coupon.times_used >= coupon.usage_limit:
        raise CouponError("This coupon has been used up.")
    return coupon


def quote_cart(*, cart: Cart | None, coupon_code: str | None = None) -> Quote:
    lines = (
        list(cart.items.select_related("variant__product").order_by("variant_id")) if cart else []
    )
    if not lines:
        raise CheckoutError("Your cart is empty.")
    for item in lines:
        if not (item.variant.is_active and item.variant.product.is_active):
            raise CheckoutError(f"{item.variant} is no longer sold; remove it from your cart.")
    subtotal = sum((item.variant.price * item.quantity for item in lines), ZERO)
    if subtotal > MAX_ORDER_AMOUNT:
        raise CheckoutError(
            f"Your cart comes to more than one order can hold ({MAX_ORDER_AMOUNT:,} "
            f"{settings.SHOP_CURRENCY}); please split it into several orders.",
            field="cart",
        )
    coupon = find_coupon(code=coupon_code) if coupon_code else None
    discount = coupon.discount_for(subtotal) if coupon else ZERO
    return Quote(lines=lines, subtotal=subtotal, discount=discount, coupon=coupon)


def place_order(
    *,
    by: User,
    cart: Cart | None,
    address: ShippingAddress,
    coupon_code: str | None = None,
    idempotency_key: str,
) -> Order:
    """Turn ``by``'s cart into an order awaiting payment, or return the order this key made.

    First, with no transaction open, the payment session at the provider (a slow call to
    another company's server must not run while we hold row locks: see
    ``payments.services.open_checkout``). Then one transaction: snapshot the lines, reserve
    the stock (no overselling: a conditional UPDATE per variant), redeem the coupon (its
    limit is a conditional UPDATE too), record the payment and empty the cart. Any failure
    rolls all of it back.

    Idempotency: the unique (user, idempotency_key) index is the guarantee. The lookup below
    is only the fast path; two requests racing past it both INSERT, and the second INSERT
    waits for the first transaction and then fails, so we return the first one's order.
    The twin may also commit before we even read the cart, so we see an empty cart; the
    same "does this key have an order?" answers it.
    """
    existing: Order | None = Order.objects.filter(user=by, idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    try:
        # The cart's total as it is now (plain reads, no lock), to open the payment for it.
        total = quote_cart(cart=cart, coupon_code=coupon_code).total
        checkout = None
        if total > ZERO:
            checkout = payments.open_checkout(
                amount=total, currency=settings.SHOP_CURRENCY, key=_payment_key(by, idempotency_key)
            )
        with transaction.atomic():
            return _place_order(
                by=by,
                cart=cart,
                address=address,
                coupon_code=coupon_code,
                key=idempotency_key,
                checkout=checkout,
                opened_for=total,
            )
    except (IntegrityError, DomainError):
        # A twin request with this key may have committed while we ran: our INSERT then hit
        # the unique index, or we found the cart it had just emptied. Either way its order
        # is the answer. With no such order, the error was real: re-raise it.
        twin: Order | None = Order.objects.filter(user=by, idempotency_key=idempotency_key).first()
        if twin is None:
            raise
        return twin


def _payment_key(by: User, idempotency_key: str) -> str:
    """The provider's idempotency key for this checkout attempt (at most 64 characters)."""
    digest = hashlib.sha256(f"{by.pk}:{idempotency_key}".encode()).hexdigest()
    return f"checkout-{digest[:48]}"


def _place_order(
    *,
    by: User,
    cart: Cart | None,
    address: ShippingAddress,
    coupon_code: str | None,
    key: str,
    checkout: HostedCheckout | None,
    opened_for: Decimal,
) -> Order:
    quote = quote_cart(cart=cart, coupon_code=coupon_code)
    if quote.total != opened_for:
        # A price or the coupon changed between the two reads: the payment was opened for
        # another amount. Nothing is placed; the unused session expires at the provider.
        raise CheckoutError("The total of your cart changed; please review it.", field="cart")
    # INSERT first: a concurrent double submit waits here on the unique index instead of
    # first reserving stock it would then have to roll back.
    order = Order.objects.create(
        user=by,
        idempotency_key=key,
        email=by.email,
        ship_name=address.name,
        ship_line1=address.line1,
        ship_line2=address.line2,
        ship_city=address.city,
        ship_postcode=address.postcode,
        ship_country=address.country.upper(),
        currency=settings.SHOP_CURRENCY,
        subtotal=quote.subtotal,
        discount=quote.discount,
        total=quote.total,
    )
    order.number = f"SO-{order.created.year}-{order.pk:06d}"
    order.save(update_fields=["number"])
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            variant=item.variant,
            sku=item.variant.sku,
            title=f"{item.variant.product.title} – {item.variant.title}",
            unit_price=item.variant.price,
            quantity=item.quantity,
        )
        for item in quote.lines
    )
    try:
        reserve_stock(lines=[(item.variant_id, item.quantity) for item in quote.lines])
    except OutOfStock as exc:
        item = next(i for i in quote.lines if i.variant_id == exc.variant_id)
        raise OutOfStock(
            f"Only {exc.available} of {item.variant} left; please update your cart.",
            variant_id=exc.variant_id,
            available=exc.available,
            field="cart",
        ) from exc
    if quote.coupon is not None:
        redeem_coupon(coupon=quote.coupon, order=order)
    _record_change(order, "", OrderStatus.PENDING_PAYMENT, by=by, note="Order placed")
    if checkout is not None:
        # In the transaction: there is never an order without its payment.
        payments.record_checkout(
            order_id=order.pk,
            checkout=checkout,
            key=_payment_key(by, key),
            amount=order.total,
            currency=order.currency,
        )
    else:  # a 100% coupon: nothing to pay, so nothing to wait for
        _transition(order, "pay", by=None, note="Nothing to pay")
    assert cart is not None  # quote_cart refused an empty (or missing) cart
    cart.items.all().delete()
    return order


# --- Coupons -------------------------------------------------------------------------------


def redeem_coupon(*, coupon: Coupon, order: Order) -> CouponRedemption:
    """Count one use of ``coupon``, atomically with its limit.

    ``UPDATE ... SET times_used = times_used + 1 WHERE times_used < usage_limit``: the check
    and the write are one statement, so N concurrent checkouts cannot push it past the limit
    (the row lock makes the others re-check against the committed value). The CheckConstraint
    times_used <= usage_limit is the backstop for any code path that forgets this.
    """
    updated = (
        Coupon.objects.filter(pk=coupon.pk)
        .filter(Q(usage_limit__isnull=True) | Q(times_used__lt=F("usage_limit")))
        .update(times_used=F("times_used") + 1)
    )
    if updated == 0:
        raise CouponError("This coupon has been used up.")
    return CouponRedemption.objects.create(coupon=coupon, order=order, amount=order.discount)


def _release_coupon(order: Order) -> None:
    """Give the use back when an order is cancelled, so abandoned checkouts do not eat the limit."""
    redemption = CouponRedemption.objects.filter(order=order).first()
    if redemption is None:
        return
    Coupon.objects.filter(pk=redemption.coupon_id, times_used__gt=0).update(
        times_used=F("times_used") - 1
    )
    redemption.delete()


# --- Status transitions --------------------------------------------------------------------


def _record_change(
    order: Order, from_status: str, to_status: str, *, by: User | None, note: str = ""
) -> None:
    OrderStatusChange.objects.create(
        order=order, from_status=from_status, to_status=to_status, changed_by=by, note=note[:200]
    )


def _transition(order: Order, action: str, *, by: User | None, note: str = "") -> str:
    """Move ``order`` along ``action``'s edge, or raise ``TransitionNotAllowed`` (409).

    The UPDATE only matches the row if its status is still the one we read, so of two
    concurrent transitions (staff cancels while the webhook marks it paid) exactly one
    updates a row; the other sees 0 rows and is refused. Returns the status it left.
    """
    rule = TRANSITIONS[action]
    current: str = Order.objects.filter(pk=order.pk).values_list("status", flat=True).get()
    if not rule.allowed_from(current):
        raise TransitionNotAllowed(
            f"Order {order.number} is {OrderStatus(current).label.lower()}; cannot {action} it."
        )
    changes: dict[str, object] = {"status": rule.target}
    if action == "pay":
        changes["paid_at"] = timezone.now()
    if Order.objects.filter(pk=order.pk, status=current).update(**changes) == 0:
        raise TransitionNotAllowed(f"Order {order.number} changed meanwhile; reload and retry.")
    for field, value in changes.items():
        setattr(order, field, value)
    _record_change(order, current, rule.target, by=by, note=note)
    if action == "pay":
        # The slow part (PDF, SMTP) runs in a worker, and only once the payment is committed.
        enqueue_on_commit("orders.send_confirmation", order_id=order.pk)
    return current


def mark_paid(*, order: Order, by: User | None = None, note: str = "") -> Order:
    """The payment was captured: the order is paid and the confirmation job is queued."""
    with transaction.atomic():
        _transition(order, "pay", by=by, note=note)
    return order


def fulfil_order(*, order: Order, by: User | None, note: str = "") -> Order:
    """The parcel leaves: its reserved units leave the stock for good."""
    with transaction.atomic():
        _transition(order, "fulfil", by=by, note=note)
        commit_stock(lines=order.stock_lines)
    return order


def deliver_order(*, order: Order, by: User | None, note: str = "") -> Order:
    with transaction.atomic():
        _transition(order, "deliver", by=by, note=note)
    return order


def cancel_order(*, order: Order, by: User | None, note: str = "") -> Order:
    """Cancel before shipping: release the units, give the coupon use back, refund if paid."""
    with transaction.atomic():
        left = _transition(order, "cancel", by=by, note=note)
        release_stock(lines=order.stock_lines)
        _release_coupon(order)
        if left == OrderStatus.PAID:
            payments.refund_payment(order_id=order.pk)
    return order


def refund_order(*, order: Order, by: User | None, note: str = "") -> Order:
    """Money back after shipping. The stock does not move: a returned parcel is restocked
    by staff (catalog.services.restock) once it is back on the shelf."""
    with transaction.atomic():
        _transition(order, "refund", by=by, note=note)
        payments.refund_payment(order_id=order.pk)
    return order


def cancel_unpaid_order(*, order: Order, by: User) -> Order:
    """A customer gives up before paying. Only unpaid orders: a paid one is for staff to cancel
    (money goes back), so the customer asks them instead of pressing a button."""
    if order.status != OrderStatus.PENDING_PAYMENT:
        raise TransitionNotAllowed(
            f"Order {order.number} is already paid; please contact us to cancel it."
        )
    return cancel_order(order=order, by=by, note="Cancelled by the customer")


STAFF_ACTION_SERVICES = {
    "fulfil": fulfil_order,
    "deliver": deliver_order,
    "cancel": cancel_order,
    "refund": refund_order,
}


def apply_staff_action(*, order: Order, action: str, by: User, note: str = "") -> Order:
    """The one entry point for the staff page and the staff API."""
    if action not in STAFF_ACTION_SERVICES:
        raise DomainError(f"Unknown action {action!r}.", field="action", code="unknown_action")
    return STAFF_ACTION_SERVICES[action](order=order, by=by, note=note)


def expire_unpaid_orders(*, now: datetime | None = None) -> list[str]:
    """Cancel orders left unpaid too long and release their stock; returns their numbers.

    Each order is cancelled in its own transaction by the same conditional transition as
    everywhere else: if the payment webhook marks one paid at the same moment, one of the two
    wins and the other is refused, so a paid order is never expired.
    """
    minutes = settings.SHOP_UNPAID_ORDER_MINUTES
    cutoff = (now or timezone.now()) - timedelta(minutes=minutes)
    expired = []
    for order in Order.objects.unpaid_before(cutoff).prefetch_related("lines").order_by("pk")[:500]:
        try:
            cancel_order(order=order, by=None, note=f"Expired: not paid within {minutes} minutes")
        except TransitionNotAllowed:
            continue
        expired.append(order.number)
    return expired


# --- Payment events (the provider's webhook) -------------------------------------------------


def record_payment_event(
    *, provider: str, event: ProviderEvent, payload: dict[str, Any]
) -> tuple[WebhookEvent, bool]:
    """Apply a verified provider event once (payments.services), then settle its order."""
    return payments.record_webhook_event(
        provider=provider, event=event, payload=payload, settle_order=_settle_order
    )


def _settle_order(payment: Payment, status: str) -> str:
    """What a payment that just moved to ``status`` means for its order; the outcome text."""
    order = Order.objects.prefetch_related("lines").get(pk=payment.order_id)
    if status == PaymentStatus.FAILED:
        try:
            cancel_order(order=order, by=None, note=f"Payment {payment.reference} declined")
        except TransitionNotAllowed:
            return f"recorded: order was {order.status}"
        return "applied: order cancelled"
    try:
        mark_paid(order=order, note=f"Payment {payment.reference} captured")
    except TransitionNotAllowed:
        # The money arrived for an order no longer waiting for it (it expired and its stock
        # was released): give the money back rather than sell units we may no longer have.
        payments.refund_payment(order_id=order.pk)
        return f"refunded: order was {order.status}"
    return "applied: order paid"


# --- Invoice and confirmation email ---------------------------------------------------------


def issue_invoice(*, order: Order) -> Invoice:
    """The order's invoice, issued once (the OneToOne on order makes a second one impossible).

    The number comes from a gap-free series per year (shared.numbering), taken inside this
    transaction: if it rolls back, the number was never used.
    """
    with transaction.atomic():
        invoice = Invoice.objects.filter(order=order).first()
        if invoice is not None:
            return invoice
        year = timezone.now().year
        number = next_number(f"invoice-{year}")
        return Invoice.objects.create(order=order, number=f"INV-{year}-{number:05d}")


def send_confirmation(*, order_id: int) -> bool:
    """Issue the invoice and queue the customer's confirmation email with the PDF; True if
    it was queued now.

    Idempotent: the row lock serializes two runs, and ``confirmation_sent_at`` (written in
    the same transaction) makes the second one a no-op. The email itself goes through the
    shared templated-email task after commit, under a key that sends it at most once.
    """
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        if order.confirmation_sent_at is not None or order.status not in SOLD_STATUSES:
            return False
        invoice = issue_invoice(order=order)
        enqueue_on_commit(
            "shared.send_templated_email",
            to=[order.email],
            subject=f"Your order {order.number} is confirmed",
            template="orders/email/confirmation",
            context=_confirmation_context(order, invoice),
            attachments=[
                {
                    "filename": invoice.filename,
                    "mimetype": "application/pdf",
                    "builder": "orders.invoice_pdf",
                    "kwargs": {"invoice_id": invoice.pk},
                }
            ],
            idempotency_key=f"order-confirmation-{order.pk}",
        )
        Order.objects.filter(pk=order.pk).update(confirmation_sent_at=timezone.now())
    return True


def _confirmation_context(order: Order, invoice: Invoice) -> dict[str, Any]:
    """The email's context as plain JSON values: it travels through the broker."""
    return {
        "order": {
            "number": order.number,
            "ship_name": order.ship_name,
            "currency": order.currency,
            "subtotal": str(order.subtotal),
            "discount": str(order.discount) if order.discount else "",
            "total": str(order.total),
            "shipping_address": order.shipping_address,
        },
        "lines": [
            {
                "title": line.title,
                "sku": line.sku,
                "quantity": line.quantity,
                "line_total": str(line.line_total),
            }
            for line in order.lines.order_by("pk")
        ],
        "invoice": {"number": invoice.number},
    }


# --- Staff reports -------------------------------------------------------------------------


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


REPORT_COLUMNS = [
    "number",
    "paid_at",
    "customer",
    "status",
    "items",
    "subtotal",
    "discount",
    "total",
]


def build_sales_report(*, day: date) -> SalesReport:
    """The CSV of the orders paid on ``day``; built once (``day`` is unique), then reused."""
    existing = SalesReport.objects.filter(day=day).first()
    if existing is not None:
        return existing
    start, end = _day_bounds(day)
    orders = (
        Order.objects.filter(paid_at__gte=start, paid_at__lt=end)
        .prefetch_related("lines")
        .order_by("paid_at", "pk")
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(REPORT_COLUMNS)
    count, revenue = 0, ZERO
    for order in orders:
        assert order.paid_at is not None  # the filter above
        writer.writerow(
            [
                order.number,
                order.paid_at.isoformat(),
                order.email,
                order.status,
                sum(line.quantity for line in order.lines.all()),
                order.subtotal,
                order.discount,
                order.total,
            ]
        )
        if order.status in SOLD_STATUSES:
            count, revenue = count + 1, revenue + order.total
    try:
        with transaction.atomic():
            return SalesReport.objects.create(
                day=day, csv=buffer.getvalue(), order_count=count, revenue=revenue
            )
    except IntegrityError:  # another run built it a moment ago
        return SalesReport.objects.get(day=day)


def email_sales_report(*, report_id: int) -> bool:
    """Queue the report to every staff member once (same pattern as the confirmation)."""
    with transaction.atomic():
        report = SalesReport.objects.select_for_update().get(pk=report_id)
        if report.emailed_at is not None:
            return False
        recipients = staff_emails()
        if recipients:
            enqueue_on_commit(
                "shared.send_templated_email",
                to=recipients,
                subject=f"Sales report for {report.day:%d %b %Y}: {report.order_count} orders, "
                f"{report.revenue} {settings.SHOP_CURRENCY}",
                template="orders/email/sales_report",
                context={
                    "report": {
                        "day": report.day.isoformat(),
                        "order_count": report.order_count,
                        "revenue": str(report.revenue),
                    }
                },
                attachments=[
                    {
                        "filename": report.filename,
                        "mimetype": "text/csv",
                        "builder": "orders.sales_report_csv",
                        "kwargs": {"report_id": report.pk},
                    }
                ],
                idempotency_key=f"sales-report-{report.pk}",
            )
        SalesReport.objects.filter(pk=report.pk).update(emailed_at=timezone.now())
    return True


def send_sales_report(*, day: date) -> SalesReport:
    """Build the day's sales CSV (once) and email it to staff (once)."""
    report = build_sales_report(day=day)
    email_sales_report(report_id=report.pk)
    return report

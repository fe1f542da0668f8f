"""Order use cases: checkout, status transitions, coupons, invoices, expiry, reports, alerts.

Every function here is called by both doors (pages and API) and by the Celery tasks.
Lock order, the same in every transaction so that two of them can never wait on each other
in a cycle (a deadlock): the order row (or its unique index), then stock rows in variant-id
order (catalog.services does that), then the coupon row, then the payment row.
"""

import csv
import io
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from cart.models import Cart
from catalog.exceptions import OutOfStock
from catalog.models import Stock
from catalog.services import commit_stock, release_stock, reserve_stock
from orders.invoices import render_invoice_pdf
from orders.models import (
    SOLD_STATUSES,
    TRANSITIONS,
    ZERO,
    Coupon,
    CouponRedemption,
    DocumentCounter,
    Invoice,
    LowStockAlert,
    Order,
    OrderLine,
    OrderStatus,
    OrderStatusChange,
    SalesReport,
)
from payments.gateway import get_gateway
from payments.models import Payment, PaymentStatus
from shared.tasks.base import enqueue_on_commit

logger = logging.getLogger(__name__)


# --- Errors each door turns into a form error or a 4xx -----------------------------------


class CheckoutError(Exception):
    """The checkout cannot go through; ``field`` names the input to blame (or None)."""

    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field or self.field


class CouponError(CheckoutError):
    field = "coupon_code"


class TransitionNotAllowed(Exception):
    """The order's status does not allow this action (any more)."""


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

    lines: list  # CartItem rows with variant and product loaded
    subtotal: Decimal
    discount: Decimal
    coupon: Coupon | None

    @property
    def total(self) -> Decimal:
        return self.subtotal - self.discount


def find_coupon(code: str, *, now: datetime | None = None) -> Coupon:
    """The coupon for ``code`` if it can be used now, else ``CouponError`` (friendly message)."""
    coupon = Coupon.objects.by_code(code).first()
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
    coupon = find_coupon(coupon_code) if coupon_code else None
    discount = coupon.discount_for(subtotal) if coupon else ZERO
    return Quote(lines=lines, subtotal=subtotal, discount=discount, coupon=coupon)


def place_order(
    *,
    cart: Cart | None,
    user,
    address: ShippingAddress,
    coupon_code: str | None = None,
    idempotency_key: str,
) -> Order:
    """Turn ``cart`` into an order awaiting payment, or return the order this key already made.

    One transaction: snapshot the lines, reserve the stock (no overselling: a conditional
    UPDATE per variant), redeem the coupon (its limit is a conditional UPDATE too), create the
    payment at the provider and empty the cart. Any failure rolls all of it back.

    Idempotency: the unique (user, idempotency_key) index is the guarantee. The lookup below
    is only the fast path; two requests racing past it both INSERT, and the second INSERT
    waits for the first transaction and then fails, so we return the first one's order.
    (tests/test_races.py found the subtler case: the twin commits before we even read the
    cart, so we see an empty cart; the same "does this key have an order?" answers it.)
    """
    existing = Order.objects.filter(user=user, idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _place_order(
                cart=cart, user=user, address=address, coupon_code=coupon_code, key=idempotency_key
            )
    except (IntegrityError, CheckoutError):
        # A twin request with this key may have committed while we ran: our INSERT then hit
        # the unique index, or we found the cart it had just emptied. Either way its order
        # is the answer. With no such order, the error was real: re-raise it.
        existing = Order.objects.filter(user=user, idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing


def _place_order(*, cart, user, address, coupon_code, key) -> Order:
    quote = quote_cart(cart=cart, coupon_code=coupon_code)
    # INSERT first: a concurrent double submit waits here on the unique index instead of
    # first reserving stock it would then have to roll back.
    order = Order.objects.create(
        user=user,
        idempotency_key=key,
        email=user.email,
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
        raise CheckoutError(
            f"Only {exc.available} of {item.variant} left; please update your cart.", field="cart"
        ) from exc
    if quote.coupon is not None:
        redeem_coupon(coupon=quote.coupon, order=order)
    _record_change(order, "", OrderStatus.PENDING_PAYMENT, by=user, note="Order placed")
    if order.total > ZERO:
        _start_payment(order)
    else:  # a 100% coupon: nothing to pay, so nothing to wait for
        _transition(order, "pay", by=None, note="Nothing to pay")
    cart.items.all().delete()
    return order


def _start_payment(order: Order) -> Payment:
    """Create the payment at the provider, inside the checkout transaction.

    Inside, so that there is never an order without its payment: if the provider refuses,
    the whole checkout rolls back. The price: with a real provider this is an HTTP call made
    while the stock rows are locked. At high volume, create the payment after commit instead
    and let the pay page (re)create it, keyed by the same idempotency key.
    """
    gateway = get_gateway()
    key = f"checkout-{order.number}"
    checkout = gateway.start_checkout(
        amount=order.total,
        currency=order.currency,
        description=f"Order {order.number}",
        idempotency_key=key,
    )
    return Payment.objects.create(
        order=order,
        provider=gateway.name,
        reference=checkout.reference,
        idempotency_key=key,
        amount=order.total,
        currency=order.currency,
    )


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


def _record_change(order: Order, from_status: str, to_status: str, *, by, note: str = "") -> None:
    OrderStatusChange.objects.create(
        order=order, from_status=from_status, to_status=to_status, changed_by=by, note=note[:200]
    )


def _transition(order: Order, action: str, *, by, note: str = "") -> str:
    """Move ``order`` along ``action``'s edge, or raise ``TransitionNotAllowed``.

    The UPDATE only matches the row if its status is still the one we read, so of two
    concurrent transitions (staff cancels while the webhook marks it paid) exactly one
    updates a row; the other sees 0 rows and is refused. Returns the status it left.
    """
    rule = TRANSITIONS[action]
    current = Order.objects.filter(pk=order.pk).values_list("status", flat=True).get()
    if current not in rule.sources:
        raise TransitionNotAllowed(
            f"Order {order.number} is {OrderStatus(current).label.lower()}; cannot {action} it."
        )
    changes = {"status": rule.target}
    if action == "pay":
        changes["paid_at"] = timezone.now()
    if Order.objects.filter(pk=order.pk, status=current).update(**changes) == 0:
        raise TransitionNotAllowed(f"Order {order.number} changed meanwhile; reload and retry.")
    for field, value in changes.items():
        setattr(order, field, value)
    _record_change(order, current, rule.target, by=by, note=note)
    if action == "pay":
        # Imported here because tasks.py imports this module (tasks call services).
        from orders.tasks import send_order_confirmation_task

        # The slow part (PDF, SMTP) runs in a worker, and only once the payment is committed.
        enqueue_on_commit(send_order_confirmation_task, order.pk)
    return current


def mark_paid(*, order: Order, by=None, note: str = "") -> Order:
    """The payment was captured: the order is paid and the confirmation job is queued."""
    with transaction.atomic():
        _transition(order, "pay", by=by, note=note)
    return order


def fulfil_order(*, order: Order, by, note: str = "") -> Order:
    """The parcel leaves: its reserved units leave the stock for good."""
    with transaction.atomic():
        _transition(order, "fulfil", by=by, note=note)
        commit_stock(lines=order.stock_lines)
    return order


def deliver_order(*, order: Order, by, note: str = "") -> Order:
    with transaction.atomic():
        _transition(order, "deliver", by=by, note=note)
    return order


def cancel_order(*, order: Order, by, note: str = "") -> Order:
    """Cancel before shipping: release the units, give the coupon use back, refund if paid."""
    with transaction.atomic():
        left = _transition(order, "cancel", by=by, note=note)
        release_stock(lines=order.stock_lines)
        _release_coupon(order)
        if left == OrderStatus.PAID:
            refund_payment(order=order)
    return order


def refund_order(*, order: Order, by, note: str = "") -> Order:
    """Money back after shipping. The stock does not move: a returned parcel is restocked
    by staff (catalog.services.restock) once it is back on the shelf."""
    with transaction.atomic():
        _transition(order, "refund", by=by, note=note)
        refund_payment(order=order)
    return order


def cancel_unpaid_order(*, order: Order, by) -> Order:
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


def apply_staff_action(*, order: Order, action: str, by, note: str = "") -> Order:
    """The one entry point for the staff page and the staff API."""
    if action not in STAFF_ACTION_SERVICES:
        raise TransitionNotAllowed(f"Unknown action {action!r}.")
    return STAFF_ACTION_SERVICES[action](order=order, by=by, note=note)


def refund_payment(*, order: Order) -> bool:
    """Refund the order's captured payment, if any (conditional UPDATE: never twice).

    The provider is called inside the transaction on purpose: if it refuses, the status
    change rolls back and staff see the error, instead of an order marked refunded whose
    money never went back.
    """
    payment = Payment.objects.filter(order=order, status=PaymentStatus.SUCCEEDED).first()
    if payment is None:
        return False
    if not Payment.objects.filter(pk=payment.pk, status=PaymentStatus.SUCCEEDED).update(
        status=PaymentStatus.REFUNDED
    ):
        return False
    get_gateway().refund(
        reference=payment.reference,
        amount=payment.amount,
        idempotency_key=f"refund-{payment.reference}",
    )
    return True


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


# --- Invoice and confirmation email ---------------------------------------------------------


def next_in_series(series: str) -> int:
    """The next number of a gapless series; must run inside the caller's transaction.

    The UPDATE locks the counter row until COMMIT, so concurrent callers queue; a rollback
    undoes the increment, so no number is ever skipped.
    """
    DocumentCounter.objects.get_or_create(series=series)
    DocumentCounter.objects.filter(series=series).update(last_value=F("last_value") + 1)
    return DocumentCounter.objects.values_list("last_value", flat=True).get(series=series)


def issue_invoice(*, order: Order) -> Invoice:
    """The order's invoice, issued once (the OneToOne on order makes a second one impossible)."""
    with transaction.atomic():
        invoice = Invoice.objects.filter(order=order).first()
        if invoice is not None:
            return invoice
        year = timezone.now().year
        number = next_in_series(f"invoice-{year}")
        return Invoice.objects.create(order=order, number=f"INV-{year}-{number:05d}")


def send_order_confirmation(*, order_id: int) -> bool:
    """Email the customer their confirmation with the PDF invoice; True if it was sent now.

    Idempotent: the row lock serializes two runs, and ``confirmation_sent_at`` (written in the
    same transaction as the send) makes the second one a no-op. If sending fails, the
    transaction rolls back and the task's retry tries again.
    """
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        if order.confirmation_sent_at is not None or order.status not in SOLD_STATUSES:
            return False
        invoice = issue_invoice(order=order)
        context = {"order": order, "lines": list(order.lines.order_by("pk")), "invoice": invoice}
        message = EmailMultiAlternatives(
            subject=f"Your order {order.number} is confirmed",
            body=render_to_string("orders/email/confirmation.txt", context),
            to=[order.email],
        )
        message.attach_alternative(
            render_to_string("orders/email/confirmation.html", context), "text/html"
        )
        message.attach(invoice.filename, render_invoice_pdf(invoice), "application/pdf")
        message.send()
        Order.objects.filter(pk=order.pk).update(confirmation_sent_at=timezone.now())
    return True


# --- Staff: reports and alerts --------------------------------------------------------------


def staff_emails() -> list[str]:
    User = get_user_model()
    return list(
        User.objects.filter(groups__name="staff", is_active=True)
        .order_by("pk")
        .values_list("email", flat=True)
    )


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
    """Send the report to every staff member once (same pattern as the confirmation email)."""
    with transaction.atomic():
        report = SalesReport.objects.select_for_update().get(pk=report_id)
        if report.emailed_at is not None:
            return False
        message = EmailMultiAlternatives(
            subject=f"Sales report for {report.day:%d %b %Y}: {report.order_count} orders, "
            f"{report.revenue} {settings.SHOP_CURRENCY}",
            body=render_to_string("orders/email/sales_report.txt", {"report": report}),
            to=staff_emails(),
        )
        message.attach(report.filename, report.csv, "text/csv")
        if message.to:
            message.send()
        SalesReport.objects.filter(pk=report.pk).update(emailed_at=timezone.now())
    return True


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
                LowStockAlert.objects.bulk_create(
                    [
                        LowStockAlert(variant_id=s.variant_id, available_when_alerted=s.available)
                        for s in fresh
                    ]
                )
        except IntegrityError:  # a concurrent run is alerting these right now
            return []
        message = EmailMultiAlternatives(
            subject=f"Low stock: {len(fresh)} variant(s)",
            body=render_to_string("orders/email/low_stock.txt", {"stocks": fresh}),
            to=staff_emails(),
        )
        if message.to:
            message.send()
    return [s.variant.sku for s in fresh]

"""Orders and what hangs off them: lines (snapshots), status history, coupons, invoices and
the nightly sales reports.

The status machine is declared once, in ``TRANSITIONS`` (shared.transitions); services.py
applies it with a conditional UPDATE so two concurrent transitions can never both win.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Prefetch, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from core.roles import BACK_OFFICE
from shared.transitions import Transition, transition_table

ZERO = Decimal("0.00")
# The largest amount an order's money columns hold (max_digits=12, decimal_places=2, below):
# checkout refuses a bigger cart with a message instead of the database refusing the INSERT.
MAX_ORDER_AMOUNT = Decimal("9999999999.99")


class OrderStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", "Pending payment"
    PAID = "paid", "Paid"
    FULFILLED = "fulfilled", "Fulfilled"
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"
    REFUNDED = "refunded", "Refunded"


S = OrderStatus
# The whole status machine. Stock follows the edges (see services.py):
#   cancel  releases the reservation (the units never left the warehouse);
#   fulfil  commits it (the units leave the warehouse);
#   refund  happens after the goods left, so the money goes back but the stock does not move
#           (a returned parcel is put back with catalog.services.restock).
# A paid order that has not shipped is *cancelled* (money back, units released), not refunded:
# each edge then has exactly one stock effect, which keeps the rules easy to test.
TRANSITIONS = transition_table(
    Transition("pay", (S.PENDING_PAYMENT,), S.PAID, "Mark paid"),
    Transition("fulfil", (S.PAID,), S.FULFILLED, "Fulfil"),
    Transition("deliver", (S.FULFILLED,), S.DELIVERED, "Mark delivered"),
    Transition("cancel", (S.PENDING_PAYMENT, S.PAID), S.CANCELLED, "Cancel"),
    Transition("refund", (S.FULFILLED, S.DELIVERED), S.REFUNDED, "Refund"),
)
# What staff may press on the order page and the API (payment is the provider's job).
STAFF_ACTIONS = ("fulfil", "deliver", "cancel", "refund")
# Orders that count as sales (money taken and not given back).
SOLD_STATUSES = (S.PAID, S.FULFILLED, S.DELIVERED)


class OrderQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OrderQuerySet":
        """The orders ``user`` may see: a customer their own, the back office every order.

        Every read of an order starts here, page and API alike: ownership is a filter in
        the query, so another customer's order is simply not found (404)."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(*BACK_OFFICE):
            return self.all()
        return self.filter(user=user)

    def with_lines(self) -> "OrderQuerySet":
        """For list pages and endpoints: lines in one extra query whatever the page size."""
        return self.select_related("user").prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.order_by("pk"))
        )

    def with_details(self) -> "OrderQuerySet":
        """For one order's page: lines, history (with who) and payment."""
        return (
            self.with_lines()
            .prefetch_related(
                Prefetch(
                    "status_changes",
                    queryset=OrderStatusChange.objects.select_related("changed_by").order_by("pk"),
                ),
            )
            .select_related("payment", "invoice")
        )

    def to_fulfil(self) -> "OrderQuerySet":
        return self.filter(status=S.PAID).order_by("paid_at", "pk")

    def unpaid_before(self, cutoff) -> "OrderQuerySet":
        return self.filter(status=S.PENDING_PAYMENT, created__lt=cutoff)

    def sold(self) -> "OrderQuerySet":
        return self.filter(status__in=SOLD_STATUSES)


class Order(models.Model):
    # SO-<year>-<id, six digits>: human-readable and unique by construction, because it is
    # derived from the primary key right after the INSERT, in the same transaction (see
    # services.place_order). A per-year counter row would also work, but every checkout
    # would then queue on that one row lock; orders may have gaps, invoices may not.
    number = models.CharField(max_length=32, unique=True, null=True, editable=False)  # noqa: DJ001
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders"
    )
    status = models.CharField(
        max_length=20, choices=OrderStatus.choices, default=OrderStatus.PENDING_PAYMENT
    )
    # The key the client sent with its checkout (hidden form field / Idempotency-Key header).
    # Unique per customer IN THE DATABASE: a double-submitted checkout cannot create two orders
    # even when both requests pass every Python check at the same instant.
    idempotency_key = models.CharField(max_length=64)

    email = models.EmailField()
    ship_name = models.CharField("full name", max_length=120)
    ship_line1 = models.CharField("address", max_length=200)
    ship_line2 = models.CharField("address (line 2)", max_length=200, blank=True)
    ship_city = models.CharField("city", max_length=100)
    ship_postcode = models.CharField("postcode", max_length=20)
    ship_country = models.CharField("country", max_length=2, help_text="ISO code, e.g. FR")

    currency = models.CharField(max_length=3, default="EUR")
    subtotal = models.DecimalField(max_digits=12, decimal_places=2)
    discount = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    total = models.DecimalField(max_digits=12, decimal_places=2)

    created = models.DateTimeField(default=timezone.now, db_index=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    # Set when the confirmation email went out, so a re-run of the job sends nothing.
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["status", "created"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "idempotency_key"], name="orders_order_one_per_idempotency_key"
            ),
            models.CheckConstraint(
                condition=Q(subtotal__gte=0), name="orders_order_subtotal_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(discount__gte=0, discount__lte=F("subtotal")),
                name="orders_order_discount_within_subtotal",
            ),
            # Not "total = subtotal - discount": SQLite stores decimals as floating point, where
            # 59.70 - 5.97 != 53.73. The exact sum is computed (with Decimal) in the service.
            models.CheckConstraint(
                condition=Q(total__gte=0, total__lte=F("subtotal")),
                name="orders_order_total_within_subtotal",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"Order #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("orders:detail", kwargs={"number": self.number})

    def allowed_actions(self, actions=STAFF_ACTIONS) -> list[Transition]:
        """The transitions the current status allows, for buttons and the API's docs."""
        return [TRANSITIONS[a] for a in actions if self.status in TRANSITIONS[a].sources]

    @property
    def awaiting_payment(self) -> bool:
        """Whether the order still waits for its payment (the provider's page asks)."""
        return self.status == OrderStatus.PENDING_PAYMENT

    @property
    def stock_lines(self) -> list[tuple[int, int]]:
        return [(line.variant_id, line.quantity) for line in self.lines.all()]

    @property
    def shipping_address(self) -> list[str]:
        parts = [
            self.ship_name,
            self.ship_line1,
            self.ship_line2,
            f"{self.ship_postcode} {self.ship_city}",
            self.ship_country,
        ]
        return [p for p in parts if p]


class OrderLine(models.Model):
    """What was bought, frozen at checkout: later price or title changes do not rewrite history."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    # PROTECT: a variant that was sold is deactivated, never deleted.
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    sku = models.CharField("SKU", max_length=64)
    title = models.CharField(max_length=330)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    quantity = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="orders_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gt=0), name="orders_line_price_positive"
            ),
            models.UniqueConstraint(
                fields=["order", "variant"], name="orders_line_one_per_variant"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.sku}"

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity


class OrderStatusChange(models.Model):
    """The audit trail: every status change, who made it (None = the system) and when."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=OrderStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.order}: {self.from_status or '-'} → {self.to_status}"


class CouponKind(models.TextChoices):
    PERCENTAGE = "percentage", "Percentage off"
    FIXED = "fixed", "Fixed amount off"


class CouponQuerySet(models.QuerySet):
    def by_code(self, code: str) -> "CouponQuerySet":
        # Codes are case-insensitive: the unique index is on LOWER(code), so look up the same way.
        return self.filter(code__iexact=code.strip())


class Coupon(models.Model):
    code = models.CharField(max_length=40)
    kind = models.CharField(max_length=10, choices=CouponKind.choices)
    value = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        help_text="Percent (1-100) or an amount in the shop currency.",
    )
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    usage_limit = models.PositiveIntegerField(null=True, blank=True, help_text="Empty = unlimited.")
    times_used = models.PositiveIntegerField(default=0, editable=False)
    is_active = models.BooleanField(default=True)

    objects = CouponQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(Lower("code"), name="orders_coupon_code_unique_ci"),
            models.CheckConstraint(condition=Q(value__gt=0), name="orders_coupon_value_positive"),
            models.CheckConstraint(
                condition=~Q(kind=CouponKind.PERCENTAGE) | Q(value__lte=100),
                name="orders_coupon_percentage_at_most_100",
            ),
            models.CheckConstraint(
                condition=Q(usage_limit__isnull=True) | Q(usage_limit__gt=0),
                name="orders_coupon_usage_limit_positive",
            ),
            # The backstop behind the conditional UPDATE in services.redeem_coupon.
            models.CheckConstraint(
                condition=Q(usage_limit__isnull=True) | Q(times_used__lte=F("usage_limit")),
                name="orders_coupon_times_used_within_limit",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gt=F("valid_from")),
                name="orders_coupon_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def discount_for(self, subtotal: Decimal) -> Decimal:
        """The discount on ``subtotal``, never more than the subtotal itself."""
        if self.kind == CouponKind.PERCENTAGE:
            amount = (subtotal * self.value / Decimal(100)).quantize(Decimal("0.01"))
        else:
            amount = self.value
        return min(amount, subtotal)

    def is_valid_at(self, moment) -> bool:
        return (
            self.is_active
            and (self.valid_from is None or self.valid_from <= moment)
            and (self.valid_until is None or moment < self.valid_until)
        )


class CouponRedemption(models.Model):
    coupon = models.ForeignKey(Coupon, on_delete=models.PROTECT, related_name="redemptions")
    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="coupon_redemption")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    redeemed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.coupon} on {self.order}"


class Invoice(models.Model):
    """Issued once per paid order. The PDF is rendered on demand from these rows (the order
    lines are snapshots already), so nothing on disk can drift from the database."""

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="invoice")
    number = models.CharField(max_length=32, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return self.number

    @property
    def filename(self) -> str:
        return f"{self.number}.pdf"


class SalesReport(models.Model):
    """One CSV per day, built by the nightly job, emailed to staff and downloadable."""

    day = models.DateField(unique=True)
    csv = models.TextField()
    order_count = models.PositiveIntegerField(default=0)
    revenue = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    created = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"Sales report {self.day}"

    @property
    def filename(self) -> str:
        return f"sales-{self.day.isoformat()}.csv"

"""The cart: one per visitor (by session key) or per customer (by user), one line per variant."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q


class Cart(models.Model):
    """Owned by exactly one of: a user, or an anonymous session.

    At login the session cart is merged into the user's cart (see cart.services.merge_carts),
    so a cart never needs both owners at once.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="carts",
    )
    # NULL, not "", for "no session": the unique constraint below must ignore user carts.
    session_key = models.CharField(max_length=40, null=True, blank=True)  # noqa: DJ001
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # NULLs are distinct in a UNIQUE index, so "unique when not null" needs a condition.
            models.UniqueConstraint(
                fields=["user"], condition=Q(user__isnull=False), name="cart_cart_one_per_user"
            ),
            models.UniqueConstraint(
                fields=["session_key"],
                condition=Q(session_key__isnull=False),
                name="cart_cart_one_per_session",
            ),
            models.CheckConstraint(
                condition=(
                    Q(user__isnull=False, session_key__isnull=True)
                    | Q(user__isnull=True, session_key__isnull=False)
                ),
                name="cart_cart_exactly_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"Cart #{self.pk} ({self.user or 'anonymous'})"


class CartItemQuerySet(models.QuerySet):
    def for_display(self) -> "CartItemQuerySet":
        """Lines with their variant, product and stock: one query for the whole cart."""
        return self.select_related("variant__product", "variant__stock").order_by("added", "pk")


class CartItem(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="items")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    added = models.DateTimeField(auto_now_add=True)

    objects = CartItemQuerySet.as_manager()

    class Meta:
        ordering = ["added", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="cart_item_quantity_positive"),
            # One line per variant: adding the same variant again raises the quantity.
            models.UniqueConstraint(
                fields=["cart", "variant"], name="cart_item_one_line_per_variant"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.variant_id}"

    @property
    def line_total(self):
        return self.variant.price * self.quantity


def cart_total(items) -> Decimal:
    """The sum of the line totals (Decimal, exact to the cent)."""
    return sum((item.line_total for item in items), Decimal("0.00"))

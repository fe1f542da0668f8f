"""Cart use cases, called by the cart pages, the product page and the cart API alike.

Rules (checked here, so both doors obey them):
  * only an active variant of an active product can be added;
  * a line's quantity is 1..MAX_LINE_QUANTITY and never more than is available
    (stock quantity - reserved) at the time of the change;
  * one line per variant: adding the same variant again raises that line's quantity.

The cart does NOT reserve stock: a cart is a wish, not a promise. Stock is reserved at
checkout (catalog.services.reserve_stock), where the database has the last word.
"""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cart.exceptions import CartError
from cart.models import Cart, CartItem
from catalog.models import Stock, Variant
from shared.accounts.models import User

MAX_LINE_QUANTITY = 20
# The most a cart may add up to: what one order's subtotal column holds (orders.Order.subtotal,
# 12 digits with 2 decimals). Refused here, with a message, rather than by the database (a
# DataError, a 500) at checkout, or by the API when it prints the total.
MAX_CART_TOTAL = Decimal("9999999999.99")


# --- Finding the cart -------------------------------------------------------------------


def find_cart(*, by: User | None, token: str | None) -> Cart | None:
    """The cart of ``by`` (a customer) or of the visitor holding ``token``; never creates one
    (for read-only pages). The view reads the token from the session."""
    if by is not None:
        return Cart.objects.filter(user=by).first()
    return Cart.objects.filter(session_key=token).first() if token else None


def get_or_create_cart(*, by: User | None, token: str | None) -> Cart:
    """The customer's cart, or the visitor's (``token``), created on first use."""
    if by is not None:
        return _get_or_create(user=by)
    if not token:
        raise ValueError("A visitor's cart needs its session token.")
    return _get_or_create(session_key=token)


def _get_or_create(**owner: Any) -> Cart:
    # get_or_create copes with the race of two first requests (the unique constraint
    # refuses the second INSERT, and Django then reads the winner's row).
    cart, _ = Cart.objects.get_or_create(**owner)
    return cart


# --- Changing lines ---------------------------------------------------------------------


def _sellable_variant(variant_id: int) -> Variant:
    variant = (
        Variant.objects.select_related("product")
        .filter(pk=variant_id, is_active=True, product__is_active=True)
        .first()
    )
    if variant is None:
        raise CartError("This item is no longer sold.", field="variant")
    return variant


def _available(variant_id: int) -> int:
    stock = Stock.objects.filter(variant_id=variant_id).first()
    return stock.available if stock else 0


def _check_quantity(variant: Variant, quantity: int) -> None:
    if quantity < 1:
        raise CartError("Quantity must be at least 1.")
    if quantity > MAX_LINE_QUANTITY:
        raise CartError(f"You can buy at most {MAX_LINE_QUANTITY} of one item.")
    available = _available(variant.pk)
    if quantity > available:
        if available == 0:
            raise CartError(f"{variant.product.title} ({variant.title}) is out of stock.")
        raise CartError(f"Only {available} of {variant.product.title} ({variant.title}) left.")


def _check_total(cart: Cart, variant: Variant, quantity: int) -> None:
    """The cart's total with ``quantity`` of ``variant`` (instead of its current line) must
    stay within what an order can hold."""
    others = CartItem.objects.filter(cart=cart).exclude(variant=variant).select_related("variant")
    total = sum((i.variant.price * i.quantity for i in others), Decimal("0.00"))
    if total + variant.price * quantity > MAX_CART_TOTAL:
        raise CartError(
            f"That would take your cart over {MAX_CART_TOTAL:,} {settings.SHOP_CURRENCY}, "
            "the most one order can hold."
        )


def _lock(cart: Cart) -> None:
    """Lock the cart row for this transaction and record the activity.

    An UPDATE takes the row lock until COMMIT, so two tabs changing one cart take turns
    instead of racing (the second waits here). ``updated`` then says when the cart was
    last used, which is how abandoned visitor carts are found and deleted.
    """
    Cart.objects.filter(pk=cart.pk).update(updated=timezone.now())


@transaction.atomic
def add_to_cart(*, cart: Cart, variant_id: int, quantity: int = 1) -> CartItem:
    """Add ``quantity`` units of a variant; the line's new total must respect the rules."""
    if quantity < 1:
        raise CartError("Quantity must be at least 1.")
    _lock(cart)
    variant = _sellable_variant(variant_id)
    item: CartItem | None = CartItem.objects.filter(cart=cart, variant=variant).first()
    new_quantity = quantity + (item.quantity if item else 0)
    _check_quantity(variant, new_quantity)
    _check_total(cart, variant, new_quantity)
    if item is None:
        return CartItem.objects.create(cart=cart, variant=variant, quantity=new_quantity)
    item.quantity = new_quantity
    item.save(update_fields=["quantity"])
    return item


def _item(cart: Cart, item_id: int) -> CartItem:
    # Filtering by cart is the ownership check: another cart's line id is "not found".
    item: CartItem | None = (
        CartItem.objects.select_related("variant__product").filter(cart=cart, pk=item_id).first()
    )
    if item is None:
        raise CartItem.DoesNotExist(f"No line {item_id} in this cart.")
    return item


@transaction.atomic
def set_quantity(*, cart: Cart, item_id: int, quantity: int) -> CartItem | None:
    """Set a line's quantity; 0 removes the line (and returns None)."""
    _lock(cart)
    item = _item(cart, item_id)
    if quantity == 0:
        item.delete()
        return None
    _check_quantity(item.variant, quantity)
    _check_total(cart, item.variant, quantity)
    item.quantity = quantity
    item.save(update_fields=["quantity"])
    return item


@transaction.atomic
def remove_line(*, cart: Cart, item_id: int) -> None:
    _lock(cart)
    _item(cart, item_id).delete()


@transaction.atomic
def merge_carts(*, source: Cart, by: User) -> tuple[Cart, list[str]]:
    """Move a visitor's cart into ``by``'s cart at login; return (cart, notes).

    Quantities of the same variant are summed and capped at what is available (and at
    MAX_LINE_QUANTITY); lines for items no longer sold or sold out are dropped. Each
    adjustment gives a note for the user. The visitor's cart is deleted.
    """
    target = Cart.objects.filter(user=by).first()
    if target is None:
        # No cart yet: the visitor's cart simply changes owner (one UPDATE).
        source.session_key, source.user = None, by
        try:
            with transaction.atomic():  # savepoint: a parallel login may have made one
                source.save(update_fields=["session_key", "user"])
                return source, []
        except IntegrityError:
            target = Cart.objects.get(user=by)
    _lock(target)
    notes: list[str] = []
    existing = {item.variant_id: item for item in target.items.all()}
    incoming = source.items.select_related("variant__product", "variant__stock")
    for line in incoming:
        variant = line.variant
        name = f"{variant.product.title} ({variant.title})"
        if not (variant.is_active and variant.product.is_active):
            notes.append(f"{name} is no longer sold and was left out.")
            continue
        current = existing.get(variant.pk)
        wanted = line.quantity + (current.quantity if current else 0)
        allowed = min(wanted, variant.available, MAX_LINE_QUANTITY)
        if allowed < wanted:
            notes.append(f"{name}: quantity reduced to {allowed} (what is available).")
        if allowed <= 0:
            continue
        try:
            _check_total(target, variant, allowed)
        except CartError:
            notes.append(f"{name} was left out: the cart would exceed what one order can hold.")
            continue
        if current:
            current.quantity = allowed
            current.save(update_fields=["quantity"])
        else:
            CartItem.objects.create(cart=target, variant=variant, quantity=allowed)
    source.delete()
    return target, notes


def delete_abandoned_carts(*, older_than: timedelta = timedelta(days=30)) -> int:
    """Delete visitor carts untouched for ``older_than`` (their session is long gone).

    Customers' carts are kept: they come back to them. Safe to run twice.
    """
    cutoff = timezone.now() - older_than
    deleted, _ = Cart.objects.filter(user__isnull=True, updated__lt=cutoff).delete()
    return deleted

"""Cart use cases, called by the cart pages, the product page and the cart API alike.

Rules (checked here, so both doors obey them):
  * only an active variant of an active product can be added;
  * a line's quantity is 1..MAX_LINE_QUANTITY and never more than is available
    (stock quantity - reserved) at the time of the change;
  * one line per variant: adding the same variant again raises that line's quantity.

The cart does NOT reserve stock: a cart is a wish, not a promise. Stock is reserved at
checkout (catalog.services.reserve_stock), where the database has the last word.
"""

import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from cart.exceptions import CartError
from cart.models import Cart, CartItem
from catalog.models import Stock, Variant

MAX_LINE_QUANTITY = 20
# The visitor's cart token lives in the session data, not in Django's session key:
# login rotates the session key (against session fixation) before user_logged_in
# fires, so the old key could no longer find the cart; session *data* survives.
SESSION_CART_TOKEN = "cart_token"


# --- Finding the cart -------------------------------------------------------------------


def get_cart(request: HttpRequest) -> Cart | None:
    """The current visitor's cart if there is one; never creates a row (for read-only pages)."""
    if request.user.is_authenticated:
        return Cart.objects.filter(user=request.user).first()
    token = request.session.get(SESSION_CART_TOKEN)
    return Cart.objects.filter(session_key=token).first() if token else None


def get_or_create_cart(request: HttpRequest) -> Cart:
    """The user's cart when logged in, else the session's cart, created on first use."""
    if request.user.is_authenticated:
        return _get_or_create(user=request.user)
    token = request.session.get(SESSION_CART_TOKEN)
    if not token:
        token = secrets.token_urlsafe(24)
        request.session[SESSION_CART_TOKEN] = token
    return _get_or_create(session_key=token)


def _get_or_create(**owner) -> Cart:
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
    item = CartItem.objects.filter(cart=cart, variant=variant).first()
    new_quantity = quantity + (item.quantity if item else 0)
    _check_quantity(variant, new_quantity)
    if item is None:
        return CartItem.objects.create(cart=cart, variant=variant, quantity=new_quantity)
    item.quantity = new_quantity
    item.save(update_fields=["quantity"])
    return item


def _item(cart: Cart, item_id: int) -> CartItem:
    # Filtering by cart is the ownership check: another cart's line id is "not found".
    item = CartItem.objects.select_related("variant__product").filter(cart=cart, pk=item_id).first()
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
    item.quantity = quantity
    item.save(update_fields=["quantity"])
    return item


@transaction.atomic
def remove_line(*, cart: Cart, item_id: int) -> None:
    _lock(cart)
    _item(cart, item_id).delete()


@transaction.atomic
def clear_cart(*, cart: Cart) -> None:
    """Empty the cart (checkout calls it once the order holds the lines)."""
    CartItem.objects.filter(cart=cart).delete()


@transaction.atomic
def merge_carts(*, source: Cart, user) -> tuple[Cart, list[str]]:
    """Move a visitor's cart into ``user``'s cart at login; return (cart, notes).

    Quantities of the same variant are summed and capped at what is available (and at
    MAX_LINE_QUANTITY); lines for items no longer sold or sold out are dropped. Each
    adjustment gives a note for the user. The visitor's cart is deleted.
    """
    target = Cart.objects.filter(user=user).first()
    if target is None:
        # No cart yet: the visitor's cart simply changes owner (one UPDATE).
        source.session_key, source.user = None, user
        try:
            with transaction.atomic():  # savepoint: a parallel login may have made one
                source.save(update_fields=["session_key", "user"])
                return source, []
        except IntegrityError:
            target = Cart.objects.get(user=user)
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

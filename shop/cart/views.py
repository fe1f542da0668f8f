"""Cart pages: add to cart (from the product page), see the cart, change or remove a line.

Every change is a POST with a CSRF token, answered by a redirect (Post/Redirect/Get) so
that a browser refresh never repeats it. A refused change re-renders the page it came from
with the message next to the field, and answers 400.
"""

import secrets

from django.contrib import messages
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cart import services
from cart.forms import AddToCartForm, LineQuantityForm
from cart.models import Cart, CartItem, cart_total
from catalog.views import product_data
from shared.errors import DomainError
from shared.web.forms import add_domain_error, form_status

# The visitor's cart token lives in the session data, not in Django's session key:
# login rotates the session key (against session fixation) before user_logged_in
# fires, so the old key could no longer find the cart; session *data* survives.
SESSION_CART_TOKEN = "cart_token"


# --- The visitor's cart, from the request (services take the owner, not the request) ----


def current_cart(request: HttpRequest) -> Cart | None:
    """The current visitor's cart if there is one; never creates a row (read-only pages)."""
    if request.user.is_authenticated:
        return services.find_cart(by=request.user, token=None)
    return services.find_cart(by=None, token=request.session.get(SESSION_CART_TOKEN))


def current_cart_or_new(request: HttpRequest) -> Cart:
    """The customer's cart, or the visitor's, created (with its session token) on first use."""
    if request.user.is_authenticated:
        return services.get_or_create_cart(by=request.user, token=None)
    token = request.session.get(SESSION_CART_TOKEN)
    if not token:
        token = secrets.token_urlsafe(24)
        request.session[SESSION_CART_TOKEN] = token
    return services.get_or_create_cart(by=None, token=token)


# --- Pages -----------------------------------------------------------------------------


@require_POST
def add(request, slug: str):
    """The product page's "add to cart" form; a refusal re-renders the product page (400)."""
    data = product_data(slug)
    form = AddToCartForm(request.POST, variants=data["variants"])
    if form.is_valid():
        try:
            services.add_to_cart(
                cart=current_cart_or_new(request),
                variant_id=form.cleaned_data["variant"],
                quantity=form.cleaned_data["quantity"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("cart:detail")
    return render(
        request, "catalog/product_detail.html", {**data, "form": form}, status=form_status(form)
    )


def _render_cart(request, *, failed_item_id: int | None = None, failed_form=None):
    cart = current_cart(request)
    items = list(CartItem.objects.filter(cart=cart).for_display()) if cart else []
    for item in items:
        if item.pk == failed_item_id:
            item.form = failed_form
        else:
            item.form = LineQuantityForm(
                initial={"quantity": item.quantity}, prefix=f"line-{item.pk}"
            )
    context = {"cart": cart, "items": items, "total": cart_total(items)}
    status = form_status(failed_form) if failed_form is not None else 200
    return render(request, "cart/cart_detail.html", context, status=status)


@never_cache  # the visitor's own cart: never stored by a browser or a proxy
def cart_detail(request):
    return _render_cart(request)


@never_cache
@require_POST
def update_line(request, item_id: int):
    form = LineQuantityForm(request.POST, prefix=f"line-{item_id}")
    cart = current_cart(request)
    if cart is None:
        raise Http404("No cart.")
    if form.is_valid():
        try:
            services.set_quantity(
                cart=cart, item_id=item_id, quantity=form.cleaned_data["quantity"]
            )
        except CartItem.DoesNotExist:
            raise Http404("No such line in your cart.") from None
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Cart updated.")
            return redirect("cart:detail")
    return _render_cart(request, failed_item_id=item_id, failed_form=form)


@require_POST
def remove_line(request, item_id: int):
    cart = current_cart(request)
    try:
        if cart is None:
            raise CartItem.DoesNotExist
        services.remove_line(cart=cart, item_id=item_id)
    except CartItem.DoesNotExist:
        raise Http404("No such line in your cart.") from None
    messages.success(request, "Item removed.")
    return redirect("cart:detail")

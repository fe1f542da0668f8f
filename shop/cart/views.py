"""Cart pages: see the cart, change a line's quantity, remove a line.

Every change is a POST with a CSRF token, answered by a redirect (Post/Redirect/Get) so
that a browser refresh never repeats it. A refused change re-renders the cart with the
message next to the line.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cart import services
from cart.exceptions import CartError
from cart.forms import LineQuantityForm
from cart.models import CartItem, cart_total


def _render_cart(request, *, failed_item_id: int | None = None, failed_form=None, status=200):
    cart = services.get_cart(request)
    items = list(CartItem.objects.filter(cart=cart).for_display()) if cart else []
    for item in items:
        if item.pk == failed_item_id:
            item.form = failed_form
        else:
            item.form = LineQuantityForm(
                initial={"quantity": item.quantity}, prefix=f"line-{item.pk}"
            )
    context = {"cart": cart, "items": items, "total": cart_total(items)}
    return render(request, "cart/cart_detail.html", context, status=status)


def cart_detail(request):
    return _render_cart(request)


@require_POST
def update_line(request, item_id: int):
    form = LineQuantityForm(request.POST, prefix=f"line-{item_id}")
    cart = services.get_cart(request)
    if cart is None:
        raise Http404("No cart.")
    if form.is_valid():
        try:
            services.set_quantity(
                cart=cart, item_id=item_id, quantity=form.cleaned_data["quantity"]
            )
        except CartItem.DoesNotExist:
            raise Http404("No such line in your cart.") from None
        except CartError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "Cart updated.")
            return redirect("cart:detail")
    return _render_cart(request, failed_item_id=item_id, failed_form=form, status=400)


@require_POST
def remove_line(request, item_id: int):
    cart = services.get_cart(request)
    try:
        if cart is None:
            raise CartItem.DoesNotExist
        services.remove_line(cart=cart, item_id=item_id)
    except CartItem.DoesNotExist:
        raise Http404("No such line in your cart.") from None
    messages.success(request, "Item removed.")
    return redirect("cart:detail")

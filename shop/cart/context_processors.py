"""``cart_count`` for the navigation bar, on every page."""

from django.db.models import Sum
from django.utils.functional import SimpleLazyObject

from cart.models import CartItem
from cart.views import SESSION_CART_TOKEN


def cart_count(request) -> dict:
    def count() -> int:
        if request.user.is_authenticated:
            items = CartItem.objects.filter(cart__user=request.user)
        elif request.session.get(SESSION_CART_TOKEN):
            items = CartItem.objects.filter(cart__session_key=request.session[SESSION_CART_TOKEN])
        else:
            return 0  # a visitor without a cart costs no query
        return items.aggregate(n=Sum("quantity"))["n"] or 0

    # Lazy: the query runs only when a template prints {{ cart_count }}.
    return {"cart_count": SimpleLazyObject(count)}

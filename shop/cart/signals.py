"""At login, the visitor's session cart joins the customer's own cart."""

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from cart.models import Cart
from cart.services import merge_carts
from cart.views import SESSION_CART_TOKEN


@receiver(user_logged_in)
def merge_session_cart(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return  # e.g. a test's client.force_login() with no request behind it
    token = request.session.pop(SESSION_CART_TOKEN, None)
    source = Cart.objects.filter(session_key=token).first() if token else None
    if source is None:
        return
    _, notes = merge_carts(source=source, by=user)
    for note in notes:
        messages.warning(request, note)

"""``{% add_to_cart_form product variants form %}``: the cart's form on the catalog's product page.

A tag, not an import: the product page belongs to the catalog, which must not depend on the
cart (the cart holds catalog variants). The form posts to ``cart:add``; when that refuses,
it re-renders the product page with its bound ``form``, which this tag then shows.
"""

from django import template

from cart.forms import AddToCartForm

register = template.Library()


@register.inclusion_tag("cart/_add_to_cart.html", takes_context=True)
def add_to_cart_form(context, product: dict, variants: list[dict], form=None) -> dict:
    return {
        "form": form or AddToCartForm(variants=variants),
        "product": product,
        "csrf_token": context.get("csrf_token"),
    }

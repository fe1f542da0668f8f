"""Forms for the cart pages and the product page's "add to cart"."""

from django import forms

from cart.services import MAX_LINE_QUANTITY


class AddToCartForm(forms.Form):
    """Built from the product page's (cached) variant list, so it costs no query."""

    variant = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect, label="Choose")
    quantity = forms.IntegerField(min_value=1, max_value=MAX_LINE_QUANTITY, initial=1)

    def __init__(self, *args, variants: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["variant"].choices = [
            (
                v["id"],
                f"{v['title']} — €{v['price']} "
                + (f"({v['available']} in stock)" if v["available"] > 0 else "(sold out)"),
            )
            for v in variants
        ]
        if len(variants) == 1:
            self.fields["variant"].initial = variants[0]["id"]


class LineQuantityForm(forms.Form):
    """One cart line's quantity; 0 removes the line."""

    quantity = forms.IntegerField(min_value=0, max_value=MAX_LINE_QUANTITY)

"""Forms for the cart pages and the product page's "add to cart"."""

from django import forms

from cart.services import MAX_LINE_QUANTITY


class VariantRadioSelect(forms.RadioSelect):
    """Radio buttons where a sold-out variant is shown but cannot be picked.

    Only a convenience: a hand-made POST can still send it, and add_to_cart refuses it.
    """

    sold_out: frozenset = frozenset()

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value in self.sold_out:
            option["attrs"]["disabled"] = True
        return option


class AddToCartForm(forms.Form):
    """Built from the product page's (cached) variant list, so it costs no query."""

    variant = forms.TypedChoiceField(coerce=int, widget=VariantRadioSelect, label="Choose")
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
        self.fields["variant"].widget.sold_out = frozenset(
            v["id"] for v in variants if v["available"] <= 0
        )
        if len(variants) == 1:
            self.fields["variant"].initial = variants[0]["id"]


class LineQuantityForm(forms.Form):
    """One cart line's quantity; 0 removes the line."""

    quantity = forms.IntegerField(min_value=0, max_value=MAX_LINE_QUANTITY)

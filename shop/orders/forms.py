"""Forms for the checkout and the staff order page."""

import uuid

from django import forms

from orders.models import STAFF_ACTIONS
from orders.services import ShippingAddress


class CheckoutForm(forms.Form):
    name = forms.CharField(label="Full name", max_length=120)
    line1 = forms.CharField(label="Address", max_length=200)
    line2 = forms.CharField(label="Address (line 2)", max_length=200, required=False)
    postcode = forms.CharField(max_length=20)
    city = forms.CharField(max_length=100)
    country = forms.RegexField(
        regex=r"^[A-Za-z]{2}$",
        max_length=2,
        help_text="Two-letter code, e.g. FR",
        error_messages={"invalid": "Enter a two-letter country code, e.g. FR."},
    )
    coupon_code = forms.CharField(label="Coupon code", max_length=40, required=False)
    # Generated when the form is first shown and posted back with it: pressing "Place order"
    # twice (or refreshing after a slow response) sends the same key, and the unique
    # (user, idempotency_key) constraint turns the second submit into "the same order".
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)

    def address(self) -> ShippingAddress:
        data = self.cleaned_data
        return ShippingAddress(
            name=data["name"],
            line1=data["line1"],
            line2=data["line2"],
            city=data["city"],
            postcode=data["postcode"],
            country=data["country"].upper(),
        )


class StaffActionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in STAFF_ACTIONS])
    note = forms.CharField(max_length=200, required=False)
